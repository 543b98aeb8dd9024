"""The models' values table: folded incrementally, in any order, it answers as a fold over claims does.

A generated corpus (late-arriving archives included) is ingested in three
parts, with corrections between them; after each part the table must be
current, answer every cutoff exactly as the fold over claims does, and hold
exactly the rows a fold from scratch writes.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from builders import doc
from chronicle import corrections, modelvalues, queries, tables
from chronicle.errors import StoreError
from chronicle.events import Entity, Event, Evidence
from chronicle.fuzzydate import parse
from chronicle.guard import derived_writes
from chronicle.ingest import ingest
from chronicle.render import dumps
from chronicle.store import LogFilter, Store
from tests_support import benchmark_corpus, truth_corpus

CUTOFFS = ("2018", "2020-06", "2022-03", "2024-12", "2030")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return benchmark_corpus(3000, 5, tmp_path_factory.mktemp("values-corpus")) / "events"


def _from_claims(store: Store, when: str) -> str:
    original = modelvalues.rows_between
    modelvalues.rows_between = lambda *a, **k: None  # type: ignore[assignment]
    try:
        return dumps(queries.as_of(store, when, projections=("models",)))
    finally:
        modelvalues.rows_between = original  # type: ignore[assignment]


def _table(store: Store) -> list[Any]:
    with store.engine.connect() as conn:
        return [r for r in conn.execute(sa.select(tables.model_values).order_by(
            tables.model_values.c.model, tables.model_values.c.cell, tables.model_values.c.value)).all()]


def _versions(store: Store) -> list[Any]:
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.select(tables.model_rows).order_by(
            tables.model_rows.c.model, tables.model_rows.c.since)).all()]


def _change_days(store: Store, n: int) -> list[str]:
    """Days on which some model's row changes, and the day before each, spread over the table."""
    days = sorted({since for _, since, _ in _versions(store) if since > 0})
    picked = days[:: max(1, len(days) // n)]
    return sorted({date.fromordinal(d + k).isoformat() for d in picked for k in (-1, 0)})


def test_incremental_fold_answers_as_the_claims_do(store: Store, corpus: Path, monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    monkeypatch.setattr(modelvalues, "FOLD_CHUNK", 7)  # many chunks of models per fold
    files = sorted(p for p in corpus.iterdir() if p.name != "entities.yaml")
    # Reverse publication order for the later parts: archives and old documents arrive last.
    parts = [files[: len(files) // 3], files[len(files) // 3:][::2][::-1], files[len(files) // 3:][1::2]]
    # A model open by its licence alone, and one whose closed word an MIT licence contradicts, folded in later.
    truth = truth_corpus(tmp_path / "truth")
    parts[0].insert(0, truth / "entities.yaml")
    parts[1] += sorted(truth.glob("truth-*.yaml"))
    used = 0
    for n, part in enumerate(parts):
        ingest(store, [corpus / "entities.yaml", *part])
        if n == 1:
            releases = list(store.read(LogFilter(types=("model_release",), limit=6)))
            corrections.retract(store, releases[0].event_id, "wrong model")
            corrections.rank(store, releases[1].event_id, "deprecated", "a later source is better")
            corrections.rank(store, releases[2].event_id, "preferred", "the maker's own announcement")
            corrections.correct(store, releases[3].event_id, "2021-05-06", source="https://example.org/release",
                                quote="released on May 6, 2021", reason="the maker's date",
                                facts=["license=MIT"], today=date(2021, 6, 1))
        for when in CUTOFFS:
            cutoff = queries._cutoff(when)
            answer = modelvalues.rows_at(store, cutoff, queries._entities(store))
            assert answer is not None, "the values table should be current after an ingest"
            used += len(answer.rows[0])
            assert dumps(queries.as_of(store, when, projections=("models",))) == _from_claims(store, when), when
        # The rows change only on the days the versions start: on them and on the day before, the same bytes.
        for when in _change_days(store, 12):
            assert dumps(queries.as_of(store, when, projections=("models",))) == _from_claims(store, when), when
        for a, b in [*zip(CUTOFFS, CUTOFFS[1:]), ("2024-12", "2020-06"), ("2022-03", "2022-03")]:
            for names in (("models",), ("models", "orgs")):
                assert dumps(queries.diff(store, a, b, projections=names)) == _diff_from_claims(store, a, b, names)
    assert used > 100  # the comparisons covered real rows
    rows = {r["id"]: r for r in queries.as_of(store, "2030", projections=("models",))["projections"]["models"]["rows"]}
    assert (rows["truth-licensed"]["openness"], rows["truth-licensed"]["open"]) == ("open-source", True)
    assert (rows["truth-disputed"]["openness"], rows["truth-disputed"]["conflict"]) == (["closed", "open-source"], True)
    incremental, versions = _table(store), _versions(store)
    assert any(row.shadowed for row in incremental)  # undated release values were left out of the reads
    assert len(versions) > 2 * len({v[0] for v in versions})  # rows that change over event time
    modelvalues.catch_up(store, rebuild=True)
    assert _table(store) == incremental
    assert _versions(store) == versions
    # From scratch in two processes (each its own range of models): the same rows.
    halves = _two_processes(monkeypatch)
    modelvalues.catch_up(store, rebuild=True)
    assert len(halves) == 1 and len(halves[0]) == 2 and all(halves[0])  # two ranges, both with models
    assert _table(store) == incremental
    assert _versions(store) == versions


def _two_processes(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Make a refold share the work with a forked process whatever the log's size; returns the cuts made."""
    monkeypatch.setattr(modelvalues, "PARALLEL_CLAIMS", 0)
    monkeypatch.setattr(modelvalues, "second_core", lambda: True)
    cuts: list[Any] = []
    halves = modelvalues._halves

    def spy(ordered: Any, weights: Any, share: float) -> Any:
        cuts.append(halves(ordered, weights, share))
        return cuts[-1]

    monkeypatch.setattr(modelvalues, "_halves", spy)
    return cuts


def test_renamed_orgs_recompute_every_version_in_two_processes_as_in_one(
    store: Store, corpus: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    ingest(store, [corpus])
    halves = _two_processes(monkeypatch)
    values = _table(store)
    orgs = {e.org for e in store.entities() if e.kind == "model" and e.org}
    renamed = [replace(e, name=f"{e.name} (renamed)") for e in store.entities() if e.slug in orgs]
    store.put_entities(renamed)
    modelvalues.catch_up(store)  # no new events: every model's versions from its stored values
    assert len(halves) == 1 and len(halves[0]) == 2 and all(halves[0])
    assert _table(store) == values
    versions = _versions(store)
    assert any(body is not None and "(renamed)" in body for _, _, body in versions)
    monkeypatch.setattr(modelvalues, "PARALLEL_CLAIMS", 1 << 60)  # from scratch, in one process
    modelvalues.catch_up(store, rebuild=True)
    assert _versions(store) == versions


def test_a_failed_second_process_fails_the_refold_and_keeps_the_tables(
    store: Store, corpus: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    ingest(store, [corpus])
    before, versions = _table(store), _versions(store)
    assert before and versions
    _two_processes(monkeypatch)
    parent = os.getpid()
    build = modelvalues.versions

    def failing(*args: Any, **kwargs: Any) -> Any:
        if os.getpid() != parent:
            raise ValueError("no versions here")
        return build(*args, **kwargs)

    monkeypatch.setattr(modelvalues, "versions", failing)
    with pytest.raises(StoreError, match="second process failed: ValueError: no versions here; nothing was written"):
        modelvalues.catch_up(store, rebuild=True)
    assert _table(store) == before
    assert _versions(store) == versions


def _diff_from_claims(store: Store, a: str, b: str, names: tuple[str, ...]) -> str:
    original = modelvalues.rows_between
    modelvalues.rows_between = lambda *a, **k: None  # type: ignore[assignment]
    try:
        return dumps(queries.diff(store, a, b, projections=names))
    finally:
        modelvalues.rows_between = original  # type: ignore[assignment]


def _event(local: str, subject: str, when: str, **facts: Any) -> Event:
    return Event(event_id=f"doc-x:{local}", type="model_release", subject=subject, when=parse(when),
                 certainty="reported", evidence=Evidence("doc-x", f"quote {local}"), facts=facts)


def test_a_stale_table_is_not_used_and_answers_stay_right(store: Store) -> None:
    store.put_entities([Entity(slug="m1", kind="model", name="M1"), Entity(slug="m2", kind="model", name="M2")])
    store.append([_event("a", "m1", "2024-03")], document=doc("doc-x"))
    assert modelvalues.catch_up(store) == store.head()
    assert modelvalues.rows_at(store, date(2025, 1, 1), queries._entities(store)) is not None
    # Appended without a refresh: the table is behind, so the claims answer.
    store.append([_event("b", "m2", "2024-05", openness="open-weight")], document=doc("doc-x"))
    assert modelvalues.rows_at(store, date(2025, 1, 1), queries._entities(store)) is None
    rows = queries.as_of(store, "2025", projections=("models",))["projections"]["models"]["rows"]
    assert [r["id"] for r in rows] == ["m1", "m2"]
    assert rows[1]["openness"] == "open-weight"
    # Caught up, it answers the same bytes.
    modelvalues.catch_up(store)
    assert modelvalues.rows_at(store, date(2025, 1, 1), queries._entities(store)) is not None
    assert dumps(queries.as_of(store, "2025", projections=("models",))) == _from_claims(store, "2025")
    # An entity that stops being a model makes the table stale until refolded.
    store.put_entities([Entity(slug="m2", kind="product", name="M2")])
    assert modelvalues.rows_at(store, date(2025, 1, 1), queries._entities(store)) is None
    modelvalues.catch_up(store)
    rows = queries.as_of(store, "2025", projections=("models",))["projections"]["models"]["rows"]
    assert [r["id"] for r in rows] == ["m1"]


def test_statuses_and_evidence_follow_the_cutoff(store: Store) -> None:
    store.put_entities([Entity(slug="m1", kind="model", name="M1")])
    store.append([
        _event("year", "m1", "2024", openness="open-weight"),  # happened from 2025-01-01
        _event("day", "m1", "2024-09-10", openness="open-weight"),  # happened from 2024-09-10, a better pick
    ], document=doc("doc-x"))
    modelvalues.catch_up(store)

    def cell(when: str) -> dict[str, Any]:
        row = queries.as_of(store, when, projections=("models",))["projections"]["models"]["rows"][0]
        return row["cells"]["openness"]

    assert cell("2024-03") == {"value": "open-weight", "conflict": False, "status": "possibly", "evidence": [
        {"event": "doc-x:year", "document": "doc-x", "quote": "quote year"}]}
    assert cell("2024-09-10")["status"] == "happened"
    assert cell("2024-09-10")["evidence"][0]["event"] == "doc-x:day"
    assert queries.as_of(store, "2023-12", projections=("models",))["projections"]["models"]["rows"] == []


def test_undated_release_values_left_out_change_no_row(store: Store) -> None:
    # "Released by ..." at mixed precisions: the flagged values must not change any row at any cutoff.
    store.put_entities([Entity(slug="m1", kind="model", name="M1")])
    # (All open: a dated release would give M1 a start that bounds them, and they would be open no more.)
    bounds = ["../2024", "../2024-03", "../2024-03-10", "../2024-06-01", "../2025-01", "../.."]
    events = [_event(f"r{n}", "m1", when) for n, when in enumerate(bounds)]
    events.append(Event(event_id="doc-x:f1", type="model_release", subject="m1", when=parse("../2023-11"),
                        certainty="forecast", evidence=Evidence("doc-x", "quote f1"), facts={}))
    store.append(events, document=doc("doc-x"))
    modelvalues.catch_up(store)
    with store.engine.connect() as conn:
        flagged = conn.execute(sa.select(sa.func.count()).select_from(tables.model_values)
                               .where(tables.model_values.c.shadowed)).scalar_one()
    assert flagged >= 1
    for when in ("2023-06", "2023-12", "2024-03-05", "2024-03-10", "2024-03-20", "2024-04-15", "2024-05",
                 "2024-06-01", "2024-12", "2025-02"):
        assert dumps(queries.as_of(store, when, projections=("models",))) == _from_claims(store, when), when


def test_the_models_table_is_the_same_from_values_or_from_claims(store: Store, corpus: Path) -> None:
    from chronicle import readmodels

    files = sorted(p for p in corpus.iterdir() if p.name != "entities.yaml")
    ingest(store, [corpus / "entities.yaml", *files[:12]])
    corrections.retract(store, next(iter(store.read(LogFilter(types=("model_release",), limit=1)))).event_id, "wrong")

    def models_table() -> list[Any]:
        with store.engine.connect() as conn:
            return conn.execute(sa.select(tables.rm_models).order_by(tables.rm_models.c.id)).all()

    from_values = models_table()
    assert len(from_values) > 20
    original = modelvalues.rows_at
    modelvalues.rows_at = lambda *a, **k: None  # type: ignore[assignment]
    try:
        readmodels.refresh(store, ["models"])
    finally:
        modelvalues.rows_at = original  # type: ignore[assignment]
    assert models_table() == from_values


def _claim(local: str, subject: str, when: str, type: str = "benchmark_claim", **facts: Any) -> Event:
    return Event(event_id=f"doc-x:{local}", type=type, subject=subject, when=parse(when), certainty="reported",
                 evidence=Evidence("doc-x", f"quote {local}"), facts=facts)


@pytest.mark.parametrize("table", [True, False], ids=["values-table", "claims"])
def test_the_benchmarks_cell_lists_the_newest_five_and_counts_all(store: Store, table: bool) -> None:
    store.put_entities([Entity(slug="m1", kind="model", name="M1")])
    months = ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06", "2024-06", "2024-07"]
    names = ["MMLU", "GSM8K", "HumanEval", "MATH", "ARC", "HellaSwag", "BBH", "GPQA"]
    store.append([_claim(f"b{n}", "m1", when, benchmark=name) for n, (when, name) in enumerate(zip(months, names))],
                 document=doc("doc-x"))
    modelvalues.catch_up(store)

    def cell(when: str) -> dict[str, Any]:
        answer = queries.as_of(store, when, projections=("models",)) if table else None
        text = dumps(answer) if answer is not None else _from_claims(store, when)
        if table:
            assert text == _from_claims(store, when)
        rows = json.loads(text)["projections"]["models"]["rows"]
        return rows[0]["cells"]["benchmarks"]  # type: ignore[no-any-return]

    # Three visible: all of them, in value order.
    early = cell("2024-03")
    assert early["value"] == ["on GSM8K", "on HumanEval", "on MMLU"] and early["total"] == 3
    # Eight visible: the five first claimed last; of the two on 2024-06, both are among them.
    late = cell("2024-12")
    assert late["value"] == ["on ARC", "on BBH", "on GPQA", "on HellaSwag", "on MATH"]
    assert late["total"] == 8
    assert [e["event"] for e in late["evidence"]] == ["doc-x:b3", "doc-x:b4", "doc-x:b5", "doc-x:b6", "doc-x:b7"]
    # Mid-June: six visible; the oldest of the two dropped out is MMLU (January).
    assert cell("2024-06")["value"] == ["on ARC", "on BBH", "on HellaSwag", "on HumanEval", "on MATH"]


def test_a_renamed_model_changes_its_rows_not_its_values(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    store.put_entities([Entity(slug="m1", kind="model", name="M1", org="o1"),
                        Entity(slug="o1", kind="org", name="Org One")])
    store.append([_claim("r", "m1", "2024-03", type="model_release", openness="open-weight")], document=doc("doc-x"))
    modelvalues.catch_up(store)
    values = _table(store)
    store.put_entities([Entity(slug="o1", kind="org", name="Org Renamed")])
    assert modelvalues.rows_at(store, date(2025, 1, 1), queries._entities(store)) is None  # the rows are stale
    modelvalues.catch_up(store)
    assert modelvalues.rows_at(store, date(2025, 1, 1), queries._entities(store)) is not None
    row = queries.as_of(store, "2025", projections=("models",))["projections"]["models"]["rows"][0]
    assert row["org_name"] == "Org Renamed"
    assert _table(store) == values
    # The stored row leaves out the top-level copies of the cells' values; they come back in their place.
    monkeypatch.setattr(modelvalues, "rows_between", lambda *a, **k: None)
    from_claims = queries.as_of(store, "2025", projections=("models",))["projections"]["models"]["rows"][0]
    assert list(row.items()) == list(from_claims.items())
    monkeypatch.undo()
    assert dumps(queries.as_of(store, "2025", projections=("models",))) == _from_claims(store, "2025")


def test_values_only_json_writes_exactly_are_read_back_exactly(store: Store) -> None:
    # orjson reads an integer past 64 bits as a float and refuses NaN: such rows are written by
    # json, marked, and read back by json, so the table answers with the claims' very values.
    store.put_entities([Entity(slug="m1", kind="model", name="M1"), Entity(slug="m2", kind="model", name="M2"),
                        Entity(slug="m3", kind="model", name="M3")])
    store.append([_claim("big", "m1", "2024-03", type="model_release", parameters=2**70),
                  _claim("nan", "m2", "2024-03", type="model_release", parameters=float("nan")),
                  _claim("plain", "m3", "2024-03", type="model_release", parameters=2**40)],
                 document=doc("doc-x"))
    modelvalues.catch_up(store)
    assert modelvalues.rows_at(store, date(2025, 1, 1), queries._entities(store)) is not None
    bodies = {m: body for m, since, body in _versions(store) if body is not None}
    assert bodies["m1"].startswith(" ") and bodies["m2"].startswith(" ") and not bodies["m3"].startswith(" ")
    rows = {r["id"]: r for r in queries.as_of(store, "2025", projections=("models",))["projections"]["models"]["rows"]}
    assert rows["m1"]["parameters"] == 2**70 and isinstance(rows["m1"]["parameters"], int)
    assert dumps(queries.as_of(store, "2025", projections=("models",))) == _from_claims(store, "2025")


def test_rows_written_in_another_format_are_written_again_before_use(store: Store) -> None:
    store.put_entities([Entity(slug="m1", kind="model", name="M1")])
    store.append([_claim("r", "m1", "2024-03", type="model_release", parameters=2**70)], document=doc("doc-x"))
    modelvalues.catch_up(store)
    cp = tables.fold_checkpoints
    with store.engine.begin() as conn, derived_writes(conn):
        # As an earlier chronicle left them: the stamp without the body format.
        stamp = conn.execute(sa.select(cp.c.stamp).where(cp.c.name == modelvalues.ROWS)).scalar_one()
        assert stamp.startswith(f"{modelvalues.BODY_FORMAT}:")
        conn.execute(cp.update().where(cp.c.name == modelvalues.ROWS).values(stamp=stamp.split(":", 1)[1]))
    store.cache.clear()
    assert modelvalues.rows_at(store, date(2025, 1, 1), queries._entities(store)) is None
    assert queries.as_of(store, "2025", projections=("models",))["projections"]["models"]["rows"][0]["parameters"] == 2**70
    modelvalues.catch_up(store)
    assert modelvalues.rows_at(store, date(2025, 1, 1), queries._entities(store)) is not None
    assert dumps(queries.as_of(store, "2025", projections=("models",))) == _from_claims(store, "2025")


def test_a_diff_reads_only_the_models_whose_row_changed(store: Store, corpus: Path) -> None:
    ingest(store, [corpus])
    entities = queries._entities(store)
    versions = _versions(store)

    def since_at(x: int) -> dict[str, int]:
        out: dict[str, int] = {}
        for model, since, _ in versions:  # ordered by model, since
            if since <= x:
                out[model] = since
        return out

    for a, b in (("2020-06", "2022-03"), ("2024-12", "2022-03"), ("2022-03", "2022-03")):
        cut_a, cut_b = queries._cutoff(a), queries._cutoff(b)
        at_a, at_b = since_at(cut_a.toordinal()), since_at(cut_b.toordinal())
        bodies = {(m, s): body for m, s, body in versions}
        changed = {m for m in at_a if at_a[m] != at_b[m]
                   and (bodies[m, at_a[m]] is not None or bodies[m, at_b[m]] is not None)}
        answer = modelvalues.rows_between(store, [cut_a, cut_b], entities)
        assert answer is not None
        shown = {r["id"] for rows in answer.rows for r in rows}
        assert shown == changed, (a, b)
        assert a == b or len(changed) < len(at_a) // 2  # most models are left unread
        # Each side's row is that model's row at that cutoff.
        whole = [modelvalues.rows_between(store, [c], entities, unchanged=True) for c in (cut_a, cut_b)]
        for side, full in zip(answer.rows, whole):
            assert full is not None
            by_id = {r["id"]: r for r in full.rows[0]}
            assert all(by_id[r["id"]] == r for r in side)
    with pytest.raises(ValueError):
        modelvalues.rows_between(store, [queries._cutoff("2020")] * 3, entities)
