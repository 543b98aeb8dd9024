"""`chronicle import`: curated databases into the store."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from chronicle.cli import main
from chronicle.cli.common import format_option, store_from
from chronicle.errors import ChronicleError
from chronicle.importing import import_epoch
from chronicle.render import dumps


@main.group("import")
def import_group() -> None:
    """Import a curated database as a source (one document per snapshot).

    \b
    Example:
        chronicle import epoch notable_ai_models.csv
    """


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ChronicleError(f"--snapshot-date: {text!r} is not a day", "write it as YYYY-MM-DD") from None


@import_group.command("epoch")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--snapshot-date", metavar="YYYY-MM-DD",
              help="The day the snapshot was taken (default: the latest publication date in the file).")
@format_option(("table", "json"))
@click.pass_context
def epoch(ctx: click.Context, file: Path, snapshot_date: str | None, fmt: str) -> None:
    """Import a snapshot of Epoch AI's "Notable AI Models" dataset (CSV).

    Each row becomes a model_release from a document of kind database, with
    the row's organizations, countries, parameters, training compute,
    accessibility, base model, confidence and link. Models and orgs are
    matched to known entities by name and alias, and created otherwise.
    Importing the same snapshot again appends nothing; a newer snapshot
    appends only the rows that are new or changed, and records removed rows.
    The data is Epoch AI's, under CC BY 4.0: cite "Epoch AI, Data on Notable
    AI Models".

    \b
    Example:
        chronicle ingest events/
        chronicle import epoch notable_ai_models-2025-03.csv
        chronicle import epoch notable_ai_models-2025-06.csv --snapshot-date 2025-06-30
        chronicle as-of 2025-03 --country CN --open
    """
    snapshot = _day(snapshot_date)
    store = store_from(ctx, create=True)
    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label="reading rows", file=sys.stderr)
            bar.__enter__()
        bar.update(1)

    try:
        report = import_epoch(store, file, snapshot=snapshot, progress=progress)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if fmt == "json":
        click.echo(dumps(report.to_dict()))
        return
    out = report.to_dict()
    since = f" (since {out['previous']})" if out["previous"] else ""
    click.echo(f"{out['document']}: snapshot {out['snapshot']} (from the {out['snapshot_from']}), {out['rows']} rows")
    click.echo(f"rows new {out['new']}, changed {out['changed']}, unchanged {out['unchanged']}{since}, "
               f"removed {out['removed']}")
    click.echo(f"appended {out['appended']}, already present {out['present']}, superseded {out['superseded']}, "
               f"removed {out['removed']}; entities matched {out['entities_matched']}, "
               f"created {out['entities_created']}")
    click.echo(f"source: {out['attribution']}")
