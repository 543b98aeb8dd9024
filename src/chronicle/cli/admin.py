"""`chronicle verify` and `chronicle db ...`: the store's health and schema."""

from __future__ import annotations

import click

from chronicle import database
from chronicle.cli import main
from chronicle.cli.common import format_option, store_from
from chronicle.errors import ChronicleError
from chronicle.render import dumps, render_rows


@main.command()
@format_option(("table", "json"))
@click.pass_context
def verify(ctx: click.Context, fmt: str) -> None:
    """Check the log: no holes in the sequence, an unbroken hash chain.

    Exits 1 naming the first bad row when any row was edited or removed.

    \b
    Example:
        chronicle verify
    """
    from chronicle.verify import verify as run_verify

    report = run_verify(store_from(ctx))
    if fmt == "json":
        click.echo(dumps(report.to_dict()))
    elif report.ok:
        click.echo(f"ok: {report.events} events, sequence 1..{report.head_seq} without holes, "
                   f"hash chain intact (head {report.head_hash})")
    if not report.ok:
        raise ChronicleError(f"verify failed: {report.problem}",
                             "the log was changed outside chronicle; restore the database from a backup")


@main.group()
def db() -> None:
    """The store's schema: migrate, show the current revision and the history.

    \b
    Example:
        chronicle db upgrade
        chronicle --db postgresql://user@host/chronicle db current
    """


def _engine(ctx: click.Context):  # type: ignore[no-untyped-def]
    engine = database.create_engine(database.resolve_url(ctx.find_root().obj.get("db_url")))
    ctx.call_on_close(engine.dispose)
    return engine


@db.command()
@click.option("--revision", default="head", show_default=True, help="Migrate to this revision.")
@click.pass_context
def upgrade(ctx: click.Context, revision: str) -> None:
    """Migrate the store to the latest schema (stores also migrate on first use).

    \b
    Example:
        chronicle db upgrade
    """
    engine = _engine(ctx)
    with database.opening(engine.url):
        database.upgrade(engine, revision)
        click.echo(f"at revision {database.current_revision(engine)}")


@db.command()
@click.pass_context
def current(ctx: click.Context) -> None:
    """Print the store's schema revision and the newest one chronicle knows.

    \b
    Example:
        chronicle db current
    """
    engine = _engine(ctx)
    with database.opening(engine.url):
        now = database.current_revision(engine)
    head = database.head_revision()
    click.echo(f"{now or '(empty)'}{' (head)' if now == head else f' (head is {head})'}")


@db.command()
@format_option(("table", "json"))
def history(fmt: str) -> None:
    """List the schema migrations, newest first.

    \b
    Example:
        chronicle db history
    """
    items = database.history()
    if fmt == "json":
        click.echo(dumps({"schema": "chronicle.migrations/1", "migrations": items}))
    else:
        click.echo(render_rows(items, ["revision", "down_revision", "message"], "table"), nl=False)
