"""Curated databases into the store, one snapshot at a time, appending only what changed.

A snapshot is one document. Its rows are compared with what the earlier
snapshots of the same dataset already say in the store (their events folded
in date order, removals applied): a row that says the same appends nothing,
a new row appends its event, a changed row appends its new event and an
``event_superseded`` pointing at the old one, and a row that is gone appends
an ``event_retracted`` that records the removal. Importing a snapshot that is
already stored recomputes the same events, so it appends nothing.

A file may be the whole database or only part of it (an export, a filter, a
cut-off download), and nothing in it says which. So a snapshot that would
remove more than ``MAX_REMOVED_PERCENT`` of the rows stored is refused,
before anything is written, unless the caller says which it is: ``complete``
removes them, ``partial`` imports the rows and removes none. A dry run works
all of this out and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from chronicle.errors import ChronicleError, RefusedError
from chronicle.events import Document, Entity, Event, Evidence, event_id
from chronicle.importers import epoch
from chronicle.store import AppendResult, LogFilter, Store

#: Compared between snapshots: what a row claims (its evidence quote carries the date cell).
COMPARED = ("subject", "facts", "entities", "quote", "when_text")

#: The most a snapshot may remove, in percent of the rows stored from the dataset, unless it is
#: said to be complete. Between two releases a curated database loses a few rows (duplicates
#: merged, entries withdrawn or renamed); a file that lacks more is likelier an export, a filter
#: or a cut-off download than the database, and retracting on its word empties every answer built
#: on the rest (a 50-row export of the 924-row snapshot would retract 874 rows). Retractions stay
#: in the log, and undoing them takes another snapshot on top, so the caller settles the doubt.
MAX_REMOVED_PERCENT = 5

#: What the caller says a file is: the whole database, or part of it (None: not said).
Coverage = Literal["complete", "partial"]


class RemovalRefused(ChronicleError):
    """A snapshot would remove more than ``MAX_REMOVED_PERCENT`` of the rows stored, and its coverage was not given."""

    def __init__(self, file: str, removed: int, stored: int) -> None:
        self.removed, self.stored = removed, stored
        super().__init__(
            f"{file} would remove {removed} of the {stored} rows stored from {epoch.NAME} "
            f"({100 * removed / stored:.1f}%, more than {MAX_REMOVED_PERCENT}%); nothing was appended",
            "give --complete if the file is the whole database (the rows go), or --partial if it is only part "
            "of it (its rows are imported, none removed); --dry-run lists them",
        )


def removes_too_much(removed: int, stored: int) -> bool:
    """Whether removing ``removed`` of ``stored`` rows passes ``MAX_REMOVED_PERCENT`` (in integers: exact)."""
    return removed * 100 > MAX_REMOVED_PERCENT * stored


@dataclass
class ImportReport:
    file: str
    document: str
    snapshot: str
    snapshot_from: str
    previous: str | None
    rows: int
    new: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    appended: int = 0
    present: int = 0
    entities_matched: int = 0
    entities_created: int = 0
    #: Rows the earlier snapshots say now; rows of theirs a partial file lacks, kept.
    stored: int = 0
    kept: list[str] = field(default_factory=list)
    #: Row key -> the model's name, for each row removed or kept.
    names: dict[str, str] = field(default_factory=dict)
    coverage: Coverage | None = None
    dry_run: bool = False
    #: Why the snapshot is (or, in a dry run, would be) refused.
    refusal: RemovalRefused | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": "chronicle.import/1",
            "file": self.file, "document": self.document, "snapshot": self.snapshot,
            "snapshot_from": self.snapshot_from, "previous": self.previous, "rows": self.rows,
            "new": len(self.new), "changed": len(self.changed), "unchanged": self.unchanged,
            "removed": len(self.removed), "appended": self.appended, "present": self.present,
            "superseded": len(self.changed),
            "entities_matched": self.entities_matched, "entities_created": self.entities_created,
            "stored": self.stored, "kept": len(self.kept), "coverage": self.coverage, "dry_run": self.dry_run,
            "removed_limit_percent": MAX_REMOVED_PERCENT,
            "refused": self.refusal.message if self.refusal is not None else None,
            "removed_rows": [{"row": key, "model": self.names[key]} for key in self.removed],
            "attribution": epoch.ATTRIBUTION,
        }


def _claim(event: Event) -> tuple[Any, ...]:
    return (event.subject, dict(event.facts), tuple(event.entities), event.evidence.quote, event.when.text)


def _local(event_or_id: Event | str) -> str:
    full = event_or_id if isinstance(event_or_id, str) else event_or_id.event_id
    return full.split(":", 1)[1]


def _dataset_documents(store: Store) -> list[Document]:
    prefix = epoch.DATASET + "-"
    docs = [d for d in store.documents() if d.kind == "database" and d.id.startswith(prefix)]
    return sorted(docs, key=lambda d: (d.known_from or date.min, d.id))


def previous_rows(store: Store, earlier: list[Document]) -> dict[str, Event]:
    """What the earlier snapshots say, row key -> the event that says it now."""
    if not earlier:
        return {}
    order = {d.id: i for i, d in enumerate(earlier)}
    events = sorted(store.read(LogFilter(documents=tuple(order))), key=lambda e: (order[e.document], e.seq or 0))
    state: dict[str, Event] = {}
    for event in events:
        if event.type in epoch.ROW_TYPES:
            state[_local(event)] = event
        elif event.type == "event_retracted":
            state.pop(_local(event.facts["target"]), None)
    return state


def _correction(doc: Document, kind: str, old: Event, reason: str, replacement: str | None = None) -> Event:
    key = _local(old)
    facts = {"target": old.event_id, "reason": reason}
    if replacement is not None:
        facts["replacement"] = replacement
    return Event(
        event_id=event_id(doc.id, f"{key}--{'superseded' if replacement else 'removed'}"),
        type=kind, subject=old.subject, when=doc.dated, certainty="reported",
        evidence=Evidence(doc.id, reason), facts=dict(sorted(facts.items())), entities=old.entities,
    )


def _changed_fields(old: Event, new: Event) -> list[str]:
    names = sorted(set(old.facts) | set(new.facts))
    fields = [f for f in names if old.facts.get(f) != new.facts.get(f)]
    if old.when.text != new.when.text:
        fields.insert(0, "publication date")
    if old.subject != new.subject:
        fields.insert(0, "model entity")
    return fields or ["wording"]


def import_epoch(
    store: Store, path: str | Path, *, snapshot: date | None = None, coverage: Coverage | None = None,
    dry_run: bool = False, progress: epoch.Progress | None = None,
) -> ImportReport:
    """Import one snapshot of Epoch AI's Notable AI Models; see the module docstring.

    ``coverage`` says the file is the whole database (``"complete"``) or part of
    it (``"partial"``); without it, a snapshot that would remove more than
    ``MAX_REMOVED_PERCENT`` of the rows stored raises :class:`RemovalRefused`
    and writes nothing. With ``dry_run`` nothing is written either way: the
    report says what would be, its ``refusal`` included.
    """
    path = Path(path)
    if not path.is_file():
        raise ChronicleError(f"no such file: {path}", "give the CSV file of a snapshot")
    data = path.read_bytes()
    known = {e.slug: e for e in store.entities()}
    snap = epoch.read_snapshot(path, known, snapshot=snapshot, data=data, progress=progress)
    doc = snap.document
    stored = _dataset_documents(store)
    same = next((d for d in stored if d.id == doc.id), None)
    if same is not None and same.sha256 != doc.sha256:
        raise ChronicleError(
            f"the snapshot of {snap_day(doc)} is already in the store from another file ({same.text_name})",
            "give this file its own date with --snapshot-date (and --partial if it is only part of the database)",
        )
    later = [d for d in stored if d.known_from and doc.known_from and d.known_from > doc.known_from]
    if same is None and later:
        raise ChronicleError(
            f"a later snapshot ({later[-1].id}) is already in the store; nothing was appended",
            "import snapshots in date order",
        )
    earlier = [d for d in stored if d.id != doc.id and d not in later]
    before = previous_rows(store, earlier)
    report = ImportReport(str(path), doc.id, snap_day(doc), snap.snapshot_from,
                          earlier[-1].id if earlier else None, snap.rows,
                          entities_matched=len(snap.matched_entities), entities_created=len(snap.new_entities),
                          stored=len(before), coverage=coverage, dry_run=dry_run)
    batch = _new_and_changed(doc, snap.events, before, report)
    gone = sorted(set(before) - {_local(e) for e in snap.events})
    report.names = {key: _model_name(before[key], known) for key in gone}
    # A snapshot imported again: its events are stored already, its removals made.
    present = {e.event_id for e in store.read(LogFilter(documents=(doc.id,)))} if same is not None else set()
    if coverage == "partial":
        report.kept = gone
    else:
        report.removed = gone
        reason = f"no longer in the dataset in the snapshot of {report.snapshot}"
        retractions = [_correction(doc, "event_retracted", before[key], reason) for key in gone]
        batch.extend(retractions)
        removing = sum(e.event_id not in present for e in retractions)
        if coverage is None and removes_too_much(removing, len(before)):
            report.refusal = RemovalRefused(str(path), removing, len(before))
    if dry_run:
        report.present = sum(e.event_id in present for e in batch)
        report.appended = len(batch) - report.present
        return report
    if report.refusal is not None:
        raise report.refusal
    # The new entities go in the events' own transaction: a refused batch leaves none of them behind.
    outcome: list[AppendResult] = []
    try:
        for result in store.append_files([(batch, doc)], one_transaction=True,
                                          first=lambda conn: store.put_entities_on(conn, snap.new_entities)):
            outcome.append(result)
    except RefusedError:
        first = outcome[0].refused[0]
        raise ChronicleError(f"the store refused {first.event_id}: {first.reason}; nothing was appended") from None
    report.appended, report.present = len(outcome[0].appended), len(outcome[0].present)
    return report


def _new_and_changed(doc: Document, events: list[Event], before: dict[str, Event], report: ImportReport) -> list[Event]:
    """The events a snapshot's rows append: new rows, and changed rows with the supersession of their old event."""
    batch: list[Event] = []
    for event in events:
        key = _local(event)
        old = before.get(key)
        if old is None:
            report.new.append(key)
            batch.append(event)
        elif _claim(old) != _claim(event):
            report.changed.append(key)
            batch.append(event)
            reason = f"changed in the snapshot of {report.snapshot}: {', '.join(_changed_fields(old, event))}"
            batch.append(_correction(doc, "event_superseded", old, reason, event.event_id))
        else:
            report.unchanged += 1
    return batch


def _model_name(event: Event, known: dict[str, Entity]) -> str:
    entity = known.get(event.subject)
    return entity.name if entity is not None else event.subject


def snap_day(doc: Document) -> str:
    assert doc.published is not None
    return doc.published.edtf
