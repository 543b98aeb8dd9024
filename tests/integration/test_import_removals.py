"""A snapshot that lacks rows stored from earlier ones: removed, refused, or kept, on every backend.

The files are made of the real snapshot's rows (its header, or the newer one later snapshots
use), so these tests skip when the shared data folder is absent.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from chronicle import queries
from chronicle.errors import ChronicleError
from chronicle.importers import epoch
from chronicle.importing import RemovalRefused, import_epoch
from chronicle.store import LogFilter, Store
from epoch_support import EPOCH_CSV, real_records, real_snapshot

MARCH, JUNE = "epoch-notable-models-2025-03-16", date(2025, 6, 30)
#: Positions, among the real snapshot's first rows, of the rows the June files leave out.
GROK_3, KIMI_K15, O1 = 4, 8, 17
GONE = ["grok-3", "kimi-k1.5", "o1"]
HINT = ("give --complete if the file is the whole database (the rows go), or --partial if it is only part of it "
        "(its rows are imported, none removed); --dry-run lists them")

Records = tuple[list[str], list[list[str]]]


@pytest.fixture
def real() -> Records:
    """The real snapshot's header and first 41 rows: 40 for March, and one June adds."""
    if not EPOCH_CSV.is_file():
        pytest.skip(f"Epoch AI snapshot not found at {EPOCH_CSV} (set CHRONICLE_SHARED to the shared folder)")
    return real_records(41)


@pytest.fixture
def march(store: Store, tmp_path: Path, real: Records) -> Records:
    """A store holding the first 40 rows, as the snapshot of 2025-03-16, in the real header."""
    header, records = real
    assert import_epoch(store, real_snapshot(tmp_path, "march.csv", header, records[:40])).document == MARCH
    return real


def _june(tmp_path: Path, real: Records, leave_out: set[int], *, add_one: bool = False) -> Path:
    """The 40 March rows less ``leave_out`` (and the 41st row), in the newer header's columns."""
    header, records = real
    rows = [r for i, r in enumerate(records[:40]) if i not in leave_out] + (records[40:] if add_one else [])
    return real_snapshot(tmp_path, "june.csv", header, rows, newer=True)


def _state(store: Store) -> tuple[Any, ...]:
    """Everything an import could change: the log's head, documents, entities, the models answer."""
    models = queries.as_of(store, "2025-06", projections=["models"])
    return store.head(), store.documents(), sorted(store.entities(), key=lambda e: e.slug), models


def _models(store: Store) -> set[str]:
    return {r["id"] for r in queries.as_of(store, "2025-06", projections=["models"])["projections"]["models"]["rows"]}


def _retracted(store: Store) -> list[str]:
    return [e.facts["target"] for e in store.read(LogFilter(types=("event_retracted",)))]


def test_a_snapshot_removing_5_percent_retracts_them_as_before(store: Store, tmp_path: Path, march: Records) -> None:
    # 2 of 40 is 5%: not more than a snapshot may remove. The newer header renames and adds
    # columns, and the rows it carries over are unchanged for it.
    report = import_epoch(store, _june(tmp_path, march, {GROK_3, KIMI_K15}), snapshot=JUNE)
    assert (report.new, report.changed, report.unchanged, report.removed, report.stored) == (
        [], [], 38, ["grok-3", "kimi-k1.5"], 40)
    assert (report.appended, report.kept, report.refusal) == (2, [], None)
    assert _retracted(store) == [f"{MARCH}:grok-3", f"{MARCH}:kimi-k1.5"]
    assert len(_models(store)) == 38 and not {"grok-3", "kimi-k1.5"} & _models(store)


def test_a_snapshot_removing_more_is_refused_and_writes_nothing(store: Store, tmp_path: Path, march: Records) -> None:
    before = _state(store)
    june = _june(tmp_path, march, {GROK_3, KIMI_K15, O1}, add_one=True)  # 3 of 40: 7.5%
    with pytest.raises(RemovalRefused) as caught:
        import_epoch(store, june, snapshot=JUNE)
    assert (caught.value.message, caught.value.hint) == (
        f"{june} would remove 3 of the 40 rows stored from Epoch AI's Notable AI Models (7.5%, more than 5%); "
        "nothing was appended", HINT)
    assert (caught.value.removed, caught.value.stored) == (3, 40)
    # No event, no document, and not the entity the new row would have made.
    assert _state(store) == before
    assert "alphaproteo" not in {e.slug for e in store.entities()}


def test_a_dry_run_lists_exactly_the_rows_that_would_go(store: Store, tmp_path: Path, march: Records) -> None:
    before = _state(store)
    june = _june(tmp_path, march, {GROK_3, KIMI_K15, O1}, add_one=True)
    report = import_epoch(store, june, snapshot=JUNE, dry_run=True)
    assert (report.removed, report.new, report.unchanged, report.appended, report.present) == (
        GONE, ["alphaproteo"], 37, 4, 0)
    assert report.to_dict()["removed_rows"] == [
        {"row": "grok-3", "model": "Grok-3"}, {"row": "kimi-k1.5", "model": "Kimi k1.5"}, {"row": "o1", "model": "o1"}]
    assert report.refusal is not None and report.refusal.removed == 3
    assert report.to_dict()["refused"] == report.refusal.message
    complete = import_epoch(store, june, snapshot=JUNE, coverage="complete", dry_run=True)
    assert (complete.removed, complete.appended, complete.refusal) == (GONE, 4, None)
    partial = import_epoch(store, june, snapshot=JUNE, coverage="partial", dry_run=True)
    assert (partial.removed, partial.kept, partial.appended) == ([], GONE, 1)
    assert _state(store) == before


def test_partial_imports_the_rows_and_removes_none(store: Store, tmp_path: Path, march: Records) -> None:
    head = store.head()
    june = _june(tmp_path, march, {GROK_3, KIMI_K15, O1}, add_one=True)
    report = import_epoch(store, june, snapshot=JUNE, coverage="partial")
    assert (report.new, report.unchanged, report.removed, report.kept, report.appended) == (
        ["alphaproteo"], 37, [], GONE, 1)
    assert store.head() == head + 1
    assert _retracted(store) == []
    assert set(GONE) | {"alphaproteo"} <= _models(store)


def test_complete_removes_however_many(store: Store, tmp_path: Path, march: Records) -> None:
    june = _june(tmp_path, march, {GROK_3, KIMI_K15, O1}, add_one=True)
    report = import_epoch(store, june, snapshot=JUNE, coverage="complete")
    assert (report.new, report.removed, report.appended) == (["alphaproteo"], GONE, 4)
    assert _retracted(store) == [f"{MARCH}:{key}" for key in GONE]
    assert not set(GONE) & _models(store)
    # Imported again, it removes nothing more, so it needs no word on what it is.
    head = store.head()
    assert import_epoch(store, june, snapshot=JUNE).appended == 0
    assert store.head() == head


def test_an_export_of_the_full_snapshot(store: Store, tmp_path: Path) -> None:
    """The full snapshot, then an export of its first 50 rows dated later: refused, then each way."""
    if not EPOCH_CSV.is_file():
        pytest.skip(f"Epoch AI snapshot not found at {EPOCH_CSV} (set CHRONICLE_SHARED to the shared folder)")
    full = import_epoch(store, EPOCH_CSV)
    header, records = real_records(50)
    export = real_snapshot(tmp_path, "export.csv", header, records)
    gone = sorted(full.new[50:])
    before = _state(store)
    assert len(_models(store)) == 922

    with pytest.raises(RemovalRefused) as caught:
        import_epoch(store, export, snapshot=JUNE)
    assert caught.value.message == (
        f"{export} would remove 874 of the 924 rows stored from Epoch AI's Notable AI Models (94.6%, more than 5%); "
        "nothing was appended")
    assert _state(store) == before

    dry = import_epoch(store, export, snapshot=JUNE, dry_run=True)
    assert (len(dry.removed), dry.removed, dry.unchanged) == (874, gone, 50)
    assert _state(store) == before

    partial = import_epoch(store, export, snapshot=JUNE, coverage="partial")
    assert (partial.appended, partial.unchanged, partial.removed, partial.kept) == (0, 50, [], gone)
    assert store.head() == before[0] and _retracted(store) == []
    assert len(_models(store)) == 922

    complete = import_epoch(store, export, snapshot=JUNE, coverage="complete")
    assert (complete.appended, complete.present, complete.removed) == (874, 0, gone)
    assert store.head() == before[0] + 874
    assert sorted(_retracted(store)) == [f"{MARCH}:{key}" for key in gone]
    assert len(_models(store)) == 50


def test_a_snapshot_the_store_refuses_leaves_no_entity_behind(store: Store, tmp_path: Path, real: Records) -> None:
    """The snapshot's document id is taken by another document with the same text hash but another
    title: the store refuses the batch, and the entities the snapshot would create go with it."""
    header, records = real
    path = real_snapshot(tmp_path, "march.csv", header, records[:40])
    snap = epoch.read_snapshot(path, {})
    assert snap.new_entities
    assert store.append([], document=replace(snap.document, title="Another title")).ok
    before = _state(store)
    with pytest.raises(ChronicleError, match=f"the store refused document {MARCH}: already stored with other "
                                             "content; nothing was appended"):
        import_epoch(store, path)
    assert _state(store) == before
