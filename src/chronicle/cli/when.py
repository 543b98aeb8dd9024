"""``chronicle when``: how chronicle reads a date."""

from __future__ import annotations

import click

from chronicle.cli import main
from chronicle.fuzzydate import parse
from chronicle.render import dumps, render_rows


@main.command("when")
@click.argument("text")
@click.option("--published", metavar="DATE", default=None, help="Publication date that relative words are read against.")
@click.option("--future", is_flag=True, help="Read relative words as a forecast (the next match, not the last).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
def when(text: str, published: str | None, future: bool, fmt: str) -> None:
    """Show how chronicle reads the date TEXT: its EDTF, bounds and precision.

    \b
    Example:
        chronicle when "mid-2025"
        chronicle when "in December" --published 2026-01-21 --format json
    """
    reading = parse(text, published=published, future=future)
    if fmt == "json":
        click.echo(dumps({"schema": "chronicle.when/1", **reading.to_dict()}))
        return
    rows = [{"field": key, "value": value} for key, value in reading.to_dict().items()]
    click.echo(render_rows(rows, ["field", "value"], "table"), nl=False)
