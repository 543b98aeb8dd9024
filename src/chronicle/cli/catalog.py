"""`chronicle sources` and `chronicle entities`: what the store knows of."""

from __future__ import annotations

import click

from chronicle import catalog
from chronicle.cli import main
from chronicle.cli.common import RAW_CSV, format_option, store_from
from chronicle.render import dumps, render_rows


@main.command()
@click.option("--counts", is_flag=True, help="Count events per document and type instead.")
@format_option(("table", "json", "csv", "markdown"))
@RAW_CSV
@click.pass_context
def sources(ctx: click.Context, counts: bool, fmt: str, raw_csv: bool) -> None:
    """List the documents in the store, with their events counted.

    \b
    Example:
        chronicle sources
        chronicle sources --counts --format markdown
    """
    store = store_from(ctx)
    if counts:
        answer = catalog.source_counts(store)
        if fmt == "json":
            click.echo(dumps(answer))
        else:
            click.echo(render_rows(answer["counts"], ["document", "type", "events"], fmt, raw_csv=raw_csv), nl=False)
        return
    answer = catalog.sources(store)
    if fmt == "json":
        click.echo(dumps(answer))
    else:
        click.echo(render_rows(answer["documents"], ["id", "published_edtf", "publisher", "events", "title"], fmt,
                               headers={"id": "document", "published_edtf": "published"}, raw_csv=raw_csv), nl=False)


@main.command()
@click.option("--kind", help="Only entities of this kind (org, model, person, ...).")
@format_option(("table", "json", "csv", "markdown"))
@RAW_CSV
@click.pass_context
def entities(ctx: click.Context, kind: str | None, fmt: str, raw_csv: bool) -> None:
    """List the entities the store knows.

    \b
    Example:
        chronicle entities --kind org
    """
    answer = catalog.entities(store_from(ctx), kind)
    if fmt == "json":
        click.echo(dumps(answer))
    else:
        click.echo(render_rows(answer["entities"], ["slug", "kind", "name", "country", "org", "family", "aliases"], fmt,
                               raw_csv=raw_csv), nl=False)
