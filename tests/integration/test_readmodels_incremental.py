"""Read-model tables caught up after each ingest hold exactly what a full rebuild gives.

A generated corpus (seed-corpus proportions, archives arriving late with old
event times) ingested in several separate ingests, with retractions and
rankings in between and an entity renamed: after every step each rm_* table
is compared, row by row, with the same table recomputed from the whole log.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from chronicle import corrections, database, readmodels
from chronicle import ingest as ingesting
from chronicle import store as stores
from chronicle.events import CORRECTION_TYPES
from chronicle.guard import derived_writes
from chronicle.ingest import ingest
from chronicle.store import LogFilter, Store
from tests_support import benchmark_corpus, truth_corpus



@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return benchmark_corpus(1500, 5, tmp_path_factory.mktemp("corpus"))


def _tables(store: Store) -> dict[str, list[dict[str, Any]]]:
    with store.engine.connect() as conn:
        return {name: [dict(r) for r in conn.execute(sa.select(t).order_by(t.c.id)).mappings()]
                for name, t in readmodels.TABLES.items()}


def _same_as_a_rebuild(store: Store) -> dict[str, list[dict[str, Any]]]:
    caught_up = _tables(store)
    assert readmodels.refresh(store) == store.head()
    rebuilt = _tables(store)
    for name in readmodels.TABLES:
        assert caught_up[name] == rebuilt[name], name
    return rebuilt


class _Rebuilds:
    """Counts the tables that a refresh recomputed whole."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.names: list[str] = []
        for refresher in readmodels.REFRESH.values():
            real = refresher.rebuild

            def rebuild(conn: sa.Connection, run: readmodels.Run, real: Any = real,
                        name: str = refresher.name) -> readmodels.Feed | None:
                self.names.append(name)
                return real(conn, run)  # type: ignore[no-any-return]

            monkeypatch.setattr(refresher, "rebuild", rebuild)

    def take(self) -> list[str]:
        found, self.names = self.names, []
        return found


@pytest.mark.parametrize("shared", [False, True], ids=["one-process", "validating-beside"])
def test_catching_up_after_each_ingest_equals_a_rebuild(
    store: Store, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared: bool
) -> None:
    files = sorted((corpus / "events").glob("doc-*.yaml"))
    entities = corpus / "events" / "entities.yaml"
    rebuilds = _Rebuilds(monkeypatch)
    # Shared: every ingest validates in a second process while it appends, in one
    # transaction; the entities it brings are put in that transaction too.
    monkeypatch.setattr(ingesting, "second_core", lambda: shared)
    monkeypatch.setattr(ingesting, "PARALLEL_BYTES", 0)
    beside: list[int] = []
    real = ingesting._append_while_validating
    monkeypatch.setattr(ingesting, "_append_while_validating", lambda *a: beside.append(1) or real(*a))
    ahead = _RowsAhead(monkeypatch)
    # Several append transactions per ingest, each followed by the per-claim tables.
    monkeypatch.setattr(stores, "GROUP_EVENTS", 150)
    # The first ingest has no checkpoint to start from: per-claim tables follow
    # the appends from the empty log, models and orgs are computed whole. (Where
    # a later append transaction gives a model a start that bounds an undated
    # claim an earlier one stored, the claim's rows are worked out again.)
    truth = truth_corpus(tmp_path / "truth")
    ingest(store, [entities, truth / "entities.yaml", *files[:4]])
    assert sorted(rebuilds.take()) == ["models", "orgs"]
    _same_as_a_rebuild(store)
    rebuilds.take()

    # Then parts of the corpus arrive one ingest at a time; later parts hold
    # archives about events years older than what is stored.
    parts = [files[4:6], files[6:7], files[7:11], files[11:]]
    for part in parts[:2]:
        report = ingest(store, [entities, *part])
        assert report.appended > 0 and report.entities_added == report.entities_changed == 0
        assert rebuilds.take() == []
        _same_as_a_rebuild(store)
        rebuilds.take()

    # Corrections are caught up the sure way (a full recompute) and stay exact.
    events = list(store.read(LogFilter(types=("model_release", "funding", "usage_share", "talent_move"))))
    for n, event in enumerate(events[:9]):
        if n % 3 == 0:
            corrections.retract(store, event.event_id, "generated retraction")
        else:
            corrections.rank(store, event.event_id, "preferred" if n % 3 == 1 else "deprecated", "generated ranking")
        _same_as_a_rebuild(store)
    rebuilds.take()

    # With them, a model open by its licence alone and series whose values do not disagree.
    report = ingest(store, [entities, *parts[2], *sorted(truth.glob("truth-*.yaml"))])
    assert report.appended > 0
    assert rebuilds.take() == []
    tables = _same_as_a_rebuild(store)
    rebuilds.take()
    models = {r["id"]: r for r in tables["models"]}
    assert (models["truth-licensed"]["openness"], models["truth-licensed"]["open"]) == ("open-source", True)
    assert (models["truth-disputed"]["openness"], models["truth-disputed"]["conflict"]) == ("closed; open-source", True)
    lab = next(r for r in tables["orgs"] if r["id"] == "truth-lab")
    assert (lab["valuation"], lab["conflict"]) == ('{"op":"=","unit":"USD","value":5000000000}', False)

    # A renamed entity can change rows of any table: everything is recomputed.
    changed = tmp_path / "entities.yaml"
    text = entities.read_text(encoding="utf-8")
    assert "name: Org 0," in text
    changed.write_text(text.replace("name: Org 0,", "name: Org Zero,", 1), encoding="utf-8")
    folder = tmp_path / "last"
    folder.mkdir()
    for path in parts[3]:
        shutil.copy(path, folder / path.name)
    report = ingest(store, [changed, folder])
    assert report.entities_changed == 1 and report.appended > 0
    assert sorted(rebuilds.take()) == sorted(readmodels.TABLES)
    final = _same_as_a_rebuild(store)
    assert all(final[name] for name in readmodels.TABLES)
    assert all(p["current"] for p in readmodels.status(store)["projections"])
    assert len(beside) == (5 if shared else 0)
    # Validating beside, the per-claim rows were worked out there, for the files appended (but those with
    # an undated claim that a start bounds, which a file alone cannot know: their rows are worked out here).
    if shared:
        assert ahead.files > 0
    else:
        assert ahead.files == 0 and ahead.claims > 0


class _RowsAhead:
    """Counts the files whose rows Follow took as worked out ahead, and the claims it worked rows out from."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.files = self.claims = 0
        real = readmodels.Follow._pieces

        def pieces(follow: readmodels.Follow, run: readmodels.Run, events: list[Any], floors: Any) -> Any:
            found = real(follow, run, events, floors)
            self.files += sum(rows is not None for rows, _ in found)
            self.claims += sum(len(claims) for _, claims in found)
            return found

        monkeypatch.setattr(readmodels.Follow, "_pieces", pieces)


@pytest.mark.parametrize("renamed", [False, True], ids=["same-names", "renamed-since"])
def test_rows_worked_out_ahead_are_taken_only_if_made_with_the_names_stored(
    store: Store, corpus: Path, monkeypatch: pytest.MonkeyPatch, renamed: bool
) -> None:
    from dataclasses import replace

    known, _ = ingesting.load_and_validate([corpus / "events" / "entities.yaml"], {})
    store.put_entities(known)
    path = sorted((corpus / "events").glob("doc-*.yaml"))[0]
    entities = {e.slug: e for e in known}
    (checked,) = ingesting.load_and_validate([path], entities)[1]
    if renamed:
        # An entity renamed between the rows' making and the append: rows made with the old name are stale.
        entities = {slug: replace(e, name=f"{e.name} (old)") for slug, e in entities.items()}
    ahead = readmodels.Ahead(store)
    ahead.start(entities)
    ahead.ready[checked.document.id] = (tuple(e.event_id for e in checked.events), ahead.rows(checked.events))
    counted = _RowsAhead(monkeypatch)
    list(store.append_files([(checked.events, checked.document)], after_group=readmodels.Follow(store, ahead=ahead)))
    assert (counted.files, counted.claims) == ((0, len(checked.events)) if renamed else (1, 0))
    followed = _tables(store)
    readmodels.refresh(store)
    rebuilt = _tables(store)
    for table in ("metrics", "talent", "timeline"):
        assert followed[table] == rebuilt[table], table
    assert rebuilt["timeline"] and not any("(old)" in str(row) for row in rebuilt["timeline"])


def test_an_old_checkpoint_is_recomputed_whole(store: Store, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = sorted((corpus / "events").glob("doc-*.yaml"))
    ingest(store, [corpus / "events" / "entities.yaml", *files[:3]])
    checkpoints = readmodels.tables.projection_checkpoints
    with store.engine.begin() as conn, derived_writes(conn):
        # Yesterday's rows: a claim may have come due since, so catching up is not enough.
        conn.execute(checkpoints.update().where(checkpoints.c.name == "timeline")
                     .values(cutoff=sa.func.date("2000-01-01") if store.dialect == "sqlite" else sa.text("'2000-01-01'")))
        conn.execute(checkpoints.update().where(checkpoints.c.name == "models").values(version=0))
    rebuilds = _Rebuilds(monkeypatch)
    ingest(store, [files[3]])
    assert sorted(rebuilds.take()) == ["models", "timeline"]
    _same_as_a_rebuild(store)


@pytest.mark.parametrize("cutoff", [date(2023, 6, 30), date(2025, 3, 1), date(2031, 1, 1)])
def test_claim_rows_are_the_rows_the_projections_derive(store: Store, corpus: Path, cutoff: date) -> None:
    """Per-claim rows are made straight from a claim's columns; they must be what derive and ROWS give."""
    files = sorted((corpus / "events").glob("doc-*.yaml"))
    ingest(store, [corpus / "events" / "entities.yaml", *files])
    events = list(store.read(LogFilter()))
    retract = [e.event_id for e in events[::97] if e.type not in CORRECTION_TYPES][:5]
    for event_id in retract:
        corrections.retract(store, event_id, "wrong")
    events = list(store.read(LogFilter(), reading=True))
    run = readmodels.open_run(store, store.head(), cutoff)
    assert run.ctx.retracted
    claims = [c for batch in store.read_claims(LogFilter(ordered=True)) for c in batch]
    assert claims == [stores.claimed(e) for e in events]
    for name, refresher in readmodels.REFRESH.items():
        if not isinstance(refresher, readmodels.PerClaim):
            continue
        columns = [c.name for c in refresher.table.columns]
        made = [dict(zip(columns, v)) for v in refresher.values(run, claims)]
        # Dates go to the driver as it stores them.
        day = database.stored_date(store.dialect)
        derived = [{**r, "earliest": day(r["earliest"]), "latest": day(r["latest"])}
                   for r in refresher.derived(run, events)]
        assert made, name
        assert sorted(made, key=lambda r: r["id"]) == sorted(derived, key=lambda r: r["id"]), name
        assert {r["status"] for r in made} <= {"happened", "possibly", "expected"}


@pytest.mark.parametrize("worker", ["works", "fails", "dies"])
def test_orgs_recomputed_by_a_second_process_are_the_rows_of_one(
    store: Store, corpus: Path, monkeypatch: pytest.MonkeyPatch, worker: str,
) -> None:
    import os

    ingest(store, [corpus / "events"])
    alone = _same_as_a_rebuild(store)  # the log is small: one process
    parent = os.getpid()
    if worker != "works":
        rows = readmodels.BySubject.rows

        def broken(self: readmodels.BySubject, *args: Any) -> Any:
            if os.getpid() != parent:
                if worker == "dies":
                    os._exit(3)
                raise RuntimeError("no more memory")
            return rows(self, *args)

        monkeypatch.setattr(readmodels.BySubject, "rows", broken)
    monkeypatch.setattr(readmodels, "BESIDE_EVENTS", 0)
    monkeypatch.setattr(readmodels, "second_core", lambda: True)
    said: list[str] = []
    readmodels.refresh(store, progress=said.append)
    assert _tables(store) == alone
    beside = [line for line in said if line.startswith("rm_orgs recomputed")]
    expected = {"works": "by a second process meanwhile", "fails": "failed (RuntimeError: no more memory)",
                "dies": "failed (it ended with exit code 3)"}[worker]
    assert len(beside) == 1 and expected in beside[0], said
    # With no pass over the log to overlap, the orgs are computed here.
    said.clear()
    readmodels.refresh(store, ["orgs"], progress=said.append)
    assert _tables(store) == alone
    assert [line for line in said if line.startswith("rm_orgs")] == [said[-1]] and "second" not in said[-1], said


def test_a_refresh_that_fails_leaves_no_second_process_and_no_rows_changed(
    store: Store, corpus: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import multiprocessing

    ingest(store, [corpus / "events"])
    before = _tables(store)
    monkeypatch.setattr(readmodels, "BESIDE_EVENTS", 0)
    monkeypatch.setattr(readmodels, "second_core", lambda: True)

    def full_disk(self: readmodels.PerClaim, conn: Any, values: Any) -> None:
        raise OSError("database or disk is full")

    monkeypatch.setattr(readmodels.PerClaim, "put", full_disk)
    with pytest.raises(OSError, match="disk is full"):
        readmodels.refresh(store)
    assert multiprocessing.active_children() == []
    assert _tables(store) == before
