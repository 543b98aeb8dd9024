"""The models projection answered from its values table, at any cutoff.

``catch_up`` folds the events appended since its checkpoint into
``model_values``: for each model, cell and distinct value, the earliest start
and the earliest end of the claims that give it (and of forecasts, the
earliest start), each with the claim behind it. Every column is a minimum,
so the fold takes events in any order and a late-arriving event needs no
invalidation: it lowers a minimum or it does not. ``rows_at`` then answers
"as of X" with one scan: a value is visible once its first claim may have
started, "happened" once its first claim has surely ended. The rows come out
of ``models.model_row``, the rule the fold over claims uses too, so both ways
give the same bytes (tests compare them on generated corpora).

Only the default basis is answered here (the whole log, known at any time).
Models with corrections (rankings, retractions, supersessions) are derived
from their claims, as everything else is at other bases.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

import sqlalchemy as sa

from chronicle import database, tables
from chronicle.corrections import read_corrections
from chronicle.events import CORRECTION_TYPES, Entity, Event
from chronicle.projections import Basis, Context, State
from chronicle.projections.base import EXPECTED, HAPPENED, POSSIBLY
from chronicle.projections.models import DISAGREEMENTS, RELEASE, release_when, RELEASE_TYPES, Models, Seen, cell_values, model_row
from chronicle.store import LogFilter, Store, chunks

NAME = "model_values"
# Names this fold's writers among PostgreSQL advisory locks ("chrmv").
PG_LOCK = 0x6368726D76
NO_START = 0  # day ordinal of an open start: before every date
FOLD_CHUNK = 200  # models folded at a time
T = tables.model_values
PICKS = ("starts", "ends", "expected")
Pick = tuple[int, str, str, str]  # (day ordinal, event id, document, quote)


def _stamp(entities: Iterable[Entity]) -> str:
    """What the fold depends on besides events: which entities are models."""
    models = sorted(e.slug for e in entities if e.kind == "model")
    return f"{len(models)}:{hashlib.sha256(' '.join(models).encode()).hexdigest()[:16]}"


def _lower(current: Pick | None, new: Pick) -> Pick:
    return new if current is None or new[:2] < current[:2] else current


def fold(events: Iterable[Event], models: set[str]) -> dict[tuple[str, str, str], list[Pick | None]]:
    """Model, cell and value -> its three picks, from events (corrections and non-models skipped)."""
    out: dict[tuple[str, str, str], list[Pick | None]] = {}
    for event in events:
        if event.subject not in models or event.type in CORRECTION_TYPES:
            continue
        when = event.when
        start = when.earliest.toordinal() if when.earliest is not None else NO_START
        evidence = (event.event_id, event.document, event.evidence.quote)
        if event.certainty == "forecast":
            picks: list[tuple[int, Pick]] = [(2, (start, *evidence))]
        else:
            picks = [(0, (start, *evidence))]
            if when.latest is not None:
                picks.append((1, (when.latest.toordinal(), *evidence)))
        for cell, value in cell_values(event):
            found = out.setdefault((event.subject, cell, value), [None, None, None])
            for slot, pick in picks:
                found[slot] = _lower(found[slot], pick)
    return out


def _row(key: tuple[str, str, str], picks: Sequence[Pick | None]) -> dict[str, Any]:
    row: dict[str, Any] = {"model": key[0], "cell": key[1], "value": key[2], "lo": None, "hi": None, "rank": None}
    if key[1] == RELEASE:
        when = release_when(json.loads(key[2]))
        row.update(lo=when.earliest.toordinal() if when.earliest else None,
                   hi=when.latest.toordinal() if when.latest else None, rank=when.sort_key()[2])
    for name, pick in zip(PICKS, picks, strict=True):
        day, event, document, quote = pick if pick is not None else (None, None, None, None)
        row.update({name: day, f"{name}_event": event, f"{name}_document": document, f"{name}_quote": quote})
    return row


def shadow(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Flag the open-start release values that cannot show in any row, at any cutoff.

    An undated release claim reads "released by <publication date>": an open
    start, so it is visible at every cutoff, and one value per document. Take
    a model's open-start values whose claims are not all forecasts. None of
    them is ever a rival of the best date (each ends no sooner than the first
    of them, which the best date ends no later than, and none has a start).
    A row shows one of them as the best date only if it is the first in
    release order, and cites one as the strongest date only if it is the
    smallest by value among those ended by the cutoff (a running minimum as
    the end grows) or among all of them (when none has ended). Every other
    one is flagged; the same holds for the open-start values with forecasts
    only. ``rows_between`` skips flagged values; ``model_row`` gives the same
    row without them (the equivalence tests compare).
    """
    groups: dict[tuple[str, bool], list[dict[str, Any]]] = {}
    for row in rows:
        row["shadowed"] = False
        if row["cell"] == RELEASE and row["lo"] is None:
            groups.setdefault((row["model"], row["starts"] is None), []).append(row)
    for items in groups.values():
        if len(items) < 3:
            continue
        keep = {id(min(items, key=_release_order)), id(min(items, key=_value_of))}
        smallest: str | None = None
        for row in sorted(items, key=_by_end):
            if smallest is None or row["value"] < smallest:
                smallest = row["value"]
                keep.add(id(row))
        for row in items:
            row["shadowed"] = id(row) not in keep
    return rows


def _by_end(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row["hi"] is None, row["hi"] or 0, row["value"])


def _release_order(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row["hi"] is None, row["hi"] or 0, row["rank"], row["value"])


def _value_of(row: dict[str, Any]) -> str:
    return str(row["value"])


def _picks(row: Any) -> list[Pick | None]:
    out: list[Pick | None] = []
    for name in PICKS:
        day = getattr(row, name)
        out.append(None if day is None else (int(day), getattr(row, f"{name}_event"),
                                             getattr(row, f"{name}_document"), getattr(row, f"{name}_quote")))
    return out


def _checkpoint(conn: sa.Connection) -> Any:
    cp = tables.fold_checkpoints
    return conn.execute(sa.select(cp).where(cp.c.name == NAME)).first()


def catch_up(store: Store, *, rebuild: bool = False) -> int:
    """Fold what the log gained since the checkpoint into ``model_values``; returns the seq it reflects."""
    entities = store.entities()
    models = {e.slug for e in entities if e.kind == "model"}
    stamp = _stamp(entities)
    with store.engine.connect() as conn:
        database.write_begin(conn)
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK})
            head = store.head()
            point = _checkpoint(conn)
            fresh = rebuild or point is None or point.version != Models.version or point.stamp != stamp
            after = 0 if fresh else int(point.seq)
            if fresh:
                conn.execute(T.delete())
            elif after >= head:
                return after
            if fresh:
                touched = sorted(models)
            else:
                e = tables.events.c
                touched = sorted(m for (m,) in conn.execute(
                    sa.select(e.stream).where(e.seq > after, e.seq <= head).distinct()) if m in models)
            # A few hundred models at a time: memory stays flat however large the log.
            for chunk in chunks(touched, FOLD_CHUNK):
                found = fold(store.read(LogFilter(after=after, at_seq=head, subjects=tuple(chunk), ordered=False)),
                             models)
                if not fresh and found:
                    for row in conn.execute(sa.select(T).where(T.c.model.in_(chunk))):
                        key = (row.model, row.cell, row.value)
                        mine = found.get(key)
                        old = _picks(row)
                        found[key] = old if mine is None else [
                            o if m is None else m if o is None else _lower(o, m) for o, m in zip(old, mine, strict=True)
                        ]
                    conn.execute(T.delete().where(T.c.model.in_(chunk)))
                database.bulk_insert(conn, T, shadow([_row(k, v) for k, v in sorted(found.items())]))
            cp = tables.fold_checkpoints
            conn.execute(cp.delete().where(cp.c.name == NAME))
            conn.execute(cp.insert().values(name=NAME, version=Models.version, seq=head, stamp=stamp,
                                            updated_at=datetime.now(timezone.utc)))
            return head


def status(store: Store, head: int) -> dict[str, Any]:
    """Where ``model_values`` stands: its checkpoint, lag and size, and whether reads use it."""
    entities = store.entities()
    with store.engine.connect() as conn:
        point = _checkpoint(conn)
        rows = int(conn.execute(sa.select(sa.func.count()).select_from(T)).scalar_one())
    seq = int(point.seq) if point is not None else None
    updated = point.updated_at if point is not None else None
    if updated is not None and updated.tzinfo is None:
        updated = updated.replace(tzinfo=timezone.utc)
    return {
        "name": NAME, "table": T.name, "version": Models.version, "checkpoint_seq": seq, "lag": head - (seq or 0),
        "rows": rows, "updated_at": updated.isoformat() if updated else None,
        "current": point is not None and seq == head and point.version == Models.version
        and point.stamp == _stamp(entities),
    }


@dataclass
class Answer:
    """The models rows at each cutoff asked, and what they were computed from."""

    store_seq: int
    rows: list[list[dict[str, Any]]]  # per cutoff
    corrections: list[Event]


def _status_sql(x: int) -> Any:
    c = T.c
    return sa.case((c.ends <= x, HAPPENED), (c.starts <= x, POSSIBLY), (c.expected <= x, EXPECTED), else_=None)


def _pick_sql(x: int, field: str) -> Any:
    c = T.c
    return sa.case((c.ends <= x, c[f"ends_{field}"]), (c.starts <= x, c[f"starts_{field}"]),
                   else_=c[f"expected_{field}"])


def _visible_sql(x: int) -> Any:
    c = T.c
    return sa.or_(c.starts <= x, c.expected <= x)


def rows_at(store: Store, cutoff: date, entities: Mapping[str, Entity], *, at_seq: int | None = None) -> Answer | None:
    """The models rows at ``cutoff`` on the whole log, or None when the table is not current."""
    return rows_between(store, [cutoff], entities, at_seq=at_seq, unchanged=True)


#: A model's release dates at a cutoff, reduced to what its row shows: the date
#: that pins the release down best, the dates that do not overlap it, and the
#: strongest date (first by value) whose claim the row cites. Ties by value
#: compare as code points, as Python does.
_RELEASES = """
WITH vis AS (
  SELECT model, value, lo, hi, rank,
         CASE WHEN ends <= :x THEN 3 WHEN starts <= :x THEN 2 ELSE 1 END AS strength,
         CASE WHEN ends <= :x THEN ends_event WHEN starts <= :x THEN starts_event ELSE expected_event END AS ev,
         CASE WHEN ends <= :x THEN ends_document WHEN starts <= :x THEN starts_document
              ELSE expected_document END AS doc,
         CASE WHEN ends <= :x THEN ends_quote WHEN starts <= :x THEN starts_quote ELSE expected_quote END AS quote
  FROM model_values WHERE cell = 'release' AND NOT shadowed AND (starts <= :x OR expected <= :x)
), ranked AS (
  SELECT vis.*,
         ROW_NUMBER() OVER (PARTITION BY model
                            ORDER BY CASE WHEN hi IS NULL THEN 1 ELSE 0 END, hi, rank, value {collate}) AS by_date,
         ROW_NUMBER() OVER (PARTITION BY model ORDER BY strength DESC, value {collate}) AS by_strength
  FROM vis
), best AS (SELECT model, lo, hi FROM ranked WHERE by_date = 1)
SELECT r.model, r.value, r.strength, r.ev, r.doc, r.quote
FROM ranked r JOIN best b ON r.model = b.model
WHERE r.by_date = 1 OR r.by_strength = 1
   OR (r.hi IS NOT NULL AND b.lo IS NOT NULL AND r.hi < b.lo)
   OR (b.hi IS NOT NULL AND r.lo IS NOT NULL AND b.hi < r.lo)
"""
STRENGTH = {3: HAPPENED, 2: POSSIBLY, 1: EXPECTED}


def rows_between(
    store: Store, cutoffs: Sequence[date], entities: Mapping[str, Entity], *, at_seq: int | None = None,
    unchanged: bool = False,
) -> Answer | None:
    """The models rows at each cutoff, or None when the table is not current.

    One scan gives every cutoff's values of the plain cells; release dates
    are reduced in SQL to what a row shows (see ``_RELEASES``), which gives
    ``model_row`` the same row as all of them would. With
    ``unchanged=False`` a model whose cells have the same values with the
    same statuses at every cutoff is left out of every answer: its rows could
    differ only in the claims they cite, which a diff does not compare.
    """
    xs = [c.toordinal() for c in cutoffs]
    c = T.c
    columns = [c.model, c.cell, c.value]
    for x in xs:
        columns += [_status_sql(x), _pick_sql(x, "event"), _pick_sql(x, "document"), _pick_sql(x, "quote")]
    plain = sorted({*DISAGREEMENTS, RELEASE})
    query = sa.select(*columns).where(sa.or_(*map(_visible_sql, xs)), c.cell.notin_(plain))
    with store.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        releases = sa.text(_RELEASES.format(collate='COLLATE "C"' if conn.dialect.name == "postgresql" else ""))
        with conn.begin():
            point = _checkpoint(conn)
            head = int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(tables.events.c.seq), 0))).scalar_one())
            if (point is None or point.version != Models.version or int(point.seq) != head
                    or (at_seq is not None and at_seq != head) or point.stamp != _stamp(entities.values())):
                return None
            released = {r[0] for r in conn.execute(sa.select(c.model).where(c.cell == RELEASE).distinct())}
            found = conn.execute(query).all()
            dated = [conn.execute(releases, {"x": x}).all() for x in xs]
            # Values kept only to tell whether sources disagree: counted in SQL, not fetched.
            disagree = [{r[0] for r in conn.execute(
                sa.select(c.model).where(_visible_sql(x), c.cell.in_(sorted(DISAGREEMENTS)))
                .group_by(c.model, c.cell).having(sa.func.count() > 1)
                .having(sa.func.count(sa.distinct(_pick_sql(x, "document"))) > 1))} for x in xs]
    corrections = list(store.read(LogFilter(at_seq=head, types=tuple(sorted(CORRECTION_TYPES)))))
    seen = read_corrections(corrections)
    ctx = Context(entities=entities, documents={}, retracted=seen.retracted, ranks=seen.ranks)
    irregular = {e.subject for e in corrections}
    # model -> per cutoff: cell -> values
    by_model: dict[str, list[dict[str, list[Seen]]]] = {}
    ats = [(i, 3 + 4 * i) for i in range(len(xs))]
    for r in found:
        per_cutoff = by_model.get(r[0])
        if per_cutoff is None:
            per_cutoff = by_model[r[0]] = [{} for _ in xs]
        for i, at in ats:
            status = r[at]
            if status is not None:
                cells = per_cutoff[i]
                values = cells.get(r[1])
                if values is None:
                    values = cells[r[1]] = []
                values.append(Seen(r[2], status, (r[at + 1], r[at + 2], r[at + 3])))
    for i, rows in enumerate(dated):
        for model, value, strength, event, document, quote in rows:
            by_model.setdefault(model, [{} for _ in xs])[i].setdefault(RELEASE, []).append(
                Seen(value, STRENGTH[strength], (event, document, quote)))
    answers: list[list[dict[str, Any]]] = [[] for _ in xs]
    for model, per_cutoff in by_model.items():
        if model in irregular:
            continue
        for cells in per_cutoff:
            for values in cells.values():
                values.sort()
        flags = [model in d for d in disagree]
        if not unchanged and _same_columns(per_cutoff):
            continue  # the same values and statuses at every cutoff: the same columns and status
        for i, cells in enumerate(per_cutoff):
            made = model_row(model, cells, model in released, ctx, disagree=flags[i])
            if made is not None:
                answers[i].append(made)
    projection = Models()
    if any(e.kind == "model" for s in irregular if (e := entities.get(s)) is not None):
        # Corrected models: from their claims, as at any other basis.
        flt = LogFilter(at_seq=head, subjects=tuple(sorted(irregular)), until=max(cutoffs),
                        future_types=tuple(sorted(RELEASE_TYPES)), ordered=False)
        state = State(projection)
        state.apply(store.read(flt), ctx)
        for i, cutoff in enumerate(cutoffs):
            answers[i] += state.rows(Basis(cutoff, "", None, head), ctx)
    return Answer(head, [projection.sort_rows(rows) for rows in answers], corrections)


def _same_columns(per_cutoff: Sequence[Mapping[str, Sequence[Seen]]]) -> bool:
    """Whether a model's cells give the same values with the same statuses at every cutoff."""
    def columns(cells: Mapping[str, Sequence[Seen]]) -> dict[str, list[tuple[str, str]]]:
        return {name: [(v.key, v.status) for v in values] for name, values in cells.items()}

    first = columns(per_cutoff[0])
    return all(columns(cells) == first for cells in per_cutoff[1:])
