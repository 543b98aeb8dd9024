"""Alembic environment: runs on a connection chronicle hands over, or on a URL.

chronicle migrates in-process by putting a connection in
``config.attributes["connection"]``; run by hand, the URL comes from
``-x db=URL``, else ``$CHRONICLE_DB``, else ``./chronicle.db``.
"""

from __future__ import annotations

from alembic import context

from chronicle.database import resolve_url, create_engine
from chronicle.tables import metadata

config = context.config


def run_on(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_on(connection)
else:
    url = resolve_url(context.get_x_argument(as_dictionary=True).get("db"))
    engine = create_engine(url)
    with engine.connect() as conn:
        run_on(conn)
        conn.commit()
    engine.dispose()
