"""`chronicle verify` and `chronicle db ...`: the store's health and schema."""

from __future__ import annotations

import click

from chronicle import database
from chronicle.cli import main
from chronicle.cli.common import format_option, store_from
from chronicle.errors import ChronicleError
from chronicle.render import dumps, render_rows
from chronicle.verify import HEAD_FORM, Head, parse_head, verify_text
from chronicle.verify import verify as run_verify


def _head(_ctx: click.Context, _param: click.Parameter, text: str | None) -> Head | None:
    if text is None:
        return None
    try:
        return parse_head(text)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@main.command()
@click.option("--deep", is_flag=True,
              help="Also recompute the derived tables (read models, stored model rows) from the log and compare.")
@click.option("--expect-head", metavar=HEAD_FORM, callback=_head,
              help="A head recorded earlier (as verify prints it): the event at SEQ must still have that hash.")
@format_option(("table", "json"))
@click.pass_context
def verify(ctx: click.Context, deep: bool, expect_head: Head | None, fmt: str) -> None:
    """Check the store: no holes in the sequence, an unbroken hash chain, the log
    ending at the head the store recorded, documents and entities as chronicle
    wrote them. Nothing is written: it works on a read-only store.

    Prints the head as SEQ:HASH: keep it elsewhere, and --expect-head checks
    later that the log still holds it. --deep recomputes the derived tables
    from the log in a temporary database and names the first row that differs.
    Exits 1 naming the first problem.

    \b
    Example:
        chronicle verify
        chronicle verify --deep --expect-head 182:cafce556...
    """
    report = run_verify(store_from(ctx), expect_head=expect_head, deep=deep)
    if fmt == "json":
        click.echo(dumps(report.to_dict()))
    elif report.ok:
        click.echo(verify_text(report), nl=False)
    if not report.ok:
        raise ChronicleError(f"verify failed: {report.problem}", report.hint)


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
