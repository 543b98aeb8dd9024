"""The store's own record of what it holds, so that an edit made outside chronicle shows.

The events are chained by hash (hashchain.py): a row edited, removed or
inserted inside the log breaks the chain. Three things the chain alone does
not show are recorded beside it, each in the same transaction as the change
it records, in tables that are append-only like the log (triggers refuse
UPDATE and DELETE):

* **The head.** Every append transaction writes the head it leaves (the last
  event's seq and hash) to ``log_heads``. ``verify`` then finds a log that
  ends before the last recorded head (rows cut from its end), one that goes on
  past it (rows added outside chronicle), and a recorded head whose event now
  has another hash (a chain rewritten from some row on). An append refuses to
  go on from a log shorter than its record.
* **Documents**, immutable once stored: the transaction that stores one also
  writes its seal, the SHA-256 of its row as stored (``hashchain.seal_hash``),
  to ``seals``.
* **Entities**, reference data that an ingest may refresh: every change the
  engine makes to one (added or refreshed) writes a new seal of its row in
  the same transaction; the latest seal is the state the engine left.

``verify`` hashes every document and entity and names the first whose row
does not match its latest seal, has none (inserted outside chronicle) or is
gone (removed). Seals are written only for the rows the engine itself has just
written, read back from the database, never for whatever is found unsealed:
so a later engine write never makes an outside edit look legitimate.

Why not one digest of all documents and entities per append: it must either
be recomputed from every row (an outside edit made before the append would
be taken in) or kept as a sum updated by the engine's changes (which cannot
say which row was edited). A seal per row costs an append only its own new
rows and lets ``verify`` name the row.

Limits: these records live in the same database. Whoever rewrites a row and
its record alike (the chain from a row on and the heads, or a document and
its seal) is caught only by a head kept elsewhere: ``verify --expect-head
SEQ:HASH`` checks the log against one (documents and entities are not part
of the chain, so it does not cover them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timezone

import sqlalchemy as sa

from chronicle.errors import StoreError
from chronicle.hashchain import seal_hash
from chronicle.tables import documents, entities, events, log_heads, seals

#: The tables sealed, by kind of seal, with their key column.
SEALED: Mapping[str, tuple[sa.Table, sa.Column[str]]] = {
    "document": (documents, documents.c.id),
    "entity": (entities, entities.c.slug),
}
# Keys per IN (...): well under SQLite's bound-parameter limit.
_CHUNK = 500


# Built once: every append runs them.
_LAST_EVENT = sa.select(events.c.seq, events.c.hash).order_by(events.c.seq.desc()).limit(1)
#: The head recorded last, and the hash of the event now at its seq (None when it is gone).
_LAST_RECORDED = (
    sa.select(log_heads.c.seq, log_heads.c.hash, events.c.hash.label("found"))
    .select_from(log_heads.outerjoin(events, events.c.seq == log_heads.c.seq))
    .order_by(log_heads.c.seq.desc()).limit(1)
)
_INSERT_HEAD = log_heads.insert()


def record(conn: sa.Connection, *, documents: Iterable[str] = (), entities: Iterable[str] = ()) -> None:
    """Record what the write transaction open on ``conn`` did: seals of the ``documents`` and
    ``entities`` it stored or changed, and the head it leaves. Call it last, before the commit.

    Raises :class:`StoreError` (and so rolls the transaction back) when the log
    no longer holds the head the store recorded last: nothing is added to a
    cut or rewritten log.
    """
    now = datetime.now(timezone.utc)
    for kind, keys in (("document", documents), ("entity", entities)):
        _seal(conn, kind, sorted(set(keys)), now)
    recorded = conn.execute(_LAST_RECORDED).first()
    # The transaction's own events come after it: the head recorded last must still be in the log.
    if recorded is not None and recorded.found != recorded.hash:
        raise StoreError(f"the log no longer holds the head the store recorded at seq {recorded.seq}: events "
                         "were cut from its end or rewritten; nothing was written",
                         "run `chronicle verify`; restore the database from a backup")
    last = conn.execute(_LAST_EVENT).first()
    if last is not None and (recorded is None or last.seq > recorded.seq):
        conn.execute(_INSERT_HEAD, {"seq": last.seq, "hash": last.hash, "recorded_at": now})


def _seal(conn: sa.Connection, kind: str, keys: list[str], now: datetime) -> None:
    if not keys:
        return
    table, key = SEALED[kind]
    for start in range(0, len(keys), _CHUNK):
        # Read back: the seal is of the row as stored, which is what verify reads.
        rows = conn.execute(sa.select(table).where(key.in_(keys[start:start + _CHUNK]))).mappings().all()
        if rows:
            conn.execute(seals.insert(), [
                {"kind": kind, "key": row[key.name], "hash": seal_hash(kind, row), "recorded_at": now} for row in rows
            ])
