"""Corrections: retractions, rankings and the analyst's own corrected claims, appended as new events.

History is never edited. A correction is an event of its own, from a document
of kind ``primary`` that stands for the analyst's decisions of one day, so
that ``--known-at`` and ``--at-seq`` see exactly the corrections made by then.
What they do to answers is decided in one place, ``chronicle.corrected``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import yaml

from chronicle.errors import ChronicleError
from chronicle.events import (
    CORRECTION_TYPES, EVENT_TYPES, FACTS, RANKS, REQUIRED_FACTS, Document, Event, Evidence, event_id, web_url,
)
from chronicle.fuzzydate import parse
from chronicle.hashchain import canonical_json
from chronicle.readmodels import refresh
from chronicle.store import AppendResult, LogFilter, Store
from chronicle.validate import MAX_QUOTE_WORDS, check_fact

#: Facts only corrections carry: an analyst's claim states none of them.
CORRECTION_FACTS = frozenset(f for t in CORRECTION_TYPES for f in REQUIRED_FACTS[t])


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


@dataclass(frozen=True)
class Corrected:
    """What ``correct`` did: the analyst's claim, and the supersession of the target by it.

    Correcting a claim again exactly as before appends nothing (``appended``
    False); both events are then the stored ones.
    """

    target: str
    claim: Event
    superseded: Event
    appended: bool
    store_seq: int  # the head once done

    def to_dict(self) -> dict[str, Any]:
        return {"schema": "chronicle.correction/1", "basis": {"store_seq": self.store_seq}, "target": self.target,
                "appended": self.appended, "events": [self.claim.to_dict(), self.superseded.to_dict()]}


def _fact(item: str, entities: set[str]) -> tuple[str, Any]:
    """``NAME=VALUE`` read as an events file reads a fact (VALUE in YAML), and checked as ingest checks it."""
    name, sep, text = item.partition("=")
    name = name.strip()
    if not sep or not name:
        raise ChronicleError(f"--fact {item!r} is not NAME=VALUE", "e.g. --fact license=MIT or "
                             "--fact 'downloads={value: 400000000, unit: count, op: \">\"}'")
    if name not in FACTS or name in CORRECTION_FACTS:
        raise ChronicleError(f"--fact {name}: unknown fact", "see FACTS in chronicle.events for the names")
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ChronicleError(f"--fact {name}: the value is not YAML ({str(exc).splitlines()[0]})",
                             "write it as in an events file, e.g. {value: 400000000, unit: count}") from None
    clean, error = check_fact(name, value, entities)
    if error is not None:
        raise ChronicleError(f"--fact {name}: {error}", "write the value as in an events file")
    return name, clean


def correct(
    store: Store, target: str, when: str, *, source: str, quote: str, reason: str,
    facts: Sequence[str] = (), today: date | None = None,
) -> Corrected:
    """Supersede a claim by the analyst's own: the same claim with its own date (and ``facts``), evidence and reason.

    The new claim and an ``event_superseded`` naming it are appended in one
    transaction, in the day's analyst document (``--known-at`` and
    ``--at-seq`` see them from then on); ``source`` (an http(s) address) is
    its ``link`` fact and ``quote`` its evidence. Everything is checked
    before anything is written.
    """
    _needs_reason(reason)
    original = store.get(target)  # raises a clear error for an unknown event
    if original.type in CORRECTION_TYPES:
        raise ChronicleError(f"{target} is a correction, not a claim", f"correct the claim it is about, {original.facts['target']}")
    link = web_url(source)
    if link is None:
        raise ChronicleError(f"--source {source!r} is not an http(s) address",
                             "give the address of the page the correction rests on, e.g. https://example.org/news")
    quote = quote.strip()
    words = len(quote.split())
    if not words or words > MAX_QUOTE_WORDS:
        raise ChronicleError(f"--quote has {words} words", f"quote the words of the source that carry the claim "
                                                           f"(1 to {MAX_QUOTE_WORDS} words)")
    day = today or date.today()
    doc = _document(day)
    try:
        dated = parse(when, published=doc.published, future=original.certainty == "forecast")
    except ChronicleError as exc:
        raise ChronicleError(f"--when: {exc.message}", exc.hint) from None
    entities = {e.slug for e in store.entities()}
    new_facts = dict(original.facts)
    new_facts.update(_fact(item, entities) for item in facts)
    new_facts["link"] = link
    key = canonical_json({"target": target, "when": dated.edtf, "facts": new_facts, "quote": quote,
                          "reason": reason.strip()})
    digest = hashlib.sha256(key.encode()).hexdigest()[:12]
    claim = Event(
        event_id=event_id(doc.id, f"corrected-{digest}"), type=original.type, subject=original.subject, when=dated,
        certainty=original.certainty, evidence=Evidence(doc.id, quote), facts=new_facts,
        entities=original.entities, schema_version=EVENT_TYPES[original.type], note=reason.strip(),
    )
    superseded = Event(
        event_id=event_id(doc.id, f"superseded-{digest}"), type="event_superseded", subject=original.subject,
        when=doc.dated, certainty="reported", evidence=Evidence(doc.id, reason.strip()),
        facts={"target": target, "replacement": claim.event_id, "reason": reason.strip()}, entities=original.entities,
    )
    earlier = in_force(store, target, RETRACTIONS)
    if earlier is not None:
        if earlier.event_id == superseded.event_id:
            return Corrected(target, store.get(claim.event_id), earlier, appended=False, store_seq=store.head())
        how = "superseded" if earlier.type == "event_superseded" else "retracted"
        hint = (f"correct the claim that replaced it, {earlier.facts['replacement']}" if how == "superseded"
                else "a retracted claim stays out of every answer; record the right claim in an events file")
        raise ChronicleError(f"{target} is already {how} by {describe(earlier)}", hint)
    result: AppendResult = store.append([claim, superseded], document=doc)
    if result.refused:
        raise ChronicleError(f"the correction was refused: {result.refused[0].reason}")
    head = refresh(store, incremental=True)
    return Corrected(target, store.get(claim.event_id), store.get(superseded.event_id), appended=True, store_seq=head)


def describe(correction: Event) -> str:
    """An earlier correction as a user reads it: its id, seq and reason."""
    return f"{correction.event_id} (seq {correction.seq}: {correction.facts['reason']})"
