"""An ingest is all or nothing, whatever refuses it; and an event is what its file says.

Each refusal kind (an event stored with other content, a document stored
with other content, a draft, a file that does not validate) must leave the
store exactly as it was: no event of another file, no document, no entity.
Both ways of ingesting are tried: validating first (one process) and
validating beside the append (two).
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from builders import doc, event
from chronicle import ingest as ingesting
from chronicle.cli import main
from chronicle.errors import ValidationError
from chronicle.events import Evidence
from chronicle.store import Store
from chronicle.tables import documents as documents_t
from chronicle.tables import entities as entities_t
from chronicle.tables import events as events_t
from chronicle.verify import verify
from tests_support import copy_corpus

GOOD = """\
document:
  id: doc-good
  title: A good article
  published: 2026-02-01
events:
  - id: e1
    type: model_release
    subject: newco-m1
    when: {text: "in March 2025", edtf: "2025-03"}
    quote: "NewCo released M1 in March 2025"
"""
NEW_ENTITIES = """\
entities:
  - slug: newco
    kind: org
    name: NewCo
  - slug: newco-m1
    kind: model
    name: NewCo M1
    org: newco
"""


def _snapshot(store: Store) -> tuple[object, ...]:
    """Everything an ingest may write: events, documents, entities (with their stamps)."""
    with store.engine.connect() as conn:
        return tuple(
            [tuple(r) for r in conn.execute(sa.select(table).order_by(*table.primary_key.columns))]
            for table in (events_t, documents_t, entities_t)
        )


def _beside(monkeypatch: pytest.MonkeyPatch, on: bool) -> None:
    if on:
        monkeypatch.setattr(ingesting, "second_core", lambda: True)
        monkeypatch.setattr(ingesting, "PARALLEL_BYTES", 0)


@pytest.fixture
def stored(store: Store, tmp_path: Path) -> Path:
    """The small corpus, ingested once; returns its folder."""
    folder = copy_corpus(tmp_path / "corpus")
    assert ingesting.ingest(store, [folder]).appended == 2
    return folder


def _add_good_file(folder: Path) -> None:
    (folder / "doc-good.yaml").write_text(GOOD, encoding="utf-8")
    (folder / "more-entities.yaml").write_text(NEW_ENTITIES, encoding="utf-8")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


STORED_CONFLICTS = {
    "event": ("openness: open-weight", "openness: closed"),
    "document": ("title: A test article", "title: A retitled article"),
}


@pytest.mark.parametrize("beside", [False, True], ids=["validate-first", "validate-beside"])
@pytest.mark.parametrize("kind", sorted(STORED_CONFLICTS))
def test_a_conflict_with_stored_content_writes_nothing_of_any_file(
    store: Store, stored: Path, kind: str, beside: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    _add_good_file(stored)
    _edit(stored / "test-doc.yaml", *STORED_CONFLICTS[kind])
    _beside(monkeypatch, beside)
    before = _snapshot(store)
    report = ingesting.ingest(store, [stored])
    assert report.refused == 1
    # The good file would have appended its event: it did not, nor were its entities stored.
    assert (report.appended, report.entities_added) == (0, 0)
    assert [f.appended for f in report.files] == [0, 0]
    assert _snapshot(store) == before
    assert verify(store).ok


@pytest.mark.parametrize("beside", [False, True], ids=["validate-first", "validate-beside"])
def test_every_refusal_is_told_though_the_first_already_dooms_the_ingest(
    store: Store, stored: Path, beside: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    _edit(stored / "test-doc.yaml", "openness: open-weight", "openness: closed")
    _edit(stored / "test-doc.yaml", 'op: ">"', 'op: "="')
    _beside(monkeypatch, beside)
    report = ingesting.ingest(store, [stored])
    assert sorted(r.event_id for f in report.files for r in f.refused) == [
        "test-doc:qwen-downloads", "test-doc:r1-release"]


@pytest.mark.parametrize("beside", [False, True], ids=["validate-first", "validate-beside"])
@pytest.mark.parametrize("kind", ["draft", "invalid"])
def test_a_draft_or_an_invalid_file_writes_nothing_of_any_file(
    store: Store, stored: Path, kind: str, beside: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    _add_good_file(stored)
    if kind == "draft":
        _edit(stored / "test-doc.yaml", "  - id: qwen-downloads\n", "  - id: qwen-downloads\n    status: draft\n")
    else:
        _edit(stored / "test-doc.yaml", "type: downloads", "type: rumour")
    _beside(monkeypatch, beside)
    before = _snapshot(store)
    with pytest.raises(ValidationError):
        ingesting.ingest(store, [stored])
    assert _snapshot(store) == before


def test_the_same_file_is_present_with_or_without_the_documents_text(store: Store, tmp_path: Path) -> None:
    """Offsets are found in the text when it is at hand; they do not make another event."""
    with_text = copy_corpus(tmp_path / "with-text")
    without_text = tmp_path / "without-text"
    without_text.mkdir()
    for name in ("test-doc.yaml", "entities.yaml"):
        shutil.copy(with_text / name, without_text / name)

    first = ingesting.ingest(store, [without_text])
    assert (first.appended, first.files[0].text_checked) == (2, False)
    assert [e.evidence.start for e in store.read()] == [None, None]
    again = ingesting.ingest(store, [with_text])
    assert (again.appended, again.present, again.refused, again.files[0].text_checked) == (0, 2, 0, True)
    # The event keeps what it was first stored with; the log is not edited.
    assert [e.evidence.start for e in store.read()] == [None, None]


def test_offsets_stored_and_offsets_absent_are_the_same_event_the_other_way_too(
    store: Store, tmp_path: Path
) -> None:
    with_text = copy_corpus(tmp_path / "with-text")
    without_text = tmp_path / "without-text"
    without_text.mkdir()
    for name in ("test-doc.yaml", "entities.yaml"):
        shutil.copy(with_text / name, without_text / name)
    assert ingesting.ingest(store, [with_text]).appended == 2
    starts = [e.evidence.start for e in store.read()]
    assert None not in starts
    again = ingesting.ingest(store, [without_text])
    assert (again.appended, again.present, again.refused) == (0, 2, 0)


def test_offsets_that_both_sides_give_and_disagree_are_a_conflict(store: Store) -> None:
    """Where both the stored event and the new one place the quote, they must place it alike."""
    placed = replace(event("a"), evidence=Evidence("doc-a", "quote for a", 10, 21))
    assert store.append([placed], document=doc()).appended == ["doc-a:a"]
    unplaced = replace(placed, evidence=Evidence("doc-a", "quote for a"))
    assert store.append([unplaced], document=doc()).present == ["doc-a:a"]
    elsewhere = replace(placed, evidence=Evidence("doc-a", "quote for a", 40, 51))
    result = store.append([elsewhere], document=doc())
    assert [(r.event_id, r.fields) for r in result.refused] == [("doc-a:a", ("quote_start", "quote_end"))]
    assert store.head() == 1


def test_stored_conflict_through_the_command_names_it_and_appends_nothing(tmp_path: Path, store_url: str) -> None:
    folder = copy_corpus(tmp_path / "corpus")
    runner = CliRunner()
    assert runner.invoke(main, ["--db", store_url, "ingest", str(folder)]).exit_code == 0
    _add_good_file(folder)
    _edit(folder / "test-doc.yaml", "title: A test article", "title: A retitled article")
    result = runner.invoke(main, ["--db", store_url, "ingest", str(folder)])
    assert result.exit_code == 1
    assert result.output.splitlines()[-2:] == [
        "Error: 1 event(s) refused; nothing was appended",
        "Hint: a correction is a new event with a new id, never an edit of a stored one",
    ]
    assert "refused document test-doc: already stored with other content (fields: title)" in result.output
    log = runner.invoke(main, ["--db", store_url, "log", "--format", "ndjson"]).output
    assert "doc-good" not in log and log.count("\n") == 2
