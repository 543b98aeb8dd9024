"""`chronicle projections status|rebuild`: the read-model tables inside the database."""

from __future__ import annotations

import time

import click

from chronicle import modelvalues, readmodels
from chronicle.cli import main
from chronicle.cli.common import format_option, store_from
from chronicle.projections import REGISTRY
from chronicle.render import dumps, render_rows


@main.group()
def projections() -> None:
    """The read-model tables (rm_models, rm_orgs, rm_metrics, rm_talent, rm_timeline) any SQL client can read.

    \b
    Example:
        chronicle projections status
        chronicle projections rebuild models
    """


@projections.command()
@format_option(("table", "json"))
@click.pass_context
def status(ctx: click.Context, fmt: str) -> None:
    """Each read-model table's checkpoint (the sequence number its rows reflect) and its lag behind the log.

    \b
    Example:
        chronicle projections status --format json
    """
    answer = readmodels.status(store_from(ctx))
    if fmt == "json":
        click.echo(dumps(answer))
        return
    columns = ["name", "table", "version", "checkpoint_seq", "lag", "rows", "cutoff", "updated_at"]
    click.echo(render_rows(answer["projections"], columns, "table",
                           headers={"checkpoint_seq": "checkpoint"}), nl=False)
    folds = ["name", "table", "version", "checkpoint_seq", "lag", "rows", "current", "updated_at"]
    click.echo(render_rows(answer["folds"], folds, "table", headers={"checkpoint_seq": "checkpoint"}), nl=False)
    click.echo(f"store head: {answer['basis']['store_seq']}")


@projections.command()
@click.argument("name", required=False, type=click.Choice(list(REGISTRY)))
@click.pass_context
def rebuild(ctx: click.Context, name: str | None) -> None:
    """Recompute one read-model table (or all) from the log, as of today.

    What it is doing, and how long each step took, goes to stderr as it
    goes (a minute or two for a million events); the last line, on stdout,
    says what was rebuilt and at which sequence number.

    \b
    Example:
        chronicle projections rebuild
        chronicle projections rebuild talent
        chronicle projections rebuild 2>/dev/null
    """
    names = [name] if name else list(REGISTRY)
    store = store_from(ctx)

    def say(line: str) -> None:
        click.echo(f"  {line}", err=True)

    if "models" in names:
        started = time.perf_counter()
        modelvalues.catch_up(store, rebuild=True)  # the models' values table too, from scratch
        say(f"model values refolded from the log in {time.perf_counter() - started:.1f} s")
    seq = readmodels.refresh(store, names, progress=say)
    click.echo(f"rebuilt {', '.join('rm_' + n for n in names)} at sequence {seq}")
