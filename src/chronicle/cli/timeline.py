"""`chronicle timeline`: the events on a time axis, as one self-contained HTML page."""

from __future__ import annotations

from pathlib import Path

import click

from chronicle import queries
from chronicle.cli import main
from chronicle.cli.common import store_from
from chronicle.cli.query import AT_SEQ, KNOWN_AT
from chronicle.outputs import write_text
from chronicle.page import timeline_html
from chronicle.projections import REGISTRY


@main.command()
@click.option("--as-of", "when", default="today", show_default=True,
              help="Cutoff: 2025, 2025-06, 2025-Q2, 2025-06-15 or today.")
@KNOWN_AT
@AT_SEQ
@click.option("--projection", default="timeline", show_default=True, type=click.Choice(list(REGISTRY)),
              help="Only the events behind this projection's rows (with its filters).")
@click.option("--certain", is_flag=True, help="Only events that surely happened by the cutoff.")
@click.option("--country", help="Only events whose subject (or, with --projection, whose rows) are of this country.")
@click.option("--open", "open_only", is_flag=True, help="Only open models (with --projection models).")
@click.option("--dated-only", is_flag=True,
              help="Leave out claims the text does not date (context dates), for a lighter page.")
@click.option("--lanes", "lanes_by", type=click.Choice(["org", "type"]), default="org", show_default=True,
              help="One lane per organization, or per event type.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the page here (default: standard output).")
@click.pass_context
def timeline(ctx: click.Context, when: str, known_at: str | None, at_seq: int | None, projection: str,
             certain: bool, country: str | None, open_only: bool, dated_only: bool, lanes_by: str,
             output: Path | None) -> None:
    """Draw the events on a time axis as one HTML page with everything inline.

    A dated day is a point; a month, quarter, third, year or open bound is a
    span over its whole interval. Forecasts are dashed, possibly-happened
    events hatched, disagreeing sources marked; hover or click for the quote
    and the source.

    \b
    Example:
        chronicle timeline -o timeline.html
        chronicle timeline --as-of 2025-06 --lanes type -o mid-2025.html
        chronicle timeline --projection models --country CN --open -o open-models.html
        chronicle timeline --dated-only -o dated.html
    """
    answer = queries.timeline(store_from(ctx), when, projection=projection, known_at=known_at, at_seq=at_seq,
                              filters=queries.Filters(country=country, open_only=open_only, certain=certain))
    if dated_only:
        answer = {**answer, "rows": [r for r in answer["rows"] if r["precision"] != "context"]}
    page = timeline_html(answer, lanes_by=lanes_by)
    if output is None:
        click.echo(page, nl=False)
    else:
        write_text(output, [page])
        click.echo(f"wrote {output}: {len(answer['rows'])} events, {len(answer['conflicts'])} disagreements", err=True)
