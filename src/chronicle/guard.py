"""The engine's leave to rewrite derived tables.

The read-model tables, the models' folded values and rows and their
checkpoints (``tables.DERIVED``) are recomputed from the log by chronicle
alone. Triggers refuse an UPDATE, DELETE (and on PostgreSQL a TRUNCATE) of
them unless the transaction holds this leave, which chronicle takes inside its
own write transactions:

* PostgreSQL: the transaction-local setting ``chronicle.engine = 'on'``,
  which the trigger function reads; it ends with the transaction.
* SQLite has no such setting: the one row of ``engine_guard`` is switched on
  and off again inside the writer's own transaction. SQLite has one writer at
  a time and other connections see only committed rows, so no one else ever
  sees it on; a transaction that fails is rolled back, leave and all.

This stops accidents and casual edits (a SQL client, a script), not someone
who drops the triggers: ``chronicle verify --deep`` is the real check.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from chronicle.tables import engine_guard

_DEPTH = "chronicle.derived_writes"
_SETTING = sa.text("SELECT set_config('chronicle.engine', :value, true)")


@contextmanager
def derived_writes(conn: sa.Connection) -> Iterator[None]:
    """Let the code inside rewrite derived tables, in the write transaction open on ``conn``.

    Nested uses on one connection share the leave: the outermost gives it back.
    """
    depth = conn.info.get(_DEPTH, 0)
    if depth == 0:
        _switch(conn, True)
    conn.info[_DEPTH] = depth + 1
    try:
        yield
    finally:
        conn.info[_DEPTH] = depth
    # Not reached on an exception: the transaction is then rolled back, and the leave with it.
    if depth == 0:
        _switch(conn, False)


def _switch(conn: sa.Connection, on: bool) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(_SETTING, {"value": "on" if on else "off"})
    elif conn.execute(engine_guard.update().values(writing=on)).rowcount == 0:
        # Its row deleted by hand (which would refuse chronicle too): put it back.
        conn.execute(engine_guard.insert().values(id=1, writing=on))
