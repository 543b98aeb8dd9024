"""Files to the store: load, validate everything, then append file by file.

Nothing is appended unless every file validates. Each file is then one
all-or-nothing batch: a file whose events the store refuses (an event id
already stored with other content) appends nothing, and the others go on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chronicle.errors import ConfigError, Problem, ValidationError
from chronicle.eventfiles import line_of, load_yaml
from chronicle.events import Entity
from chronicle.store import Refusal, Store
from chronicle.validate import EventsFile, validate_entities, validate_events_file

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
    problems: list[Problem] = []
    parsed: list[tuple[Path, Any]] = []
    new_entities: list[Entity] = []
    for path in files:
        data, errors = load_yaml(path)
        problems.extend(errors)
        if errors:
            continue
        if isinstance(data, dict) and "entities" in data and "events" not in data:
            found, errors = validate_entities(path, data, known_entities)
            problems.extend(errors)
            new_entities.extend(found)
        else:
            parsed.append((path, data))
    entities = dict(known_entities)
    entities.update({e.slug: e for e in new_entities})
    validated: list[EventsFile] = []
    documents: dict[str, Path] = {}
    for path, data in parsed:
        result, errors = validate_events_file(path, data, entities, documents_dirs)
        problems.extend(errors)
        if result is not None:
            other = documents.get(result.document.id)
            if other is not None:
                doc = data["document"]
                problems.append(Problem(str(path), line_of(doc, "id"), "document.id",
                                        f"{result.document.id!r} is also the id of {other}"))
            documents[result.document.id] = path
            validated.append(result)
    if problems:
        raise ValidationError(problems)
    return new_entities, validated


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
    new_entities, validated = load_and_validate(files, known, documents_dirs)
    if not allow_drafts and not dry_run:
        drafts = [
            Problem(str(f.path), 0, "status", f"{len(f.drafts)} draft event(s), e.g. {f.drafts[0]}: "
                    "review them and remove `status: draft` before ingesting")
            for f in validated if f.drafts
        ]
        if drafts:
            raise ValidationError(drafts)
    report = IngestReport(dry_run=dry_run)
    if dry_run:
        report.files = [FileReport(str(f.path), f.document.id, len(f.events), drafts=len(f.drafts),
                                   text_checked=f.text_found) for f in validated]
        report.store_seq = store.head()
        return report
    report.entities_added, report.entities_changed = store.put_entities(new_entities)
    for done, item in enumerate(validated, 1):
        result = store.append(item.events, document=item.document)
        report.files.append(FileReport(
            str(item.path), item.document.id, len(item.events),
            appended=len(result.appended), present=len(result.present), refused=list(result.refused),
            drafts=len(item.drafts), text_checked=item.text_found,
        ))
        if progress is not None:
            progress(done, len(validated))
    if report.appended:
        # Keep the read-model tables current for SQL clients.
        from chronicle.readmodels import refresh

        report.store_seq = refresh(store)
    else:
        report.store_seq = store.head()
    return report
