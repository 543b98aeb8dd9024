"""Drafts against curated events: precision, recall and date-bound accuracy.

A draft matches a curated event of the same document when type and subject
are equal and their date bounds overlap; pairs are made one to one, greedily,
closest bounds first. Both files go through the validator, so the bounds
compared are the ones the store would keep.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from chronicle.errors import ChronicleError, ValidationError
from chronicle.eventfiles import load_yaml
from chronicle.events import Entity, Event
from chronicle.extract.draft import Options, extract_file
from chronicle.extract.entities import load_entities
from chronicle.extract.writer import events_yaml
from chronicle.validate import validate_events_file


@dataclass
class Score:
    """The figures for one document (or the sum over all of them)."""

    document: str
    drafts: int = 0
    curated: int = 0
    curated_dated: int = 0
    matched: int = 0
    matched_dated: int = 0
    bounds_right: int = 0
    misses: list[str] = field(default_factory=list)
    wrong_dates: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("drafts", "curated", "curated_dated", "matched", "matched_dated", "bounds_right"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @staticmethod
    def _ratio(a: int, b: int) -> float | None:
        return round(a / b, 3) if b else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document, "drafts": self.drafts, "curated": self.curated,
            "curated_dated": self.curated_dated, "matched": self.matched, "matched_dated": self.matched_dated,
            "precision": self._ratio(self.matched, self.drafts),
            "recall_dated": self._ratio(self.matched_dated, self.curated_dated),
            "recall_all": self._ratio(self.matched, self.curated),
            "date_accuracy": self._ratio(self.bounds_right, self.matched),
        }


def _validated(path: Path, data: Any, entities: dict[str, Entity], documents: Sequence[Path]) -> list[Event]:
    result, problems = validate_events_file(path, data, entities, documents)
    if problems or result is None:
        raise ValidationError(problems)
    return list(result.events)


def _distance(a: Event, b: Event) -> int:
    def gap(x: date | None, y: date | None) -> int:
        if x is None and y is None:
            return 0
        if x is None or y is None:
            return 100000
        return abs((x - y).days)

    return gap(a.when.earliest, b.when.earliest) + gap(a.when.latest, b.when.latest)


def score_document(curated_path: Path, texts: Path, entities: Sequence[Entity], today: date | None = None) -> Score:
    """Extract the text of one curated file and score the draft against it."""
    data, problems = load_yaml(curated_path)
    if problems:
        raise ValidationError(problems)
    known = {e.slug: e for e in entities}
    curated = _validated(curated_path, data, known, [texts])
    header = data["document"]
    options = Options(published=header.get("published"), window=header.get("window"), doc_id=header["id"],
                      title=header.get("title"), today=today)
    draft = extract_file(texts / header["text"], entities, options)
    draft_data = yaml.safe_load(events_yaml(draft, None))
    with_proposals = dict(known)
    with_proposals.update({p.slug: Entity(p.slug, p.kind, p.name) for p in draft.proposals})
    drafts = _validated(texts / "draft.yaml", draft_data, with_proposals, [texts])
    dated_ids = {e.event_id for e, raw in zip(curated, data["events"]) if ((raw.get("when") or {}).get("text") or "").strip()}
    score = Score(header["id"], drafts=len(drafts), curated=len(curated), curated_dated=len(dated_ids))
    pairs = sorted(
        ((_distance(c, d), i, j) for i, c in enumerate(curated) for j, d in enumerate(drafts)
         if c.type == d.type and c.subject == d.subject and c.when.overlaps(d.when)),
    )
    used_c: set[int] = set()
    used_d: set[int] = set()
    for _, i, j in pairs:
        if i in used_c or j in used_d:
            continue
        used_c.add(i)
        used_d.add(j)
        c, d = curated[i], drafts[j]
        score.matched += 1
        score.matched_dated += c.event_id in dated_ids
        if (c.when.earliest, c.when.latest) == (d.when.earliest, d.when.latest):
            score.bounds_right += 1
        else:
            score.wrong_dates.append(f"{c.type} {c.subject}: curated {c.when.edtf} ({c.when.text!r}), "
                                     f"draft {d.when.edtf} ({d.when.text!r})")
    score.misses = [f"{c.type} {c.subject} {c.when.text!r}" for i, c in enumerate(curated) if i not in used_c]
    return score


def evaluate(events_dir: Path, texts: Path, today: date | None = None) -> list[Score]:
    """Score every curated file in ``events_dir``; the last row is the total."""
    entities = load_entities(events_dir / "entities.yaml")
    files = sorted(p for p in events_dir.glob("*.yaml") if p.name != "entities.yaml")
    if not files:
        raise ChronicleError(f"{events_dir}: no curated events files", "give the folder holding events/*.yaml")
    scores = [score_document(p, texts, entities, today) for p in files]
    total = Score("overall")
    for s in scores:
        total.add(s)
    return [*scores, total]
