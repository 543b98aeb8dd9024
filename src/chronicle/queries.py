"""Read-only questions to the store: as-of, diff, conflicts, talent.

Every answer carries its basis (cutoff, knowledge date, store sequence and
projection versions), and the same basis always gives the same answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import sqlalchemy as sa

from chronicle.conflicts import find_conflicts, unsettled_events
from chronicle.corrected import InEffect, applied, documents_of, in_effect
from chronicle.errors import ChronicleError
from chronicle.events import ASSERTED, Document, Entity, Event
from chronicle.fuzzydate import parse_cutoff
from chronicle.licences import is_open
from chronicle.projections import REGISTRY, REPORT, Basis, Context, Projection, State, get
from chronicle.projections.base import claim_status, ordered
from chronicle.projections.series import Talent
from chronicle import modelvalues
from chronicle.reading import READ_AS_STORED, explain
from chronicle.store import LogFilter, Store, collection_paused


@dataclass(frozen=True)
class Filters:
    """Row filters of as-of and diff."""

    country: str | None = None
    open_only: bool = False
    certain: bool = False

    def claims(self, event: Event) -> bool:
        """Whether a claim may stand behind a row: with ``certain``, only what its source asserts."""
        return not self.certain or event.stance == ASSERTED

    def keep(self, projection: str, row: dict[str, Any]) -> bool:
        if self.certain and row.get("status") != "happened":
            return False
        if not self.of_country(projection, row.get("country")):
            return False
        if projection == "models" and self.open_only and not is_open(row.get("openness")):
            return False
        return True

    def of_country(self, projection: str, country: str | None) -> bool:
        """Whether a row of ``projection`` about a subject of ``country`` passes ``--country``."""
        if not self.country or projection not in ("models", "orgs"):
            return True
        return (country or "").upper() == self.country.upper()


@dataclass
class Loaded:
    """The log as a basis may see it, folded into projection states."""

    store_seq: int
    ctx: Context
    states: dict[str, State]
    events: list[Event]
    corrected: InEffect

    def at(self, known_at: date | None) -> Context:
        """The context as an analyst could know it at ``known_at``: later corrections unseen."""
        if known_at is None:
            return self.ctx
        return applied(self.ctx, self.corrected.seen(lambda e: _known(e, self, known_at)))


def _cutoff(text: str, option: str = "WHEN", today: date | None = None) -> date:
    try:
        return parse_cutoff(text, today=today)
    except ChronicleError as exc:
        raise ChronicleError(f"{option}: {exc.message}", exc.hint) from exc


def load(
    store: Store, projections: Sequence[Projection], *, at_seq: int | None = None,
    cutoff: date | None = None, known_at: date | None = None,
) -> Loaded:
    """Fold the log (up to ``at_seq``) into fresh states of ``projections``.

    Without ``cutoff`` every event is read: the states then answer any basis
    (a rebuild). With ``cutoff`` (and ``known_at``) only what an answer at
    that basis can use is read, filtered in SQL: events that may have
    happened by the cutoff, the not-yet-due events a projection says it
    looks at, the evidence known by ``known_at``, and, when every projection
    reads only some kinds of subject, only those subjects' events. Every
    event of a subject that is read is read, so conflicts among them are
    found exactly as in a full read.
    """
    head = store.head()
    if at_seq is not None and at_seq > head:
        raise ChronicleError(f"--at-seq {at_seq} is past the end of the log ({head})",
                             f"use a sequence number from 0 to {head}")
    upto = head if at_seq is None else at_seq
    flt = LogFilter(at_seq=upto)
    if cutoff is not None:
        future = [p.future_types for p in projections]
        kinds = [p.subject_kinds for p in projections]
        if all(f is not None for f in future):
            flt = replace(flt, until=cutoff, future_types=tuple(sorted(set().union(*future))))  # type: ignore[arg-type]
        if projections and all(k is not None for k in kinds):
            flt = replace(flt, subject_kinds=tuple(sorted(set().union(*kinds))))  # type: ignore[arg-type]
        flt = replace(flt, known_at=known_at, ordered=False)
    # Everything read and folded here stays alive: no use collecting meanwhile.
    with collection_paused(promote=True):
        cited: set[str] = set()
        events = list(store.read(flt, documents=cited, reading=True))
        # Corrections are few and change what every answer shows: always all of them.
        corrected = in_effect(store, upto)
        cited |= documents_of(corrected)
        ctx = applied(Context(entities=_entities(store), documents=_documents(store, cited)), corrected.seen())
        states = {}
        # Several projections share one pairing of events with their order keys.
        items = ordered(events) if len(projections) > 1 else None
        for projection in projections:
            state = State(projection)
            if items is None:
                state.apply(events, ctx)
            else:
                state.fold(items, ctx)
            states[projection.name] = state
    return Loaded(upto, ctx, states, events, corrected)


def _entities(store: Store, conn: sa.Connection | None = None) -> dict[str, Entity]:
    """All entities, kept on the store between answers until an entity is added or changed.

    On ``conn`` when given: a writer sees the entities its own transaction put.
    """
    stamp = store.entities_stamp(conn)
    cached = store.cache.get("entities")
    if cached is None or cached[0] != stamp:
        cached = store.cache["entities"] = (stamp, {e.slug: e for e in store.entities(conn)})
    return dict(cached[1])


def _documents(store: Store, wanted: set[str]) -> dict[str, Document]:
    """The documents named, kept on the store between answers: a stored document never changes."""
    known: dict[str, Document] = store.cache.setdefault("documents", {})
    missing = wanted - known.keys()
    if missing:
        known.update(store.documents_by_id(missing))
    return {d: known[d] for d in wanted if d in known}


def _selected(names: Sequence[str]) -> list[Projection]:
    return [get(n) for n in (names or REPORT)]


def _visible(loaded: Loaded, ctx: Context, cutoff: date, known_at: date | None) -> list[Event]:
    return [e for e in loaded.events
            if e.event_id not in ctx.retracted
            and (known_at is None or _known(e, loaded, known_at))
            and claim_status(e, cutoff) is not None]


def _rows(loaded: Loaded, basis: Basis, filters: Filters) -> dict[str, list[dict[str, Any]]]:
    # Rows, and the groups conflicts are found in, are made by the hundred thousand
    # beside a loaded log: full collections would traverse all of it for nothing.
    with collection_paused(promote=True):
        return _rows_of(loaded, basis, filters)


def _rows_of(loaded: Loaded, basis: Basis, filters: Filters) -> dict[str, list[dict[str, Any]]]:
    ctx = loaded.at(basis.known_at)
    conflicted: set[str] | None = None
    out = {}
    for name, state in loaded.states.items():
        include = filters.claims if filters.certain else None
        rows = [r for r in state.rows(basis, ctx, include) if filters.keep(name, r)]
        for row in rows:
            if "sources" in row:  # the projection counts its own sources and conflicts (models)
                continue
            if conflicted is None:
                conflicted = unsettled_events(_visible(loaded, ctx, basis.cutoff, basis.known_at), ctx.ranks)
            row["sources"] = len({e["document"] for e in row["evidence"]})
            row["conflict"] = any(e["event"] in conflicted for e in row["evidence"])
        out[name] = rows
    return out


@dataclass
class Answered:
    """Rows of several projections at one basis, and the corrections that touch them."""

    store_seq: int
    rows: dict[str, list[dict[str, Any]]]
    corrections: list[dict[str, Any]]


def _touching(store: Store, corrected: InEffect, ctx: Context, selected: Sequence[Projection], basis: Basis,
              filters: Filters) -> list[dict[str, Any]]:
    """The corrections of claims that would stand behind the answer's rows at ``basis`` but for them."""
    documents = _documents(store, documents_of(corrected))

    def known(event: Event) -> bool:
        doc = documents.get(event.document)
        return basis.known_at is None or (doc is not None and doc.known_from is not None
                                          and doc.known_from <= basis.known_at)

    def shows(claim: Event) -> bool:
        if claim_status(claim, basis.cutoff) is None or not filters.claims(claim) or not known(claim):
            return False
        country = ctx.country_of(claim.subject)
        return any(p.keys(claim, ctx) and filters.of_country(p.name, country) for p in selected)

    return corrected.touching(corrected.seen(None if basis.known_at is None else known), shows)


def _answer(
    store: Store, selected: Sequence[Projection], cutoffs: Sequence[tuple[date, str]], *, known: date | None,
    at_seq: int | None, filters: Filters, unchanged: bool = True,
) -> list[Answered] | None:
    """Rows at each cutoff with the models answered from their stored rows, or None where it cannot be.

    The stored rows (``modelvalues``) answer the default basis only (the whole log, known at
    any time) and only while it is current; every other case folds claims.
    With ``unchanged=False`` models whose row is the same at every cutoff are
    left out (a diff does not need them).
    """
    if known is not None or filters.certain or not any(p.name == "models" for p in selected):
        return None  # (the stored rows do not tell asserted claims from hedged ones)
    fast = modelvalues.rows_between(store, [c for c, _ in cutoffs], _entities(store), at_seq=at_seq,
                                    unchanged=unchanged)
    if fast is None:
        return None
    others = [p for p in selected if p.name != "models"]
    loaded = load(store, others, at_seq=fast.store_seq, cutoff=max(c for c, _ in cutoffs)) if others else None
    corrected = in_effect(store, fast.store_seq)
    ctx = Context(entities=_entities(store), documents={})
    out = []
    for (cutoff, text), models in zip(cutoffs, fast.rows, strict=True):
        basis = Basis(cutoff, text, None, fast.store_seq)
        rows = {} if loaded is None else _rows(loaded, basis, filters)
        rows["models"] = [r for r in models if filters.keep("models", r)]
        out.append(Answered(fast.store_seq, {p.name: rows[p.name] for p in selected},
                            _touching(store, corrected, ctx, selected, basis, filters)))
    return out


def _known(event: Event, loaded: Loaded, known_at: date) -> bool:
    doc = loaded.ctx.documents.get(event.document)
    return doc is not None and doc.known_from is not None and doc.known_from <= known_at


def as_of(
    store: Store,
    when: str,
    *,
    projections: Sequence[str] = (),
    known_at: str | None = None,
    at_seq: int | None = None,
    filters: Filters = Filters(),
    today: date | None = None,
) -> dict[str, Any]:
    """What the log says was true at the end of ``when``."""
    selected = _selected(projections)
    cutoff = _cutoff(when, today=today)
    known = _cutoff(known_at, "--known-at", today) if known_at else None
    fast = _answer(store, selected, [(cutoff, when)], known=known, at_seq=at_seq, filters=filters)
    if fast is not None:
        answered = fast[0]
    else:
        loaded = load(store, selected, at_seq=at_seq, cutoff=cutoff, known_at=known)
        basis = Basis(cutoff, when, known, loaded.store_seq)
        answered = Answered(loaded.store_seq, _rows(loaded, basis, filters),
                            _touching(store, loaded.corrected, loaded.ctx, selected, basis, filters))
    basis = Basis(cutoff, when, known, answered.store_seq)
    return {
        "schema": "chronicle.as-of/2",
        "basis": basis.to_dict({p.name: p.version for p in selected}),
        "projections": {
            p.name: {"title": p.title, "version": p.version, "columns": list(p.columns), "rows": answered.rows[p.name]}
            for p in selected
        },
        "corrections": answered.corrections,
    }


def explanations(store: Store, answer: dict[str, Any]) -> dict[str, list[str]]:
    """For ``as-of --explain``: by event id behind the answer's rows, how its date is read (where
    that is not simply as stored) and the annotator's note."""
    cited = {e["event"] for proj in answer["projections"].values() for r in proj["rows"] for e in r["evidence"]}
    at_seq = answer["basis"]["store_seq"]
    out: dict[str, list[str]] = {}
    for event_id, event in store.events_by_id(cited).items():
        lines = []
        reading = explain(event.type, event.when, event.stance, event.certainty,
                          store.floor_for(event, at_seq=at_seq))
        if reading["reason"] != READ_AS_STORED:
            lines.append(f"read: {reading['reason']}")
        if event.note:
            lines.append(f"note: {event.note}")
        if lines:
            out[event_id] = lines
    return out


def _cells(row: dict[str, Any], columns: Sequence[str]) -> dict[str, Any]:
    values = {c: row.get(c) for c in columns}
    values["status"] = row.get("status")
    return values


def diff(
    store: Store,
    a: str | None,
    b: str | None,
    *,
    projections: Sequence[str] = (),
    known_at: str | None = None,
    known_between: tuple[str, str] | None = None,
    at_seq: int | None = None,
    filters: Filters = Filters(),
    today: date | None = None,
) -> dict[str, Any]:
    """What changed between two answers: in valid time (A → B), or in knowledge (K1 → K2)."""
    selected = _selected(projections)
    if known_between is not None:
        cutoff_text = a or "today"
        cutoff = _cutoff(cutoff_text, today=today)
        k1, k2 = (_cutoff(k, "--known-between", today) for k in known_between)
        loaded = load(store, selected, at_seq=at_seq, cutoff=cutoff, known_at=max(k1, k2))
        before = Basis(cutoff, cutoff_text, k1, loaded.store_seq)
        after = Basis(cutoff, cutoff_text, k2, loaded.store_seq)
    else:
        if a is None or b is None:
            raise ChronicleError("diff needs two dates A and B", "e.g. chronicle diff 2025-01 2025-12, or --known-between K1 K2")
        known = _cutoff(known_at, "--known-at", today) if known_at else None
        cut_a, cut_b = _cutoff(a, "A", today), _cutoff(b, "B", today)
        fast = _answer(store, selected, [(cut_a, a), (cut_b, b)], known=known, at_seq=at_seq, filters=filters,
                       unchanged=False)
        if fast is not None:
            first, second = fast
            before = Basis(cut_a, a, known, first.store_seq)
            after = Basis(cut_b, b, known, second.store_seq)
            return _changes(selected, before, after, first.rows, second.rows)
        # One read serves both answers: everything either cutoff can use.
        loaded = load(store, selected, at_seq=at_seq, cutoff=max(cut_a, cut_b), known_at=known)
        before = Basis(cut_a, a, known, loaded.store_seq)
        after = Basis(cut_b, b, known, loaded.store_seq)
    return _changes(selected, before, after, _rows(loaded, before, filters), _rows(loaded, after, filters))


def _changes(
    selected: Sequence[Projection], before: Basis, after: Basis,
    old_rows: dict[str, list[dict[str, Any]]], new_rows: dict[str, list[dict[str, Any]]],
) -> dict[str, Any]:
    changes: list[dict[str, Any]] = []
    for projection in selected:
        old = {r["id"]: r for r in old_rows[projection.name]}
        new = {r["id"]: r for r in new_rows[projection.name]}
        for row_id in sorted(set(old) | set(new)):
            was, now = old.get(row_id), new.get(row_id)
            if was is None or now is None:
                row = now or was
                assert row is not None
                changes.append({
                    "projection": projection.name, "id": row_id, "change": "added" if was is None else "removed",
                    "label": row.get("name") or row.get("subject_name") or row_id,
                    "row": _cells(row, projection.columns),
                    "events": sorted({e["event"] for e in row["evidence"]}),
                    "documents": sorted({e["document"] for e in row["evidence"]}),
                    "evidence": row["evidence"],
                })
                continue
            before_cells, after_cells = _cells(was, projection.columns), _cells(now, projection.columns)
            for column in [*projection.columns, "status"]:
                if before_cells.get(column) != after_cells.get(column):
                    cause = (now.get("cells", {}).get(column) or {}).get("evidence") or now["evidence"]
                    changes.append({
                        "projection": projection.name, "id": row_id, "change": "changed",
                        "label": now.get("name") or now.get("subject_name") or row_id,
                        "field": column, "old": before_cells.get(column), "new": after_cells.get(column),
                        # How each value's source stands behind it, where a row says (orgs' cells).
                        "old_stance": was.get("stances", {}).get(column, ASSERTED),
                        "new_stance": now.get("stances", {}).get(column, ASSERTED),
                        "events": sorted({e["event"] for e in cause}),
                        "documents": sorted({e["document"] for e in cause}),
                        "evidence": cause,
                    })
    versions = {p.name: p.version for p in selected}
    return {
        "schema": "chronicle.diff/1",
        "basis": {"from": before.to_dict(versions), "to": after.to_dict(versions)},
        "changes": changes,
    }


def conflicts(
    store: Store, *, when: str = "today", known_at: str | None = None, at_seq: int | None = None,
    include_settled: bool = False, today: date | None = None,
) -> dict[str, Any]:
    """Claims that disagree, side by side with their sources."""
    cutoff = _cutoff(when, today=today)
    known = _cutoff(known_at, "--known-at", today) if known_at else None
    loaded = load(store, [], at_seq=at_seq, cutoff=cutoff, known_at=known)
    ctx = loaded.at(known)
    found = [c for c in find_conflicts(_visible(loaded, ctx, cutoff, known), ctx.ranks)
             if include_settled or not c.settled]
    basis = Basis(cutoff, when, known, loaded.store_seq)
    return {"schema": "chronicle.conflicts/1", "basis": basis.to_dict({}), "conflicts": [c.to_dict() for c in found]}


def talent(
    store: Store, *, by: str = "quarter", when: str = "today", known_at: str | None = None,
    at_seq: int | None = None, today: date | None = None,
) -> dict[str, Any]:
    """Talent moves grouped by quarter, half or year; vague dates get a visible unknown row."""
    projection = Talent(by)
    cutoff = _cutoff(when, today=today)
    known = _cutoff(known_at, "--known-at", today) if known_at else None
    loaded = load(store, [projection], at_seq=at_seq, cutoff=cutoff, known_at=known)
    basis = Basis(cutoff, when, known, loaded.store_seq)
    rows = loaded.states["talent"].rows(basis, loaded.at(basis.known_at))
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row["period"], []).append(row)
    return {
        "schema": "chronicle.talent/1",
        "basis": basis.to_dict({"talent": projection.version}) | {"by": by},
        "periods": [{"period": p, "count": len(items), "rows": items} for p, items in groups.items()],
    }


def rebuild_rows(store: Store, name: str, when: str, *, batches: int = 1,
                 shuffle: Callable[[list[Event]], None] | None = None) -> list[dict[str, Any]]:
    """Rows of one projection folded in ``batches`` (optionally shuffled): for checking rebuild == catch-up."""
    projection = REGISTRY[name]
    loaded = load(store, [])
    events = list(loaded.events)
    if shuffle is not None:
        shuffle(events)
    state = State(projection)
    size = max(1, -(-len(events) // batches))
    for start in range(0, len(events), size):
        state.apply(events[start:start + size], loaded.ctx)
    basis = Basis(_cutoff(when), when, None, loaded.store_seq)
    return state.rows(basis, loaded.ctx)


def _event_ids(row: dict[str, Any]) -> set[str]:
    """Every event behind a row: its own evidence and each cell's."""
    found = {e["event"] for e in row.get("evidence", ())}
    for value in (row.get("cells") or {}).values():
        if isinstance(value, dict):
            found |= {e["event"] for e in value.get("evidence", ())}
    return found


def _lane_org(ctx: Context, slug: str) -> str | None:
    """The organization an event belongs to: the subject if it is one, else the subject's org."""
    entity = ctx.entities.get(slug)
    if entity is None:
        return None
    return entity.slug if entity.kind == "org" else entity.org


def timeline(
    store: Store,
    when: str = "today",
    *,
    projection: str = "timeline",
    known_at: str | None = None,
    at_seq: int | None = None,
    filters: Filters = Filters(),
    today: date | None = None,
) -> dict[str, Any]:
    """The timeline rows at the end of ``when``, with the documents and conflicts a page needs.

    With another ``projection`` (and its filters), only the events behind that
    projection's rows are kept: the timeline of "Chinese open models". With the
    timeline projection itself, ``--country`` keeps events whose subject is of
    that country; ``--open`` only means something for models.
    """
    if projection == "timeline" and filters.open_only:
        raise ChronicleError("--open filters models, not timeline events", "add --projection models")
    selected = [get("timeline")] + ([get(projection)] if projection != "timeline" else [])
    loaded = load(store, selected, at_seq=at_seq)
    basis = Basis(_cutoff(when, today=today), when, _cutoff(known_at, "--known-at", today) if known_at else None,
                  loaded.store_seq)
    ctx = loaded.at(basis.known_at)
    answer = _rows(loaded, basis, filters)
    rows = answer["timeline"]
    if projection == "models":
        # A model row cites one claim per value; its timeline is every event about the model.
        shown_models = {r["id"] for r in answer["models"]}
        rows = [r for r in rows if r["subject"] in shown_models]
    elif projection != "timeline":
        behind = set().union(*(_event_ids(r) for r in answer[projection]))
        rows = [r for r in rows if r["id"] in behind]
    elif filters.country:
        rows = [r for r in rows if (ctx.country_of(r["subject"]) or "").upper() == filters.country.upper()]
    for row in rows:
        org = _lane_org(ctx, row["subject"])
        row["org"], row["org_name"] = org, ctx.name_of(org) if org else None
    shown = {r["id"] for r in rows}
    found = find_conflicts(_visible(loaded, ctx, basis.cutoff, basis.known_at), ctx.ranks)
    conflicts_shown = [c.to_dict() for c in found
                       if not c.settled and any(claim["event"] in shown for claim in c.claims)]
    documents = {d: ctx.documents[d] for d in sorted({r["document"] for r in rows} |
                 {claim["document"] for c in conflicts_shown for claim in c["claims"]}) if d in ctx.documents}
    return {
        "schema": "chronicle.timeline/1",
        "basis": basis.to_dict({p.name: p.version for p in selected}) | {"projection": projection},
        "rows": rows,
        "documents": {k: d.to_dict() for k, d in documents.items()},
        "conflicts": conflicts_shown,
        "names": {c["subject"]: ctx.name_of(c["subject"]) for c in conflicts_shown},
    }
