"""Read-model tables: each projection kept as plain rows inside the database.

After every append (ingest, rank, retract) each projection's ``rm_<name>``
table is brought up to the log's head, as of today; its checkpoint (the
sequence number the rows reflect) is written in the same transaction, so a
SQL client never sees rows and checkpoint disagree. After an ingest only
the rows the new events make or change are computed (see ``TableRefresh``);
whatever may have changed more (a correction, entities, a new day, a new
projection version) is recomputed whole. The tables are derived state,
disposable like any projection: ``rebuild`` recomputes them from the log.
"""

from __future__ import annotations

import itertools
import multiprocessing
import pickle
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from typing import Any

import sqlalchemy as sa

from chronicle import database, modelvalues, queries, tables
from chronicle.conflicts import rival_facts, unsettled_events
from chronicle.corrected import applied, in_effect
from chronicle.events import CORRECTION_TYPES, UPCASTERS, Entity, Event
from chronicle.fuzzydate import FuzzyDate, parse
from chronicle.guard import derived_writes
from chronicle.floors import bounded_events, bounded_subjects
from chronicle.floors import floors as floors_at
from chronicle.floors import moved as moved_floors
from chronicle.hashchain import canonical_json
from chronicle.projections import REGISTRY, Basis, Claim, Context, State, get
from chronicle.projections.base import claim_status, status_at
from chronicle.projections.models import RELEASE_TYPES
from chronicle.projections.series import METRIC_FACTS, context_of, period_at, summary_of
from chronicle.projections.values import display, hedged
from chronicle.reading import Floors, floor_of, floored
from chronicle.render import cell
from chronicle.store import Claimed, LogFilter, Store, chunks, claimed, collection_paused, second_core

# Names the read-model refresh among PostgreSQL advisory locks ("chrrm").
PG_REFRESH_LOCK = 0x636872726D
TABLES: dict[str, sa.Table] = {
    "models": tables.rm_models, "orgs": tables.rm_orgs, "metrics": tables.rm_metrics,
    "talent": tables.rm_talent, "timeline": tables.rm_timeline,
}


def _text(value: Any) -> str | None:
    """A cell as plain text: several values (sources that disagree) joined with "; "."""
    if value is None:
        return None
    if isinstance(value, list):
        return "; ".join(cell(v) for v in value)
    return cell(value)


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    return {"status": row["status"], "sources": row["sources"], "conflict": bool(row["conflict"]),
            "evidence_json": canonical_json(row["evidence"])}


def _claim(row: dict[str, Any]) -> dict[str, Any]:
    evidence = row["evidence"][0] if row["evidence"] else {"quote": ""}
    return {"when_text": row.get("when_text") or "", "when_edtf": row["when"],
            "earliest": _day(row.get("earliest")), "latest": _day(row.get("latest")),
            "precision": row["precision"], "status": row["status"], "certainty": row["certainty"],
            "document": row["document"], "quote": evidence["quote"]}


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _model(row: dict[str, Any]) -> dict[str, Any]:
    release = row.get("first_release")
    best = release[0] if isinstance(release, list) else release
    bounds = parse(best) if best else None
    return {
        "id": row["id"], "name": row["name"], "org": row.get("org"), "org_name": row.get("org_name"),
        "country": row.get("country"), "family": row.get("family"), "first_release": _text(release),
        "first_release_earliest": bounds.earliest if bounds else None,
        "first_release_latest": bounds.latest if bounds else None,
        "openness": _text(row.get("openness")), "open": bool(row.get("open")), "license": _text(row.get("license")),
        "parameters": _text(row.get("parameters")), "modalities": _text(row.get("modalities")),
        "benchmarks": _text(row.get("benchmarks")), **_summary(row),
    }


def _org(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], "name": row["name"], "country": row.get("country"),
            **{c: _text(row.get(c)) for c in ("funding", "valuation", "ipo", "revenue", "users")}, **_summary(row)}


def _quantity(raw: Any) -> tuple[float | None, str | None, str | None]:
    """A metric's value as (number, unit, operator), where it is a number."""
    if isinstance(raw, dict) and isinstance(raw.get("value"), (int, float)):
        return float(raw["value"]), raw.get("unit"), raw.get("op", "=")
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return float(raw), None, None
    return None, None, None


def _metric(row: dict[str, Any]) -> dict[str, Any]:
    number, unit, op = _quantity(row.get("raw"))
    return {"id": row["id"], "subject": row["subject"], "subject_name": row["subject_name"], "metric": row["metric"],
            "value": row["value"], "value_number": number, "unit": unit, "op": op, "context": row.get("context") or None,
            **_claim(row)}


def _talent(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], "period": row["period"], "person": row["person"], "from_org": row.get("from_org"),
            "to_org": row.get("to_org"), "role": _text(row.get("role")),
            "count": row.get("count") if isinstance(row.get("count"), int) else None, **_claim(row)}


def _timeline(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], "type": row["type"], "subject": row["subject"], "subject_name": row["subject_name"],
            "summary": row["summary"], **_claim(row)}


ROWS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "models": _model, "orgs": _org, "metrics": _metric, "talent": _talent, "timeline": _timeline,
}


@dataclass
class Run:
    """What one refresh computes from: the log up to ``head``, as of ``cutoff``."""

    store: Store
    head: int
    cutoff: date
    ctx: Context
    #: Whether a table recomputed whole by subject may be computed by a forked
    #: process (see :class:`Beside`) while this one makes the per-claim rows.
    fork: bool = False

    def __post_init__(self) -> None:
        self.later: list[Beside] = []  # tables being computed in a forked process
        self._cells: dict[tuple[int, str], tuple[Any, ...] | None] = {}
        self._dates: list[FuzzyDate] = []
        self._names: dict[str, str] = {}
        self._day = database.stored_date(self.store.dialect)

    def slugs(self, kinds: Sequence[str]) -> list[str]:
        return sorted(s for s, e in self.ctx.entities.items() if e.kind in kinds)

    def claim_cells(self, when: FuzzyDate, certainty: str) -> tuple[Any, ...] | None:
        """A claim's cells from its date and certainty, in table order (when_text, when_edtf, earliest,
        latest, precision, status, certainty) and in the driver's form (see ``database.stored_date``);
        None when it has not happened by the cutoff."""
        key = (id(when), certainty)
        try:
            return self._cells[key]
        except KeyError:
            pass
        # Keyed by identity, so many claims sharing one date are one look-up;
        # the date is kept alive while its key is in use.
        self._dates.append(when)
        st = status_at(when, certainty, self.cutoff)
        day = self._day
        found = self._cells[key] = None if st is None else (
            when.text or "", when.edtf, day(when.earliest), day(when.latest), when.precision.value, st, certainty)
        return found

    def name_of(self, slug: str | None) -> str:
        """``ctx.name_of``, once per slug."""
        try:
            return self._names[slug]  # type: ignore[index]
        except KeyError:
            found = self._names[slug] = self.ctx.name_of(slug)  # type: ignore[index]
            return found


def open_run(store: Store, head: int, cutoff: date) -> Run:
    """A refresh's run: the log up to ``head`` with its corrections and the entities, as of ``cutoff``."""
    ctx = Context(entities=queries._entities(store), documents={})
    return Run(store, head, cutoff, applied(ctx, in_effect(store, head).seen()))


#: A table's share of a pass over the log: the events after ``after`` are
#: handed to ``take`` a batch at a time, as claim tuples (one read serves
#: every such table).
@dataclass
class Feed:
    after: int
    take: Callable[[list[Claimed]], None]


class TableRefresh:
    """How one projection's table is brought up to date: all of it, or after an append.

    ``rebuild`` recomputes every row; ``catch_up`` (when ``incremental``)
    makes the rows of a table that was current at ``after`` current at the
    run's head, given that nothing but new claims arrived in between (no
    correction, no change of entities, the same projection version and day).
    Either may return a :class:`Feed` to be given events from the log. A
    projection whose rows need more (another table, rows that depend on
    other keys) supplies a refresh of its own, or none: it is then rebuilt.
    """

    incremental = False

    def __init__(self, name: str) -> None:
        self.name = name
        self.projection = REGISTRY[name]
        self.table = TABLES[name]
        self.to_row = ROWS[name]

    def rebuild(self, conn: sa.Connection, run: Run) -> Feed | None:
        raise NotImplementedError

    def catch_up(self, conn: sa.Connection, run: Run, after: int, subjects: set[str]) -> Feed | None:
        return self.rebuild(conn, run)

    def _insert(self, conn: sa.Connection, rows: list[dict[str, Any]]) -> None:
        database.bulk_insert(conn, self.table, rows)


class PerClaim(TableRefresh):
    """One row per claim, derived from that event alone (metrics, talent, timeline).

    A row depends on its event, the entities' names, the cutoff and whether
    a correction leaves the event out: after an append the rows of the new
    events are all that is missing.

    The rows are made straight from the columns they need (:data:`Claimed`),
    as table values, with what many claims share (a date's cells and status,
    a subject's name) worked out once per run: they are the rows the
    projection's ``derive`` gives, mapped by ``ROWS`` (see :meth:`derived`),
    at a fraction of the cost.
    """

    incremental = True

    def rebuild(self, conn: sa.Connection, run: Run) -> Feed | None:
        conn.execute(self.table.delete())
        return self.catch_up(conn, run, 0, set())

    def catch_up(self, conn: sa.Connection, run: Run, after: int, subjects: set[str]) -> Feed | None:
        return Feed(after, lambda batch: self._add(conn, run, batch))

    def _add(self, conn: sa.Connection, run: Run, batch: list[Claimed]) -> None:
        with collection_paused():
            values = self.values(run, batch)
        self.put(conn, values)

    def redo(self, conn: sa.Connection, run: Run, claims: Sequence[tuple[str, str]]) -> None:
        """Work out again the rows of these (subject, event id) claims, already in the table."""
        if not claims:
            return
        wanted = {event_id for _, event_id in claims}
        ids = self.table.c.id
        for chunk in chunks(sorted(wanted), 100):
            conn.execute(self.table.delete().where(sa.or_(ids.in_(chunk), *(ids.startswith(f"{e}#", autoescape=True)
                                                                           for e in chunk))))
        flt = LogFilter(at_seq=run.head, subjects=tuple(sorted({s for s, _ in claims})), ordered=False)
        again = [c for batch in run.store.read_claims(flt) for c in batch if c[1] in wanted]
        with collection_paused():
            values = self.values(run, again)
        self.put(conn, values)

    def put(self, conn: sa.Connection, values: list[tuple[Any, ...]]) -> None:
        """Insert rows as :meth:`values` gives them."""
        database.bulk_insert_values(conn, self.table, values, stored=True)

    def values(self, run: Run, batch: list[Claimed]) -> list[tuple[Any, ...]]:
        """The table's rows from a batch of claims, as values in column order."""
        raise NotImplementedError

    def derived(self, run: Run, events: list[Event]) -> list[dict[str, Any]]:
        """The same rows (as dicts) through the projection's own ``derive``: what :meth:`values` must equal."""
        projection, ctx, cutoff = self.projection, run.ctx, run.cutoff
        rows = []
        for event in events:
            keys = projection.keys(event, ctx)
            if not keys or event.event_id in ctx.left_out:
                continue
            st = claim_status(event, cutoff)
            if st is None:
                continue
            claims, known = [Claim(event, st)], [event]
            for key in keys:
                row = projection.derive(key, claims, known, ctx)
                if row is not None:
                    rows.append(self.to_row(row))
        return rows


class Metrics(PerClaim):
    def values(self, run: Run, batch: list[Claimed]) -> list[tuple[Any, ...]]:
        cells, name_of, left_out = run.claim_cells, run.name_of, run.ctx.left_out
        measured = METRIC_FACTS
        out = []
        for _, event_id, kind, subject, when, certainty, facts, document, quote, stance in batch:
            found = measured.get(kind)
            if not found or event_id in left_out:
                continue
            metrics = [f for f in found if f in facts]
            if not metrics:
                continue
            tail = cells(when, certainty)
            if tail is None:
                continue
            tail += (document, quote)
            head = (subject, name_of(subject))
            context = context_of(facts) or None
            for fact in metrics:
                raw = facts[fact]
                out.append((f"{event_id}#{fact}", *head, fact, hedged(display(raw), stance), *_quantity(raw), context,
                            *tail))
        return out


class Talent(PerClaim):
    def values(self, run: Run, batch: list[Claimed]) -> list[tuple[Any, ...]]:
        cells, name_of, left_out = run.claim_cells, run.name_of, run.ctx.left_out
        by = self.projection.by  # type: ignore[attr-defined]
        out = []
        for _, event_id, kind, subject, when, certainty, facts, document, quote, _stance in batch:
            if kind != "talent_move" or event_id in left_out:
                continue
            tail = cells(when, certainty)
            if tail is None:
                continue
            get = facts.get
            from_org, to_org, count = get("from_org"), get("to_org"), get("count")
            out.append((event_id, period_at(when, by), name_of(get("person", subject)),
                        name_of(from_org) if from_org else None, name_of(to_org) if to_org else None,
                        _text(get("role")), count if isinstance(count, int) else None,
                        *tail, document, quote))
        return out


class Timeline(PerClaim):
    def values(self, run: Run, batch: list[Claimed]) -> list[tuple[Any, ...]]:
        cells, name_of, left_out = run.claim_cells, run.name_of, run.ctx.left_out
        corrections = CORRECTION_TYPES
        out = []
        for _, event_id, kind, subject, when, certainty, facts, document, quote, stance in batch:
            if kind in corrections or event_id in left_out:
                continue
            tail = cells(when, certainty)
            if tail is None:
                continue
            out.append((event_id, kind, subject, name_of(subject), hedged(summary_of(facts), stance), *tail, document,
                        quote))
        return out


class BySubject(TableRefresh):
    """One row per subject of some kinds, from every claim about it (models, orgs).

    A row depends on its subject's events alone (its cells, its evidence and
    the conflicts among them: conflicts are between claims about one
    subject), besides entities and corrections: after an append only the
    subjects the new events are about are recomputed, each from all of its
    events, read with a filter on the stream.
    """

    incremental = True
    #: Subjects read and folded together, and how many events at most
    #: (unless one subject has more): bounds the memory of a refresh.
    CHUNK = 500
    CHUNK_EVENTS = 5_000

    def rebuild(self, conn: sa.Connection, run: Run) -> Feed | None:
        conn.execute(self.table.delete())
        subjects = run.slugs(self._kinds())
        if run.fork and subjects:
            beside = Beside(self, run, subjects)
            if beside.start():
                run.later.append(beside)
                return None
        self._compute(conn, run, subjects)
        return None

    def catch_up(self, conn: sa.Connection, run: Run, after: int, subjects: set[str]) -> Feed | None:
        touched = sorted(set(run.slugs(self._kinds())) & subjects)
        for chunk in chunks(touched, self.CHUNK):
            conn.execute(self.table.delete().where(self.table.c.id.in_(chunk)))
        self._compute(conn, run, touched)
        return None

    def _kinds(self) -> tuple[str, ...]:
        kinds = self.projection.subject_kinds
        assert kinds is not None, f"{self.name}: rows by subject need the kinds of their subjects"
        return kinds

    def _compute(self, conn: sa.Connection, run: Run, subjects: Sequence[str]) -> None:
        for rows in self.rows(run, subjects):
            self._insert(conn, rows)

    def rows(self, run: Run, subjects: Sequence[str]) -> Iterator[list[dict[str, Any]]]:
        """The table rows of ``subjects``, a chunk of subjects at a time."""
        projection, ctx = self.projection, run.ctx
        future = tuple(sorted(projection.future_types or ()))
        basis = Basis(run.cutoff, "today", None, run.head)
        for chunk in self._by_size(run, subjects):
            flt = LogFilter(at_seq=run.head, subjects=tuple(chunk), until=run.cutoff, future_types=future,
                            ordered=False)
            events, rivals = self._read(run, flt)
            state = State(projection)
            state.apply(events, ctx)
            visible = [e for e in (*events, *rivals) if e.event_id not in ctx.retracted
                       and claim_status(e, run.cutoff) is not None]
            conflicted = unsettled_events(visible, ctx.ranks)
            rows = []
            for row in state.rows(basis, ctx):
                if "sources" not in row:  # else the projection counted them itself (models)
                    row["sources"] = len({e["document"] for e in row["evidence"]})
                    row["conflict"] = any(e["event"] in conflicted for e in row["evidence"])
                rows.append(self.to_row(row))
            yield rows

    def _read(self, run: Run, flt: LogFilter) -> tuple[list[Event], list[Event]]:
        """The events of ``flt`` the projection folds, and the others its rows' conflicts may involve.

        A conflict is among claims of one subject and fact: a row's claims
        (of the projection's ``event_types``) can only disagree with events
        that state one of their facts. Those are read besides them (picked
        in SQL by type and by the facts' keys in the stored JSON, then
        exactly); the rest of a subject's events (most of a busy one's) are
        not read at all. The rows' conflicts are those among all its events.
        """
        types = self.projection.event_types
        if types is None or types & RELEASE_TYPES or UPCASTERS:
            # Release dates conflict whatever the facts; upcast facts are not the stored ones.
            events = list(run.store.read(flt, reading=True))
            return events, []
        events = list(run.store.read(replace(flt, types=tuple(sorted(types))), reading=True))
        stated: dict[str, set[str]] = {}
        for e in events:
            stated.setdefault(e.subject, set()).update(rival_facts(e.facts))
        facts = sorted(set().union(*stated.values()))
        if not facts:
            return events, []
        others = run.store.read(replace(flt, subjects=tuple(sorted(stated)), other_types=tuple(sorted(types)),
                                        may_state=tuple(facts)), reading=True)
        rivals = [e for e in others if e.type not in CORRECTION_TYPES
                  and not stated[e.subject].isdisjoint(e.facts)]
        return events, rivals

    def _by_size(self, run: Run, subjects: Sequence[str]) -> Iterator[Sequence[str]]:
        """The subjects in chunks of at most CHUNK subjects and, where a subject allows, CHUNK_EVENTS events."""
        e = tables.events.c
        for chunk in chunks(subjects, self.CHUNK):
            query = (sa.select(e.stream, sa.func.count()).where(e.stream.in_(chunk), e.seq <= run.head)
                     .group_by(e.stream))
            with run.store.engine.connect() as conn:
                counts: dict[str, int] = {s: int(n) for s, n in conn.execute(query)}
            taken: list[str] = []
            size = 0
            for subject in chunk:
                found = counts.get(subject, 0)
                if taken and size + found > self.CHUNK_EVENTS:
                    yield taken
                    taken, size = [], 0
                taken.append(subject)
                size += found
            if taken:
                yield taken


class ModelRows(BySubject):
    """models: every row from the models' stored rows (``model_rows``), which ``refresh`` folds first.

    Reading one stored row per model costs less than recomputing a few busy
    models from their claims, so every row is rewritten each time; while the
    tables are not current at the refresh's head (an append landed between
    the two), rows are computed from claims as for any subject.
    """

    def rebuild(self, conn: sa.Connection, run: Run) -> Feed | None:
        return None if self._from_values(conn, run) else super().rebuild(conn, run)

    def catch_up(self, conn: sa.Connection, run: Run, after: int, subjects: set[str]) -> Feed | None:
        return None if self._from_values(conn, run) else super().catch_up(conn, run, after, subjects)

    def _from_values(self, conn: sa.Connection, run: Run) -> bool:
        answer = modelvalues.rows_at(run.store, run.cutoff, run.ctx.entities)
        if answer is None or answer.store_seq != run.head:
            return False
        conn.execute(self.table.delete())
        self._insert(conn, [self.to_row(r) for r in answer.rows[0]])
        return True


#: From this many events in the log on, a table by subject recomputed whole is
#: computed by a forked process while this one makes the per-claim tables' rows
#: (at 1M events: orgs 3.9 s beside a 13 s pass over the log).
BESIDE_EVENTS = 200_000


class Beside:
    """A table by subject recomputed whole by a forked process, while this one makes the per-claim rows.

    The other process reads the log on a connection of its own (the events up
    to the run's head do not change: the log is append-only) and sends the
    rows back in one piece when it is done (one row per subject: small);
    this process inserts them in its own transaction. Should the other
    process fail, this one computes the rows itself: the same rows either way.
    """

    def __init__(self, refresher: BySubject, run: Run, subjects: Sequence[str]) -> None:
        self.refresher, self.run, self.subjects = refresher, run, subjects
        self.failure: str | None = None  # why the rows were computed here after all

    def start(self) -> bool:
        """Fork the other process; False where there is no fork."""
        try:
            context = multiprocessing.get_context("fork")
        except ValueError:  # pragma: no cover - no fork on this platform
            return False
        self.receive, send = context.Pipe(duplex=False)
        self.worker = context.Process(target=_beside_worker, args=(send, self.refresher, self.run, self.subjects),
                                      daemon=True)
        self.worker.start()
        send.close()
        return True

    def finish(self, conn: sa.Connection) -> None:
        """Insert the other process's rows, or compute them here if it sent none."""
        try:
            kind, rows = pickle.loads(self.receive.recv_bytes())
        except (EOFError, OSError):
            kind, rows = "error", None
        finally:
            self.stop()
        if kind != "rows":
            self.failure = rows or f"it ended with exit code {self.worker.exitcode}"
            self.refresher._compute(conn, self.run, self.subjects)
            return
        self.refresher._insert(conn, rows)

    def stop(self) -> None:
        """End the other process (the refresh is done with it, or failed)."""
        self.receive.close()
        if self.worker.is_alive():
            self.worker.join(timeout=5)
        if self.worker.is_alive():
            self.worker.terminate()
            self.worker.join()


def _beside_worker(send: Any, refresher: BySubject, run: Run, subjects: Sequence[str]) -> None:
    """In the forked process: compute the rows of ``subjects`` and send them."""
    run.store.engine.dispose(close=False)  # the parent's pooled connections are the parent's
    try:
        with collection_paused():
            rows = [row for part in refresher.rows(run, subjects) for row in part]
        send.send_bytes(pickle.dumps(("rows", rows), protocol=pickle.HIGHEST_PROTOCOL))
    except BaseException as exc:  # noqa: BLE001 - the parent computes the rows itself
        send.send_bytes(pickle.dumps(("error", f"{type(exc).__name__}: {exc}")))
    finally:
        send.close()


#: Projection name -> how its table is refreshed. A projection may register its own.
REFRESH: dict[str, TableRefresh] = {
    "models": ModelRows("models"), "orgs": BySubject("orgs"), "metrics": Metrics("metrics"),
    "talent": Talent("talent"), "timeline": Timeline("timeline"),
}


def per_claim() -> list[PerClaim]:
    """The per-claim tables, which an ingest's appends keep current (see :class:`Follow`)."""
    return [r for r in REFRESH.values() if isinstance(r, PerClaim)]


def _aware(moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment


def refresh(store: Store, names: Sequence[str] = (), *, today: date | None = None,
            incremental: bool = False, progress: Callable[[str], None] | None = None) -> int:
    """Bring the read-model tables of ``names`` (default: all) up to the log's head, as of today.

    Without ``incremental`` every row is recomputed from the log. With it (after
    an append), a table whose checkpoint is of today, of its projection's
    version, newer than any change of entities and followed by no correction
    only gets the rows the new events make or change; any other table is
    recomputed. Either way the rows are those a full recompute gives.
    Returns the sequence number the tables reflect. ``progress`` is told, a
    line at a time, what was done and how long it took (long work).
    """
    say = progress or (lambda line: None)
    started = time.perf_counter()

    def took() -> str:
        nonlocal started
        now, before = time.perf_counter(), started
        started = now
        return f"{now - before:.1f} s"

    wanted = [get(n).name for n in names] or list(REGISTRY)
    if "models" in wanted:
        # First, in its own transaction, so the models rows below come from it.
        modelvalues.catch_up(store)
        say(f"model values caught up in {took()}")
    # The rows of a whole recompute are many objects made and dropped
    # without cycles among them; the collector would only traverse them.
    with store.engine.connect() as conn, collection_paused():
        database.write_begin(conn)
        with conn.begin(), derived_writes(conn):
            # One refresh at a time, and each computed inside the lock from the
            # head it finds there: a later refresh never writes older rows
            # over newer ones.
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_REFRESH_LOCK})
            # Stamped before anything is read: an entity changed while this
            # refresh runs is newer than its checkpoint, and the next one rebuilds.
            now = datetime.now(timezone.utc)
            head = store.head()
            cutoff = queries._cutoff("today", today=today)
            run = open_run(store, head, cutoff)
            checkpoints = tables.projection_checkpoints
            points = {r.name: r for r in conn.execute(sa.select(checkpoints))}
            entities_changed = _aware(store.entities_stamp()[1])
            behind: dict[str, int] = {}
            for name in wanted:
                point = points.get(name)
                if point is None or not (incremental and REFRESH[name].incremental):
                    continue
                stamped = _aware(point.updated_at)
                if (point.version == REGISTRY[name].version and point.cutoff == cutoff and int(point.seq) <= head
                        and (entities_changed is None or (stamped is not None and entities_changed <= stamped))):
                    behind[name] = int(point.seq)
            if behind and _corrected(conn, min(behind.values()), head):
                behind.clear()
            subjects = _subjects(conn, min(behind.values()), head) if behind else set()
            bounded: list[tuple[str, str, int]] = []
            if behind:
                # A start that moved bounds undated claims already read: their subjects' rows again,
                # and their own rows in the per-claim tables.
                moved = moved_floors(floors_at(conn, at_seq=min(behind.values())), floors_at(conn, at_seq=head))
                bounded = bounded_events(conn, max(behind.values()), moved)
                subjects |= {subject for subject, _, _ in bounded}
            # A pass over the log to come: tables recomputed by subject may be computed beside it.
            passing = any(isinstance(REFRESH[n], PerClaim) and behind.get(n, -1) < head for n in wanted)
            run.fork = passing and head >= BESIDE_EVENTS and second_core()
            feeds: list[tuple[str, Feed]] = []
            say(f"corrections and entities read at sequence {head} in {took()}")
            try:
                for name in wanted:
                    refresher = REFRESH[name]
                    after = behind.get(name)
                    if after is None:
                        feed, how = refresher.rebuild(conn, run), "recomputed"
                    else:
                        if isinstance(refresher, PerClaim):
                            refresher.redo(conn, run, [(s, e) for s, e, seq in bounded if seq <= after])
                        feed = refresher.catch_up(conn, run, after, subjects) if after < head else None
                        how = "caught up"
                    if feed is not None:
                        feeds.append((name, feed))
                    elif not any(b.refresher is refresher for b in run.later):
                        say(f"{TABLES[name].name} {how} in {took()}")
                if feeds:
                    # One pass over the log for every table that wants events.
                    first = min(f.after for _, f in feeds)
                    read = 0
                    for batch in store.read_claims(LogFilter(after=first, at_seq=head, ordered=False)):
                        for _, feed in feeds:
                            feed.take(batch if feed.after == first else [c for c in batch if c[0] > feed.after])
                        read += len(batch)
                    say(f"{', '.join(TABLES[n].name for n, _ in feeds)} from {read} events in {took()}")
                for beside in run.later:
                    beside.finish(conn)
                    name = beside.refresher.table.name
                    if beside.failure is None:
                        say(f"{name} recomputed by a second process meanwhile, {took()} more")
                    else:
                        say(f"{name} recomputed here in {took()}: the second process failed ({beside.failure})")
            finally:
                for beside in run.later:
                    beside.stop()
            for name in wanted:
                conn.execute(checkpoints.delete().where(checkpoints.c.name == name))
                conn.execute(checkpoints.insert().values(name=name, version=REGISTRY[name].version, seq=head,
                                                         cutoff=cutoff, updated_at=now))
    return head


class Follow:
    """Per-claim tables kept current inside an ingest's own append transactions.

    A per-claim row is derived from its event alone, and the ingest holds
    its events: their rows are inserted in the transaction that appends
    them, with the table's checkpoint, instead of being read back from the
    log afterwards. Only a table that is current where the group starts
    (checkpoint at the log's end, of today, of its projection's version,
    no entity changed since) or that was never filled on an empty log is
    followed; any other is left to the refresh after the ingest.
    Use as ``Store.append_files(..., after_group=Follow(store))``; with
    ``ahead``, the rows of files worked out beforehand are taken from it.
    """

    def __init__(self, store: Store, *, today: date | None = None, ahead: Ahead | None = None) -> None:
        self.store = store
        self.today = today
        self.ahead = ahead
        self.tables = per_claim()

    def __call__(self, conn: sa.Connection, before: int, after: int, events: list[Event]) -> None:
        with derived_writes(conn):
            self._follow(conn, before, after, events)

    def _follow(self, conn: sa.Connection, before: int, after: int, events: list[Event]) -> None:
        if conn.dialect.name == "postgresql":
            # The refresh's lock: one writer of read-model tables at a time.
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_REFRESH_LOCK})
        now = datetime.now(timezone.utc)
        cutoff = queries._cutoff("today", today=self.today)
        checkpoints = tables.projection_checkpoints
        points = {r.name: r for r in conn.execute(sa.select(checkpoints))}
        # Read in this transaction: an ingest may have put entities in it.
        changed = _aware(self.store.entities_stamp(conn)[1])
        run = Run(self.store, after, cutoff, Context(entities=queries._entities(self.store, conn), documents={}))
        followed: list[tuple[PerClaim, datetime | None]] = []
        # A new claim may disagree with one ranked preferred, which leaves it out: the refresh decides.
        ranked = _ranked(conn, {e.subject for e in events}, before)
        for refresher in () if ranked else self.tables:
            name, point = refresher.name, points.get(refresher.name)
            if point is None:
                if before != 0:
                    continue
                conn.execute(refresher.table.delete())
                followed.append((refresher, now))
                continue
            stamped = _aware(point.updated_at)
            if (int(point.seq) != before or point.version != REGISTRY[name].version or point.cutoff != cutoff
                    or (changed is not None and (stamped is None or changed > stamped))):
                continue
            followed.append((refresher, stamped))
        floors = floors_at(conn, at_seq=after) if followed else {}
        if before and followed and bounded_subjects(
                conn, before, moved_floors(floors_at(conn, at_seq=before), floors), first=True):
            followed = []  # the group moved a start that bounds claims already stored: the refresh redoes them
        pieces = self._pieces(run, events, floors) if followed else []
        if self.ahead is not None:
            self.ahead.ready.clear()  # what the group's files brought is used once, or not at all
        for refresher, stamped in followed:
            name = refresher.name
            # New events are never the target of a correction already stored, nor outranked (see _ranked).
            values: list[tuple[Any, ...]] = []
            with collection_paused():
                for rows, claims in pieces:
                    values.extend(rows[name] if rows is not None else refresher.values(run, claims))
            refresher.put(conn, values)
            conn.execute(checkpoints.delete().where(checkpoints.c.name == name))
            conn.execute(checkpoints.insert().values(name=name, version=REGISTRY[name].version, seq=after,
                                                     cutoff=cutoff, updated_at=stamped))

    def _pieces(self, run: Run, events: list[Event], floors: Floors,
                ) -> list[tuple[dict[str, list[tuple[Any, ...]]] | None, list[Claimed]]]:
        """The group's events in order, as files whose rows were worked out ahead (when they were
        worked out from all of the file's events, appended now, at this cutoff and with these
        names, and none of them is an undated occurrence that a start bounds, which a file
        alone does not know) and as claims to work rows out from."""
        ahead = self.ahead
        if ahead is None or not ahead.ready or not ahead.fits(run, self.tables):
            return [(None, [claimed(e, floors) for e in events])]
        ready = ahead.ready
        pieces: list[tuple[dict[str, list[tuple[Any, ...]]] | None, list[Claimed]]] = []
        claims: list[Claimed] = []
        for document, same in itertools.groupby(events, key=lambda e: e.evidence.document):
            mine = list(same)
            found = ready.get(document)
            if (found is not None and found[0] == tuple(e.event_id for e in mine)
                    and not any(_bounded(e, floors) for e in mine)):
                if claims:
                    pieces.append((None, claims))
                    claims = []
                pieces.append((found[1], []))
            else:
                claims.extend(claimed(e, floors) for e in mine)
        if claims:
            pieces.append((None, claims))
        return pieces


class Ahead:
    """Per-claim rows of an ingest's files, worked out before their append.

    Once :meth:`start` has given it the entities the ingest will have stored,
    the process that validates a file can work out its rows too (``rows``),
    with their names and today's cutoff; the appending process puts them in
    ``ready`` by document, as ``(event ids, rows by table)``, and
    :class:`Follow` inserts them instead of working them out again, for each
    file whose events were all appended, provided the names and the cutoff
    are still those.
    """

    def __init__(self, store: Store, *, today: date | None = None) -> None:
        self.store = store
        self.today = today
        self.tables = per_claim()
        self.ctx: Context | None = None
        self.ready: dict[str, tuple[tuple[str, ...], dict[str, list[tuple[Any, ...]]]]] = {}

    def start(self, entities: dict[str, Entity]) -> None:
        self.cutoff = queries._cutoff("today", today=self.today)
        self.ctx = Context(entities=dict(entities), documents={})
        self.names = _names(self.ctx)

    def rows(self, events: Sequence[Event]) -> dict[str, list[tuple[Any, ...]]]:
        assert self.ctx is not None, "start() first"
        run = Run(self.store, 0, self.cutoff, self.ctx)
        claims = [claimed(e) for e in events]
        with collection_paused():
            return {r.name: r.values(run, claims) for r in self.tables}

    def fits(self, run: Run, wanted: Sequence[PerClaim]) -> bool:
        """Whether rows worked out here are those ``run`` gives for the tables ``wanted``."""
        mine = {t.name for t in self.tables}
        return (self.ctx is not None and run.cutoff == self.cutoff and all(t.name in mine for t in wanted)
                and _names(run.ctx) == self.names)


def _bounded(event: Event, floors: Floors) -> bool:
    """Whether a start bounds the event's date as answers read it."""
    when = event.when
    return (floored(event.type, when.earliest, when.latest, event.stance, event.certainty)
            and floor_of(floors, event.subject, event.entities) is not None)


def _names(ctx: Context) -> dict[str, str]:
    return {slug: entity.name for slug, entity in ctx.entities.items()}


def _corrected(conn: sa.Connection, after: int, head: int) -> bool:
    """Whether a correction was appended after ``after``: it may change any row."""
    e = tables.events.c
    query = sa.select(sa.func.count()).where(e.seq > after, e.seq <= head, e.type.in_(sorted(CORRECTION_TYPES)))
    return bool(conn.execute(query).scalar_one())


def _ranked(conn: sa.Connection, subjects: set[str], head: int) -> bool:
    """Whether a claim about one of ``subjects`` was ranked by ``head`` (a ranking's subject is its claim's)."""
    e = tables.events.c
    for chunk in chunks(sorted(subjects)):
        query = sa.select(e.seq).where(e.stream.in_(chunk), e.seq <= head, e.type == "claim_ranked").limit(1)
        if conn.execute(query).first() is not None:
            return True
    return False


def _subjects(conn: sa.Connection, after: int, head: int) -> set[str]:
    """The subjects of the events after ``after``."""
    e = tables.events.c
    return set(conn.execute(sa.select(e.stream).where(e.seq > after, e.seq <= head).distinct()).scalars())


def status(store: Store) -> dict[str, Any]:
    """Each read-model table's checkpoint, and how far it lags the log; the same for the folded tables."""
    head = store.head()
    checkpoints = tables.projection_checkpoints
    with store.engine.connect() as conn:
        found = {r.name: r for r in conn.execute(sa.select(checkpoints))}
        counts = {name: int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())
                  for name, table in TABLES.items()}
    items = []
    for name, projection in REGISTRY.items():
        point = found.get(name)
        seq = int(point.seq) if point is not None else None
        updated = point.updated_at if point is not None else None
        if updated is not None and updated.tzinfo is None:
            updated = updated.replace(tzinfo=timezone.utc)
        items.append({
            "name": name, "version": projection.version, "table": TABLES[name].name, "checkpoint_seq": seq,
            "lag": head - (seq or 0), "cutoff": point.cutoff.isoformat() if point is not None else None,
            "updated_at": updated.isoformat() if updated else None, "rows": counts[name],
            "current": point is not None and seq == head and point.version == projection.version,
        })
    return {"schema": "chronicle.projections-status/1", "basis": {"store_seq": head}, "projections": items,
            "folds": modelvalues.status(store, head)}
