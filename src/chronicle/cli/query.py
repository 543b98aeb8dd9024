"""`chronicle as-of`, `diff`, `talent`, `conflicts`, `rank`, `retract`, `correct`."""

from __future__ import annotations

import click

from chronicle import corrections, queries, report
from chronicle.cli import main
from chronicle.cli.common import RAW_CSV, format_option, store_from
from chronicle.projections import REGISTRY
from chronicle.render import dumps

PROJECTION = click.option("--projection", "projections", multiple=True, type=click.Choice(list(REGISTRY)),
                          help="Only this projection. Repeatable. Default: models, orgs, metrics, talent.")
KNOWN_AT = click.option("--known-at", help="Only evidence published by the end of this date (knowledge time).")
AT_SEQ = click.option("--at-seq", type=click.IntRange(min=0), help="The store as it was at this sequence number.")


def _filters(country: str | None, open_only: bool, certain: bool) -> queries.Filters:
    return queries.Filters(country=country, open_only=open_only, certain=certain)


@main.command("as-of")
@click.argument("when")
@PROJECTION
@KNOWN_AT
@AT_SEQ
@click.option("--certain", is_flag=True, help="Only rows that surely happened, from claims their sources assert (no hedged ones).")
@click.option("--country", help="Only models and orgs of this country (ISO code, e.g. CN).")
@click.option("--open", "open_only", is_flag=True,
              help="Only open-weight / open-source models (by the sources' words or licences).")
@click.option("--explain", is_flag=True,
              help="Show the quotes behind each row, how each claim's date is read, and the notes on them.")
@format_option(("table", "json", "csv", "markdown"))
@RAW_CSV
@click.pass_context
def as_of(ctx: click.Context, when: str, projections: tuple[str, ...], known_at: str | None, at_seq: int | None,
          certain: bool, country: str | None, open_only: bool, explain: bool, fmt: str, raw_csv: bool) -> None:
    """What was true at the end of WHEN (2025, 2025-06, 2025-Q2, 2025-06-15 or today).

    Each row is marked happened, possibly happened (its date is too vague to
    know) or expected (a forecast), with the number of sources behind it.

    \b
    Example:
        chronicle as-of 2025-06
        chronicle as-of 2025-06 --projection models --country CN --open --explain
        chronicle as-of 2025-12 --known-at 2025-06 --format json
    """
    store = store_from(ctx)
    answer = queries.as_of(store, when, projections=projections, known_at=known_at, at_seq=at_seq,
                           filters=_filters(country, open_only, certain))
    if fmt == "json":
        click.echo(dumps(answer))
    elif fmt == "csv":
        click.echo(report.as_of_csv(answer, raw_csv), nl=False)
    else:
        notes = queries.explanations(store, answer) if explain else {}
        click.echo(report.as_of_text(answer, fmt, explain, notes), nl=False)


@main.command()
@click.argument("a", required=False)
@click.argument("b", required=False)
@PROJECTION
@KNOWN_AT
@AT_SEQ
@click.option("--known-between", nargs=2, metavar="K1 K2",
              help="Diff knowledge instead of time: evidence published by K1 versus by K2 (cutoff A, default today).")
@click.option("--country", help="Only models and orgs of this country.")
@click.option("--open", "open_only", is_flag=True, help="Only open models.")
@format_option(("table", "json", "csv", "markdown"))
@RAW_CSV
@click.pass_context
def diff(ctx: click.Context, a: str | None, b: str | None, projections: tuple[str, ...], known_at: str | None,
         at_seq: int | None, known_between: tuple[str, str] | None, country: str | None, open_only: bool,
         fmt: str, raw_csv: bool) -> None:
    """What changed between the answers at A and B: rows added, removed, cells changed.

    \b
    Example:
        chronicle diff 2025-01 2025-12
        chronicle diff 2025-12 --known-between 2025-06 2026-01 --projection models
    """
    if known_between is not None and b is not None:
        raise click.UsageError("with --known-between give at most one date (the cutoff)")
    answer = queries.diff(store_from(ctx), a, b, projections=projections, known_at=known_at,
                          known_between=known_between, at_seq=at_seq, filters=_filters(country, open_only, False))
    click.echo(dumps(answer) if fmt == "json" else report.diff_text(answer, fmt, raw_csv), nl=fmt == "json")


@main.command()
@click.option("--by", type=click.Choice(["quarter", "half", "year"]), default="quarter", show_default=True)
@click.option("--as-of", "when", default="today", show_default=True, help="Cutoff.")
@KNOWN_AT
@format_option(("table", "json", "csv", "markdown"))
@RAW_CSV
@click.pass_context
def talent(ctx: click.Context, by: str, when: str, known_at: str | None, fmt: str, raw_csv: bool) -> None:
    """Talent moves grouped by period; a move dated too vaguely gets a visible "unknown" row.

    \b
    Example:
        chronicle talent --by quarter
    """
    answer = queries.talent(store_from(ctx), by=by, when=when, known_at=known_at)
    click.echo(dumps(answer) if fmt == "json" else report.talent_text(answer, fmt, raw_csv), nl=fmt == "json")


@main.command()
@click.option("--as-of", "when", default="today", show_default=True, help="Cutoff.")
@KNOWN_AT
@AT_SEQ
@click.option("--all", "include_settled", is_flag=True, help="Also show conflicts a ranking has settled.")
@format_option(("table", "json", "csv", "markdown"))
@RAW_CSV
@click.pass_context
def conflicts(ctx: click.Context, when: str, known_at: str | None, at_seq: int | None, include_settled: bool,
              fmt: str, raw_csv: bool) -> None:
    """Claims on the same subject and fact that disagree, side by side with their sources.

    Values of a share, count, price or valuation at different times are a
    series, not a disagreement; an undated one holds on its source's date.

    \b
    Example:
        chronicle conflicts
        chronicle conflicts --all --format json
    """
    answer = queries.conflicts(store_from(ctx), when=when, known_at=known_at, at_seq=at_seq,
                               include_settled=include_settled)
    if fmt == "json":
        click.echo(dumps(answer))
    else:
        click.echo(report.conflicts_text(answer, fmt, raw_csv), nl=False)


@main.command()
@click.argument("event_id")
@click.option("--preferred", "value", flag_value="preferred", help="This claim is the one to believe.")
@click.option("--deprecated", "value", flag_value="deprecated", help="This claim is not to be believed.")
@click.option("--normal", "value", flag_value="normal", help="Undo an earlier ranking.")
@click.option("--reason", required=True, help="Why (kept on record).")
@click.pass_context
def rank(ctx: click.Context, event_id: str, value: str | None, reason: str) -> None:
    """Rank a claim (appends claim_ranked); a preferred claim settles its conflict.

    The rank a claim already has is not appended again (exit 0, saying so).

    \b
    Example:
        chronicle rank doc:r1-matches-o1 --preferred --reason "the benchmark table says o1"
    """
    if value is None:
        raise click.UsageError("say --preferred, --deprecated or --normal")
    done = corrections.rank(store_from(ctx, create=False), event_id, value, reason)
    if done.appended:
        assert done.event is not None
        click.echo(f"appended {done.event.event_id} (seq {done.event.seq}): {event_id} ranked {value}")
    elif done.event is None:
        click.echo(f"{event_id} is already ranked normal (it was never ranked); nothing appended")
    else:
        click.echo(f"{event_id} is already ranked {value} by {corrections.describe(done.event)}; nothing appended")


@main.command()
@click.argument("event_id")
@click.option("--reason", required=True, help="Why (kept on record).")
@click.pass_context
def retract(ctx: click.Context, event_id: str, reason: str) -> None:
    """Retract an event (appends event_retracted); it leaves every answer, with the reason on record.

    An event already retracted stays so: nothing is appended (exit 0, saying so).

    \b
    Example:
        chronicle retract doc:wrong-date --reason "misread the article's date"
    """
    done = corrections.retract(store_from(ctx, create=False), event_id, reason)
    assert done.event is not None
    if done.appended:
        click.echo(f"appended {done.event.event_id} (seq {done.event.seq}): {event_id} retracted")
    else:
        how = "superseded" if done.event.type == "event_superseded" else "retracted"
        click.echo(f"{event_id} is already {how} by {corrections.describe(done.event)}; nothing appended")


@main.command()
@click.argument("event_id")
@click.option("--when", "when", required=True, help="The right date, in words or EDTF (e.g. 2026-01-27).")
@click.option("--fact", "facts", multiple=True, metavar="NAME=VALUE",
              help="A fact of the claim to set, its value written as in an events file. Repeatable.")
@click.option("--source", required=True, help="The address (http or https) of the source the correction rests on.")
@click.option("--quote", required=True, help="The words of that source that carry the claim (at most 25).")
@click.option("--reason", required=True, help="Why the claim is corrected (kept on record).")
@format_option(("table", "json"))
@click.pass_context
def correct(ctx: click.Context, event_id: str, when: str, facts: tuple[str, ...], source: str, quote: str,
            reason: str, fmt: str) -> None:
    """Supersede a claim by your own (appends the claim and an event_superseded, in one transaction).

    The new claim is the old one with the date WHEN and any --fact given, your
    source's quote as evidence and --source as its link. Answers show it instead
    of the old claim from today on (--known-at and --at-seq before it still see
    the old one); the old claim stays in the log, and `show` tells it was
    superseded. The same correction again appends nothing.

    \b
    Example:
        chronicle correct doc:k2.5-release --when 2026-01-27 \\
          --source https://example.org/kimi-k2-5 --quote "Kimi K2.5 was released on January 27, 2026" \\
          --reason "the article's 'shortly thereafter' is a year early"
    """
    done = corrections.correct(store_from(ctx, create=False), event_id, when, source=source, quote=quote,
                               reason=reason, facts=facts)
    if fmt == "json":
        click.echo(dumps(done.to_dict()))
    elif done.appended:
        click.echo(f"appended {done.claim.event_id} (seq {done.claim.seq}) and {done.superseded.event_id} "
                   f"(seq {done.superseded.seq}): {event_id} superseded, now {done.claim.when.edtf}")
    else:
        click.echo(f"{event_id} is already superseded by {corrections.describe(done.superseded)}; nothing appended")
