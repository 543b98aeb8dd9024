"""`chronicle sources` and `chronicle entities`: what the store knows of."""

from __future__ import annotations

import click

from chronicle.cli import main
from chronicle.cli.common import format_option, store_from
from chronicle.render import dumps, render_rows


@main.command()
@click.option("--counts", is_flag=True, help="Count events per document and type instead.")
@format_option(("table", "json", "csv", "markdown"))
@click.pass_context
def sources(ctx: click.Context, counts: bool, fmt: str) -> None:
    """List the documents in the store, with their events counted.

    \b
    Example:
        chronicle sources
        chronicle sources --counts --format markdown
    """
    store = store_from(ctx)
    per_doc = store.document_counts()
    if counts:
        rows = [{"document": doc, "type": kind, "events": n}
                for doc in sorted(per_doc) for kind, n in sorted(per_doc[doc].items())]
        by_type: dict[str, int] = {}
        for kinds in per_doc.values():
            for kind, n in kinds.items():
                by_type[kind] = by_type.get(kind, 0) + n
        rows += [{"document": "(all)", "type": kind, "events": n} for kind, n in sorted(by_type.items())]
        rows.append({"document": "(all)", "type": "(all)", "events": sum(by_type.values())})
        if fmt == "json":
            click.echo(dumps({"schema": "chronicle.source-counts/1", "counts": rows}))
        else:
            click.echo(render_rows(rows, ["document", "type", "events"], fmt), nl=False)
        return
    docs = store.documents()
    rows = [
        d.to_dict() | {
            "published_edtf": d.published.edtf if d.published else f"undated, window {d.dated.edtf}",
            "events": sum(per_doc.get(d.id, {}).values()),
        }
        for d in docs
    ]
    if fmt == "json":
        click.echo(dumps({"schema": "chronicle.sources/1", "documents": rows}))
    else:
        click.echo(render_rows(rows, ["id", "published_edtf", "publisher", "events", "title"], fmt,
                               headers={"id": "document", "published_edtf": "published"}), nl=False)


@main.command()
@click.option("--kind", help="Only entities of this kind (org, model, person, ...).")
@format_option(("table", "json", "csv", "markdown"))
@click.pass_context
def entities(ctx: click.Context, kind: str | None, fmt: str) -> None:
    """List the entities the store knows.

    \b
    Example:
        chronicle entities --kind org
    """
    items = [e.to_dict() for e in store_from(ctx).entities() if kind is None or e.kind == kind]
    if fmt == "json":
        click.echo(dumps({"schema": "chronicle.entities/1", "entities": items}))
    else:
        click.echo(render_rows(items, ["slug", "kind", "name", "country", "org", "family", "aliases"], fmt), nl=False)
