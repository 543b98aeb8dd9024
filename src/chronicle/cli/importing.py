"""`chronicle import`: curated databases into the store."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from chronicle.cli import main
from chronicle.cli.common import format_option, store_from
from chronicle.errors import ChronicleError
from chronicle.importing import Coverage, ImportReport, import_epoch
from chronicle.render import dumps, printable


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


#: How many removed rows a table names; ``--format json`` lists them all.
NAMED_ROWS = 5


@import_group.command("epoch")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--snapshot-date", metavar="YYYY-MM-DD",
              help="The day the snapshot was taken (default: the latest publication date in the file).")
@click.option("--complete", is_flag=True,
              help="The file is the whole database: rows stored but not in it are removed, however many.")
@click.option("--partial", is_flag=True,
              help="The file is part of the database (an export, a filter): its rows are imported, none removed.")
@click.option("--dry-run", is_flag=True, help="Say what would be appended and removed; append nothing.")
@format_option(("table", "json"))
@click.pass_context
def epoch(ctx: click.Context, file: Path, snapshot_date: str | None, complete: bool, partial: bool, dry_run: bool,
          fmt: str) -> None:
    """Import a snapshot of Epoch AI's "Notable AI Models" dataset (CSV).

    Each row becomes a model_release from a document of kind database, with
    the row's organizations, countries, parameters, training compute,
    accessibility, base model, confidence and link. Models and orgs are
    matched to known entities by name and alias, and created otherwise.
    Importing the same snapshot again appends nothing; a newer snapshot
    appends only the rows that are new or changed, and records removed rows.

    A snapshot that would remove more than 5% of the rows stored is refused,
    with nothing appended, unless the file is said to be --complete (the
    whole database: the rows go) or --partial (an export or a filter: its
    rows are imported, none removed). --dry-run lists the rows that would go.

    The data is Epoch AI's, under CC BY 4.0: cite "Epoch AI, Data on Notable
    AI Models".

    \b
    Example:
        chronicle ingest events/
        chronicle import epoch notable_ai_models-2025-03.csv
        chronicle import epoch notable_ai_models-2025-06.csv --snapshot-date 2025-06-30 --dry-run
        chronicle import epoch notable_ai_models-2025-06.csv --snapshot-date 2025-06-30 --complete
        chronicle import epoch chinese_models_export.csv --snapshot-date 2025-07-01 --partial
        chronicle as-of 2025-03 --country CN --open
    """
    if complete and partial:
        raise click.UsageError("--complete and --partial cannot be given together: the file is the whole "
                               "database or part of it", ctx)
    snapshot = _day(snapshot_date)
    coverage: Coverage | None = "complete" if complete else "partial" if partial else None
    store = store_from(ctx, create=True)
    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label="reading rows", file=sys.stderr)
            bar.__enter__()
        bar.update(1)

    try:
        report = import_epoch(store, file, snapshot=snapshot, coverage=coverage, dry_run=dry_run, progress=progress)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if fmt == "json":
        click.echo(dumps(report.to_dict()))
    else:
        click.echo(printable("\n".join(_summary(report))))  # it names the rows removed, as the file spells them
    if report.refusal is not None:
        raise report.refusal  # a dry run of a refused snapshot fails as the import would


def _summary(report: ImportReport) -> list[str]:
    """The table format's lines: what the snapshot says, what was (or would be) appended and removed."""
    out = report.to_dict()
    since = f" (since {out['previous']})" if out["previous"] else ""
    kept = f", kept {out['kept']} not in the file (--partial)" if report.kept else ""
    done = ("would append {appended}, already present {present}, supersede {superseded}, remove {removed}; "
            "entities matched {entities_matched}, would create {entities_created}" if report.dry_run else
            "appended {appended}, already present {present}, superseded {superseded}, removed {removed}; "
            "entities matched {entities_matched}, created {entities_created}")
    lines = [
        f"{out['document']}: snapshot {out['snapshot']} (from the {out['snapshot_from']}), {out['rows']} rows",
        f"rows new {out['new']}, changed {out['changed']}, unchanged {out['unchanged']}{since}, "
        f"removed {out['removed']}{kept}",
        done.format(**out),
    ]
    if report.removed:
        names = [report.names[key] for key in report.removed]
        more = len(names) - NAMED_ROWS
        listed = ", ".join(names[:NAMED_ROWS]) + (f" and {more} more (--format json lists them all)" if more > 0 else "")
        verb = "would remove" if report.dry_run else "removed"
        lines.append(f"{verb} {len(names)} of the {report.stored} rows stored: {listed}")
    if report.dry_run:
        lines.append("dry run: nothing was appended")
    lines.append(f"source: {out['attribution']}")
    return lines
