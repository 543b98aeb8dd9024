"""`chronicle ingest`: events files into the store."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from chronicle.cli import main
from chronicle.cli.common import format_option, store_from
from chronicle.errors import RefusedError
from chronicle.ingest import ingest as run_ingest
from chronicle.render import dumps, render_rows

# Show a progress bar when there is enough to wait for.
PROGRESS_FROM_FILES = 20


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--documents", "documents_dirs", multiple=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder holding the documents' texts (for quote and sha256 checks). Repeatable.")
@click.option("--dry-run", is_flag=True, help="Validate only; append nothing.")
@click.option("--allow-drafts", is_flag=True, help="Ingest events still marked `status: draft`.")
@format_option(("table", "json"))
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[Path, ...], documents_dirs: tuple[Path, ...], dry_run: bool,
           allow_drafts: bool, fmt: str) -> None:
    """Validate events files and append their events to the store.

    PATHS are events files or folders of them (with their entities.yaml).
    One problem in any file and nothing is appended, entities included (a
    large ingest validates while it appends, in one transaction that is
    rolled back). Ingesting the same files again appends nothing.

    \b
    Example:
        chronicle ingest events/
        chronicle --db team.db ingest events/new-report.yaml --documents texts/
    """
    store = store_from(ctx, create=True)
    bar: Any = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if total < PROGRESS_FROM_FILES:
            return
        if bar is None:
            bar = click.progressbar(length=total, label="ingesting", file=sys.stderr)
            bar.__enter__()
        bar.update(1)

    try:
        report = run_ingest(store, paths, documents_dirs=documents_dirs, dry_run=dry_run,
                            allow_drafts=allow_drafts, progress=progress)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if fmt == "json":
        click.echo(dumps(report.to_dict()))
    else:
        rows = [f.to_dict() | {"refused": len(f.refused)} for f in report.files]
        columns = ["document", "events", "drafts"] if dry_run else ["document", "events", "appended", "present", "refused"]
        click.echo(render_rows(rows, columns, "table"), nl=False)
        for f in report.files:
            if not f.text_checked:
                click.echo(f"note: {f.document}: its text was not found, so its quotes were not checked "
                           "(give the folder with --documents)", err=True)
            for refusal in f.refused:
                click.echo(f"refused {refusal.event_id}: {refusal.reason}"
                           + (f" (fields: {', '.join(refusal.fields)})" if refusal.fields else ""), err=True)
        if dry_run:
            click.echo(f"valid: {len(report.files)} file(s), {sum(f.events for f in report.files)} event(s); nothing appended")
        else:
            click.echo(f"appended {report.appended}, already present {report.present}, refused {report.refused}"
                       f"; entities added {report.entities_added}, changed {report.entities_changed}")
    if report.refused:
        raise RefusedError(report.refused)
