"""The projection framework: named, versioned, deterministic folds.

A projection folds events into a state keyed by row id. The state keeps
every event that bears on a row, sorted in event-time order (fuzzy-date sort
key, then sequence number), so folding the same events in any arrival order,
all at once or a batch at a time, gives the same state, and therefore the
same rows. Rows are derived from the state at a *basis* (cutoff, knowledge
date, store sequence): each event is seen as a claim with a status at the
cutoff, and each cell says which claims stand behind it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from chronicle.events import Document, Entity, Event
from chronicle.fuzzydate import FuzzyDate, Status, status

HAPPENED, POSSIBLY, EXPECTED = "happened", "possibly", "expected"
#: Stronger first: a row is as certain as its most certain source, never more.
STATUS_ORDER = (HAPPENED, POSSIBLY, EXPECTED)
STATUS_MARK = {HAPPENED: "●", POSSIBLY: "◐", EXPECTED: "○"}


@dataclass(frozen=True)
class Basis:
    """What an answer was computed from; the same basis gives the same bytes."""

    cutoff: date
    cutoff_text: str
    known_at: date | None
    store_seq: int

    def to_dict(self, versions: Mapping[str, int]) -> dict[str, Any]:
        return {
            "cutoff": self.cutoff.isoformat(),
            "cutoff_text": self.cutoff_text,
            "known_at": self.known_at.isoformat() if self.known_at else None,
            "store_seq": self.store_seq,
            "projection_versions": dict(sorted(versions.items())),
        }


@dataclass
class Context:
    """What projections may look up besides events: entities, documents, corrections."""

    entities: Mapping[str, Entity]
    documents: Mapping[str, Document]
    retracted: Mapping[str, str] = field(default_factory=dict)  # event id -> reason
    ranks: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # event id -> (rank, reason)
    #: The claims no projection shows (retracted, superseded, deprecated, outranked): see ``chronicle.corrected``.
    left_out: frozenset[str] = frozenset()

    def country_of(self, slug: str | None) -> str | None:
        entity = self.entities.get(slug or "")
        if entity is None:
            return None
        if entity.country:
            return entity.country
        return self.country_of(entity.org) if entity.org and entity.org != slug else None

    def org_of(self, slug: str) -> str | None:
        entity = self.entities.get(slug)
        return entity.org if entity else None

    def name_of(self, slug: str | None) -> str:
        entity = self.entities.get(slug or "")
        return entity.name if entity else (slug or "")


def claim_status(event: Event, cutoff: date) -> str | None:
    """An event's status at the cutoff, or None when it has not happened yet.

    Forecasts are never "happened": once their window has opened they are
    "expected".
    """
    return status_at(event.when, event.certainty, cutoff)


def status_at(when: FuzzyDate, certainty: str, cutoff: date) -> str | None:
    """:func:`claim_status` of an event with this date and certainty."""
    where = status(when, cutoff)
    if where is Status.NOT_YET:
        return None
    if certainty == "forecast":
        return EXPECTED
    return HAPPENED if where is Status.HAPPENED else POSSIBLY


def strongest(statuses: Iterable[str]) -> str:
    found = set(statuses)
    for s in STATUS_ORDER:
        if s in found:
            return s
    return EXPECTED


@dataclass(frozen=True)
class Claim:
    """One event as seen at a basis."""

    event: Event
    status: str

    def evidence(self) -> dict[str, Any]:
        e = self.event
        return {"event": e.event_id, "document": e.document, "quote": e.evidence.quote}


def evidence_of(claims: Iterable[Claim]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for c in claims:
        seen.setdefault(c.event.event_id, c.evidence())
    return [seen[k] for k in sorted(seen)]


def event_order(event: Event) -> tuple[Any, ...]:
    return (event.when.sort_key(), event.seq or 0, event.event_id)


class Projection:
    """Base class: say which events a row is built from, and how rows are derived."""

    name: str = ""
    version: int = 1
    title: str = ""
    #: The row schema: the columns every row has, in display order.
    columns: tuple[str, ...] = ()

    #: What a read at a basis may leave out, so that it can be filtered in SQL.
    #: ``subject_kinds``: the kinds of subject entity whose events ``keys``
    #: can use (None: any event may count). ``future_types``: the types of
    #: events not yet due at the cutoff that ``derive`` looks at through
    #: ``known`` (None: any, so nothing may be left out by date).
    subject_kinds: tuple[str, ...] | None = None
    future_types: frozenset[str] | None = None
    #: The types of events ``keys`` can use (None: any type may count).
    event_types: frozenset[str] | None = None

    def keys(self, event: Event, ctx: Context) -> Sequence[str]:
        """The row ids an event bears on (empty: the projection ignores it)."""
        raise NotImplementedError

    def derive(self, key: str, claims: Sequence[Claim], known: Sequence[Event], ctx: Context) -> dict[str, Any] | None:
        """One row from the claims that stand at the basis, in event-time order.

        ``known`` are all the events behind the row that the basis may see,
        whatever their date: a row can depend on what is not yet true (a
        model's release that is still to come hides claims about the model).
        """
        raise NotImplementedError

    def sort_rows(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted(rows, key=lambda r: r["id"])


class State:
    """A projection's fold: row id -> the events behind it, in event-time order."""

    def __init__(self, projection: Projection) -> None:
        self.projection = projection
        self._by_key: dict[str, list[tuple[tuple[Any, ...], Event]]] = {}
        self._unsorted: set[str] = set()
        self.position = 0  # highest sequence number folded in

    @property
    def by_key(self) -> dict[str, list[tuple[tuple[Any, ...], Event]]]:
        """Row id -> its events in event-time order."""
        # Appending and sorting once is O(n log n) per row; inserting each
        # event in place was O(n) per event, quadratic for a busy subject.
        # The sort is stable and the order key ends with the sequence number
        # and event id, so the result is the same in any arrival order.
        for key in self._unsorted:
            self._by_key[key].sort(key=_order_of)
        self._unsorted.clear()
        return self._by_key

    def apply(self, events: Iterable[Event], ctx: Context) -> None:
        """Fold events in; order of arrival does not matter."""
        self.fold(ordered(events), ctx)

    def fold(self, items: Sequence[tuple[tuple[Any, ...], Event]], ctx: Context) -> None:
        """Fold in events already paired with their order keys (see :func:`ordered`).

        The same as :meth:`apply`; several states folding one log share the
        pairs (and the memory they take) instead of each making its own.
        """
        keys_of, by_key, unsorted = self.projection.keys, self._by_key, self._unsorted
        position = self.position
        for item in items:
            event = item[1]
            keys = keys_of(event, ctx)
            if keys:
                for key in keys:
                    found = by_key.get(key)
                    if found is None:
                        by_key[key] = [item]
                    else:
                        found.append(item)
                        unsorted.add(key)
            if event.seq is not None and event.seq > position:
                position = event.seq
        self.position = position

    def rows(self, basis: Basis, ctx: Context, include=None) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
        """The projection's rows at ``basis``; ``include`` may drop events (filters)."""
        out = []
        for key, items in self.by_key.items():
            claims, known = [], []
            for _, event in items:
                if event.event_id in ctx.left_out:
                    continue
                if basis.known_at is not None and not _known(event, ctx, basis.known_at):
                    continue
                if event.seq is not None and event.seq > basis.store_seq:
                    continue
                if include is not None and not include(event):
                    continue
                known.append(event)
                st = claim_status(event, basis.cutoff)
                if st is not None:
                    claims.append(Claim(event, st))
            if claims:
                row = self.projection.derive(key, claims, known, ctx)
                if row is not None:
                    out.append(row)
        return self.projection.sort_rows(out)


def ordered(events: Iterable[Event]) -> list[tuple[tuple[Any, ...], Event]]:
    """Each event paired with its event-time order key, as :meth:`State.apply` pairs them."""
    # Events read from a store share their date objects; a date's sort key
    # is worked out once (the dates live as long as this call).
    date_keys: dict[int, tuple[Any, ...]] = {}
    out = []
    for event in events:
        when = event.when
        date_key = date_keys.get(id(when))
        if date_key is None:
            date_key = date_keys[id(when)] = when.sort_key()
        out.append(((date_key, event.seq or 0, event.event_id), event))
    return out


def _order_of(item: tuple[tuple[Any, ...], Event]) -> tuple[Any, ...]:
    return item[0]


def _known(event: Event, ctx: Context, known_at: date) -> bool:
    doc = ctx.documents.get(event.document)
    known_from = doc.known_from if doc else None
    return known_from is not None and known_from <= known_at


def cell(claims: Sequence[Claim], value_of, ctx: Context) -> dict[str, Any] | None:  # type: ignore[no-untyped-def]
    """A cell from the claims that give it a value.

    Distinct values from different claims are all kept (and flagged as a
    conflict): chronicle never picks a winner. (A ranking settles a conflict
    before any cell is made: the claims it leaves out never reach one.)
    """
    valued = [(c, value_of(c.event)) for c in claims]
    pool = [(c, v) for c, v in valued if v is not None]
    if not pool:
        return None
    distinct: list[Any] = []
    for _, v in pool:
        if v not in distinct:
            distinct.append(v)
    chosen = [(c, v) for c, v in pool]
    return {
        "value": distinct[0] if len(distinct) == 1 else distinct,
        "conflict": len(distinct) > 1,
        "status": strongest(c.status for c, _ in chosen),
        "evidence": evidence_of(c for c, _ in chosen),
    }
