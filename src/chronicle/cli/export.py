"""`chronicle export`: events, a projection or a TimelineJS timeline, for other programs."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import click

from chronicle import export as exporting
from chronicle import queries
from chronicle.cli import main
from chronicle.cli.common import RAW_CSV, log_filter, log_filter_options, store_from
from chronicle.outputs import write_text
from chronicle.projections import REGISTRY
from chronicle.render import dumps
from chronicle.store import LogFilter

OUTPUT = click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                      help="Write to this file instead of stdout.")


def _write(chunks: Iterable[str], output: Path | None) -> None:
    if output is None:
        for chunk in chunks:
            click.echo(chunk, nl=False)
        return
    write_text(output, chunks)


@main.group()
def export() -> None:
    """Export events, a projection or a TimelineJS timeline for other programs.

    \b
    Example:
        chronicle export events --format ndjson -o events.ndjson
        chronicle export projection models --as-of 2025-06 --format csv
        chronicle export timelinejs -o timeline.json
    """


@export.command("events")
@log_filter_options
@click.option("--format", "fmt", type=click.Choice(exporting.EVENT_FORMATS), default="ndjson", show_default=True,
              help="Output format.")
@RAW_CSV
@OUTPUT
@click.pass_context
def export_events(ctx: click.Context, types: tuple[str, ...], subjects: tuple[str, ...], documents: tuple[str, ...],
                  since: str | None, until: str | None, after: int | None, limit: int | None, fmt: str,
                  raw_csv: bool, output: Path | None) -> None:
    """Every event (or those the filters select, as in `chronicle log`), streamed in sequence order.

    \b
    Example:
        chronicle export events --format csv -o events.csv
        chronicle export events --type talent_move --after 120
    """
    flt = log_filter(types, subjects, documents, since, until, after, limit)
    _write(exporting.events(store_from(ctx), flt, fmt, raw_csv=raw_csv), output)


@export.command("projection")
@click.argument("name", type=click.Choice(list(REGISTRY)))
@click.option("--as-of", "when", default="today", show_default=True, help="Cutoff (valid time).")
@click.option("--known-at", help="Only evidence published by the end of this date (knowledge time).")
@click.option("--at-seq", type=click.IntRange(min=0), help="The store as it was at this sequence number.")
@click.option("--format", "fmt", type=click.Choice(exporting.PROJECTION_FORMATS), default="json",
              show_default=True, help="Output format.")
@RAW_CSV
@OUTPUT
@click.pass_context
def export_projection(ctx: click.Context, name: str, when: str, known_at: str | None, at_seq: int | None,
                      fmt: str, raw_csv: bool, output: Path | None) -> None:
    """One projection's rows at a date: JSON with its basis, or CSV with one column per cell.

    \b
    Example:
        chronicle export projection models --as-of 2025-06 --format csv -o models.csv
        chronicle export projection talent --format json
    """
    document = exporting.projection(store_from(ctx), name, when, known_at=known_at, at_seq=at_seq,
                                    filters=queries.Filters())
    _write([exporting.projection_text(document, fmt, raw_csv=raw_csv)], output)


@export.command("timelinejs")
@click.option("--title", default="chronicle timeline", show_default=True, help="The title slide's headline.")
@click.option("--type", "types", multiple=True, help="Only events of this type. Repeatable.")
@click.option("--subject", "subjects", multiple=True, help="Only events about this entity slug. Repeatable.")
@OUTPUT
@click.pass_context
def export_timelinejs(ctx: click.Context, title: str, types: tuple[str, ...], subjects: tuple[str, ...],
                      output: Path | None) -> None:
    """The timeline as TimelineJS JSON (Knight Lab): one slide per event, dated as precisely as its source.

    Dates are truncated to their precision; vague dates, open bounds and
    forecasts are labelled in the slide's date, and each slide quotes its evidence.

    \b
    Example:
        chronicle export timelinejs -o timeline.json
    """
    flt = LogFilter(types=types, subjects=subjects) if types or subjects else None
    _write([dumps(exporting.timelinejs(store_from(ctx), title=title, flt=flt)) + "\n"], output)
