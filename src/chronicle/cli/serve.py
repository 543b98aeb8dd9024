"""`chronicle serve`: the read-only HTTP JSON API."""

from __future__ import annotations

import click

from chronicle.cli import main
from chronicle.cli.common import store_from
from chronicle.errors import ChronicleError


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on (the default answers this machine only).")
@click.option("--port", type=click.IntRange(0, 65535), default=8700, show_default=True, help="Port to listen on.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Serve read-only JSON over HTTP: as-of, diff, events, projections, conflicts, documents, entities.

    The OpenAPI description is at /openapi.json. Needs the serve extra:
    pip install 'chronicle[serve]'.

    \b
    Example:
        chronicle serve --port 8700
        curl 'http://127.0.0.1:8700/as-of/2025-06?projection=models&country=CN'
    """
    try:
        import uvicorn

        from chronicle.web import create_app, listen
    except ImportError as exc:
        raise ChronicleError(f"chronicle serve needs {exc.name}", "pip install 'chronicle[serve]'") from exc
    store = store_from(ctx)  # a missing store is an error now, not at the first request
    sock = listen(host, port)  # and so is a port in use: nothing is announced before both are sure
    port = sock.getsockname()[1]  # --port 0: the one the system chose
    click.echo(f"chronicle: serving {store.url} on http://{host}:{port} (Ctrl-C stops)", err=True)
    server = uvicorn.Server(uvicorn.Config(create_app(store), host=host, port=port, log_level="warning"))
    server.run(sockets=[sock])
