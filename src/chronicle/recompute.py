"""``verify --deep``: the derived tables recomputed from the log beside the store, and compared.

The store is only read. Its documents, entities and events are copied into a
new SQLite database in a temporary folder, and chronicle's own code rebuilds
there each derived table as the store's checkpoint says it was made: from the
log up to the checkpoint's sequence number and, for a read-model table, as of
the checkpoint's day. Each table is then read from both databases in key
order, and the first row that differs is named by its key.

A table made by another version of its projection, or folded for other
entities than the store now holds, is not compared: chronicle itself remakes
it before using it (it is reported as "not current").
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from itertools import groupby
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from chronicle import modelvalues, readmodels, tables
from chronicle.projections import REGISTRY
from chronicle.projections.models import Models
from chronicle.store import Store, open_store

# Rows per insert into the scratch database.
_COPY_CHUNK = 5000


@dataclass(frozen=True)
class TableCheck:
    """One derived table against its recompute."""

    table: str
    rows: int
    #: "same", "differs" or "not current" (not compared).
    status: str
    #: The checkpoint it was recomputed at (None: the table has none).
    seq: int | None = None
    #: What differs, or why it was not compared.
    note: str | None = None
    #: The key of the first row that differs.
    key: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"table": self.table, "rows": self.rows, "status": self.status, "checkpoint_seq": self.seq,
                "note": self.note, "key": self.key}


@dataclass(frozen=True)
class _Target:
    """A derived table and how its checkpoint says it was made."""

    table: sa.Table
    seq: int
    cutoff: date | None  # read models: the day they are as of
    projection: str | None  # read models: the projection's name


def compare(store: Store, conn: sa.Connection) -> Iterator[TableCheck]:
    """Each derived table of ``store`` (read on ``conn``, one snapshot) against a recompute from its log."""
    targets, checks = _targets(store, conn)
    yield from checks
    if not targets:
        return
    with tempfile.TemporaryDirectory(prefix="chronicle-verify-") as folder:
        scratch = _Scratch(conn, Path(folder))
        try:
            for seq, same_seq in groupby(sorted(targets, key=lambda t: (t.seq, str(t.cutoff))), key=lambda t: t.seq):
                scratch.log_up_to(conn, seq)
                at = list(same_seq)
                if any(t.projection is None for t in at):
                    modelvalues.catch_up(scratch.store, rebuild=True)
                    yield from (_compare(conn, scratch.store, t) for t in at if t.projection is None)
                for cutoff, same_day in groupby((t for t in at if t.projection is not None), key=lambda t: t.cutoff):
                    day = list(same_day)
                    readmodels.refresh(scratch.store, [t.projection for t in day if t.projection], today=cutoff)
                    yield from (_compare(conn, scratch.store, t) for t in day)
        finally:
            scratch.store.close()


def _count(conn: sa.Connection, table: sa.Table) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def _targets(store: Store, conn: sa.Connection) -> tuple[list[_Target], list[TableCheck]]:
    """The tables to recompute, and the checks of those that are not to be."""
    targets: list[_Target] = []
    checks: list[TableCheck] = []

    def without(table: sa.Table, rows: int) -> None:
        checks.append(TableCheck(table.name, rows, "same", note="empty, never refreshed") if rows == 0 else
                      TableCheck(table.name, rows, "differs", note=f"{rows} rows but no checkpoint: chronicle did "
                                                                   "not write them"))

    points = {r.name: r for r in conn.execute(sa.select(tables.projection_checkpoints))}
    for name, table in readmodels.TABLES.items():
        point, rows = points.get(name), _count(conn, table)
        if point is None:
            without(table, rows)
        elif point.version != REGISTRY[name].version:
            checks.append(TableCheck(table.name, rows, "not current", int(point.seq),
                                     f"made by version {point.version} of the {name} projection, not "
                                     f"{REGISTRY[name].version}: chronicle remakes it at its next refresh"))
        else:
            targets.append(_Target(table, int(point.seq), point.cutoff, name))
    folds = {r.name: r for r in conn.execute(sa.select(tables.fold_checkpoints))}
    for name, table in ((modelvalues.NAME, tables.model_values), (modelvalues.ROWS, tables.model_rows)):
        point, rows = folds.get(name), _count(conn, table)
        if point is None:
            without(table, rows)
        elif point.version != Models.version or not _fold_current(store, conn, name, point.stamp):
            checks.append(TableCheck(table.name, rows, "not current", int(point.seq),
                                     "folded by another version or for other entities: chronicle refolds it "
                                     "before using it"))
        else:
            targets.append(_Target(table, int(point.seq), None, None))
    return targets, checks


def _fold_current(store: Store, conn: sa.Connection, name: str, stamp: str) -> bool:
    """Whether a fold's stamp is that of the entities the store holds now."""
    values_stamp, rows_stamp = modelvalues.stamps(store, {e.slug: e for e in store.entities(conn)})
    return stamp == (values_stamp if name == modelvalues.NAME else rows_stamp)


class _Scratch:
    """A new SQLite store in ``folder`` holding a copy of the documents and entities, and of the log
    as far as :meth:`log_up_to` took it."""

    def __init__(self, source: sa.Connection, folder: Path) -> None:
        self.store = open_store(str(folder / "recompute.db"))
        self.copied = 0
        for table in (tables.documents, tables.entities):
            self._copy(source, table, sa.select(table))

    def log_up_to(self, source: sa.Connection, seq: int) -> None:
        if seq > self.copied:
            e = tables.events.c
            self._copy(source, tables.events, sa.select(tables.events).where(e.seq > self.copied, e.seq <= seq)
                       .order_by(e.seq))
            self.copied = seq

    def _copy(self, source: sa.Connection, table: sa.Table, query: sa.Select[Any]) -> None:
        stamps = [c.name for c in table.columns if isinstance(c.type, sa.DateTime)]
        result = source.execution_options(stream_results=True, yield_per=_COPY_CHUNK).execute(query)
        with self.store.engine.begin() as into:
            for rows in result.mappings().partitions():
                into.execute(table.insert(), [_utc(row, stamps) for row in rows])


def _utc(row: Mapping[Any, Any], stamps: Sequence[str]) -> dict[str, Any]:
    """A row with its timestamps in UTC, as SQLite keeps them (PostgreSQL gives them in its own time zone)."""
    out = dict(row)
    for name in stamps:
        value = out[name]
        if isinstance(value, datetime) and value.tzinfo is not None:
            out[name] = value.astimezone(timezone.utc).replace(tzinfo=None)
    return out


def _compare(stored: sa.Connection, scratch: Store, target: _Target) -> TableCheck:
    """The stored table against the recomputed one: both read in key order, the first difference named."""
    table = target.table
    keys = list(table.primary_key.columns)
    with scratch.engine.connect() as rebuilt:
        mine = _ordered(stored, table, keys)
        theirs = _ordered(rebuilt, table, keys)
        rows, note, key = 0, None, None
        row, other = next(mine, None), next(theirs, None)
        while row is not None or other is not None:
            here = None if row is None else tuple(row[c.name] for c in keys)
            there = None if other is None else tuple(other[c.name] for c in keys)
            if there is None or (here is not None and here < there):
                note, key = "should not be there: the log makes no such row", _key(keys, here)
            elif here is None or there < here:
                note, key = "is missing: the log makes it", _key(keys, there)
            else:
                assert row is not None and other is not None
                column = next((c.name for c in table.columns if row[c.name] != other[c.name]), None)
                if column is not None:
                    was, made = _where_they_differ(row[column], other[column])
                    note, key = f"differs in {column}: stored {was}, the log makes {made}", _key(keys, here)
            if note is not None:
                break
            rows += 1
            row, other = next(mine, None), next(theirs, None)
    if note is not None:
        return TableCheck(table.name, _count(stored, table), "differs", target.seq, f"row {key} {note}", key)
    return TableCheck(table.name, rows, "same", target.seq)


def _ordered(conn: sa.Connection, table: sa.Table, keys: Sequence[sa.Column[Any]]) -> Iterator[Mapping[Any, Any]]:
    # Text keys in byte order on both databases (SQLite's BINARY is PostgreSQL's "C"),
    # which is also the order Python compares them in.
    order = [c.collate("C") if conn.dialect.name == "postgresql" and isinstance(c.type, sa.String) else c
             for c in keys]
    result = conn.execution_options(stream_results=True, yield_per=_COPY_CHUNK).execute(
        sa.select(table).order_by(*order))
    yield from result.mappings()


def _key(keys: Sequence[sa.Column[Any]], values: tuple[Any, ...] | None) -> str:
    assert values is not None
    return ", ".join(f"{c.name}={v}" for c, v in zip(keys, values, strict=True))


#: Characters of a long text shown around its first difference.
_AROUND = 24


def _where_they_differ(stored: Any, made: Any) -> tuple[str, str]:
    """Both values as a person reads them: long texts cut down to where they part."""
    if not (isinstance(stored, str) and isinstance(made, str)) or max(len(stored), len(made)) <= 2 * _AROUND:
        return repr(stored), repr(made)
    at = next((i for i, (a, b) in enumerate(zip(stored, made)) if a != b), min(len(stored), len(made)))
    start = max(0, at - _AROUND)

    def cut(text: str) -> str:
        part = text[start:at + _AROUND]
        return ("…" if start else "") + repr(part) + ("…" if at + _AROUND < len(text) else "")

    return cut(stored), cut(made)
