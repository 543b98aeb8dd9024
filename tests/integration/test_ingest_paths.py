"""However an ingest shares its work, it stores what plain appends of the same files store.

An ingest validates in one process or two and appends rows prepared while
validating (their JSON, their part of the hash); ``Store.append`` of each
file works everything out at the append. With the clock fixed, every
column of every row must be the same, hashes included.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from chronicle import database
from chronicle import ingest as ingesting
from chronicle import store as storing
from chronicle.errors import ValidationError
from chronicle.hashchain import EVENT_PART, chained_hash, event_part, row_hash
from chronicle.store import open_store
from chronicle.verify import verify
from generated import write_corpus

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
FIXED = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=timezone.utc)


@pytest.fixture(params=BACKENDS)
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[Callable[[], str]]:
    """Makes fresh, migrated, empty stores on one backend."""
    made: list[str] = []
    factory = None if request.param == "sqlite" else request.getfixturevalue("pg_factory")

    def make() -> str:
        if factory is not None:
            made.append(factory.new())
            return made[-1]
        path = tmp_path / f"store-{len(made)}.db"
        made.append(str(path))
        shutil.copy(sqlite_template, path)
        return database.resolve_url(str(path))

    yield make
    if factory is not None:
        for url in made:
            factory.drop(url)


def _rows(url: str) -> list[dict[str, Any]]:
    store = open_store(url)
    try:
        with store.engine.connect() as conn:
            return [dict(r) for r in conn.execute(sa.select(storing.events_t).order_by(storing.events_t.c.seq))
                    .mappings()]
    finally:
        store.close()


def _corpus(folder: Path) -> None:
    write_corpus(folder, documents=9, per_document=25, name="path")
    # Text with quotes, escapes and letters beyond ASCII, read by libyaml.
    (folder / "path-900.yaml").write_text(
        'document:\n  id: path-900\n  title: "Odd: text"\n  published: 2026-01-21\nevents:\n'
        '  - id: odd\n    type: model_release\n    subject: qwen\n    when: {text: early 2025}\n'
        '    quote: "Qwen \\"3\\" — 中文 \\\\ done"\n    facts: {openness: open weights}\n',
        encoding="utf-8")


def test_every_way_of_ingesting_stores_the_same_rows(
    tmp_path: Path, fresh_url: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "corpus"
    _corpus(folder)
    monkeypatch.setattr(storing, "_now", lambda: FIXED)
    monkeypatch.setattr(ingesting, "second_core", lambda: True)
    answers = []
    for parallel in (False, True):
        monkeypatch.setattr(ingesting, "PARALLEL_BYTES", 0 if parallel else 1 << 60)
        url = fresh_url()
        store = open_store(url)
        report = ingesting.ingest(store, [folder])
        assert report.appended == 9 * 25 + 1
        assert verify(store).ok
        store.close()
        answers.append(_rows(url))

    # The same files appended one by one, everything worked out at the append.
    url = fresh_url()
    store = open_store(url)
    entities, files = ingesting.load_and_validate(ingesting.collect_files([folder]), {})
    store.put_entities(entities)
    for item in files:
        assert store.append(item.events, document=item.document).ok
    store.close()
    plain = _rows(url)
    assert len(plain) == 9 * 25 + 1
    assert answers[0] == plain and answers[1] == plain


def _corpus_with(tmp_path: Path, name: str, old: str, new: str) -> Path:
    """The corpus, with the first ``old`` in file ``name`` made ``new``."""
    folder = tmp_path / "corpus"
    _corpus(folder)
    path = folder / name
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    return folder


def test_a_bad_file_amid_the_shared_work_appends_nothing(
    tmp_path: Path, fresh_url: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _corpus_with(tmp_path, "path-005.yaml", "subject: qwen", "subject: nobody")
    monkeypatch.setattr(ingesting, "second_core", lambda: True)
    monkeypatch.setattr(ingesting, "PARALLEL_BYTES", 0)
    store = open_store(fresh_url())
    with pytest.raises(ValidationError) as raised:
        ingesting.ingest(store, [folder])
    assert [(Path(p.file).name, p.field) for p in raised.value.problems] == [("path-005.yaml", "subject")]
    assert store.head() == 0 and store.entities() == []
    store.close()


@pytest.mark.parametrize("known", [None, datetime(2025, 3, 4).date()])
def test_a_hash_from_its_prepared_part_is_the_row_hash(known: Any) -> None:
    row = {
        "seq": 12, "event_id": 'doc:"e"\\1', "stream": "s\u2028t", "stream_version": 3, "type": "model_release",
        "schema_version": 2, "when_text": "early 2025", "when_edtf": "2025-01/2025-04", "earliest": FIXED.date(),
        "latest": None, "precision": "month", "qualifier": "", "anchor": "text", "certainty": "reported",
        "entities": '["a","b"]', "facts": '{"x":1.5,"y":"中"}', "document_id": "doc", "quote": "q\n\t\x00",
        "quote_start": None, "quote_end": 7, "known_from": known, "recorded_at": FIXED,
    }
    part = event_part([row[c] for c in EVENT_PART])
    assert chained_hash("ab" * 32, row, part) == row_hash("ab" * 32, row)


def test_the_collector_runs_again_after_an_ingest(
    tmp_path: Path, fresh_url: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    folder = tmp_path / "corpus"
    _corpus(folder)
    store = open_store(fresh_url())
    paused = []
    ingesting.ingest(store, [folder], progress=lambda done, total: paused.append(not gc.isenabled()))
    assert gc.isenabled() and paused and all(paused)

    # An append that fails half way leaves it on too.
    def fail(*args: Any, **kwargs: Any) -> None:
        assert not gc.isenabled()
        raise RuntimeError("the disk is gone")

    store.close()
    monkeypatch.setattr(storing.Store, "_append_group", fail)
    store = open_store(fresh_url())
    with pytest.raises(RuntimeError):
        ingesting.ingest(store, [folder])
    store.close()
    assert gc.isenabled()


def _beside(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make every ingest validate in a second process while it appends; count the ingests that did."""
    monkeypatch.setattr(ingesting, "second_core", lambda: True)
    monkeypatch.setattr(ingesting, "PARALLEL_BYTES", 0)
    used: list[int] = []
    real = ingesting._append_while_validating
    monkeypatch.setattr(ingesting, "_append_while_validating", lambda *a: used.append(1) or real(*a))
    return used


def test_a_draft_found_while_appending_rolls_everything_back(
    tmp_path: Path, fresh_url: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _corpus_with(tmp_path, "path-006.yaml", "  - id: e-0003\n", "  - id: e-0003\n    status: draft\n")
    used = _beside(monkeypatch)
    store = open_store(fresh_url())
    with pytest.raises(ValidationError) as raised:
        ingesting.ingest(store, [folder])
    assert [(Path(p.file).name, p.field) for p in raised.value.problems] == [("path-006.yaml", "status")]
    # Six files were appended before the draft was seen: none of them, nor the entities, stayed.
    assert used == [1] and store.head() == 0 and store.entities() == [] and store.documents() == []
    report = ingesting.ingest(store, [folder], allow_drafts=True)
    assert report.appended == 9 * 25 + 1 and verify(store).ok
    store.close()


def test_an_entities_file_that_looked_like_events_is_ingested_the_sure_way(
    tmp_path: Path, fresh_url: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "corpus"
    _corpus(folder)
    # Flow style: no line starts with `entities:`, so it is taken for an events file at first.
    (folder / "path-004b.yaml").write_text("{entities: [{slug: newcomer, kind: org, name: Newcomer}]}\n",
                                           encoding="utf-8")
    used = _beside(monkeypatch)
    store = open_store(fresh_url())
    report = ingesting.ingest(store, [folder])
    assert used == [1]
    assert report.appended == 9 * 25 + 1 and "newcomer" in {e.slug for e in store.entities()}
    assert verify(store).ok
    store.close()


def _shared_validation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[Path], set[str]]:
    """The test corpus's events files and entity slugs, validation set to share any work with a second process."""
    folder = tmp_path / "corpus"
    _corpus(folder)
    paths = sorted(p for p in ingesting.collect_files([folder]) if p.name != "entities.yaml")
    slugs = {e.slug for e in ingesting.load_and_validate([folder / "entities.yaml"], {})[0]}
    monkeypatch.setattr(ingesting, "second_core", lambda: True)
    monkeypatch.setattr(ingesting, "PARALLEL_BYTES", 0)
    return paths, slugs


def test_files_the_other_process_took_and_never_sent_are_validated_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    paths, slugs = _shared_validation(tmp_path, monkeypatch)

    def dies(folder: str, taken: Any, *args: Any) -> None:
        # Takes two files, hands one over, and dies.
        with taken.get_lock():
            n = int(taken.value)
            taken.value = n + 2
        ingesting._hand_over(folder, n, ingesting._check_in_worker(paths[n]))
        os._exit(3)

    monkeypatch.setattr(ingesting, "_check_taken", dies)
    ingesting._start_worker(slugs, ())
    got = [(c.document_id, c.events, c.problems) for c in ingesting._check_beside(paths, slugs, ())]
    want = [(c.document_id, c.events, c.problems) for c in ingesting._check_all(paths, slugs, (), parallel=False)]
    assert got == want and len(got) == len(paths) == 10


def test_when_the_folder_takes_nothing_this_process_validates_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    paths, slugs = _shared_validation(tmp_path, monkeypatch)

    def full(folder: str, n: int, item: Any) -> None:
        raise OSError(28, "No space left on device")

    # Forked after this: the other process's hand-overs all fail.
    monkeypatch.setattr(ingesting, "_hand_over", full)
    got = [(c.document_id, c.events, c.problems) for c in ingesting._check_beside(paths, slugs, ())]
    want = [(c.document_id, c.events, c.problems) for c in ingesting._check_all(paths, slugs, (), parallel=False)]
    assert got == want and len(got) == 10
    assert "Traceback" not in capfd.readouterr().err  # the other process left quietly


@pytest.mark.parametrize("lead", [0, 1 << 30], ids=["no-lead", "all-ahead"])
def test_the_other_process_validates_ahead_only_as_far_as_it_may(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lead: int
) -> None:
    import tempfile
    import time

    paths, slugs = _shared_validation(tmp_path, monkeypatch)
    monkeypatch.setattr(ingesting, "LEAD_BYTES", lead)
    # This process validates nothing itself: every file comes from the other one.
    monkeypatch.setattr(ingesting, "AHEAD", 0)
    handed = tmp_path / "handed"
    handed.mkdir()
    monkeypatch.setattr(tempfile, "TemporaryDirectory", lambda **_: _Kept(handed))
    got, waiting = [], []
    for item in ingesting._check_beside(paths, slugs, ()):
        got.append((item.document_id, item.events, item.problems))
        time.sleep(0.05)  # a slow append: the other process has time to run ahead, if it may
        waiting.append(len(list(handed.iterdir())))
    want = [(c.document_id, c.events, c.problems) for c in ingesting._check_all(paths, slugs, (), parallel=False)]
    assert got == want and len(got) == 10
    if lead == 0:
        # Only the file the caller needs next may be handed over: none is there between two.
        assert waiting == [0] * 10
    else:
        assert max(waiting) > 1
    assert list(handed.iterdir()) == []


class _Kept:
    """A fixed folder in place of a temporary one, left in place."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> str:
        return str(self.path)

    def __exit__(self, *exc: object) -> None:
        return None


def test_a_validated_file_passed_between_processes_gives_back_the_same_events(tmp_path: Path) -> None:
    import pickle

    folder = tmp_path / "corpus"
    _corpus(folder)
    entities, validated = ingesting.load_and_validate(ingesting.collect_files([folder]), {})
    assert entities and len(validated) == 10
    for item in validated:
        back = ingesting._unpack(pickle.loads(pickle.dumps(ingesting._pack(item))))
        assert back == item
        assert [type(e) for e in back.events] == [type(e) for e in item.events]
        assert [(e.when, e.evidence, e.seq, e.stream_version, e.recorded_at) for e in back.events] == [
            (e.when, e.evidence, None, None, None) for e in item.events]
