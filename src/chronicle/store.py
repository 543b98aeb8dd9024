"""The append-only event store: append and read, nothing else.

Appends are all-or-nothing per batch and serialised by a write lock (SQLite:
``BEGIN IMMEDIATE``; PostgreSQL: a transaction-scoped advisory lock), so the
global sequence is gap-free and commits in sequence order: a follower reading
``after=N`` can never miss an event that commits late.
"""

from __future__ import annotations

import gc
import json
import os
import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, TypeVar

import sqlalchemy as sa

from chronicle import database, seals
from chronicle.errors import ConflictError, NotFoundError, RefusedError, StoreError
from chronicle.events import UPCASTERS, Document, Entity, Event, Evidence, stored_event, stored_evidence, upcast
from chronicle.fuzzydate import Anchor, FuzzyDate, Precision, Qualifier
from chronicle.floors import floors as floors_at
from chronicle.reading import Floors, floor_of, read_date
from chronicle.hashchain import EVENT_PART, GENESIS, canonical_json, chained_hash, event_part, row_hash
from chronicle.tables import documents as documents_t
from chronicle.tables import entities as entities_t
from chronicle.tables import events as events_t

# Any constant will do; it names chronicle's append lock among advisory locks.
PG_APPEND_LOCK = 0x6368726F6E  # "chron"
# SQLite can still say "database is locked" where its busy handler does not
# apply (e.g. a WAL checkpoint or recovery in another process); a write
# transaction is then retried from the start, a few times with backoff.
WRITE_ATTEMPTS = 6
WRITE_BACKOFF_S = 0.05
# Rows per executemany / IN (...) chunk: well under SQLite's bound-parameter limit.
CHUNK = 500
# Events an ingest appends per transaction (see Store.append_files), and the
# SQLite page cache it appends with, in KiB. A commit writes every page its
# transaction dirtied and new events touch index pages all over the table:
# at 1M events on SQLite groups of 5,000 spent 19 s of a 99 s append in
# COMMIT; groups of 50,000 took the append to 71 s (20,000: 78 s; one
# transaction for everything: 73 s). The cache: 128 MB appended no faster
# than 64 MB at 1M events and took peak memory from 461 to 497 MB.
GROUP_EVENTS = 50_000
APPEND_CACHE_KB = 64 * 1024

#: Fields compared when an event id arrives again; a difference is a refusal.
#: They are what the events file says. The quote's offsets are not among
#: them: they are found in the document's text when it is at hand, so the
#: same file ingested with and without the text must be the same event.
#: Offsets on both sides are compared apart (see ``_offsets_differ``).
COMPARED_FIELDS = (
    "type", "stream", "schema_version", "when_text", "when_edtf", "earliest", "latest",
    "precision", "qualifier", "anchor", "certainty", "entities", "facts", "document_id",
    "quote", "stance", "note",
)
OFFSET_FIELDS = ("quote_start", "quote_end")
DOCUMENT_FIELDS = ("title", "publisher", "url", "kind", "published", "window", "sha256", "text_name", "frame")


@contextmanager
def _page_cache(conn: sa.Connection) -> Iterator[None]:
    """A page cache large enough to hold what a group of appends dirties (SQLite).

    SQLite's default cache (2 MB) is far smaller than the index pages a
    group's events touch once the log has grown: it then writes pages out
    and reads them back several times within one transaction.
    """
    if conn.dialect.name != "sqlite":
        yield
        return
    # On the driver's connection: through SQLAlchemy a PRAGMA would open a transaction.
    driver: Any = conn.connection.driver_connection
    before = driver.execute("PRAGMA cache_size").fetchone()[0]
    driver.execute(f"PRAGMA cache_size=-{APPEND_CACHE_KB}")
    try:
        yield
    finally:
        driver.execute(f"PRAGMA cache_size={int(before)}")


#: See Store.append_files.
GroupHook = Callable[[sa.Connection, int, int, list[Event]], None]
#: prepare_row of each event of a batch; see Store.append_files.
Prepared = Sequence[tuple[tuple[Any, ...], str]]
# The key under which a row carries its hash's event part until it is hashed.
_PART = "\0part"


@dataclass
class _Tail:
    """The end of the log as one write transaction has made it: stream versions and last (seq, hash)."""

    versions: dict[str, int] = field(default_factory=dict)
    end: tuple[int, str] | None = None


@dataclass(frozen=True)
class Refusal:
    """An event (or document) the store would not take, and why."""

    event_id: str
    reason: str
    fields: tuple[str, ...] = ()


@dataclass
class AppendResult:
    """What one append did: every event is appended, already present or refused."""

    appended: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    first_seq: int | None = None
    last_seq: int | None = None

    @property
    def ok(self) -> bool:
        return not self.refused


T = TypeVar("T")


def _is_locked(exc: sa.exc.DBAPIError) -> bool:
    return "database is locked" in str(exc.orig)


def _back_off(attempt: int) -> None:
    """Wait before try ``attempt + 1`` of a write SQLite refused as locked (jittered, doubling)."""
    time.sleep(WRITE_BACKOFF_S * 2 ** (attempt - 1) * (0.5 + random.random()))


@contextmanager
def _database_errors(url: str) -> Iterator[None]:
    """Turn a database error that reaches the store's boundary into a StoreError."""
    try:
        yield
    except sa.exc.DBAPIError as exc:
        raise StoreError(f"the store at {url} failed: {database.driver_message(exc)}",
                         "try again; if it persists, run `chronicle verify`") from exc


_pause_lock = threading.Lock()
_pause_depth = 0
_pause_restore = False
_pause_promote = False


def second_core() -> bool:
    """Whether this process may run on more than one core (bulk work then shares it with a fork).

    The load average is not asked: it counts the work itself (and whatever
    ran just before it), so on two cores a second process would almost
    never start; and where another process keeps a core busy, sharing the
    work still ends it sooner.
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - no affinity on this platform
        cores = os.cpu_count() or 1
    return cores > 1


@contextmanager
def collection_paused(*, promote: bool = False) -> Iterator[None]:
    """Hold the cyclic garbage collector off while a bulk of long-lived objects is built.

    Decoding a log makes millions of objects that all stay alive; the
    collector, triggered by allocation counts, would traverse the growing
    heap again and again for nothing (about half the time of a replay).
    Reference counting still frees everything as usual; cycles made
    meanwhile are collected once the collector runs again. Nested and
    concurrent uses share one pause, and the collector is switched back on
    only if it was on when the first of them began.

    With ``promote``, what was made meanwhile is meant to live on (a loaded
    log): when the pause ends it is handed to the oldest generation as it
    is, instead of being traversed at once as one huge young generation
    (a second of a 1M-event replay). ``gc.freeze()`` then ``gc.unfreeze()``
    do exactly that; nothing stays frozen, and garbage among those objects
    is found by the next full collection. It is skipped when something else
    in the process keeps objects frozen.
    """
    global _pause_depth, _pause_restore, _pause_promote
    with _pause_lock:
        if _pause_depth == 0:
            _pause_restore = gc.isenabled()
            _pause_promote = False
            gc.disable()
        _pause_depth += 1
        _pause_promote = _pause_promote or promote
    try:
        yield
    finally:
        with _pause_lock:
            _pause_depth -= 1
            if _pause_depth == 0 and _pause_restore:
                if _pause_promote and gc.get_freeze_count() == 0:
                    gc.freeze()
                    gc.unfreeze()
                gc.enable()


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _document_row(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "title": doc.title,
        "publisher": doc.publisher,
        "url": doc.url,
        "kind": doc.kind,
        "published": canonical_json(doc.published.to_dict()) if doc.published else None,
        "window": canonical_json(doc.window.to_dict()) if doc.window else None,
        "known_from": doc.known_from,
        "sha256": doc.sha256,
        "text_name": doc.text_name,
        "frame": canonical_json(doc.frame.to_dict()) if doc.frame else None,
    }


#: The columns of ``documents`` a Document holds, which :func:`_document_from_row` reads
#: (not the timestamps: SQLAlchemy parses SQLite's dates in Python, half the time of a read).
_DOCUMENT_SELECT = sa.select(*(documents_t.c[name] for name in (
    "id", "title", "publisher", "url", "kind", "published", "window", "sha256", "text_name", "frame")))


def _document_from_row(row: Mapping[Any, Any], dates: dict[str, FuzzyDate] | None = None) -> Document:
    """A stored document; ``dates`` (stored text -> date) shares the dates of many documents."""
    dates = {} if dates is None else dates

    def dated(text: str | None) -> FuzzyDate | None:
        if not text:
            return None
        found = dates.get(text)
        if found is None:
            found = dates[text] = FuzzyDate.from_dict(_stored_json(text))
        return found

    return Document(
        id=row["id"],
        title=row["title"],
        publisher=row["publisher"],
        url=row["url"],
        kind=row["kind"],
        published=dated(row["published"]),
        window=dated(row["window"]),
        sha256=row["sha256"],
        text_name=row["text_name"],
        frame=dated(row["frame"]),
    )


def _event_row(event: Event, known_from: date | None) -> dict[str, Any]:
    when = event.when
    return {
        "event_id": event.event_id,
        "stream": event.subject,
        "type": event.type,
        "schema_version": event.schema_version,
        "when_text": when.text,
        "when_edtf": when.edtf,
        "earliest": when.earliest,
        "latest": when.latest,
        "precision": when.precision.value,
        "qualifier": when.qualifier.value,
        "anchor": when.anchor.value,
        "certainty": event.certainty,
        "entities": canonical_json(list(event.entities)),
        "facts": canonical_json(dict(event.facts)),
        "document_id": event.evidence.document,
        "quote": event.evidence.quote,
        "quote_start": event.evidence.start,
        "quote_end": event.evidence.end,
        "known_from": known_from,
        "stance": event.stance,
        "note": event.note,
    }


#: The columns of an event's row that come from the event alone.
EVENT_VALUE_COLUMNS = ("event_id", "stream", *EVENT_PART, "stance", "note")


def prepare_row(event: Event) -> tuple[tuple[Any, ...], str]:
    """An event's values for ``EVENT_VALUE_COLUMNS`` and the ``event_part`` text of its hash.

    What an append would work out from the event itself, done beforehand
    (an ingest does it while it validates, in two processes): see
    :meth:`Store.append_files`.
    """
    when, evidence = event.when, event.evidence
    values = (
        event.event_id, event.subject, event.type, event.schema_version, when.text, when.edtf, when.earliest,
        when.latest, when.precision.value, when.qualifier.value, when.anchor.value, event.certainty,
        canonical_json(list(event.entities)), canonical_json(dict(event.facts)), evidence.document, evidence.quote,
        evidence.start, evidence.end, event.stance, event.note,
    )
    return values, event_part(values[2:-2])


def event_from_row(row: Mapping[Any, Any]) -> Event:
    """Rebuild a domain event from a stored row, upcasting old payload versions."""
    when = FuzzyDate(
        text=row["when_text"],
        edtf=row["when_edtf"],
        earliest=row["earliest"],
        latest=row["latest"],
        precision=Precision(row["precision"]),
        qualifier=Qualifier(row["qualifier"]),
        anchor=Anchor(row["anchor"]),
    )
    facts, version = upcast(row["type"], row["schema_version"], json.loads(row["facts"]))
    recorded = row["recorded_at"]
    if recorded is not None and recorded.tzinfo is None:
        recorded = recorded.replace(tzinfo=timezone.utc)
    return Event(
        event_id=row["event_id"],
        type=row["type"],
        subject=row["stream"],
        when=when,
        certainty=row["certainty"],
        evidence=Evidence(row["document_id"], row["quote"], row["quote_start"], row["quote_end"]),
        facts=facts,
        entities=tuple(json.loads(row["entities"])),
        schema_version=version,
        seq=row["seq"],
        stream_version=row["stream_version"],
        recorded_at=recorded,
        stance=row["stance"],
        note=row["note"],
    )


#: The events table's columns in table order: the order of a pre-serialised row.
EVENT_COLUMNS = tuple(c.name for c in events_t.columns)
_SQLITE_INSERT = f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}) VALUES ({', '.join('?' * len(EVENT_COLUMNS))})"
_DATE_COLUMNS = {c: EVENT_COLUMNS.index(c) for c in ("earliest", "latest", "known_from", "recorded_at")}
_PG_COPY = f"COPY events ({', '.join(EVENT_COLUMNS)}) FROM STDIN"


def _differ(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[str, ...]:
    """The fields in which two rows of one event id say different things.

    Offsets count only where both rows have them: one ingested without the
    document's text has none, and is the same event as one with them.
    """
    differ = tuple(f for f in COMPARED_FIELDS if old[f] != new[f])
    if old["quote_start"] is not None and new["quote_start"] is not None:
        differ += tuple(f for f in OFFSET_FIELDS if old[f] != new[f])
    return differ


def _sqlite_value(value: Any) -> Any:
    # The text SQLAlchemy's SQLite Date and DateTime types store and parse
    # back; a timestamp is UTC (see _now), kept without its offset.
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _insert_rows(conn: sa.Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert event rows with the driver's fastest bulk path.

    The rows are already checked and serialised (JSON text, hashes), so the
    per-row type processing of a Core insert adds nothing but time: SQLite
    gets one prepared executemany, PostgreSQL a COPY.
    """
    if not rows:
        return
    driver = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        with driver.cursor() as cursor, cursor.copy(_PG_COPY) as copy:  # type: ignore[union-attr]
            for row in rows:
                copy.write_row([row[c] for c in EVENT_COLUMNS])
        return
    if conn.dialect.name == "sqlite":
        # value -> text, per column: a batch holds few distinct dates
        converted: dict[str, dict[Any, str]] = {c: {} for c in _DATE_COLUMNS}
        values = []
        for row in rows:
            item = [row[c] for c in EVENT_COLUMNS]
            for c, at in _DATE_COLUMNS.items():
                raw = item[at]
                if raw is not None:
                    seen = converted[c]
                    text = seen.get(raw)
                    if text is None:
                        text = seen[raw] = _sqlite_value(raw)
                    item[at] = text
            values.append(item)
        cursor = driver.cursor()  # type: ignore[union-attr]
        try:
            cursor.executemany(_SQLITE_INSERT, values)
        finally:
            cursor.close()
        return
    for chunk in chunks(rows, 2000):  # pragma: no cover - other dialects
        conn.execute(events_t.insert(), list(chunk))


_READ_COLUMNS = (
    "seq", "event_id", "stream", "stream_version", "type", "schema_version", "when_text", "when_edtf",
    "earliest", "latest", "precision", "qualifier", "anchor", "certainty", "entities", "facts",
    "document_id", "quote", "quote_start", "quote_end", "recorded_at", "stance", "note",
)


# Dates and timestamps are read as the driver gives them (SQLite: text) and
# parsed by the decoder once per distinct value, not once per row.
_RAW_TYPES = {"earliest", "latest", "recorded_at"}
_READ_SELECT = [sa.type_coerce(events_t.c[c], sa.Text).label(c) if c in _RAW_TYPES else events_t.c[c]
                for c in _READ_COLUMNS]


# The decoder's C scanner (an undocumented but long-standing attribute).
_scan_json: Callable[[str, int], tuple[Any, int]] = getattr(json.JSONDecoder(), "scan_once")  # noqa: B009


def _stored_json(text: str) -> Any:
    """``json.loads`` of the store's own canonical JSON, at a third of the cost.

    ``json.loads`` spends most of a short document's time in Python around
    the C scanner (argument checks, two whitespace regexes); the scanner is
    called here directly, and anything it does not consume whole (never
    stored by chronicle) goes through ``json.loads`` as before.
    """
    try:
        value, end = _scan_json(text, 0)
    except StopIteration:
        return json.loads(text)
    if end != len(text):
        return json.loads(text)
    return value


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _moment(value: Any) -> datetime | None:
    moment: datetime | None = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment


class _Decoder:
    """Rows (in ``_READ_COLUMNS`` order) to events, as :func:`event_from_row` makes them.

    A log repeats itself: most events share a handful of dates, entity
    lists and timestamps, so the immutable parts are built once per
    distinct value and shared, and so are the strings that recur (subjects,
    types, certainties, documents). Rows come from the store itself, so the
    events are built without the constructors' keyword matching.
    """

    def __init__(self, reading: bool = False, floors: Floors | None = None) -> None:
        self.dates: dict[tuple[Any, ...], FuzzyDate] = {}
        self.lists: dict[str, tuple[str, ...]] = {}
        self.moments: dict[Any, Any] = {}
        self.strings: dict[str, str] = {}
        #: With ``reading``, dates as answers read them (see chronicle.reading), by type and stored date.
        self.readings: dict[tuple[Any, ...], FuzzyDate] | None = {} if reading else None
        #: The starts that bound undated occurrences (truth rule 2 b, c), with ``reading``.
        self.floors = floors or {}

    def read(self, kind: str, when: FuzzyDate, stance: str, certainty: str, subject: str,
             named: Sequence[str]) -> FuzzyDate:
        """``when`` as the decoder hands it out: stored, or read as an answer reads it."""
        readings = self.readings
        if readings is None or when.earliest is not None:
            return when  # only a date with an open start is ever read otherwise
        floors = self.floors
        bound = floor_of(floors, subject, named) if floors else None
        day = bound[0] if bound is not None else None
        found = readings.get((kind, stance, certainty, when, day))
        if found is None:
            found = readings[(kind, stance, certainty, when, day)] = read_date(kind, when, stance, certainty, day)
        return found

    def batch(self, rows: Iterable[Sequence[Any]], documents: set[str] | None = None) -> list[Event]:
        """The rows' events; their documents are added to ``documents`` when given."""
        dates, lists, moments, strings = self.dates, self.lists, self.moments, self.strings
        reading = self.readings
        share = strings.setdefault
        loads = _stored_json
        upcasters = UPCASTERS
        out: list[Event] = []
        append = out.append
        for (seq, event_id, stream, stream_version, kind, version, when_text, when_edtf, earliest, latest,
             precision, qualifier, anchor, certainty, entities, facts, document, quote, start, end,
             recorded, stance, note) in rows:
            key = (when_text, when_edtf, earliest, latest, precision, qualifier, anchor)
            when = dates.get(key)
            if when is None:
                when = dates[key] = _when(key)
            others = lists.get(entities)
            if others is None:
                others = lists[entities] = tuple(loads(entities))
            # Facts are a fresh dict per event: callers may hold on to them.
            payload = {} if facts == "{}" else loads(facts)
            kind = share(kind, kind)
            if upcasters and (kind, version) in upcasters:
                payload, version = upcast(kind, version, payload)
            if reading is not None and when.earliest is None:
                when = self.read(kind, when, stance, certainty, stream, others)
            moment = moments.get(recorded)
            if moment is None:
                moment = moments[recorded] = _moment(recorded)
            document = share(document, document)
            if documents is not None:
                documents.add(document)
            append(stored_event(
                event_id, kind, share(stream, stream), when, share(certainty, certainty),
                stored_evidence(document, quote, start, end), payload, others, version, seq, stream_version,
                moment, share(stance, stance), note,
            ))
        return out

    def claims(self, rows: Iterable[Sequence[Any]]) -> list[Claimed]:
        """Rows (in ``_CLAIM_COLUMNS`` order) to claim tuples: the parts of events that :meth:`batch` makes."""
        dates, share = self.dates, self.strings.setdefault
        loads = _stored_json
        upcasters = UPCASTERS
        out: list[Claimed] = []
        append = out.append
        lists = self.lists
        for (seq, event_id, kind, stream, version, when_text, when_edtf, earliest, latest, precision, qualifier,
             anchor, certainty, facts, document, quote, stance, entities) in rows:
            key = (when_text, when_edtf, earliest, latest, precision, qualifier, anchor)
            when = dates.get(key)
            if when is None:
                when = dates[key] = _when(key)
            payload = {} if facts == "{}" else loads(facts)
            kind = share(kind, kind)
            if upcasters and (kind, version) in upcasters:
                payload, version = upcast(kind, version, payload)
            if when.earliest is None:
                named = lists.get(entities)
                if named is None:
                    named = lists[entities] = tuple(loads(entities))
                when = self.read(kind, when, stance, certainty, stream, named)
            append((seq, event_id, kind, share(stream, stream), when, share(certainty, certainty), payload,
                    share(document, document), quote, share(stance, stance)))
        return out


def _when(key: tuple[Any, ...]) -> FuzzyDate:
    """A stored date from its columns (text, edtf, earliest, latest, precision, qualifier, anchor)."""
    when_text, when_edtf, earliest, latest, precision, qualifier, anchor = key
    return FuzzyDate(
        text=when_text, edtf=when_edtf, earliest=_date(earliest), latest=_date(latest),
        precision=Precision(precision), qualifier=Qualifier(qualifier), anchor=Anchor(anchor),
    )


#: An event as far as the rows made from it alone need it (see :meth:`Store.read_claims`):
#: (seq, event id, type, subject, date, certainty, facts, document, quote, stance).
Claimed = tuple[int, str, str, str, FuzzyDate, str, Mapping[str, Any], str, str, str]
_CLAIM_COLUMNS = (
    "seq", "event_id", "type", "stream", "schema_version", "when_text", "when_edtf", "earliest", "latest",
    "precision", "qualifier", "anchor", "certainty", "facts", "document_id", "quote", "stance",
    "entities",  # read only to bound an undated occurrence (see chronicle.floors)
)
_CLAIM_SELECT = [sa.type_coerce(events_t.c[c], sa.Text).label(c) if c in _RAW_TYPES else events_t.c[c]
                 for c in _CLAIM_COLUMNS]


def claimed(event: Event, floors: Floors | None = None) -> Claimed:
    """An event's claim tuple, as :meth:`Store.read_claims` gives it (its date as answers read it, with these starts)."""
    evidence = event.evidence
    when = event.when
    if when.earliest is None:
        bound = floor_of(floors, event.subject, event.entities) if floors else None
        when = read_date(event.type, when, event.stance, event.certainty, bound[0] if bound else None)
    return (event.seq or 0, event.event_id, event.type, event.subject, when, event.certainty, event.facts,
            evidence.document, evidence.quote, event.stance)


# Built once: an ingest runs them for every file.
_DOCUMENT_BY_ID = sa.select(documents_t).where(documents_t.c.id == sa.bindparam("id"))
_INSERT_DOCUMENT = documents_t.insert()
_EVENT_IDS_IN = sa.select(events_t.c.event_id).where(events_t.c.event_id.in_(sa.bindparam("ids", expanding=True)))
_EVENTS_IN = sa.select(events_t).where(events_t.c.event_id.in_(sa.bindparam("ids", expanding=True)))

_STREAM_VERSIONS = sa.text(
    "SELECT stream, MAX(stream_version) FROM events WHERE stream IN :streams GROUP BY stream"
).bindparams(sa.bindparam("streams", expanding=True))


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    """``items`` in slices of at most ``size`` (IN lists, batches)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class LogFilter:
    """Which events a read returns. Every value reaches SQL as a bound parameter."""

    after: int | None = None
    at_seq: int | None = None
    types: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    known_at: date | None = None
    limit: int | None = None
    #: With ``until``: events of these types are kept whatever their date.
    future_types: tuple[str, ...] = ()
    #: Only events whose subject is an entity of one of these kinds.
    subject_kinds: tuple[str, ...] = ()
    #: Only events of none of these types.
    other_types: tuple[str, ...] = ()
    #: Only events that may state one of these facts: their stored facts
    #: contain the fact's key as JSON (a superset, for the caller to pick from).
    may_state: tuple[str, ...] = ()
    #: In sequence order (a fold that sorts by event time does not need it).
    ordered: bool = True

    def where(self) -> list[sa.ColumnElement[bool]]:
        c = events_t.c
        clauses: list[sa.ColumnElement[bool]] = []
        if self.after is not None:
            clauses.append(c.seq > self.after)
        if self.at_seq is not None:
            clauses.append(c.seq <= self.at_seq)
        if self.types:
            # With subjects too, the planner is to seek by subject (a few of
            # the log's events) and check types on the way: the type, matched
            # as an expression, is not an index it could pick instead
            # (SQLite does, and then reads every event of those types).
            clauses.append((c.type + "" if self.subjects else c.type).in_(self.types))
        if self.subjects:
            clauses.append(c.stream.in_(self.subjects))
        if self.other_types:
            clauses.append(c.type.not_in(self.other_types))
        if self.may_state:
            clauses.append(sa.or_(*(c.facts.contains(canonical_json(f) + ":", autoescape=True)
                                    for f in self.may_state)))
        if self.documents:
            clauses.append(c.document_id.in_(self.documents))
        # Event time: keep what may overlap [since, until] (open bounds overlap everything).
        if self.since is not None:
            clauses.append(sa.or_(c.latest.is_(None), c.latest >= self.since))
        if self.until is not None:
            due = [c.earliest.is_(None), c.earliest <= self.until]
            if self.future_types:
                due.append(c.type.in_(self.future_types))
            clauses.append(sa.or_(*due))
        if self.subject_kinds:
            kinds = sa.select(entities_t.c.slug).where(entities_t.c.kind.in_(self.subject_kinds))
            clauses.append(c.stream.in_(kinds))
        if self.known_at is not None:
            clauses.append(c.known_from <= self.known_at)
        return clauses


class Store:
    """An event store on one database. Build it with :func:`open_store`."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        #: Answers keep reference data here between calls (see queries).
        self.cache: dict[str, Any] = {}

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    # -- writing -----------------------------------------------------------------

    def _write_connection(self) -> sa.Connection:
        conn = self.engine.connect()
        database.write_begin(conn)
        return conn

    def _lock(self, conn: sa.Connection) -> None:
        # Why this orders commits by seq: a writer draws its numbers as
        # max(seq)+1 only after it holds the append lock, and the lock is
        # released only by its COMMIT (or rollback). So the next writer can
        # neither draw a number nor commit until every lower number is
        # committed; a reader that has seen seq N therefore never later finds
        # a newly committed seq <= N. Without the lock (or with a PostgreSQL
        # sequence) two transactions could draw 5 and 6 and commit 6 first; a
        # follower reading after=4 would see 6, move to after=6, and skip 5
        # forever. SQLite gets the same guarantee from BEGIN IMMEDIATE, which
        # takes the database's single write lock up front.
        if conn.dialect.name == "postgresql":
            # psycopg prepares a statement it has run a few times, and the
            # server may then keep one generic plan for it, made while the
            # log was small: a sequential scan that each append then repeats
            # over a grown log. Plans made for each execution's values use
            # the indexes (SET LOCAL, in the same round trip as the lock).
            conn.execute(
                sa.text("SELECT pg_advisory_xact_lock(:key), set_config('plan_cache_mode', 'force_custom_plan', true)"),
                {"key": PG_APPEND_LOCK},
            )

    def _write(self, work: Callable[[], T]) -> T:
        """Run one write transaction, retrying SQLite's "database is locked"."""
        with _database_errors(self.url):
            for attempt in range(1, WRITE_ATTEMPTS + 1):
                try:
                    return work()
                except sa.exc.OperationalError as exc:
                    if self.dialect != "sqlite" or not _is_locked(exc) or attempt == WRITE_ATTEMPTS:
                        raise
                # The whole transaction was rolled back: start it again.
                _back_off(attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def put_entities(self, items: Iterable[Entity]) -> tuple[int, int]:
        """Add new entities and refresh changed ones; returns (added, changed).

        Entities are reference data (names, aliases, attributes), not claims,
        so they may be refreshed; the claims about them live in the log.
        """
        wanted = list(items)
        return self._write(lambda: self._put_entities(wanted))

    def _put_entities(self, wanted: Sequence[Entity]) -> tuple[int, int]:
        with self._write_connection() as conn, conn.begin():
            # Without the lock two ingests that bring the same new entity both
            # find it missing and the second insert fails on PostgreSQL.
            self._lock(conn)
            return self.put_entities_on(conn, wanted)

    def put_entities_on(self, conn: sa.Connection, items: Iterable[Entity]) -> tuple[int, int]:
        """:meth:`put_entities` inside the caller's write transaction on ``conn``, which holds the append lock."""
        wanted = {e.slug: e for e in items}
        added = changed = 0
        existing: dict[str, Any] = {}
        for chunk in chunks(sorted(wanted)):
            for row in conn.execute(sa.select(entities_t).where(entities_t.c.slug.in_(chunk))).mappings():
                existing[row["slug"]] = row
        now = _now()
        fresh: list[dict[str, Any]] = []
        refreshed: list[str] = []
        for slug, entity in sorted(wanted.items()):
            values = {
                "kind": entity.kind, "name": entity.name,
                "aliases": canonical_json(list(entity.aliases)), "country": entity.country,
                "org": entity.org, "family": entity.family,
            }
            old = existing.get(slug)
            if old is None:
                fresh.append({"slug": slug, "updated_at": now, **values})
                added += 1
            elif any(old[k] != v for k, v in values.items()):
                conn.execute(
                    entities_t.update().where(entities_t.c.slug == slug).values(updated_at=now, **values)
                )
                changed += 1
                refreshed.append(slug)
        # One executemany: an entities file of tens of thousands is common.
        for chunk in chunks(fresh, 2000):
            conn.execute(entities_t.insert(), list(chunk))
        seals.record(conn, entities=[*refreshed, *(row["slug"] for row in fresh)])
        return added, changed

    def append(
        self,
        events: Sequence[Event],
        *,
        document: Document | None = None,
        expected_versions: Mapping[str, int] | None = None,
    ) -> AppendResult:
        """Append a batch, all or nothing.

        An event id already stored with the same content is reported as
        present; with different content the whole batch is refused and the
        refusal names the differing fields. ``expected_versions`` maps a
        stream to the version the caller last saw (0 for a new stream); any
        mismatch raises :class:`ConflictError` and appends nothing.
        """
        return self._write(lambda: self._append(events, document, expected_versions))

    def append_files(
        self, batches: Iterable[tuple[Sequence[Event], Document] | tuple[Sequence[Event], Document, Prepared]], *,
        group_events: int | None = None, after_group: GroupHook | None = None, one_transaction: bool = False,
        first: Callable[[sa.Connection], object] | None = None,
    ) -> Iterator[AppendResult]:
        """Append batches one after another, each all or nothing as :meth:`append`
        does, over one connection; results come in the order of the batches.

        For an ingest of many files. A connection per batch costs a pool
        checkout, a liveness ping and a reset, round trips that on a remote
        PostgreSQL weigh as much as the batch itself. And consecutive batches
        share a transaction until it holds ``group_events`` (default
        ``GROUP_EVENTS``) events, each batch in a savepoint of its own (a
        refused batch still appends nothing, and the others go on): a commit
        writes every page the transaction dirtied, and a file's events touch
        index pages all over the table, so a commit per small file wrote the
        same pages over and over. A crash loses at most the open group, never
        part of a batch.

        With ``one_transaction`` every group is appended in one transaction,
        committed once ``batches`` is exhausted and only if no batch was
        refused: a refused batch (or an exception raised by ``batches``
        itself, say a file further on that does not validate) rolls back
        everything, and a crash loses everything. The batches after a refused
        one are still appended, so that every refusal is told; once the last
        result is out, :class:`RefusedError` says nothing was kept. Groups
        still bound what ``after_group`` is handed at a time. Results come as
        the groups are appended, before that commit.

        ``first(conn)`` runs once, inside the first transaction, after its
        lock and before any batch (say, the entities the batches' events
        name), so it is committed, or rolled back, with them.

        A batch may carry a third item, :func:`prepare_row` of each of its
        events (in order): what the append would otherwise work out from
        them, done beforehand.

        ``after_group(conn, before, after, events)`` runs inside each group's
        transaction once its batches are in: the log went from sequence
        ``before`` to ``after`` by appending ``events`` (those already stored
        are left out), so that derived tables can follow in the same commit.
        """
        limit = GROUP_EVENTS if group_events is None else group_events
        tail = _Tail()
        held: sa.RootTransaction | None = None
        refused = 0
        with _database_errors(self.url), self.engine.connect() as conn, _page_cache(conn):
            try:
                group: list[tuple[Sequence[Event], Document, Prepared | None]] = []
                size = 0
                for batch in batches:
                    events = batch[0]
                    group.append((events, batch[1], batch[2] if len(batch) > 2 else None))
                    size += len(events)
                    if size >= limit:
                        results, held = self._group_in(conn, group, tail, after_group, held, one_transaction, first)
                        first = None
                        refused += sum(len(r.refused) for r in results)
                        yield from results
                        group, size = [], 0
                if group or held is not None or first is not None:
                    results, held = self._group_in(conn, group, tail, after_group, held, one_transaction, first)
                    refused += sum(len(r.refused) for r in results)
                    yield from results
                if held is not None:
                    tx, held = held, None
                    if refused:
                        tx.rollback()
                        raise RefusedError(refused)
                    tx.commit()
            finally:
                if held is not None:
                    held.rollback()

    def _group_in(
        self, conn: sa.Connection, group: Sequence[tuple[Sequence[Event], Document, Prepared | None]], tail: _Tail,
        after_group: GroupHook | None, held: sa.RootTransaction | None, keep_open: bool,
        first: Callable[[sa.Connection], object] | None,
    ) -> tuple[list[AppendResult], sa.RootTransaction | None]:
        """Append one group: in the transaction ``held`` open, or in a new one (retried when
        SQLite says "database is locked"), running ``first`` in it first; committed unless
        ``keep_open``. Returns the results and the transaction left open, if any."""
        if held is not None:
            # Nothing before this group can be replayed: no retry here.
            results = self._append_group(conn, group, tail, after_group)
            if keep_open:
                return results, held
            held.commit()
            return results, None

        def work() -> tuple[list[AppendResult], sa.RootTransaction | None]:
            database.write_begin(conn)
            tx = conn.begin()
            try:
                self._lock(conn)
                if first is not None:
                    first(conn)
                # The stream versions this ingest has seen stay true while the
                # log ends where its last group left it (nobody else appended
                # since); inside the transaction nobody else can.
                last = conn.execute(
                    sa.select(events_t.c.seq, events_t.c.hash).order_by(events_t.c.seq.desc()).limit(1)
                ).first()
                end = (last.seq, last.hash) if last is not None else (0, GENESIS)
                if tail.end != end:
                    tail.versions.clear()
                tail.end = end
                results = self._append_group(conn, group, tail, after_group)
                if keep_open:
                    return results, tx
                tx.commit()
                return results, None
            except BaseException:
                tx.rollback()
                raise

        return self._write(work)

    def _append_group(
        self, conn: sa.Connection, group: Sequence[tuple[Sequence[Event], Document, Prepared | None]], tail: _Tail,
        after_group: GroupHook | None = None,
    ) -> list[AppendResult]:
        assert tail.end is not None
        before = tail.end[0]
        results = []
        appended: list[Event] = []
        stored: list[str] = []
        for events, document, prepared in group:
            result = AppendResult()
            # Everything that can refuse the batch is decided before anything of it is
            # written, so a refused batch needs no savepoint: nothing of it was written.
            new_document = self._new_document(conn, document, result)
            fresh = [] if result.refused else self._sort_out(conn, events, result, document, prepared)
            if not result.refused:
                if new_document is not None:
                    conn.execute(_INSERT_DOCUMENT, new_document)
                    stored.append(new_document["id"])
                if fresh:
                    self._insert(conn, fresh, {}, result, tail)
                    if after_group is not None:
                        ids = dict.fromkeys(result.appended, True)
                        appended.extend(e for e in events if ids.pop(e.event_id, False))
            results.append(result)
        if after_group is not None and tail.end[0] > before:
            after_group(conn, before, tail.end[0], appended)
        seals.record(conn, documents=stored)
        return results

    def _append(
        self, events: Sequence[Event], document: Document | None, expected_versions: Mapping[str, int] | None
    ) -> AppendResult:
        with self.engine.connect() as conn:
            return self._append_on(conn, events, document, expected_versions)

    def _append_on(
        self, conn: sa.Connection, events: Sequence[Event], document: Document | None,
        expected_versions: Mapping[str, int] | None,
    ) -> AppendResult:
        result = AppendResult()
        database.write_begin(conn)
        with conn.begin() as tx:
            self._lock(conn)
            # As in a group: every refusal is decided before anything is written.
            new_document = self._new_document(conn, document, result)
            fresh = [] if result.refused else self._sort_out(conn, events, result, document)
            if result.refused:
                # All or nothing: a refused event keeps the whole batch out.
                tx.rollback()
                return result
            if new_document is not None:
                conn.execute(_INSERT_DOCUMENT, new_document)
            if fresh or expected_versions:
                self._insert(conn, fresh, expected_versions or {}, result)
            seals.record(conn, documents=[new_document["id"]] if new_document is not None else ())
        return result

    def _new_document(self, conn: sa.Connection, document: Document | None, result: AppendResult,
                      ) -> dict[str, Any] | None:
        """The row to insert for ``document`` when it is not stored yet; a refusal when it is, with other content."""
        if document is None:
            return None
        row = _document_row(document)
        old = conn.execute(_DOCUMENT_BY_ID, {"id": document.id}).mappings().first()
        if old is None:
            row["recorded_at"] = _now()
            return row
        differ = tuple(f for f in DOCUMENT_FIELDS if old[f] != row[f])
        if differ:
            result.refused.append(
                Refusal(f"document {document.id}", "already stored with other content", differ)
            )
        return None

    def _sort_out(
        self, conn: sa.Connection, events: Sequence[Event], result: AppendResult, document: Document | None = None,
        prepared: Prepared | None = None,
    ) -> list[dict[str, Any]]:
        """Split a batch into rows to insert, events already present and refusals."""
        rows: dict[str, dict[str, Any]] = {}
        if prepared is not None:
            assert len(prepared) == len(events)
        for at, event in enumerate(events):
            if prepared is None:
                row = _event_row(event, None)
            else:
                values, part = prepared[at]
                row = dict(zip(EVENT_VALUE_COLUMNS, values))
                row["known_from"] = None
                row[_PART] = part
            previous = rows.get(event.event_id)
            if previous is not None:
                differ = _differ(previous, row)
                if differ:
                    result.refused.append(Refusal(event.event_id, "given twice with different content", differ))
                continue
            rows[event.event_id] = row
        # Knowledge time comes from the document, stored beside each event so
        # that --known-at filters without a join.
        known: dict[str, Any] = {}
        if document is not None:
            # Stored with this batch, or already stored with the same content.
            known[document.id] = document.known_from
        doc_ids = sorted({r["document_id"] for r in rows.values()} - set(known))
        for chunk in chunks(doc_ids):
            query = sa.select(documents_t.c.id, documents_t.c.known_from).where(documents_t.c.id.in_(chunk))
            known.update({r.id: r.known_from for r in conn.execute(query)})
        for row in rows.values():
            if row["document_id"] in known:
                row["known_from"] = known[row["document_id"]]
            else:
                result.refused.append(
                    Refusal(row["event_id"], f"document {row['document_id']} is not in the store", ("document_id",))
                )
        stored: dict[str, Mapping[Any, Any]] = {}
        for chunk in chunks(list(rows)):
            # Most events are new: which are stored is answered from the index alone.
            present = conn.execute(_EVENT_IDS_IN, {"ids": list(chunk)}).scalars().all()
            if present:
                for found in conn.execute(_EVENTS_IN, {"ids": present}).mappings():
                    stored[found["event_id"]] = found
        fresh: list[dict[str, Any]] = []
        for event_id, row in rows.items():
            old = stored.get(event_id)
            if old is None:
                fresh.append(row)
                continue
            differ = _differ(old, row)
            if differ:
                result.refused.append(
                    Refusal(event_id, "already stored with other content (a correction is a new event)", differ)
                )
            else:
                result.present.append(event_id)
        return fresh

    def _insert(
        self, conn: sa.Connection, rows: list[dict[str, Any]], expected: Mapping[str, int], result: AppendResult,
        tail: _Tail | None = None,
    ) -> None:
        tail = tail or _Tail()
        streams = sorted({r["stream"] for r in rows} | set(expected))
        versions = tail.versions
        unknown = [s for s in streams if s not in versions]
        versions.update({s: 0 for s in unknown})
        for chunk in chunks(unknown, CHUNK):
            # Answered from the unique (stream, stream_version) index alone,
            # never from the table; one statement, compiled once and cached.
            versions.update({stream: version for stream, version in conn.execute(_STREAM_VERSIONS, {"streams": chunk})})
        for stream, version in sorted(expected.items()):
            if versions[stream] != version:
                raise ConflictError(
                    f"stream {stream} is at version {versions[stream]}, not the expected {version}; nothing was appended",
                    "read the stream again and retry with its current version",
                )
        if tail.end is None:
            last = conn.execute(
                sa.select(events_t.c.seq, events_t.c.hash).order_by(events_t.c.seq.desc()).limit(1)
            ).first()
            tail.end = (last.seq, last.hash) if last is not None else (0, GENESIS)
        seq, prev = tail.end
        now = _now()
        for row in rows:
            seq += 1
            versions[row["stream"]] += 1
            row["seq"] = seq
            row["stream_version"] = versions[row["stream"]]
            row["recorded_at"] = now
            row["prev_hash"] = prev
            part = row.pop(_PART, None)
            prev = row["hash"] = row_hash(prev, row) if part is None else chained_hash(prev, row, part)
            result.appended.append(row["event_id"])
        _insert_rows(conn, rows)
        tail.end = (seq, prev)
        if rows:
            result.first_seq, result.last_seq = rows[0]["seq"], rows[-1]["seq"]

    # -- reading -----------------------------------------------------------------

    def head(self) -> int:
        """The sequence number of the newest event (0 for an empty store)."""
        with _database_errors(self.url), self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(events_t.c.seq), 0))).scalar_one())

    def read(self, flt: LogFilter | None = None, *, documents: set[str] | None = None,
             reading: bool = False) -> Iterator[Event]:
        """Events in sequence order, streamed from the database.

        ``documents``, when given, gains the id of each event's document as it
        is read (cheaper than collecting them from the events afterwards).
        With ``reading``, each event's date is the one answers read
        (:func:`chronicle.reading.read_date`), not the one stored.
        """
        flt = flt or LogFilter()
        query = sa.select(*_READ_SELECT).where(*flt.where())
        if flt.ordered or flt.limit is not None:
            query = query.order_by(events_t.c.seq)
        if flt.limit is not None:
            query = query.limit(flt.limit)
        with _database_errors(self.url), self.engine.connect() as conn:
            decode = _Decoder(reading, self.floors(conn, flt) if reading else None)
            result = conn.execution_options(stream_results=True, yield_per=5000).execute(query)
            for rows in result.partitions():
                # A batch's events are made without collecting in between;
                # the caller's own work runs as the caller left it.
                with collection_paused():
                    events = decode.batch(rows, documents)
                yield from events

    def read_claims(self, flt: LogFilter) -> Iterator[list[Claimed]]:
        """The events ``flt`` selects as claim tuples (see :data:`Claimed`), a batch at a time.

        What :meth:`read` gives with ``reading`` (claims are for answers),
        less what rows made from one event never read (entities, stream
        version, quote offsets, recording time): the columns are not fetched
        and no event is made.
        """
        assert flt.limit is None, "a read of claims takes no limit"
        query = sa.select(*_CLAIM_SELECT).where(*flt.where())
        if flt.ordered:
            query = query.order_by(events_t.c.seq)
        with _database_errors(self.url), self.engine.connect() as conn:
            decode = _Decoder(reading=True, floors=self.floors(conn, flt))
            result = conn.execution_options(stream_results=True, yield_per=5000).execute(query)
            for rows in result.partitions():
                with collection_paused():
                    claims = decode.claims(rows)
                yield claims

    def floors(self, conn: sa.Connection, flt: LogFilter) -> Floors:
        """The starts the log up to ``flt.at_seq`` knows (see :mod:`chronicle.floors`), kept while its head stays.

        Not those known at ``flt.known_at``: a fold read once answers at every
        time of knowledge, and a start learned since only bounds more narrowly.
        """
        head = int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(events_t.c.seq), 0))).scalar_one())
        key = (head, flt.at_seq if flt.at_seq is not None and flt.at_seq < head else None)
        cached = self.cache.get("floors")
        if cached is not None and cached[0] == key:
            return cached[1]  # type: ignore[no-any-return]
        found = floors_at(conn, at_seq=key[1])
        self.cache["floors"] = (key, found)
        return found

    def floor_for(self, event: Event, *, at_seq: int | None = None) -> tuple[date, str] | None:
        """The start that bounds ``event`` (see :func:`chronicle.reading.floor_of`) in the log up to ``at_seq``."""
        with _database_errors(self.url), self.engine.connect() as conn:
            found = self.floors(conn, LogFilter(at_seq=at_seq))
        return floor_of(found, event.subject, event.entities) if found else None

    def follow(
        self,
        after: int = 0,
        *,
        poll_interval: float = 0.2,
        stop: Callable[[], bool] = lambda: False,
    ) -> Iterator[Event]:
        """Every event after ``after``, in order, then each new one as it commits.

        Polls ``read(after=last seen)``; the append lock makes that safe (see
        ``_lock``). Ends once ``stop()`` was true before a read that found
        nothing new, so events committed before the stop are never dropped.
        """
        while True:
            stopping, fresh = stop(), False
            for event in self.read(LogFilter(after=after)):
                assert event.seq is not None
                after, fresh = event.seq, True
                yield event
            if not fresh:
                if stopping:
                    return
                time.sleep(poll_interval)

    def get(self, event_id: str) -> Event:
        with _database_errors(self.url), self.engine.connect() as conn:
            row = conn.execute(sa.select(events_t).where(events_t.c.event_id == event_id)).mappings().first()
        if row is None:
            raise NotFoundError(f"no event {event_id!r} in the store", "list event ids with `chronicle log`")
        return event_from_row(row)

    def events_by_id(self, event_ids: Iterable[str]) -> dict[str, Event]:
        """The stored events with these ids (as stored: their dates are not read), by event id."""
        found: dict[str, Event] = {}
        decode = _Decoder()
        with _database_errors(self.url), self.engine.connect() as conn:
            for chunk in chunks(sorted(set(event_ids))):
                rows = conn.execute(sa.select(*_READ_SELECT).where(events_t.c.event_id.in_(chunk))).all()
                found.update({e.event_id: e for e in decode.batch(rows)})
        return found

    def document(self, document_id: str) -> Document:
        with self.engine.connect() as conn:
            row = conn.execute(_DOCUMENT_SELECT.where(documents_t.c.id == document_id)).mappings().first()
        if row is None:
            raise NotFoundError(f"no document {document_id!r} in the store", "list documents with `chronicle sources`")
        return _document_from_row(row)

    def documents(self) -> list[Document]:
        with self.engine.connect() as conn:
            rows = conn.execute(_DOCUMENT_SELECT.order_by(documents_t.c.id)).mappings().all()
        dates: dict[str, FuzzyDate] = {}
        return [_document_from_row(r, dates) for r in rows]

    def documents_by_id(self, ids: Iterable[str]) -> dict[str, Document]:
        """The stored documents among ``ids``."""
        found: dict[str, Document] = {}
        dates: dict[str, FuzzyDate] = {}
        with self.engine.connect() as conn:
            for chunk in chunks(sorted(ids)):
                for row in conn.execute(_DOCUMENT_SELECT.where(documents_t.c.id.in_(chunk))).mappings():
                    found[row["id"]] = _document_from_row(row, dates)
        return found

    def entities_stamp(self, conn: sa.Connection | None = None) -> tuple[int, Any]:
        """Changes whenever an entity is added or refreshed: (count, latest update).

        On ``conn`` when given: what that connection's transaction sees.
        """
        query = sa.select(sa.func.count(), sa.func.max(entities_t.c.updated_at))
        with self._on(conn) as use:
            count, latest = use.execute(query).one()
        return int(count), latest

    @contextmanager
    def _on(self, conn: sa.Connection | None) -> Iterator[sa.Connection]:
        if conn is not None:
            yield conn
            return
        with self.engine.connect() as own:
            yield own

    def document_counts(self) -> dict[str, dict[str, int]]:
        """Events per document and type."""
        query = sa.select(events_t.c.document_id, events_t.c.type, sa.func.count()).group_by(
            events_t.c.document_id, events_t.c.type
        )
        counts: dict[str, dict[str, int]] = {}
        with self.engine.connect() as conn:
            for doc, kind, n in conn.execute(query):
                counts.setdefault(doc, {})[kind] = int(n)
        return counts

    def entities(self, conn: sa.Connection | None = None) -> list[Entity]:
        """Every entity, by slug (on ``conn`` when given)."""
        # Not ``updated_at``: an Entity does not hold it, and SQLite's dates are parsed in Python.
        c = entities_t.c
        query = sa.select(c.slug, c.kind, c.name, c.aliases, c.country, c.org, c.family).order_by(c.slug)
        with self._on(conn) as use:
            rows = use.execute(query).all()
        no_aliases: tuple[str, ...] = ()
        return [
            Entity(slug=slug, kind=kind, name=name,
                   aliases=no_aliases if aliases == "[]" else tuple(_stored_json(aliases)),
                   country=country, org=org, family=family)
            for slug, kind, name, aliases, country, org, family in rows
        ]


def open_store(db: str | None = None, *, create: bool = True) -> Store:
    """Open (and on first use create and migrate) the store at ``db``.

    With ``create=False`` a missing SQLite file is an error instead of a new
    empty store: read commands never create anything.
    """
    url = database.resolve_url(db)
    path = database.sqlite_path(url)
    if not create and path is not None and not path.exists():
        raise StoreError(f"no store at {path}", "ingest events first (`chronicle ingest events/`) or pass --db")
    if not create and path is not None and not database.writable(path):
        # A read command on a store this process may not write: read it as it is.
        return Store(database.open_read_only(url))
    engine = database.create_engine(url)
    try:
        with database.opening(url):
            for attempt in range(1, WRITE_ATTEMPTS + 1):
                try:
                    database.ensure_current(engine, create=create)
                    break
                except sa.exc.OperationalError as exc:
                    # Processes opening a new SQLite store at once: the first to switch it to WAL
                    # or migrate it can make another's open say "locked" without its busy
                    # handler waiting; the migration is one transaction, so try again.
                    if engine.dialect.name == "sqlite" and _is_locked(exc) and attempt < WRITE_ATTEMPTS:
                        _back_off(attempt)
                        continue
                    raise
    except BaseException:
        engine.dispose()
        raise
    return Store(engine)
