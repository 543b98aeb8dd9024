"""What the correction events of a log decide: which claims are retracted, superseded or ranked.

A pure fold over correction events, apart from :mod:`chronicle.corrected`
(which applies them to answers through the store), so that the store's own
reads (the starts of :mod:`chronicle.floors`) can follow them too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from chronicle.events import CORRECTION_TYPES


class Correcting(Protocol):
    """What :func:`read_corrections` reads of a correction event (an :class:`~chronicle.events.Event` has it)."""

    @property
    def event_id(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def facts(self) -> Mapping[str, Any]: ...
    @property
    def seq(self) -> int | None: ...


RETRACTED, SUPERSEDED, DEPRECATED, OUTRANKED = "retracted", "superseded", "deprecated", "outranked"


@dataclass
class Corrections:
    """What the correction events in a log say, latest decision first."""

    retracted: dict[str, str] = field(default_factory=dict)  # event id -> reason (retracted or superseded)
    ranks: dict[str, tuple[str, str]] = field(default_factory=dict)  # event id -> (rank, reason)
    superseded: dict[str, str] = field(default_factory=dict)  # event id -> the claim that replaces it
    retracted_by: dict[str, str] = field(default_factory=dict)  # event id -> its retraction or supersession
    ranked_by: dict[str, str] = field(default_factory=dict)  # event id -> its ranking in force
    outranked: dict[str, str] = field(default_factory=dict)  # event id -> the preferred claim it disagrees with

    @property
    def left_out(self) -> frozenset[str]:
        """The claims no projection shows: retracted, superseded, deprecated or outranked."""
        deprecated = {k for k, (rank, _) in self.ranks.items() if rank == DEPRECATED}
        return frozenset(self.retracted.keys() | deprecated | self.outranked.keys())

    def why(self, event_id: str) -> tuple[str, str, str] | None:
        """Why a claim is left out: (kind, reason, the correction event), or None when it is not."""
        if event_id in self.retracted:
            kind = SUPERSEDED if event_id in self.superseded else RETRACTED
            return kind, self.retracted[event_id], self.retracted_by[event_id]
        rank = self.ranks.get(event_id)
        if rank is not None and rank[0] == DEPRECATED:
            return DEPRECATED, rank[1], self.ranked_by[event_id]
        preferred = self.outranked.get(event_id)
        if preferred is not None:
            return OUTRANKED, f"{preferred} is preferred: {self.ranks[preferred][1]}", self.ranked_by[preferred]
        return None


def read_corrections(events: Iterable[Correcting]) -> Corrections:
    """Fold correction events in sequence order; a later ranking replaces an earlier one."""
    out = Corrections()
    for event in sorted(events, key=lambda e: e.seq or 0):
        facts = event.facts
        if event.type not in CORRECTION_TYPES:
            continue
        target: str = facts["target"]
        if event.type == "event_retracted":
            out.retracted[target] = facts["reason"]
            out.retracted_by[target] = event.event_id
            out.superseded.pop(target, None)
        elif event.type == "event_superseded":
            out.retracted[target] = f"superseded by {facts['replacement']}: {facts['reason']}"
            out.retracted_by[target] = event.event_id
            out.superseded[target] = facts["replacement"]
        elif event.type == "claim_ranked":
            out.ranks[target] = (facts["rank_value"], facts["reason"])
            out.ranked_by[target] = event.event_id
    return out
