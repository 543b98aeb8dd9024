"""The models projection answered from tables folded incrementally, at any cutoff.

``catch_up`` folds the events appended since its checkpoint into
``model_values``: for each model, cell and distinct value, the earliest start
and the earliest end of the claims that give it (and of forecasts, the
earliest start), each with the claim behind it. Every column is a minimum,
so the fold takes events in any order and a late-arriving event needs no
invalidation: it lowers a minimum or it does not.

A model's row changes only on the days one of its values appears or changes
status, so from its values ``catch_up`` also writes ``model_rows``: the row
from each such day on (``versions``, one sweep through the days). "As of X"
then reads, per model, the version with the latest day not after X: one
index seek per model, however long the log. A late event recomputes the
versions of the models it is about, nothing else. The rows come out of
``models.model_row``, the rule the fold over claims uses too, so both ways
give the same bytes (tests compare them on generated corpora, on the days
rows change and the days before).

Only the default basis is answered here (the whole log, known at any time).
Models with corrections (rankings, retractions, supersessions) are derived
from their claims, as everything else is at other bases.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import pickle
import queue
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

import orjson
import sqlalchemy as sa

from chronicle import database, tables
from chronicle.corrected import applied, in_effect
from chronicle.errors import StoreError
from chronicle.events import CORRECTION_TYPES, UPCASTERS, Entity, Event, upcast
from chronicle.guard import derived_writes
from chronicle.projections import Basis, Context, State
from chronicle.projections.base import EXPECTED, HAPPENED, POSSIBLY
from chronicle.projections.models import (
    ANY, DISAGREEMENTS, LISTED, LISTING, RELEASE, RELEASE_TYPES, Models, Seen, cell_values_of, model_row, release_when,
)
from chronicle.floors import bounded_subjects
from chronicle.floors import moved as moved_floors
from chronicle.floors import floors as floors_at
from chronicle.reading import Floors, floor_of, floored, read_edtf, start_of
from chronicle.store import LogFilter, Store, chunks, collection_paused, second_core

NAME = "model_values"
ROWS = "model_rows"  # the checkpoint of the rows' versions
FLOORS = "model_floors"  # the starts the values were folded with (see chronicle.floors), as its stamp
# Names this fold's writers among PostgreSQL advisory locks ("chrmv").
PG_LOCK = 0x6368726D76
NO_START = 0  # day ordinal of an open start: before every date
FOLD_CHUNK = 200  # models folded at a time
T = tables.model_values
R = tables.model_rows
PICKS = ("starts", "ends", "expected")
Pick = tuple[int, str, str, str]  # (day ordinal, event id, document, quote)


def _stamp(entities: Iterable[Entity]) -> str:
    """What the fold depends on besides events: which entities are models."""
    models = sorted(e.slug for e in entities if e.kind == "model")
    return f"{len(models)}:{hashlib.sha256(' '.join(models).encode()).hexdigest()[:16]}"


def _lower(current: Pick | None, new: Pick) -> Pick:
    return new if current is None or new[:2] < current[:2] else current


#: What the fold reads of each event: no event objects are made. Dates come as
#: the driver gives them (SQLite: text) and are read once per distinct value.
_FOLD_SELECT = [
    tables.events.c.stream, tables.events.c.type, tables.events.c.schema_version, tables.events.c.certainty,
    tables.events.c.when_edtf, sa.type_coerce(tables.events.c.earliest, sa.Text),
    sa.type_coerce(tables.events.c.latest, sa.Text), tables.events.c.event_id, tables.events.c.document_id,
    tables.events.c.quote, tables.events.c.facts, tables.events.c.stance, tables.events.c.entities,
]
_MODELS = sa.select(tables.entities.c.slug).where(tables.entities.c.kind == "model")
MEMO = 100_000  # distinct (type, date, facts) whose cell values are kept while folding


def scan(conn: sa.Connection, head: int, *, after: int = 0, subjects: Sequence[str] = (),
         first: str | None = None, last: str | None = None) -> Iterator[Sequence[Any]]:
    """The rows ``fold`` takes: models' claims in (after, head], in storage order.

    Without ``subjects``, every model's (the subquery on ``entities`` keeps the
    others' rows in the database: most of a log is not about models), or
    those with slugs from ``first`` to ``last``.
    """
    e = tables.events.c
    query = sa.select(*_FOLD_SELECT).where(
        e.seq > after, e.seq <= head, e.type.not_in(sorted(CORRECTION_TYPES)),
        e.stream.in_(list(subjects)) if subjects else e.stream.in_(_MODELS),
    )
    if first is not None:
        query = query.where(e.stream >= first)
    if last is not None:
        query = query.where(e.stream <= last)
    result = conn.execute(query, execution_options={"stream_results": True, "yield_per": 5000})
    for rows in result.partitions():
        yield from rows


def _ordinal(value: Any) -> int:
    return (date.fromisoformat(value) if isinstance(value, str) else value).toordinal()


def fold(rows: Iterable[Sequence[Any]], models: set[str],
         floors: Floors | None = None) -> dict[tuple[str, str, str], list[Pick | None]]:
    """Model, cell and value -> its three picks, from ``scan``'s rows (corrections and non-models skipped).

    ``floors`` are the starts that bound undated occurrences (truth rule 2 b, c).
    """
    out: dict[tuple[str, str, str], list[Pick | None]] = {}
    days: dict[Any, int] = {None: NO_START}
    reads: dict[tuple[Any, ...], Any] = {}  # -> (earliest, EDTF) as answers read them, or None
    lists: dict[str, tuple[str, ...]] = {}
    cells: dict[tuple[Any, ...], list[tuple[str, str]]] = {}
    loads = json.loads
    for subject, kind, version, certainty, edtf, earliest, latest, event_id, document, quote, facts, stance, named in rows:
        if subject not in models or kind in CORRECTION_TYPES:
            continue
        if earliest is None:
            floor = None
            if floors and floored(kind, None, latest, stance, certainty):
                names = lists.get(named)
                if names is None:
                    names = lists[named] = tuple(loads(named))
                bound = floor_of(floors, subject, names)
                floor = bound[0] if bound is not None else None
            memo_key = (kind, stance, certainty, latest, floor)
            read = reads.get(memo_key, False)
            if read is False:  # the one rule answers read dates by
                end_day = None if latest is None else date.fromisoformat(latest) if isinstance(latest, str) else latest
                start_day = start_of(kind, None, end_day, stance, certainty, floor)
                read = reads[memo_key] = None if start_day is None else (
                    start_day.isoformat(), read_edtf(start_day, end_day) if end_day is not None else edtf)
            if read is not None:
                earliest, edtf = read
        # What a claim gives its cells depends on its type, facts and (releases) date only.
        memo = (kind, version, edtf if kind in RELEASE_TYPES else None, facts, stance)
        given = cells.get(memo)
        if given is None:
            payload = loads(facts)
            if UPCASTERS and (kind, version) in UPCASTERS:
                payload, _ = upcast(kind, version, payload)
            if len(cells) >= MEMO:
                cells.clear()
            given = cells[memo] = cell_values_of(kind, edtf, payload, stance)
        start = days.get(earliest)
        if start is None:
            start = days[earliest] = _ordinal(earliest)
        evidence = (event_id, document, quote)
        if certainty == "forecast":
            picks: list[tuple[int, Pick]] = [(2, (start, *evidence))]
        else:
            picks = [(0, (start, *evidence))]
            if latest is not None:
                end = days.get(latest)
                if end is None:
                    end = days[latest] = _ordinal(latest)
                picks.append((1, (end, *evidence)))
        for cell, value in given:
            found = out.get(key := (subject, cell, value))
            if found is None:
                found = out[key] = [None, None, None]
            for slot, pick in picks:
                current = found[slot]
                if current is None or pick[:2] < current[:2]:
                    found[slot] = pick
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
    only. ``versions`` leaves flagged values out; ``model_row`` gives the same
    row without them (the equivalence tests compare).
    """
    groups: dict[tuple[str, bool, int | None], list[dict[str, Any]]] = {}
    for row in rows:
        row["shadowed"] = False
        if row["cell"] == RELEASE and row["lo"] is None:
            # Values visible from the same day (a start bound below moves the day; see chronicle.floors).
            groups.setdefault((row["model"], row["starts"] is None, row["starts"]), []).append(row)
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


def _checkpoint(conn: sa.Connection, name: str = NAME) -> Any:
    cp = tables.fold_checkpoints
    return conn.execute(sa.select(cp).where(cp.c.name == name)).first()


def catch_up(store: Store, *, rebuild: bool = False) -> int:
    """Fold what the log gained since the checkpoint into ``model_values`` and ``model_rows``.

    Returns the seq both reflect. The values of the models new events touch
    are folded and those models' row versions recomputed; when the entities
    change what a row says of a model (its name, org, country), every model's
    versions are recomputed from the values table. When the starts that bound
    undated occurrences change (a first or earlier dated release, a
    correction), the models whose undated claims are about or name an entity
    whose start changed are folded again from all their claims.
    """
    entities = store.entities()
    by_slug = {e.slug: e for e in entities}
    models = {e.slug for e in entities if e.kind == "model"}
    stamp = _stamp(entities)
    ctx = Context(entities=by_slug, documents={})
    rows_stamp = _context_stamp(ctx, models)
    with store.engine.connect() as conn:
        database.write_begin(conn)
        with conn.begin(), derived_writes(conn):
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK})
            head = store.head()
            point, rows_point, floors_point = _checkpoint(conn), _checkpoint(conn, ROWS), _checkpoint(conn, FLOORS)
            fresh = (rebuild or point is None or point.version != Models.version or point.stamp != stamp
                     or floors_point is None or int(floors_point.seq) != int(point.seq))
            after = 0 if fresh else int(point.seq)
            rows_fresh = (fresh or rows_point is None or rows_point.version != Models.version
                          or rows_point.stamp != rows_stamp or int(rows_point.seq) != after)
            if fresh:
                conn.execute(T.delete())
            if rows_fresh:
                conn.execute(R.delete())
            if after >= head and not rows_fresh:
                return after
            floors = floors_at(conn, at_seq=head)
            if fresh:
                with collection_paused():
                    _refold(store, conn, head, models, ctx)
            else:
                e = tables.events.c
                touched = sorted(m for (m,) in conn.execute(
                    sa.select(e.stream).where(e.seq > after, e.seq <= head).distinct()) if m in models)
                moved = moved_floors(_floors_of(floors_point), floors)
                again = sorted(bounded_subjects(conn, after, moved, within=_MODELS) & models) if moved else []
                if again:
                    _fold_new(conn, head, 0, again, models, ctx, floors, anew=True)
                _fold_new(conn, head, after, sorted(set(touched) - set(again)), models, ctx, floors)
                if rows_fresh:
                    # The entities changed what rows say (or the rows are new): every other model, from
                    # its values (unchanged by this transaction, so a second process reads them alike).
                    with collection_paused():
                        _shared(store, conn, head, sorted(models - set(touched) - set(again)), ctx, _reversioned)
            cp = tables.fold_checkpoints
            now = datetime.now(timezone.utc)
            conn.execute(cp.delete().where(cp.c.name.in_([NAME, ROWS, FLOORS])))
            conn.execute(cp.insert(), [
                {"name": NAME, "version": Models.version, "seq": head, "stamp": stamp, "updated_at": now},
                {"name": ROWS, "version": Models.version, "seq": head, "stamp": rows_stamp, "updated_at": now},
                {"name": FLOORS, "version": Models.version, "seq": head, "stamp": _floors_stamp(floors),
                 "updated_at": now},
            ])
            return head


def _floors_stamp(floors: Floors) -> str:
    return json.dumps({slug: day.toordinal() for slug, day in sorted(floors.items())}, separators=(",", ":"))


def _floors_of(point: Any) -> dict[str, date]:
    return {str(k): date.fromordinal(int(v)) for k, v in json.loads(point.stamp).items()}


def _fold_new(conn: sa.Connection, head: int, after: int, touched: Sequence[str], models: set[str],
              ctx: Context, floors: Floors, *, anew: bool = False) -> None:
    """Fold the claims after ``after`` into the values of the models they touch, and rewrite those models' versions.

    New events are read a few hundred models at a time, so a catch-up's memory stays flat.
    With ``anew``, the models' values are replaced by what their claims give, not lowered.
    """
    for chunk in chunks(touched, FOLD_CHUNK):
        found = fold(scan(conn, head, after=after, subjects=chunk), models, floors)
        if anew:
            conn.execute(T.delete().where(T.c.model.in_(chunk)))
        elif found:
            for row in conn.execute(sa.select(T).where(T.c.model.in_(chunk))):
                key = (row.model, row.cell, row.value)
                mine = found.get(key)
                old = _picks(row)
                found[key] = old if mine is None else [
                    o if m is None else m if o is None else _lower(o, m) for o, m in zip(old, mine, strict=True)
                ]
            conn.execute(T.delete().where(T.c.model.in_(chunk)))
        rows = shadow([_row(k, v) for k, v in sorted(found.items())])
        database.bulk_insert(conn, T, rows)
        _write_versions(conn, chunk, rows, ctx)


#: A refold shares the work with a second process from this many models' claims on.
PARALLEL_CLAIMS = 200_000
#: The share of the claims whose models this process folds when a second one helps
#: (it also writes every row, the other's too).
OWN_SHARE = 0.4
#: What to do when the second process fails (with one core allowed there is none).
ONE_CORE = "run it again; if it fails again, allow the process one core (taskset -c 0 chronicle ...) to refold in one"
#: Chunks of rows the second process may send ahead of their writing (bounds memory).
AHEAD = 4


#: What one of the two processes computes for its range of models: the values' rows
#: and the versions' rows, a chunk at a time.
Compute = Callable[[sa.Connection, int, Sequence[str], Context],
                   Iterator[tuple[list[dict[str, Any]], list[dict[str, Any]]]]]


def _refold(store: Store, conn: sa.Connection, head: int, models: set[str], ctx: Context) -> None:
    """Fold every model's values and versions from the log into the emptied tables.

    The log is read in storage order (reading it a few models at a time would
    seek all over it). Models are independent of each other, so on a large
    log a forked process takes the models of a second range of slugs (the
    larger share of the claims) and hands back their rows a chunk at a time,
    while this one does the first range and alone writes; each reads only
    its own models' claims. Either way the same rows are written.
    """
    _shared(store, conn, head, sorted(models), ctx, _computed)


def _shared(store: Store, conn: sa.Connection, head: int, ordered: Sequence[str], ctx: Context,
            compute: Compute) -> None:
    """Write what ``compute`` gives for ``ordered``, on a large log with a forked process doing a range of it."""
    wanted = set(ordered)
    weights = {m: n for m, n in _claims(conn, head).items() if m in wanted}
    big = sum(weights.values()) >= PARALLEL_CLAIMS and second_core()
    parts = _halves(ordered, weights, OWN_SHARE) if big else [ordered]
    context = None
    if len(parts) == 2:
        try:
            context = multiprocessing.get_context("fork")
        except ValueError:  # pragma: no cover - no fork on this platform
            parts = [ordered]
    if context is None:
        for values, versions in compute(conn, head, parts[0], ctx):
            _insert(conn, values, versions)
        return
    receive, send = context.Pipe(duplex=False)
    worker = context.Process(target=_refold_worker, args=(send, store, head, parts[1], ctx, compute), daemon=True)
    worker.start()
    send.close()
    # A thread takes the worker's chunks off the pipe as they come (a few ahead),
    # so the worker is not held up while this process computes or writes.
    received: queue.Queue[bytes | None] = queue.Queue(AHEAD)

    def pump() -> None:
        try:
            while True:
                received.put(receive.recv_bytes())
        except (EOFError, OSError):
            received.put(None)

    reader = threading.Thread(target=pump, name="chronicle-refold", daemon=True)
    reader.start()
    try:
        more = True
        for values, versions in compute(conn, head, parts[0], ctx):
            _insert(conn, values, versions)
            while more and not received.empty():
                more = _take(received.get(), conn, worker)
        while more:
            more = _take(received.get(), conn, worker)
        worker.join()
    finally:
        if worker.is_alive():
            worker.terminate()
            worker.join()
        while reader.is_alive():  # let it see the end of the pipe and stop
            try:
                received.get(timeout=0.1)
            except queue.Empty:
                pass
        receive.close()


def _claims(conn: sa.Connection, head: int) -> dict[str, int]:
    """Claims per model (corrections included: a weight, not a count anyone reads)."""
    e = tables.events.c
    query = sa.select(e.stream, sa.func.count()).where(e.seq <= head, e.stream.in_(_MODELS)).group_by(e.stream)
    return {stream: int(n) for stream, n in conn.execute(query)}


def _halves(ordered: Sequence[str], weights: Mapping[str, int], share: float) -> list[Sequence[str]]:
    """``ordered`` cut in two where the claims before the cut first reach ``share`` of them."""
    cut, total = sum(weights.values()) * share, 0
    for i, model in enumerate(ordered):
        total += weights.get(model, 0)
        if total >= cut:
            return [p for p in (ordered[: i + 1], ordered[i + 1 :]) if p]
    return [ordered]


def _computed(conn: sa.Connection, head: int, models: Sequence[str], ctx: Context,
              ) -> Iterator[tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    """The values' rows and the versions' rows of ``models`` (a range of slugs), a chunk at a time."""
    wanted = set(models)
    floors = floors_at(conn, at_seq=head)
    everything = fold(scan(conn, head, first=models[0], last=models[-1]), wanted, floors) if models else {}
    by_model: dict[str, list[tuple[str, str, str]]] = {}
    for key in sorted(everything):
        by_model.setdefault(key[0], []).append(key)
    for chunk in chunks(models, FOLD_CHUNK):
        rows = shadow([_row(k, everything.pop(k)) for m in chunk for k in by_model.get(m, ())])
        yield rows, _versions_of(chunk, rows, ctx)


def _reversioned(conn: sa.Connection, head: int, models: Sequence[str], ctx: Context,
                 ) -> Iterator[tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    """The versions' rows of ``models`` from their stored values, a chunk at a time (no values' rows)."""
    for chunk in chunks(models, FOLD_CHUNK):
        yield [], _versions_of(chunk, conn.execute(sa.select(T).where(T.c.model.in_(chunk))).all(), ctx)


def _insert(conn: sa.Connection, values: list[dict[str, Any]], versions: list[dict[str, Any]]) -> None:
    database.bulk_insert(conn, T, values)
    database.bulk_insert(conn, R, versions)


def _take(blob: bytes | None, conn: sa.Connection, worker: Any) -> bool:
    """Write a chunk the worker sent (None: the pipe ended); False once it has sent everything."""
    if blob is None:
        worker.join()
        raise StoreError(f"the refold's second process ended without sending its rows (exit code {worker.exitcode}); "
                         "nothing was written", ONE_CORE)
    kind, payload = pickle.loads(blob)
    if kind == "error":
        raise StoreError(f"the refold's second process failed: {payload}; nothing was written", ONE_CORE)
    if kind == "done":
        return False
    _insert(conn, *payload)
    return True


def _refold_worker(send: Any, store: Store, head: int, models: Sequence[str], ctx: Context,
                   compute: Compute) -> None:
    """In the forked process: compute the rows of ``models`` on a connection of its own and send them."""
    store.engine.dispose(close=False)  # the parent's pooled connections are the parent's
    try:
        with collection_paused(), store.engine.connect() as conn:
            for values, versions in compute(conn, head, models, ctx):
                send.send_bytes(pickle.dumps(("rows", (values, versions)), protocol=pickle.HIGHEST_PROTOCOL))
        send.send_bytes(pickle.dumps(("done", None)))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which fails the refold
        send.send_bytes(pickle.dumps(("error", f"{type(exc).__name__}: {exc}")))
    finally:
        send.close()


def status(store: Store, head: int) -> list[dict[str, Any]]:
    """Where ``model_values`` and ``model_rows`` stand: checkpoint, lag and size, and whether reads use them."""
    current = dict(zip((NAME, ROWS), stamps(store, {e.slug: e for e in store.entities()}), strict=True))
    out = []
    with store.engine.connect() as conn:
        for name, table in ((NAME, T), (ROWS, R)):
            point = _checkpoint(conn, name)
            rows = int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())
            seq = int(point.seq) if point is not None else None
            updated = point.updated_at if point is not None else None
            if updated is not None and updated.tzinfo is None:
                updated = updated.replace(tzinfo=timezone.utc)
            out.append({
                "name": name, "table": table.name, "version": Models.version, "checkpoint_seq": seq,
                "lag": head - (seq or 0), "rows": rows, "updated_at": updated.isoformat() if updated else None,
                "current": point is not None and seq == head and point.version == Models.version
                and point.stamp == current[name],
            })
    return out


@dataclass
class Answer:
    """The models rows at each cutoff asked, and what they were computed from."""

    store_seq: int
    rows: list[list[dict[str, Any]]]  # per cutoff
    corrections: list[Event]


# -- rows ------------------------------------------------------------------------------
#
# A model's row at cutoff x depends on x only through which of its values'
# start, end and forecast days are <= x. Between two such days the row is the
# same, so ``model_rows`` keeps one version per model and day its row changes,
# and an as-of reads, per model, the version with the greatest ``since`` <= x:
# one index seek, the cost of "the latest event per subject". A late event
# recomputes only its models' versions.

#: One value as the sweep reads it: cell, key, start, end, forecast start, and
#: the claim behind each of the three (event id, document, quote).
Item = tuple[str, str, "int | None", "int | None", "int | None", Any, Any, Any]
LISTING_CELLS = tuple(sorted(LISTING))


def _item(cell: str, key: str, picks: Sequence[Pick | None]) -> Item:
    days = [None if p is None else p[0] for p in picks]
    evidence = [None if p is None else p[1:] for p in picks]
    return (cell, key, days[0], days[1], days[2], evidence[0], evidence[1], evidence[2])


def _seen_at(item: Item, x: int) -> Seen | None:
    _, key, starts, ends, expected, ev_starts, ev_ends, ev_expected = item
    since = min(d for d in (starts, expected) if d is not None) if starts is not None or expected is not None else 0
    if ends is not None and ends <= x:
        return Seen(key, HAPPENED, ev_ends, since)
    if starts is not None and starts <= x:
        return Seen(key, POSSIBLY, ev_starts, since)
    if expected is not None and expected <= x:
        return Seen(key, EXPECTED, ev_expected, since)
    return None


def versions(model: str, items: Sequence[Item], has_release: bool, ctx: Context) -> list[tuple[int, str | None]]:
    """The model's row from each day it changes on: (day ordinal, the row as JSON or None).

    ``items`` are the model's values that can show (not shadowed). The sweep
    goes through the days on which a value appears or its status changes,
    keeps each cell's visible values, and builds the row with ``model_row``
    where something a row shows changed: any value of a shown cell, a value
    of a listing cell that is among its newest, whether sources disagree.
    """
    on: dict[int, list[int]] = {}
    for i, item in enumerate(items):
        for day in {item[2], item[3], item[4]}:
            if day is not None:
                on.setdefault(day, []).append(i)
    cells: dict[str, dict[str, Seen]] = {}
    listed: dict[str, list[str]] = {name: [] for name in LISTING_CELLS}  # visible keys, oldest first
    documents: dict[str, dict[str, int]] = {name: {} for name in DISAGREEMENTS}
    out: list[tuple[int, str | None]] = []
    last: str | None = None
    disagree = False
    memo: dict[Any, Any] = {}
    exact = any("NaN" in item[1] or "Infinity" in item[1] for item in items)
    for day in sorted(on):
        changed = False
        for i in sorted(on[day], key=lambda i: (items[i][0], items[i][1])):
            item = items[i]
            cell, key = item[0], item[1]
            now = _seen_at(item, day)
            if now is None:
                continue
            values = cells.setdefault(cell, {})
            before = values.get(key)
            if before is not None and before[1:3] == now[1:3]:
                continue
            values[key] = now
            if cell in documents:
                counts = documents[cell]
                if before is not None:
                    counts[before.evidence[1]] -= 1
                    if not counts[before.evidence[1]]:
                        del counts[before.evidence[1]]
                counts[now.evidence[1]] = counts.get(now.evidence[1], 0) + 1
            elif cell == ANY:
                changed = changed or not cells.get(RELEASE)  # the row's basis only while no release shows
            elif cell in listed:
                order = listed[cell]
                if before is None:
                    order.append(key)  # values appear on their ``since`` day, in key order on a tie
                    changed = True
                elif key in order[-LISTED:]:
                    changed = True
            else:
                changed = True
        flag = any(len(cells.get(name, ())) > 1 and len(documents[name]) > 1 for name in DISAGREEMENTS)
        if flag != disagree:
            disagree, changed = flag, True
        if not changed:
            continue
        shown = {name: sorted(values.values()) for name, values in cells.items()
                 if name not in listed and name not in documents}
        totals = {}
        for name, order in listed.items():
            if order:
                shown[name] = sorted(cells[name][k] for k in order[-LISTED:])
                totals[name] = len(order)
        row = model_row(model, shown, has_release, ctx, disagree=disagree, totals=totals, memo=memo)
        body = None if row is None else _body(row, exact)
        if body != last or not out:
            out.append((day, body))
            last = body
    return out


#: A row's keys after its cells' values, which ``_body`` leaves out and ``_row_of`` puts back.
_AFTER = ("open", "release_order")


#: How ``_body`` writes rows; part of the rows' stamp, so rows written
#: otherwise are written again before they are read.
BODY_FORMAT = "b2"
#: Starts a body that only ``json`` reads back exactly (JSON allows leading space).
_BY_JSON = " "


def _body(row: dict[str, Any], exact: bool) -> str:
    """A row as JSON text, without the copy of each cell's value at the top level.

    orjson writes it several times faster than ``json`` (a rebuild writes
    tens of thousands) and reads it back 1.6 times faster; ``json`` where
    orjson would not give the value back (NaN and infinities it writes as
    null, integers past 64 bits it refuses to write and reads as floats),
    and such a body starts with a space so that ``_row_of`` knows.
    """
    row = {k: v for k, v in row.items() if k not in row["cells"]}
    if not exact:
        try:
            return orjson.dumps(row).decode()
        except TypeError:
            pass
    return _BY_JSON + json.dumps(row, ensure_ascii=False, separators=(",", ":"))


def _row_of(body: str) -> dict[str, Any]:
    """The row ``_body`` wrote, keys in the same order (the cells' values after the cells)."""
    row = json.loads(body) if body.startswith(_BY_JSON) else orjson.loads(body)
    after = [row.pop(k) for k in _AFTER]
    for name, cell in row["cells"].items():
        row[name] = cell["value"]
    row.update(zip(_AFTER, after, strict=True))
    return row  # type: ignore[no-any-return]


def _context_stamp(ctx: Context, models: Iterable[str]) -> str:
    """What a row takes from the entities besides its values (names, orgs, countries, families), and its format."""
    parts = []
    for m in sorted(models):
        org = ctx.org_of(m)
        entity = ctx.entities.get(m)
        parts.append("\x1e".join(map(str, (m, ctx.name_of(m), org, ctx.name_of(org) if org else None,
                                            ctx.country_of(m), entity.family if entity else None))))
    return f"{BODY_FORMAT}:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def _write_versions(conn: sa.Connection, models: Sequence[str], rows: Iterable[Any], ctx: Context) -> None:
    """Recompute the versions of ``models`` from their values (dicts or table rows)."""
    out = _versions_of(models, rows, ctx)
    conn.execute(R.delete().where(R.c.model.in_(list(models))))
    database.bulk_insert(conn, R, out)


def _versions_of(models: Sequence[str], rows: Iterable[Any], ctx: Context) -> list[dict[str, Any]]:
    """The ``model_rows`` rows of ``models`` from their values (dicts or table rows)."""
    by_model: dict[str, tuple[list[Item], list[bool]]] = {m: ([], [False]) for m in models}
    for row in rows:
        m: Mapping[str, Any] = row if isinstance(row, dict) else row._mapping
        items, released = by_model[m["model"]]
        if m["cell"] == RELEASE:
            released[0] = True
        if not m["shadowed"]:
            picks: list[Pick | None] = [
                None if m[n] is None else (int(m[n]), m[f"{n}_event"], m[f"{n}_document"], m[f"{n}_quote"])
                for n in PICKS
            ]
            items.append(_item(m["cell"], m["value"], picks))
    out = []
    for model in models:
        items, released = by_model[model]
        out.append({"model": model, "since": -1, "body": None})
        out += [{"model": model, "since": day, "body": body} for day, body in versions(model, items, released[0], ctx)]
    return out


def rows_at(store: Store, cutoff: date, entities: Mapping[str, Entity], *, at_seq: int | None = None) -> Answer | None:
    """The models rows at ``cutoff`` on the whole log, or None when the table is not current."""
    return rows_between(store, [cutoff], entities, at_seq=at_seq, unchanged=True)


#: Per model, its version at the cutoff: the greatest ``since`` <= :x (the
#: model's ``since`` = -1 row when none, which has no body).
_AT = """
SELECT h.model, v.since, v.body FROM model_rows h
JOIN model_rows v ON v.model = h.model
 AND v.since = (SELECT max(w.since) FROM model_rows w WHERE w.model = h.model AND w.since <= :x)
WHERE h.since = -1
"""

#: Per model whose version differs between two cutoffs, both versions (the
#: ``since`` = -1 one where it has none yet). Unchanged models cost two index
#: seeks and no body is read for them: a diff reads what it reports. (Both
#: databases filter on the two ``since`` before joining the bodies: 1M events,
#: SQLite 15 ms, PostgreSQL 54 ms, against 17 and 77 ms joining first.)
_CHANGED = """
SELECT m.model, m.a, x.body, m.b, y.body FROM (
 SELECT h.model AS model,
  (SELECT max(w.since) FROM model_rows w WHERE w.model = h.model AND w.since <= :a) AS a,
  (SELECT max(w.since) FROM model_rows w WHERE w.model = h.model AND w.since <= :b) AS b
 FROM model_rows h WHERE h.since = -1
) m
JOIN model_rows x ON x.model = m.model AND x.since = m.a
JOIN model_rows y ON y.model = m.model AND y.since = m.b
WHERE m.a <> m.b
"""


def stamps(store: Store, entities: Mapping[str, Entity]) -> tuple[str, str]:
    """The stamps of the values and of the rows for these entities, kept on the store between answers."""
    cached = store.cache.get("modelvalues-stamps")
    if cached is not None and cached[0] == entities:
        return cached[1]  # type: ignore[no-any-return]
    ctx = Context(entities=entities, documents={})
    stamps = (_stamp(entities.values()), _context_stamp(ctx, (s for s, e in entities.items() if e.kind == "model")))
    store.cache["modelvalues-stamps"] = (dict(entities), stamps)
    return stamps


def rows_between(
    store: Store, cutoffs: Sequence[date], entities: Mapping[str, Entity], *, at_seq: int | None = None,
    unchanged: bool = False,
) -> Answer | None:
    """The models rows at each cutoff, or None when the tables are not current.

    Each model's row is its version at the cutoff in ``model_rows``. With
    ``unchanged=False`` (a diff: two cutoffs) a model with the same version at
    both is left out of both answers, unread: a diff has nothing to say of it.
    """
    if not unchanged and len(cutoffs) != 2:
        raise ValueError("rows_between(unchanged=False) compares two cutoffs")
    xs = [c.toordinal() for c in cutoffs]
    values_stamp, rows_stamp = stamps(store, entities)
    with store.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            point, rows_point = _checkpoint(conn), _checkpoint(conn, ROWS)
            head = int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(tables.events.c.seq), 0))).scalar_one())
            if (point is None or point.version != Models.version or int(point.seq) != head
                    or (at_seq is not None and at_seq != head) or point.stamp != values_stamp
                    or rows_point is None or rows_point.version != Models.version or int(rows_point.seq) != head
                    or rows_point.stamp != rows_stamp):
                return None
            found: list[Sequence[Any]]
            if unchanged:
                found = [conn.execute(sa.text(_AT), {"x": x}).all() for x in xs]
            else:
                both = conn.execute(sa.text(_CHANGED), {"a": xs[0], "b": xs[1]}).all()
                found = [[(m, a, body) for m, a, body, _, _ in both], [(m, b, body) for m, _, _, b, body in both]]
    corrected = in_effect(store, head)
    corrections = corrected.events
    # A correction's subject is its target's; a claim a preferred one outranks is about the same subject.
    irregular = {e.subject for e in corrections} | {e.subject for e in corrected.targets.values()}
    # Rows are thousands of small dicts that all stay alive: decoded without the
    # cyclic collector traversing them again and again, then handed to the old generation.
    with collection_paused(promote=True):
        answers = [[_row_of(body) for model, _, body in rows if body is not None and model not in irregular]
                   for rows in found]
    projection = Models()
    if any(e.kind == "model" for s in irregular if (e := entities.get(s)) is not None):
        # Corrected models: from their claims, as at any other basis.
        ctx = applied(Context(entities=entities, documents={}), corrected.seen())
        flt = LogFilter(at_seq=head, subjects=tuple(sorted(irregular)), until=max(cutoffs),
                        future_types=tuple(sorted(RELEASE_TYPES)), ordered=False)
        state = State(projection)
        state.apply(store.read(flt, reading=True), ctx)
        for i, cutoff in enumerate(cutoffs):
            answers[i] += state.rows(Basis(cutoff, "", None, head), ctx)
    return Answer(head, [projection.sort_rows(rows) for rows in answers], corrections)
