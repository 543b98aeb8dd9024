"""Options and helpers shared by the commands."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from chronicle.errors import ChronicleError
from chronicle.fuzzydate import parse, parse_cutoff
from chronicle.render import FORMATS
from chronicle.store import LogFilter, Store, open_store
from chronicle.tables import MAX_SEQ

F = TypeVar("F", bound=Callable[..., Any])


def format_option(choices: Sequence[str] = FORMATS, default: str = "table") -> Callable[[F], F]:
    return click.option(
        "--format", "fmt", type=click.Choice(list(choices)), default=default, show_default=True,
        help="Output format.",
    )


#: On every command that can write CSV.
RAW_CSV = click.option(
    "--raw-csv", is_flag=True,
    help="CSV cells exactly as stored. By default a cell starting with = + - @ or tab (not a number) "
         "gets a leading ' and control characters are stripped, so a spreadsheet never runs it.",
)


def log_filter_options(f: F) -> F:
    """The filters of `chronicle log`, shared by every command that selects events."""
    options = [
        click.option("--type", "types", multiple=True, help="Only events of this type. Repeatable."),
        click.option("--subject", "subjects", multiple=True, help="Only events about this entity slug. Repeatable."),
        click.option("--doc", "documents", multiple=True, help="Only events from this document id. Repeatable."),
        click.option("--since", help="Only events that may have happened on or after this date (event time)."),
        click.option("--until", help="Only events that may have happened by the end of this date (event time)."),
        click.option("--after", type=click.IntRange(0, MAX_SEQ), help="Only events after this sequence number."),
        click.option("--limit", type=click.IntRange(1, MAX_SEQ), help="At most this many events."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def log_filter(types: tuple[str, ...], subjects: tuple[str, ...], documents: tuple[str, ...], since: str | None,
               until: str | None, after: int | None, limit: int | None) -> LogFilter:
    """The LogFilter those options describe; bad dates are errors naming the option."""
    return LogFilter(after=after, types=types, subjects=subjects, documents=documents,
                     since=start_of(since, "--since"), until=end_of(until, "--until"), limit=limit)


def store_from(ctx: click.Context, *, create: bool = False) -> Store:
    """The store named by --db / $CHRONICLE_DB / ./chronicle.db."""
    store = open_store(ctx.find_root().obj.get("db_url"), create=create)
    ctx.call_on_close(store.close)
    return store


def start_of(text: str | None, option: str) -> Any:
    """The first day of a period given as a date text (for --since)."""
    if text is None:
        return None
    try:
        day = parse(text).earliest
    except ChronicleError as exc:
        raise ChronicleError(f"{option}: {exc.message}", exc.hint) from exc
    if day is None:
        raise ChronicleError(f"{option}: {text!r} has no start date", "give a date such as 2025-06")
    return day


def end_of(text: str | None, option: str) -> Any:
    """The last day of a period (for --until, --known-at): 2025-06 means June 30."""
    if text is None:
        return None
    try:
        return parse_cutoff(text)
    except ChronicleError as exc:
        raise ChronicleError(f"{option}: {exc.message}", exc.hint) from exc
