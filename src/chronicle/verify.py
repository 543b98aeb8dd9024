"""Checking the log: a gap-free sequence and an unbroken hash chain."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from chronicle.hashchain import GENESIS, row_hash
from chronicle.store import Store
from chronicle.tables import events as events_t


@dataclass(frozen=True)
class VerifyReport:
    events: int
    head_seq: int
    head_hash: str
    problem: str | None = None
    bad_seq: int | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "chronicle.verify/1", "basis": {"store_seq": self.head_seq}, "ok": self.ok, "events": self.events,
            "head_seq": self.head_seq, "head_hash": self.head_hash,
            "problem": self.problem, "bad_seq": self.bad_seq,
        }


def verify(store: Store) -> VerifyReport:
    """Recompute the chain over every row, in sequence order; stop at the first break."""
    expected_seq, prev, count = 1, GENESIS, 0
    with store.engine.connect() as conn:
        rows = conn.execution_options(stream_results=True, yield_per=5000).execute(
            sa.select(events_t).order_by(events_t.c.seq)
        )
        for row in rows.mappings():
            seq, name = row["seq"], row["event_id"]
            if seq != expected_seq:
                missing = f"seq {expected_seq}" if seq == expected_seq + 1 else f"seq {expected_seq}-{seq - 1}"
                return VerifyReport(count, expected_seq - 1, prev,
                                    f"the sequence has a hole: {missing} missing before seq {seq} ({name})", expected_seq)
            if row["prev_hash"] != prev:
                return VerifyReport(count, seq - 1, prev,
                                    f"seq {seq} ({name}) does not follow seq {seq - 1}: its prev_hash differs "
                                    "(a row was replaced)", seq)
            digest = row_hash(prev, dict(row))
            if digest != row["hash"]:
                return VerifyReport(count, seq - 1, prev,
                                    f"seq {seq} ({name}) was edited: its contents do not match its hash", seq)
            prev, expected_seq, count = digest, expected_seq + 1, count + 1
    return VerifyReport(count, expected_seq - 1, prev)
