"""The ``chronicle`` command line: a thin translator over the library.

Commands live in one module per area and are registered here. No SQL, YAML
or business rule belongs in the CLI: each command parses its options, calls
one library function and renders the result.
"""

from __future__ import annotations

import re
import sys
from typing import Any

import click

from chronicle.errors import ChronicleError
from chronicle.render import printable


class ChronicleGroup(click.Group):
    """Turns every ChronicleError into one ``Error: ...`` line and exit 1; a date given
    as an argument where the cutoff is ``--as-of`` is told so. Errors quote what
    they were given (a title, a value), so they are ``printable``."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ChronicleError as exc:
            click.echo(f"Error: {printable(exc.message)}", err=True)
            if exc.hint:
                click.echo(f"Hint: {printable(exc.hint)}", err=True)
            ctx.exit(1)
        except click.UsageError as exc:
            raise _printable(_with_cutoff_hint(exc)) from None

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            raise _printable(exc) from None


def _printable(exc: click.UsageError) -> click.UsageError:
    """The usage error, its message ``printable`` (click quotes some values raw: extra arguments)."""
    text = exc.format_message()
    return exc if printable(text) == text else click.UsageError(printable(text), exc.ctx)


_EXTRA = re.compile(r"Got unexpected extra argument \((\S+)\)")


def _with_cutoff_hint(exc: click.UsageError) -> click.UsageError:
    """A date given as an argument to a command that takes its cutoff as ``--as-of`` says so."""
    command = exc.ctx.command if exc.ctx is not None else None
    extra = _EXTRA.fullmatch(exc.message)
    if command is None or extra is None or not any("--as-of" in getattr(p, "opts", ()) for p in command.params):
        return exc
    return click.UsageError(f"{exc.message}; {command.name} takes its cutoff as an option: --as-of {extra.group(1)}",
                            exc.ctx)


# color=True: click must not strip escape sequences from what it prints. People's
# formats carry none (render.printable); a machine format carries the stored text
# exactly (JSON escapes it, --raw-csv asks for it), whether stdout is a terminal or a pipe.
@click.group(cls=ChronicleGroup, context_settings={"help_option_names": ["-h", "--help"], "color": True})
@click.version_option(package_name="chronicle")
@click.option(
    "--db",
    "db_url",
    envvar="CHRONICLE_DB",
    default=None,
    metavar="URL",
    help="Store URL or SQLite file (default: $CHRONICLE_DB, else ./chronicle.db).",
)
@click.pass_context
def main(ctx: click.Context, db_url: str | None) -> None:
    """chronicle: a timeline of dated, sourced events, and what it says at any date.

    \b
    Example:
        chronicle ingest events/
        chronicle as-of 2025-06
    """
    ctx.ensure_object(dict)
    ctx.obj["db_url"] = db_url


def _register() -> None:
    # Imported here so that each command module can import `main`'s helpers
    # without an import cycle. One module a line, in order.
    from chronicle.cli import admin  # noqa: F401
    from chronicle.cli import catalog  # noqa: F401
    from chronicle.cli import export  # noqa: F401
    from chronicle.cli import extract  # noqa: F401
    from chronicle.cli import importing  # noqa: F401
    from chronicle.cli import ingest  # noqa: F401
    from chronicle.cli import log  # noqa: F401
    from chronicle.cli import projections  # noqa: F401
    from chronicle.cli import query  # noqa: F401
    from chronicle.cli import serve  # noqa: F401
    from chronicle.cli import timeline  # noqa: F401
    from chronicle.cli import when  # noqa: F401


_register()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
