"""Files to the store: load, validate everything, then append file by file.

Nothing is appended unless every file validates, and an ingest is one
transaction: an event the store refuses (an event id already stored with
other content, a document stored with another title) rolls back every file
and the entities too, once every file was tried so that every refusal is
told. Validated files wait in a spool on disk, not in memory, so a corpus of
any size is ingested in the memory of its largest file.

A large ingest on two cores instead appends while it validates: a second
process validates ahead of the append, and everything (entities too) goes
in one transaction that commits only once the last file has validated; a
problem anywhere rolls it all back. See :func:`_append_while_validating`.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import pickle
import re
import tempfile
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chronicle.errors import ConfigError, Problem, RefusedError, ValidationError
from chronicle.eventfiles import line_of, load_yaml
from chronicle.events import Entity, Event, stored_event, stored_evidence
from chronicle.fuzzydate import FuzzyDate
from chronicle.store import AppendResult, Prepared, Refusal, Store, collection_paused, prepare_row, second_core
from chronicle.validate import EventsFile, validate_entities, validate_events_file

if TYPE_CHECKING:
    from chronicle.readmodels import Ahead

YAML_SUFFIXES = (".yaml", ".yml")
Progress = Callable[[int, int], None]


@dataclass
class FileReport:
    path: str
    document: str
    events: int
    appended: int = 0
    present: int = 0
    refused: list[Refusal] = field(default_factory=list)
    drafts: int = 0
    text_checked: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.path, "document": self.document, "events": self.events, "text_checked": self.text_checked,
            "appended": self.appended, "present": self.present, "drafts": self.drafts,
            "refused": [{"event_id": r.event_id, "reason": r.reason, "fields": list(r.fields)} for r in self.refused],
        }


@dataclass
class IngestReport:
    files: list[FileReport] = field(default_factory=list)
    entities_added: int = 0
    entities_changed: int = 0
    dry_run: bool = False
    store_seq: int = 0  # the store's head once the ingest is done

    @property
    def appended(self) -> int:
        return sum(f.appended for f in self.files)

    @property
    def present(self) -> int:
        return sum(f.present for f in self.files)

    @property
    def refused(self) -> int:
        return sum(len(f.refused) for f in self.files)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "chronicle.ingest/1",
            "basis": {"store_seq": self.store_seq},
            "dry_run": self.dry_run,
            "appended": self.appended, "present": self.present, "refused": self.refused,
            "entities_added": self.entities_added, "entities_changed": self.entities_changed,
            "files": [f.to_dict() for f in self.files],
        }


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and the YAML files inside folders named, in a stable order."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES and p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            raise ConfigError(f"no such file or folder: {path}", "give events files or folders of them")
    unique = list(dict.fromkeys(found))
    if not unique:
        raise ConfigError("no events files found (*.yaml, *.yml)", "give events files or folders of them")
    return unique


def load_and_validate(
    files: Sequence[Path], known_entities: dict[str, Entity], documents_dirs: Sequence[Path] = ()
) -> tuple[list[Entity], list[EventsFile]]:
    """Validate every file; raises ValidationError with all problems of all files."""
    validated: list[EventsFile] = []
    new_entities = _validate_files(files, known_entities, documents_dirs,
                                   lambda item: validated.append(_unpack(item.contents())), validated.clear,
                                   parallel=False)
    return new_entities, validated


# A top-level `entities:` key and no top-level `events:` key: an entities file.
_ENTITIES_KEY = re.compile(r"^entities\s*:", re.M)
_EVENTS_KEY = re.compile(r"^events\s*:", re.M)


def _looks_like_entities(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return bool(_ENTITIES_KEY.search(text)) and not _EVENTS_KEY.search(text)


class _Resort(Exception):
    """A file was not the kind its text suggested: validate the slow, sure way."""


def _validate_files(
    files: Sequence[Path], known_entities: dict[str, Entity], documents_dirs: Sequence[Path],
    keep: Callable[[_Checked], None], restart: Callable[[], None], *, parallel: bool = True,
) -> list[Entity]:
    """Validate entities files, then events files one at a time, handing each valid one to ``keep``.

    Entities must all be known before any events file is checked, and an
    events file must not stay in memory while the others are read (a large
    corpus would not fit), so entities files are picked out first by their
    top-level keys. A file that turns out otherwise sends the whole check
    down the sure path (``restart``, then every file parsed before any is checked).
    """
    try:
        entity_files = [p for p in files if _looks_like_entities(p)]
        return _validate_files_in_order(files, entity_files, known_entities, documents_dirs, keep, parallel)
    except _Resort:
        restart()
        return _validate_files_in_order(files, None, known_entities, documents_dirs, keep, False)


def _validate_files_in_order(
    files: Sequence[Path], entity_files: list[Path] | None, known_entities: dict[str, Entity],
    documents_dirs: Sequence[Path], keep: Callable[[_Checked], None], parallel: bool,
) -> list[Entity]:
    validation = _Validation(files, entity_files, known_entities, documents_dirs, parallel)
    for item in validation.run():
        keep(item)
    return validation.new_entities


class _Validation:
    """:meth:`run` validates entities files, then yields each valid events file in order while no
    file so far has a problem; once every file is checked, raises ValidationError with every
    problem of every file. ``new_entities`` holds the entities files' entities as soon as the
    first events file is yielded (or the iteration ends)."""

    def __init__(self, files: Sequence[Path], entity_files: list[Path] | None, known_entities: dict[str, Entity],
                 documents_dirs: Sequence[Path], parallel: bool | Callable[..., Iterator[_Checked]]) -> None:
        self.files, self.entity_files, self.known = files, entity_files, known_entities
        self.documents_dirs, self.parallel = documents_dirs, parallel
        self.new_entities: list[Entity] = []

    def run(self) -> Generator[_Checked, None, None]:
        files, documents_dirs = self.files, self.documents_dirs
        problems: list[Problem] = []
        new_entities = self.new_entities
        parsed: list[tuple[Path, Any]] = []
        streaming = self.entity_files is not None
        for path in self.entity_files if streaming else files:  # type: ignore[union-attr]
            data, errors = load_yaml(path)
            problems.extend(errors)
            if errors:
                continue
            if _is_entities(data):
                found, errors = validate_entities(path, data, self.known)
                problems.extend(errors)
                new_entities.extend(found)
            elif streaming:
                raise _Resort()
            else:
                parsed.append((path, data))
        entities = dict(self.known)
        entities.update({e.slug: e for e in new_entities})
        documents: dict[str, Path] = {}
        chosen = set(self.entity_files or ())
        checked: Iterable[_Checked]
        if streaming:
            rest = [p for p in files if p not in chosen]
            if callable(self.parallel):
                checked = self.parallel(rest, entities, documents_dirs)
            else:
                checked = _check_all(rest, set(entities), documents_dirs, self.parallel)
        else:
            checked = (_check_events_file(path, data, entities, documents_dirs) for path, data in parsed)
        for item in checked:
            if item.entities:
                raise _Resort()
            problems.extend(item.problems)
            if item.document_id is not None and item.path is not None:
                path, doc_id = item.path, item.document_id
                other = documents.get(doc_id)
                if other is not None:
                    problems.append(Problem(str(path), item.id_line, "document.id",
                                            f"{doc_id!r} is also the id of {other}"))
                documents[doc_id] = path
                if not problems:
                    # Once any file has a problem nothing will be appended:
                    # the rest are only checked, so that every problem is told.
                    yield item
        if problems:
            raise ValidationError(problems)


@dataclass
class _Checked:
    """One events file after validation, in a form cheap to pass between processes.

    A valid file carries its contents packed (:func:`_pack`), or pickled
    already (``blob``) when another process validated it.
    """

    packed: tuple[Any, ...] | None
    problems: list[Problem]
    id_line: int = 0
    entities: bool = False
    blob: bytes | None = None
    path: Path | None = None
    document_id: str | None = None
    events: int = 0
    drafts: tuple[str, ...] = ()
    text_found: bool = False
    rows: dict[str, list[tuple[Any, ...]]] | None = None  # its per-claim read-model rows, if worked out

    def report(self) -> FileReport:
        """The file's line of an ingest's report, before its append."""
        assert self.document_id is not None
        return FileReport(str(self.path), self.document_id, self.events, drafts=len(self.drafts),
                          text_checked=self.text_found)

    def contents(self) -> tuple[Any, ...]:
        if self.packed is not None:
            return self.packed
        assert self.blob is not None
        packed: tuple[Any, ...] = pickle.loads(self.blob)  # noqa: S301 - from our own worker
        return packed


def _check_events_file(
    path: Path, data: Any, entities: Mapping[str, Entity] | set[str], documents_dirs: Sequence[Path],
    ahead: Ahead | None = None,
) -> _Checked:
    if data is None:
        data, errors = load_yaml(path)
        if errors:
            return _Checked(None, errors)
        if _is_entities(data):
            return _Checked(None, [], entities=True)
    result, errors = validate_events_file(path, data, entities, documents_dirs)
    if result is None:
        return _Checked(None, errors)
    return _Checked(_pack(result), errors, line_of(data["document"], "id"), path=result.path,
                    document_id=result.document.id, events=len(result.events), drafts=result.drafts,
                    text_found=result.text_found,
                    rows=ahead.rows(result.events) if ahead is not None and not errors else None)


#: Below this many bytes of events files a second process costs more than it saves.
PARALLEL_BYTES = 1 << 20
#: Files a worker may validate ahead of the one being kept (bounds memory).
AHEAD = 8


def _check_all(paths: list[Path], slugs: set[str], documents_dirs: Sequence[Path],
               parallel: bool = True, ahead: Ahead | None = None) -> Iterator[_Checked]:
    """Parse and validate events files one at a time, in order.

    A large ingest shares the work with a second process when it may use
    a second core: that process takes every other file, and its results
    are handed on in file order, so that whichever process validates them,
    the same files give the same answer, problems and spool.
    """
    context = _sharing(paths) if parallel else None
    if context is not None:
        yield from _check_in_two(paths, slugs, documents_dirs, context)
        return
    for path in paths:
        yield _check_events_file(path, None, slugs, documents_dirs, ahead)


def _sharing(paths: Sequence[Path]) -> Any:
    """The process context to share work on ``paths`` with, or None when one process should do it."""
    if len(paths) > 1 and second_core() and _size(paths) >= PARALLEL_BYTES:
        try:
            return multiprocessing.get_context("fork")
        except ValueError:  # pragma: no cover - no fork on this platform
            return None
    return None


def _size(paths: Sequence[Path]) -> int:
    total = 0
    for path in paths:
        total += _bytes(path)
        if total >= PARALLEL_BYTES:
            break
    return total


def _bytes(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # validation tells what is wrong with it


def _check_in_two(paths: list[Path], slugs: set[str], documents_dirs: Sequence[Path],
                  context: Any) -> Iterator[_Checked]:
    pool = ProcessPoolExecutor(1, mp_context=context, initializer=_start_worker, initargs=(slugs, documents_dirs))
    theirs = [i for i in range(len(paths)) if i % 2]
    pending: dict[int, Future[_Checked]] = {}
    try:
        for i, path in enumerate(paths):
            while theirs and len(pending) < AHEAD:
                n = theirs.pop(0)
                pending[n] = pool.submit(_check_in_worker, paths[n])
            if i in pending:
                yield pending.pop(i).result()
            else:
                yield _check_events_file(path, None, slugs, documents_dirs)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _check_beside(paths: list[Path], slugs: set[str], documents_dirs: Sequence[Path],
                  ahead: Ahead | None = None) -> Iterator[_Checked]:
    """Validate events files in two processes for a caller that appends meanwhile; results in file order.

    Both processes take the next file not taken yet from one shared counter:
    the other process as soon as it has handed over its last one (at most
    ``LEAD_BYTES`` ahead of the caller), this one only when the file the
    caller needs next is not in yet, and at most ``AHEAD`` files of its own.
    The other process hands each validated file over as a file in a private
    temporary folder, renamed into place once written, which this one reads
    and deletes when the caller needs it. Nothing passes through a pipe: a
    pipe must be emptied as it fills, by a thread of this process that runs
    only when the append lets go of the interpreter, and the other process
    waited on it for half of its time. Should the other process die, this
    one validates what it had taken and not handed over. With ``ahead``,
    whichever process validates a file works out its read-model rows too.
    """
    context = _sharing(paths)
    if context is None:
        yield from _check_all(paths, slugs, documents_dirs, parallel=False, ahead=ahead)
        return
    total = len(paths)
    taken = context.Value("q", 0)
    needed = context.RawValue("q", 0)  # the file the caller needs next
    with tempfile.TemporaryDirectory(prefix="chronicle-validated-") as folder:
        worker = context.Process(target=_check_taken, args=(folder, taken, needed, paths, slugs, documents_dirs,
                                                            ahead), daemon=True)
        worker.start()
        have: dict[int, _Checked] = {}

        def take() -> int | None:
            with taken.get_lock():
                n = int(taken.value)
                if n >= total:
                    return None
                taken.value = n + 1
                return n

        try:
            for i in range(total):
                needed.value = i
                while i not in have:
                    item = _handed(folder, i)
                    if item is not None:
                        have[i] = item
                        continue
                    n = take() if len(have) < AHEAD else None
                    if n is not None:
                        have[n] = _check_events_file(paths[n], None, slugs, documents_dirs, ahead)
                    elif not worker.is_alive():
                        # The other process is gone: what it had taken and not handed over is validated here.
                        have[i] = _handed(folder, i) or _check_events_file(paths[i], None, slugs, documents_dirs,
                                                                           ahead)
                    else:
                        time.sleep(WAIT)  # the file needed is the other process's: it is on it
                yield have.pop(i)
        finally:
            with taken.get_lock():
                taken.value = total
            needed.value = total  # lets the other process out of waiting for the caller
            worker.join()


#: Bytes of events files the other process may validate ahead of the caller, the one it needs included
#: (bounds the folder's size).
LEAD_BYTES = 32 << 20
#: Seconds between two looks for a file the other process is validating.
WAIT = 0.0005


def _handed(folder: str, n: int) -> _Checked | None:
    """The n-th file as the other process handed it over (and no longer in ``folder``), or None if not yet."""
    path = os.path.join(folder, str(n))
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return None
    os.unlink(path)
    item: _Checked = pickle.loads(data)  # noqa: S301 - from our own process
    return item


def _hand_over(folder: str, n: int, item: _Checked) -> None:
    """Put the n-th validated file where :func:`_handed` finds it: whole, or not at all."""
    path = os.path.join(folder, str(n))
    with open(path + ".part", "wb") as handle:
        pickle.dump(item, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(path + ".part", path)


def _check_taken(folder: str, taken: Any, needed: Any, paths: list[Path], slugs: set[str],
                 documents_dirs: Sequence[Path], ahead: Ahead | None = None) -> None:
    """In the other process: validate the next file not taken and hand it over, until none is left."""
    total = len(paths)
    upto = list(itertools.accumulate((_bytes(p) for p in paths), initial=0))  # bytes before each file
    while True:
        with taken.get_lock():
            n = int(taken.value)
            if n >= total:
                return
            taken.value = n + 1
        while n > (at := min(needed.value, total)) and upto[n + 1] - upto[at] > LEAD_BYTES:
            time.sleep(WAIT)
        if needed.value >= total:
            return  # the caller has stopped
        checked = _check_events_file(paths[n], None, slugs, documents_dirs, ahead)
        try:
            # Pickled once, as it is: the caller unpickles it when it needs it.
            _hand_over(folder, n, checked)
        except OSError:
            return  # the folder cannot take it (a full disk): the caller validates what is left


_WORKER: dict[str, Any] = {}


def _start_worker(slugs: set[str], documents_dirs: Sequence[Path]) -> None:
    _WORKER.update(slugs=slugs, documents_dirs=documents_dirs)


def _check_in_worker(path: Path) -> _Checked:
    checked = _check_events_file(path, None, _WORKER["slugs"], _WORKER["documents_dirs"])
    if checked.packed is not None:
        # Pickled here, once: the parent writes these bytes to its spool as they are.
        checked.blob = pickle.dumps(checked.packed, protocol=pickle.HIGHEST_PROTOCOL)
        checked.packed = None
    return checked


def _is_entities(data: Any) -> bool:
    return isinstance(data, dict) and "entities" in data and "events" not in data


def _pack(item: EventsFile) -> tuple[Any, ...]:
    # Plain tuples: pickling slotted dataclasses field by field costs several
    # times more than the tuples they are made of. Each event's row is
    # prepared here too (JSON, the event's part of its hash): validation
    # runs in two processes, the append in one.
    events = [
        (e.event_id, e.type, e.subject, (w.text, w.edtf, w.earliest, w.latest, w.precision, w.qualifier, w.anchor),
         e.certainty, (e.evidence.document, e.evidence.quote, e.evidence.start, e.evidence.end), dict(e.facts),
         e.entities, e.schema_version, e.stance, e.note)
        for e in item.events for w in (e.when,)
    ]
    return item.path, item.document, events, item.drafts, item.text_found, [prepare_row(e) for e in item.events]


def _unpack(packed: tuple[Any, ...]) -> EventsFile:
    return _unpack_prepared(packed)[0]


def _unpack_prepared(packed: tuple[Any, ...]) -> tuple[EventsFile, Prepared]:
    # The events were validated when packed: they are built as the store builds
    # the events it reads, without the constructors, one date object per distinct date.
    path, document, events, drafts, text_found, prepared = packed
    dates: dict[tuple[Any, ...], FuzzyDate] = {}
    built = []
    for i, t, s, w, c, ev, f, en, v, st, no in events:
        when = dates.get(w)
        if when is None:
            when = dates[w] = FuzzyDate(*w)
        built.append(stored_event(i, t, s, when, c, stored_evidence(*ev), f, en, v, None, None, None, st, no))
    return EventsFile(path, document, tuple(built), drafts, text_found), prepared


class _Spool:
    """Validated files parked on disk until every file has validated, then read back in order."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()
        self.items: list[FileReport] = []
        self.drafts: list[tuple[str, ...]] = []

    def add(self, item: _Checked) -> None:
        if item.blob is not None:
            self.file.write(item.blob)
        else:
            pickle.dump(item.packed, self.file, protocol=pickle.HIGHEST_PROTOCOL)
        self.items.append(item.report())
        self.drafts.append(item.drafts)

    def restart(self) -> None:
        self.file.seek(0)
        self.file.truncate()
        self.items.clear()
        self.drafts.clear()

    def __iter__(self) -> Iterator[tuple[EventsFile, Prepared]]:
        self.file.seek(0)
        for _ in self.items:
            yield _unpack_prepared(pickle.load(self.file))  # noqa: S301 - our own temporary file

    def close(self) -> None:
        self.file.close()


def ingest(
    store: Store,
    paths: Iterable[str | Path],
    *,
    documents_dirs: Sequence[Path] = (),
    dry_run: bool = False,
    allow_drafts: bool = False,
    progress: Progress | None = None,
) -> IngestReport:
    """Validate the files at ``paths`` and append their events to ``store``."""
    files = collect_files(paths)
    known = {e.slug: e for e in store.entities()}
    if not dry_run and _sharing(files) is not None:
        try:
            return _append_while_validating(store, files, known, documents_dirs, allow_drafts, progress)
        except _Resort:
            pass  # rolled back, nothing written: the files are checked again below, the sure way
    spool = _Spool()
    try:
        new_entities = _validate_files(files, known, documents_dirs, spool.add, spool.restart)
        return _append_spooled(store, spool, new_entities, dry_run, allow_drafts, progress)
    finally:
        spool.close()


def _drafts_problem(path: str, found: Sequence[str]) -> Problem:
    return Problem(path, 0, "status", f"{len(found)} draft event(s), e.g. {found[0]}: "
                   "review them and remove `status: draft` before ingesting")


def _append_spooled(
    store: Store, spool: _Spool, new_entities: list[Entity], dry_run: bool, allow_drafts: bool,
    progress: Progress | None,
) -> IngestReport:
    if not allow_drafts and not dry_run:
        drafts = [_drafts_problem(item.path, found) for item, found in zip(spool.items, spool.drafts) if found]
        if drafts:
            raise ValidationError(drafts)
    report = IngestReport(dry_run=dry_run)
    if dry_run:
        report.files = list(spool.items)
        report.store_seq = store.head()
        return report

    def put_entities(conn: Any) -> None:
        report.entities_added, report.entities_changed = store.put_entities_on(conn, new_entities)

    # Imported here: read models answer through queries, which reads corrections.
    from chronicle.readmodels import Follow

    results = store.append_files(((item.events, item.document, prepared) for item, prepared in spool),
                                 after_group=Follow(store), one_transaction=True, first=put_entities)
    report.files = list(spool.items)
    return _recorded(store, report, results, len(spool.items), progress)


def _recorded(store: Store, report: IngestReport, results: Iterator[AppendResult], total: int,
              progress: Progress | None) -> IngestReport:
    """Each file's report from its append's result (``report.files[n]`` is the file of the
    n-th result), then the read-model tables brought up to date."""
    from chronicle.readmodels import refresh

    # The append makes and drops millions of objects (events, rows, read-model
    # rows) and next to no cycles: the collector, triggered by allocation
    # counts, went through them for nothing (about 2 s of CPU at 100k
    # events). Reference counting frees them as before.
    with collection_paused():
        try:
            for done, result in enumerate(results, 1):
                file_report = report.files[done - 1]
                file_report.appended, file_report.present = len(result.appended), len(result.present)
                file_report.refused = list(result.refused)
                if progress is not None:
                    progress(done, total)
        except RefusedError:
            # The whole ingest was rolled back: what the files would have appended was not.
            for file_report in report.files:
                file_report.appended = 0
            report.entities_added = report.entities_changed = 0
    if report.appended:
        # Keep the read-model tables current for SQL clients (the per-claim
        # ones have followed the appends already, where they could).
        report.store_seq = refresh(store, incremental=True)
    else:
        report.store_seq = store.head()
    return report


def _append_while_validating(
    store: Store, files: list[Path], known: dict[str, Entity], documents_dirs: Sequence[Path], allow_drafts: bool,
    progress: Progress | None,
) -> IngestReport:
    """Validate and append at once, on two cores, in one transaction.

    A large ingest validated every file (on two cores) and only then
    appended (on one). Here the append starts with the first valid file
    while a second process validates the next ones, and nothing is
    committed before the last file has validated: a file that does not
    validate, or a draft, rolls back everything, the entities included
    (they are put in the same transaction), so the store is as it was,
    exactly as when nothing was appended at all.
    """
    from chronicle.readmodels import Ahead

    ahead = Ahead(store)

    def beside(paths: list[Path], entities: dict[str, Entity], documents_dirs: Sequence[Path]) -> Iterator[_Checked]:
        # The validating process works out each file's read-model rows too: it has time to spare.
        ahead.start(entities)
        return _check_beside(paths, set(entities), documents_dirs, ahead)

    entity_files = [p for p in files if _looks_like_entities(p)]
    validation = _Validation(files, entity_files, known, documents_dirs, beside)
    checked = validation.run()
    try:
        return _append_checked(store, validation, checked, len(files) - len(entity_files), allow_drafts, progress,
                               ahead)
    finally:
        checked.close()  # stops the other process if the append ended early


def _append_checked(
    store: Store, validation: _Validation, checked: Iterator[_Checked], events_files: int, allow_drafts: bool,
    progress: Progress | None, ahead: Ahead,
) -> IngestReport:
    # The entities files are checked first: their entities go in before any event.
    head = next(checked, None)
    report = IngestReport()
    drafts: list[Problem] = []

    def batches() -> Iterator[tuple[Sequence[Event], Any, Prepared]]:
        items = checked if head is None else itertools.chain((head,), checked)
        for item in items:
            if item.drafts and not allow_drafts:
                drafts.append(_drafts_problem(str(item.path), item.drafts))
            if drafts:
                continue  # nothing more is appended; the rest is only checked
            report.files.append(item.report())
            events, prepared = _unpack_prepared(item.contents())
            if item.rows is not None:
                ahead.ready[events.document.id] = (tuple(e.event_id for e in events.events), item.rows)
            yield events.events, events.document, prepared
        if drafts:
            raise ValidationError(drafts)

    def put_entities(conn: Any) -> None:
        report.entities_added, report.entities_changed = store.put_entities_on(conn, validation.new_entities)

    from chronicle.readmodels import Follow

    results = store.append_files(batches(), after_group=Follow(store, ahead=ahead), one_transaction=True,
                                 first=put_entities)
    return _recorded(store, report, results, events_files, progress)
