"""Corrections: retractions, supersessions and rankings, appended as new events.

History is never edited. A correction is an event of its own, from a document
of kind ``primary`` that stands for the analyst's decisions of one day, so
that ``--known-at`` and ``--at-seq`` see exactly the corrections made by then.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from chronicle.errors import ChronicleError
from chronicle.events import RANKS, Document, Event, Evidence, event_id
from chronicle.fuzzydate import parse
from chronicle.store import AppendResult, LogFilter, Store


def _document(day: date) -> Document:
    return Document(
        id=f"corrections-{day.isoformat()}", title=f"Analyst corrections of {day.isoformat()}",
        publisher=None, url=None, published=parse(day.isoformat()), window=None, sha256=None,
        text_name=None, kind="primary",
    )


@dataclass(frozen=True)
class Correction:
    """What ``retract`` or ``rank`` did: the correction in force for the target, and whether it is new.

    A correction that would change nothing (a second retraction, the rank the
    claim already has) appends nothing: ``appended`` is False and ``event`` is
    the earlier correction that already says so (None for ``normal`` when the
    claim was never ranked).
    """

    target: str
    event: Event | None
    appended: bool


#: The corrections that take an event out of every answer.
RETRACTIONS = ("event_retracted", "event_superseded")


def in_force(store: Store, target: str, kinds: Iterable[str]) -> Event | None:
    """The latest correction of one of ``kinds`` about ``target``: the one answers follow (see read_corrections)."""
    found = None
    # Corrections are few beside the claims: every one of these kinds is read, in sequence order.
    for event in store.read(LogFilter(types=tuple(sorted(kinds)))):
        if event.facts.get("target") == target:
            found = event
    return found


def _needs_reason(reason: str) -> None:
    if not reason.strip():
        raise ChronicleError("a correction needs a reason", "say why with --reason TEXT")


def _append(store: Store, kind: str, target: str, reason: str, extra: Mapping[str, str], today: date | None) -> Event:
    subject = store.get(target)  # raises a clear error for an unknown event
    day = today or date.today()
    doc = _document(day)
    digest = hashlib.sha256(f"{kind}|{target}|{reason}|{sorted(extra.items())}".encode()).hexdigest()[:12]
    event = Event(
        event_id=event_id(doc.id, f"{kind.split('_')[-1]}-{digest}"),
        type=kind,
        subject=subject.subject,
        when=parse(day.isoformat()),
        certainty="reported",
        evidence=Evidence(doc.id, reason.strip()),
        facts={"target": target, "reason": reason.strip(), **extra},
        entities=subject.entities,
    )
    result: AppendResult = store.append([event], document=doc)
    if result.refused:
        raise ChronicleError(f"the correction was refused: {result.refused[0].reason}")
    if result.appended:
        # Imported here: read models answer through queries, which reads corrections.
        from chronicle.readmodels import refresh

        refresh(store, incremental=True)
    return store.get(event.event_id)


def retract(store: Store, target: str, reason: str, *, today: date | None = None) -> Correction:
    """Append an ``event_retracted``: the target disappears from answers, with the reason on record.

    An event already retracted (or superseded) stays so: nothing is appended,
    and the earlier correction, with its reason, is what is returned.
    """
    _needs_reason(reason)
    earlier = in_force(store, target, RETRACTIONS)
    if earlier is not None:
        return Correction(target, earlier, appended=False)
    return Correction(target, _append(store, "event_retracted", target, reason, {}, today), appended=True)


def rank(store: Store, target: str, value: str, reason: str, *, today: date | None = None) -> Correction:
    """Append a ``claim_ranked`` (preferred, normal or deprecated) for the target.

    The rank the claim already has (``normal`` for a claim never ranked) is
    not appended again: the earlier ranking, with its reason, is returned.
    """
    if value not in RANKS:
        raise ChronicleError(f"unknown rank {value!r}", f"use one of {', '.join(RANKS)}")
    _needs_reason(reason)
    earlier = in_force(store, target, ("claim_ranked",))
    if (earlier.facts["rank_value"] if earlier is not None else "normal") == value:
        if earlier is None:
            store.get(target)  # an unknown event is an error, not a claim of normal rank
        return Correction(target, earlier, appended=False)
    return Correction(target, _append(store, "claim_ranked", target, reason, {"rank_value": value}, today),
                      appended=True)
