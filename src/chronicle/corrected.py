"""The corrections in effect: which claims every answer leaves out, and why.

One place applies corrections, and every path that answers (as-of, diff,
conflicts, talent, timeline, exports, the read-model tables, HTTP, the
models' stored rows) asks it. A claim is left out of every projection when
it is retracted, superseded by an analyst's correction, ranked deprecated,
or outranked: it disagrees with a claim ranked preferred (the conflict is
settled, and the answer follows the preferred claim). ``conflicts`` still
lists a settled conflict with all of its claims, ranks beside them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from chronicle.conflicts import rivals
from chronicle.decisions import DEPRECATED, OUTRANKED, RETRACTED, SUPERSEDED, Corrections, read_corrections
from chronicle.events import CORRECTION_TYPES, Event
from chronicle.projections.base import Context
from chronicle.reading import read_date
from chronicle.store import LogFilter, Store

__all__ = ["DEPRECATED", "OUTRANKED", "RETRACTED", "SUPERSEDED", "Corrections", "InEffect", "applied", "documents_of",
           "in_effect", "read_corrections"]


@dataclass
class InEffect:
    """A log's corrections up to one sequence number, with what applying them needs.

    ``claims`` are the events of the subjects of claims ever ranked preferred
    (their dates as answers read them): among them are the claims a
    preferred one outranks.
    """

    store_seq: int
    events: list[Event]
    claims: dict[str, list[Event]]
    targets: dict[str, Event]
    _whole: Corrections | None = None
    _by_id: dict[str, Event] | None = None

    def claim(self, event_id: str) -> Event | None:
        """A claim that corrections may leave out: a correction's target, or a claim a preferred one may outrank."""
        if self._by_id is None:
            self._by_id = {e.event_id: e for items in self.claims.values() for e in items} | self.targets
        return self._by_id.get(event_id)

    def seen(self, known: Callable[[Event], bool] | None = None) -> Corrections:
        """The corrections an analyst could know of (``known`` says which correction events); None: all."""
        if known is None:
            if self._whole is None:
                self._whole = self._read(self.events)
            return self._whole
        return self._read([e for e in self.events if known(e)])

    def _read(self, events: list[Event]) -> Corrections:
        found = read_corrections(events)
        for preferred, (rank, _) in sorted(found.ranks.items()):
            claim = self.targets.get(preferred)
            if rank != "preferred" or claim is None or preferred in found.retracted:
                continue
            for rival in sorted(rivals(claim, self.claims.get(claim.subject, ()))):
                if found.ranks.get(rival, ("normal",))[0] != "preferred":
                    found.outranked.setdefault(rival, preferred)
        return found

    def touching(self, corrections: Corrections, shows: Callable[[Event], bool]) -> list[dict[str, Any]]:
        """The corrections of claims that would stand in an answer (``shows``), one entry per claim."""
        out = []
        for event_id in sorted(corrections.left_out):
            claim = self.claim(event_id)
            why = corrections.why(event_id)
            if claim is None or why is None or not shows(claim):
                continue
            kind, reason, by = why
            entry = {"event": event_id, "correction": kind, "reason": reason, "by": by}
            if kind == SUPERSEDED:
                entry["replacement"] = corrections.superseded[event_id]
            out.append(entry)
        return out


def in_effect(store: Store, upto: int) -> InEffect:
    """The corrections of the log up to ``upto``: the one reading of them that every answer applies.

    Kept on the store between answers: the log is append-only, so what it
    says up to a sequence number never changes.
    """
    cached = store.cache.get("corrections")
    if cached is not None and cached.store_seq == upto:
        return cached  # type: ignore[no-any-return]
    events = list(store.read(LogFilter(at_seq=upto, types=tuple(sorted(CORRECTION_TYPES)))))
    ids = {e.facts["target"] for e in events if "target" in e.facts}
    # Claims as answers read them (an undated state holds as of its source's date).
    targets = {k: replace(e, when=read_date(e.type, e.when, e.stance)) for k, e in store.events_by_id(ids).items()}
    preferred = {targets[e.facts["target"]].subject for e in events
                 if e.type == "claim_ranked" and e.facts.get("rank_value") == "preferred" and e.facts["target"] in targets}
    claims: dict[str, list[Event]] = {}
    if preferred:
        for event in store.read(LogFilter(at_seq=upto, subjects=tuple(sorted(preferred))), reading=True):
            if event.type not in CORRECTION_TYPES:
                claims.setdefault(event.subject, []).append(event)
    found = InEffect(upto, events, claims, targets)
    store.cache["corrections"] = found
    return found


def documents_of(found: InEffect) -> set[str]:
    """The documents of the correction events and of the claims they may leave out (knowledge time needs them)."""
    return ({e.document for e in found.events} | {e.document for e in found.targets.values()}
            | {e.document for items in found.claims.values() for e in items})


def applied(ctx: Context, corrections: Corrections) -> Context:
    """``ctx`` with ``corrections`` in it: what every projection's rows leave out, and the ranks conflicts show."""
    return replace(ctx, retracted=corrections.retracted, ranks=corrections.ranks, left_out=corrections.left_out)
