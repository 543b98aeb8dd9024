"""The starts the store knows, which bound undated occurrences below (truth rule 2 b, c).

A model's or a product's start is the earliest day a dated claim of its
release, announcement or launch allows (reported, not planned or negated,
and not retracted, superseded or deprecated): before it, nothing happened to
it or with it. Only models and products have one: a release "by" a family,
an org or a country is one of many, not their beginning. :func:`chronicle.reading.floor_of` takes the latest start among a
claim's subject and the entities it names.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any, NamedTuple

import sqlalchemy as sa

from chronicle import tables
from chronicle.decisions import Correcting, read_corrections
from chronicle.events import CORRECTION_TYPES
from chronicle.reading import REPORTED, START_TYPES, STARTING, Floors

_E = tables.events.c
#: The entities that have a start.
_STARTING_KINDS = sa.select(tables.entities.c.slug).where(tables.entities.c.kind.in_(("model", "product")))


def floors(conn: sa.Connection, *, at_seq: int | None = None, known_at: date | None = None,
           corrections: Iterable[Correcting] | None = None) -> dict[str, date]:
    """Entity slug -> its start, from the claims at this basis (``corrections``: the basis's, if read already)."""
    basis: list[sa.ColumnElement[bool]] = []
    if at_seq is not None:
        basis.append(_E.seq <= at_seq)
    if known_at is not None:
        basis.append(_E.known_from <= known_at)
    if corrections is None:
        corrections = _corrections(conn, basis)
    out_of_answers = read_corrections(corrections).left_out
    query = sa.select(_E.stream, _E.event_id, _E.earliest).where(
        _E.type.in_(sorted(START_TYPES)), _E.earliest.is_not(None), _E.certainty == REPORTED,
        _E.stance.in_(sorted(STARTING)), _E.stream.in_(_STARTING_KINDS), *basis,
    )
    found: dict[str, date] = {}
    for stream, event_id, earliest in conn.execute(query):
        if event_id in out_of_answers:
            continue
        day = earliest if isinstance(earliest, date) else date.fromisoformat(earliest)
        known = found.get(stream)
        if known is None or day < known:
            found[stream] = day
    return found


def started_by(conn: sa.Connection, entity: str, day: date, *, at_seq: int | None = None) -> str | None:
    """The id of a claim that gives ``entity`` its start ``day`` (for explanations), if any."""
    query = sa.select(_E.event_id).where(
        _E.stream == entity, _E.earliest == day, _E.type.in_(sorted(START_TYPES)), _E.certainty == REPORTED,
        _E.stance.in_(sorted(STARTING)),
    ).order_by(_E.seq).limit(1)
    if at_seq is not None:
        query = query.where(_E.seq <= at_seq)
    found = conn.execute(query).scalar()
    return str(found) if found is not None else None


#: Above this many entities whose start moved, undated claims are read to match the names they hold.
MOVED_BY_NAME = 32


def moved(old: Floors, new: Floors) -> set[str]:
    """The entities whose start differs between two sets of starts."""
    return {slug for slug in old.keys() | new.keys() if old.get(slug) != new.get(slug)}


def bounded_subjects(conn: sa.Connection, after: int, entities: set[str], *, within: Any = None,
                     first: bool = False) -> set[str]:
    """The subjects of the undated claims up to ``after`` that are about one of ``entities`` or name one.

    ``within`` (a subquery of slugs) limits the subjects looked at; with
    ``first``, the answer stops at the first subject found (whether any is).
    """
    found: set[str] = set()
    for stream, _, _ in _bounded(conn, after, entities, within):
        found.add(stream)
        if first:
            break
    return found


def bounded_events(conn: sa.Connection, after: int, entities: set[str]) -> list[tuple[str, str, int]]:
    """(subject, event id, seq) of the undated claims up to ``after`` about one of ``entities`` or naming one."""
    return sorted(set(_bounded(conn, after, entities, None)))


def _bounded(conn: sa.Connection, after: int, entities: set[str], within: Any) -> Iterator[tuple[str, str, int]]:
    if not entities:
        return
    open_claims = [_E.seq <= after, _E.earliest.is_(None), _E.latest.is_not(None)]
    if within is not None:
        open_claims.append(_E.stream.in_(within))
    columns = (_E.stream, _E.event_id, _E.seq)
    for slug in sorted(entities):
        for stream, event_id, seq in conn.execute(sa.select(*columns).where(_E.stream == slug, *open_claims)):
            yield stream, event_id, int(seq)
    if len(entities) <= MOVED_BY_NAME:
        by_name = [_E.entities.contains(json.dumps(m), autoescape=True) for m in sorted(entities)]
        for stream, event_id, seq in conn.execute(sa.select(*columns).where(*open_claims, sa.or_(*by_name))):
            yield stream, event_id, int(seq)
    else:
        for stream, event_id, seq, named in conn.execute(sa.select(*columns, _E.entities).where(*open_claims)):
            if entities.intersection(json.loads(named)):
                yield stream, event_id, int(seq)


class _Correction(NamedTuple):
    event_id: str
    type: str
    facts: Mapping[str, Any]
    seq: int | None


def _corrections(conn: sa.Connection, basis: list[sa.ColumnElement[bool]]) -> list[_Correction]:
    query = sa.select(_E.event_id, _E.type, _E.facts, _E.seq).where(_E.type.in_(sorted(CORRECTION_TYPES)), *basis)
    return [_Correction(event_id, kind, json.loads(facts), int(seq)) for event_id, kind, facts, seq in conn.execute(query)]
