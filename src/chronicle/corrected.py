"""What the correction events in a log say: which claims answers leave out or rank.

Kept apart from :mod:`chronicle.corrections` (which appends corrections
through the store), so that the store's own reads can follow them too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


class Correcting(Protocol):
    """What :func:`read_corrections` reads of a correction event (an :class:`~chronicle.events.Event` has it)."""

    @property
    def type(self) -> str: ...
    @property
    def facts(self) -> Mapping[str, Any]: ...
    @property
    def seq(self) -> int | None: ...


@dataclass
class Corrections:
    """What the correction events in a log say, latest decision first."""

    retracted: dict[str, str] = field(default_factory=dict)  # event id -> reason
    ranks: dict[str, tuple[str, str]] = field(default_factory=dict)  # event id -> (rank, reason)

    def out_of_answers(self) -> set[str]:
        """The claims no answer shows: retracted, superseded or deprecated."""
        return set(self.retracted) | {k for k, (rank, _) in self.ranks.items() if rank == "deprecated"}


def read_corrections(events: Iterable[Correcting]) -> Corrections:
    """Fold correction events in sequence order; a later ranking replaces an earlier one."""
    out = Corrections()
    for event in sorted(events, key=lambda e: e.seq or 0):
        facts = event.facts
        if event.type == "event_retracted":
            out.retracted[facts["target"]] = facts["reason"]
        elif event.type == "event_superseded":
            out.retracted[facts["target"]] = f"superseded by {facts['replacement']}: {facts['reason']}"
        elif event.type == "claim_ranked":
            out.ranks[facts["target"]] = (facts["rank_value"], facts["reason"])
    return out
