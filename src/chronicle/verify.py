"""Checking the store: the log's sequence and hash chain, the records the store keeps
of itself (its heads, the seals of documents and entities: see seals.py), a head
recorded elsewhere, and with ``deep`` the derived tables against a recompute.

Everything is read in one snapshot, and nothing is written: ``verify`` works on
a read-only store. The first problem found is reported, naming its row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from chronicle.hashchain import GENESIS, row_hash, seal_hash
from chronicle.seals import SEALED
from chronicle.store import Store
from chronicle.tables import events as events_t
from chronicle.tables import log_heads, seals

if TYPE_CHECKING:
    from chronicle.recompute import TableCheck

#: How a head is written, in ``verify``'s output and for ``--expect-head``.
HEAD_FORM = "SEQ:HASH"
_HEAD = re.compile(r"(\d+):([0-9a-f]{64})")
_RESTORE = "the store was changed outside chronicle; restore the database from a backup"
_REBUILD = ("a derived table was changed outside chronicle; `chronicle projections rebuild` recomputes them "
            "from the log")


@dataclass(frozen=True)
class Head:
    """A point of the log: the event at ``seq`` and its hash."""

    seq: int
    hash: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"


def parse_head(text: str) -> Head:
    """A head written as ``SEQ:HASH`` (what ``verify`` prints); ValueError when it is not."""
    found = _HEAD.fullmatch(text.strip().lower())
    if found is None:
        raise ValueError(f"{text!r} is not a head: expected {HEAD_FORM}, a sequence number, a colon and the "
                         "64 hex digits of that event's hash, as `chronicle verify` prints it after 'head'")
    return Head(int(found.group(1)), found.group(2))


@dataclass(frozen=True)
class VerifyReport:
    events: int
    head_seq: int
    head_hash: str
    problem: str | None = None
    bad_seq: int | None = None
    #: The last head the store recorded (seals.py).
    recorded_seq: int = 0
    documents: int = 0
    entities: int = 0
    expected_head: Head | None = None
    #: Each derived table against its recompute; None when not asked (``deep``).
    derived: tuple[TableCheck, ...] | None = None
    #: Where the problem is, when it is not an event: a table and the row's key.
    bad_table: str | None = None
    bad_key: str | None = None
    hint: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def head(self) -> Head:
        return Head(self.head_seq, self.head_hash)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "chronicle.verify/2", "basis": {"store_seq": self.head_seq}, "ok": self.ok, "events": self.events,
            "head_seq": self.head_seq, "head_hash": self.head_hash, "head": str(self.head),
            "recorded_seq": self.recorded_seq, "documents": self.documents, "entities": self.entities,
            "expected_head": None if self.expected_head is None else str(self.expected_head),
            "derived": None if self.derived is None else [check.to_dict() for check in self.derived],
            "problem": self.problem, "bad_seq": self.bad_seq, "bad_table": self.bad_table, "bad_key": self.bad_key,
        }


def verify(store: Store, *, expect_head: Head | None = None, deep: bool = False) -> VerifyReport:
    """Check the log, the store's records of itself and, with ``expect_head``, a head kept
    elsewhere; with ``deep``, recompute the derived tables and compare. Stops at the first problem."""
    with _snapshot(store) as conn:
        recorded = {int(seq): digest for seq, digest in conn.execute(sa.select(log_heads.c.seq, log_heads.c.hash))}
        report = _chain(conn, recorded, expect_head)
        if report.ok:
            report = _ends(report, max(recorded, default=0), expect_head)
        if report.ok:
            report = _sealed(conn, report)
        if report.ok and deep:
            # Imported here: plain verify need not load the projections.
            from chronicle.recompute import compare

            checks = tuple(compare(store, conn))
            report = replace(report, derived=checks)
            bad = next((c for c in checks if c.status == "differs"), None)
            if bad is not None:
                report = replace(report, problem=f"{bad.table}: {bad.note}", bad_table=bad.table,
                                 bad_key=bad.key, hint=_REBUILD)
    return report


@contextmanager
def _snapshot(store: Store) -> Iterator[sa.Connection]:
    """One read transaction, so that the checks see one state of the store."""
    with store.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn


def _chain(conn: sa.Connection, recorded: dict[int, str], expect: Head | None) -> VerifyReport:
    """Recompute the chain over every row, in sequence order; stop at the first break."""
    expected_seq, prev, count = 1, GENESIS, 0

    def broken(problem: str, bad: int, last: int | None = None) -> VerifyReport:
        return VerifyReport(count, expected_seq - 1 if last is None else last, prev, problem, bad, hint=_RESTORE)

    rows = conn.execution_options(stream_results=True, yield_per=5000).execute(
        sa.select(events_t).order_by(events_t.c.seq)
    )
    for row in rows.mappings():
        seq, name = row["seq"], row["event_id"]
        if seq < 1:
            return broken(f"seq {seq} ({name}) is no sequence number chronicle gives (they start at 1): "
                          "the row was inserted outside chronicle", seq)
        if seq != expected_seq:
            missing = f"seq {expected_seq}" if seq == expected_seq + 1 else f"seq {expected_seq}-{seq - 1}"
            return broken(f"the sequence has a hole: {missing} missing before seq {seq} ({name})", expected_seq)
        if row["prev_hash"] != prev:
            return broken(f"seq {seq} ({name}) does not follow seq {seq - 1}: its prev_hash differs "
                          "(a row was replaced)", seq)
        digest = row_hash(prev, dict(row))
        if digest != row["hash"]:
            return broken(f"seq {seq} ({name}) was edited: its contents do not match its hash", seq)
        if seq in recorded and recorded[seq] != digest:
            return broken(f"seq {seq} ({name}) is not the event the store recorded at its head when it was "
                          "appended: the chain was rewritten up to there", seq)
        if expect is not None and seq == expect.seq and expect.hash != digest:
            return broken(f"seq {seq} ({name}) has hash {digest}, not the expected head's {expect.hash}: "
                          "the log was rewritten up to there", seq)
        prev, expected_seq, count = digest, expected_seq + 1, count + 1
    return VerifyReport(count, expected_seq - 1, prev)


def _ends(report: VerifyReport, recorded: int, expect: Head | None) -> VerifyReport:
    """The log's end against the last head the store recorded and the expected head."""
    end = report.head_seq
    report = replace(report, recorded_seq=recorded, expected_head=expect)
    problem, bad = None, end + 1
    if recorded > end:
        problem = f"the log ends at seq {end} but the store recorded seq {recorded}: events were cut from its end"
    elif end > recorded:
        extra = f"seq {end} was" if end == recorded + 1 else f"seq {recorded + 1}-{end} were"
        problem = (f"the log goes on past seq {recorded}, the last head the store recorded, to seq {end}: "
                   f"{extra} not appended by chronicle")
        bad = recorded + 1
    elif expect is not None and expect.seq > end:
        problem = (f"the log ends at seq {end}, before the expected head at seq {expect.seq}: "
                   "events were cut from its end")
    return report if problem is None else replace(report, problem=problem, bad_seq=bad, hint=_RESTORE)


#: What verify says of a sealed row, by kind: edited, unsealed, gone.
_SAID = {
    "document": ("was edited: its row does not match the seal chronicle wrote when it stored it",
                 "has no seal: chronicle did not store it", "was removed: chronicle had stored it"),
    "entity": ("was changed outside chronicle: its row does not match the state chronicle last wrote",
               "has no seal: chronicle did not add it", "was removed: chronicle had added it"),
}


def _sealed(conn: sa.Connection, report: VerifyReport) -> VerifyReport:
    """Every document and entity against its latest seal."""
    latest: dict[str, dict[str, str]] = {kind: {} for kind in SEALED}
    for kind, key, digest in conn.execute(sa.select(seals.c.kind, seals.c.key, seals.c.hash).order_by(seals.c.id)):
        latest.setdefault(kind, {})[key] = digest
    counts: dict[str, int] = {}
    for kind, (table, key) in SEALED.items():
        rows = {row[key.name]: row for row in conn.execute(sa.select(table)).mappings()}
        counts[kind] = len(rows)
        sealed = latest[kind]
        edited, unsealed, gone = _SAID[kind]
        for name in sorted(rows.keys() | sealed.keys()):
            row, seal = rows.get(name), sealed.get(name)
            if row is None or seal is None:
                said: str | None = gone if row is None else unsealed
            else:
                said = edited if seal_hash(kind, row) != seal else None
            if said is not None:
                return replace(report, documents=counts.get("document", 0), entities=counts.get("entity", 0),
                               problem=f"{kind} {name} {said}", bad_table=table.name, bad_key=name, hint=_RESTORE)
    return replace(report, documents=counts["document"], entities=counts["entity"])



def verify_text(report: VerifyReport) -> str:
    """What a person reads of a report that found no problem, a line per check."""
    lines = [f"ok: {report.events} events, sequence 1..{report.head_seq} without holes, hash chain intact "
             f"(head {report.head})",
             f"ok: the log ends at the head the store recorded; {report.documents} documents and "
             f"{report.entities} entities as chronicle wrote them"]
    if report.expected_head is not None:
        lines.append(f"ok: the log holds the expected head {report.expected_head}")
    for check in report.derived or ():
        at = "" if check.seq is None else f" (checkpoint seq {check.seq})"
        said = "as the log makes them" if check.note is None else check.note
        lines.append(f"{'ok' if check.status == 'same' else check.status}: {check.table}, {check.rows} rows "
                     f"{said}{at}")
    return "".join(f"{line}\n" for line in lines)
