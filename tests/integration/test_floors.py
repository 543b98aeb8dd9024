"""Truth rule 2 (b, c): an undated occurrence is not before the start of what it is about or names.

A claim dated only by its source ("by <publication date>") shows from the
first dated release or launch the store knows of its subject and of the
entities it names, and is absent before; every path that answers (the fold
over claims, the models' stored rows, the read-model tables, ``show``) reads
it so, and follows the start when a later ingest moves it or a correction
takes it away.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from builders import doc
from chronicle import catalog, corrections, modelvalues, queries, readmodels, tables
from chronicle.events import Entity, Event, Evidence
from chronicle.fuzzydate import context_date, parse
from chronicle import ingest as ingesting
from chronicle.ingest import ingest
from chronicle.render import dumps
from chronicle.store import Store

LATE = doc("doc-late", published="2026-01-21")
EARLY = doc("doc-early", published="2025-12-01")
UNDATED = context_date(parse("2026-01-21"))


def _claim(document: str, local: str, kind: str, subject: str, when: Any, *, named: tuple[str, ...] = (),
           **facts: Any) -> Event:
    return Event(event_id=f"{document}:{local}", type=kind, subject=subject,
                 when=when if not isinstance(when, str) else parse(when), certainty="reported",
                 evidence=Evidence(document, f"quote {local}"), facts=facts, entities=named)


def _undated(store: Store) -> None:
    store.put_entities([
        Entity(slug="m1", kind="model", name="M1"), Entity(slug="p1", kind="product", name="P1"),
        Entity(slug="org1", kind="org", name="Org One"),
    ])
    store.append([
        _claim("doc-late", "m1-release", "model_release", "m1", UNDATED, openness="open-weight"),
        _claim("doc-late", "org1-p1", "partnership", "org1", UNDATED, named=("p1",), partner=["p1"]),
        _claim("doc-late", "org1-round", "funding", "org1", UNDATED),
    ], document=LATE)


def _starts(store: Store) -> None:
    store.append([
        _claim("doc-early", "m1-dated", "model_release", "m1", "2025-07-11"),
        _claim("doc-early", "p1-launch", "product_launch", "p1", "2025-09"),
    ], document=EARLY)


def _from_claims(store: Store, when: str) -> str:
    original = modelvalues.rows_between
    modelvalues.rows_between = lambda *a, **k: None  # type: ignore[assignment]
    try:
        return dumps(queries.as_of(store, when, projections=("models",)))
    finally:
        modelvalues.rows_between = original  # type: ignore[assignment]


def _models(store: Store, when: str) -> list[str]:
    stored = dumps(queries.as_of(store, when, projections=("models",)))
    assert modelvalues.rows_at(store, queries._cutoff(when), queries._entities(store)) is not None
    assert stored == _from_claims(store, when), when
    rows = queries.as_of(store, when, projections=("models",))["projections"]["models"]["rows"]
    return [f"{r['id']} {r['status']}" for r in rows]


def _timeline(store: Store, when: str) -> dict[str, str]:
    rows = queries.as_of(store, when, projections=("timeline",))["projections"]["timeline"]["rows"]
    return {r["id"].split(":", 1)[1]: f"{r['status']} {r['earliest']}" for r in rows}


def test_a_start_learned_later_bounds_the_undated_claims_already_stored(store: Store) -> None:
    _undated(store)
    modelvalues.catch_up(store)
    # Nothing known of when M1 or P1 began: the undated claims may have happened at any earlier cutoff.
    assert _models(store, "2020-06") == ["m1 possibly"]
    assert _timeline(store, "2020-06") == {"m1-release": "possibly None", "org1-p1": "possibly None",
                                           "org1-round": "possibly None"}
    _starts(store)
    modelvalues.catch_up(store)
    assert _models(store, "2020-06") == []
    assert _models(store, "2025-06") == []
    assert _models(store, "2025-07-11") == ["m1 happened"]
    assert _timeline(store, "2025-06") == {"org1-round": "possibly None"}
    assert _timeline(store, "2025-10") == {
        "m1-dated": "happened 2025-07-11", "m1-release": "possibly 2025-07-11", "org1-p1": "possibly 2025-09-01",
        "org1-round": "possibly None", "p1-launch": "happened 2025-09-01"}


def test_show_names_the_bound_and_whose_start_it_is(store: Store) -> None:
    _undated(store)
    _starts(store)
    reading = catalog.event(store, "doc-late:org1-p1")["reading"]
    assert reading["floor"] == {"day": "2025-09-01", "entity": "p1"}
    assert (reading["earliest"], reading["latest"]) == ("2025-09-01", "2026-01-21")
    assert reading["reason"] == ("an occurrence by 2026-01-21: not before 2025-09-01 (the first dated release or "
                                 "launch of 'p1' the store knows); possibly happened between the two")
    # The stored claim is untouched: the log keeps the source's date.
    assert catalog.event(store, "doc-late:org1-p1")["event"]["when"]["edtf"] == "../2026-01-21"
    unbounded = catalog.event(store, "doc-late:org1-round")["reading"]
    assert unbounded["floor"] is None and "no earlier bound is known" in unbounded["reason"]


def test_a_retracted_start_bounds_nothing(store: Store) -> None:
    _undated(store)
    _starts(store)
    modelvalues.catch_up(store)
    assert _models(store, "2020-06") == []
    corrections.retract(store, "doc-early:m1-dated", "the date is another model's")
    modelvalues.catch_up(store)
    assert _models(store, "2020-06") == ["m1 possibly"]
    assert "m1-release" in _timeline(store, "2020-06")


def _rows(store: Store, table: sa.Table) -> list[Any]:
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.select(table).order_by(table.c.id)).all()]


def test_read_model_tables_follow_a_moved_start_as_a_rebuild_does(store: Store) -> None:
    today = date(2025, 8, 1)
    _undated(store)
    readmodels.refresh(store, today=today)
    before = {r[0] for r in _rows(store, tables.rm_timeline)}
    assert {"doc-late:m1-release", "doc-late:org1-p1"} <= before
    _starts(store)
    readmodels.refresh(store, today=today, incremental=True)
    caught_up = {name: _rows(store, t) for name, t in (("timeline", tables.rm_timeline), ("models", tables.rm_models))}
    # At 2025-08-01 P1 had not launched: the partnership naming it cannot have happened yet.
    assert "doc-late:org1-p1" not in {r[0] for r in caught_up["timeline"]}
    assert "doc-late:m1-release" in {r[0] for r in caught_up["timeline"]}
    readmodels.refresh(store, today=today)
    assert caught_up == {name: _rows(store, t) for name, t in (("timeline", tables.rm_timeline),
                                                               ("models", tables.rm_models))}


# -- through ingest: the tables an ingest keeps current, and the rows worked out ahead of its append --

_TEXTS = {"late": "Reports say R1 shook the markets.\n", "early": "DeepSeek released R1 in January 2025.\n"}
_EVENTS = {
    "late": """\
  - id: r1-shock
    type: market_reaction
    subject: deepseek-r1
    quote: "R1 shook the markets"
""",
    "early": """\
  - id: r1-release
    type: model_release
    subject: deepseek-r1
    when: {text: "in January 2025", edtf: "2025-01"}
    quote: "DeepSeek released R1 in January 2025"
""",
}


def _write(folder: Path, name: str) -> Path:
    text = _TEXTS[name]
    (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    path = folder / f"{name}.yaml"
    path.write_text(
        f"document:\n  id: doc-{name}\n  title: The {name} article\n  publisher: P\n  url: https://example.org/{name}\n"
        f"  published: 2026-01-21\n  kind: news\n  text: {name}.txt\n"
        f"  sha256: {hashlib.sha256(text.encode()).hexdigest()}\nevents:\n{_EVENTS[name]}", encoding="utf-8")
    return path


def _entities(folder: Path) -> Path:
    path = folder / "entities.yaml"
    path.write_text("entities:\n  - {slug: deepseek-r1, kind: model, name: DeepSeek-R1}\n", encoding="utf-8")
    return path


def _tables(store: Store) -> dict[str, list[Any]]:
    return {t.name: _rows(store, t) for t in (tables.rm_timeline, tables.rm_models)}


def test_an_ingest_bounds_the_claims_it_finds_already_stored(store: Store, tmp_path: Path) -> None:
    ingest(store, [_entities(tmp_path), _write(tmp_path, "late")])
    assert [r[0] for r in _rows(store, tables.rm_timeline)] == ["doc-late:r1-shock"]
    ingest(store, [_write(tmp_path, "early")])
    kept = _tables(store)
    shock = next(r for r in kept["rm_timeline"] if r[0] == "doc-late:r1-shock")
    assert date(2025, 1, 1) in shock or "2025-01-01" in shock, shock
    readmodels.refresh(store)
    assert kept == _tables(store)


@pytest.mark.parametrize("parallel", [True, False], ids=["rows-worked-out-ahead", "one-process"])
def test_the_starts_of_the_same_ingest_bound_its_rows(store: Store, tmp_path: Path, parallel: bool,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # With a second process validating (any size of input), each file's rows are worked out ahead of the
    # append, from that file alone: a start in another file must still bound them.
    monkeypatch.setattr(ingesting, "PARALLEL_BYTES", 0 if parallel else 1 << 60)
    ingest(store, [_entities(tmp_path), _write(tmp_path, "late"), _write(tmp_path, "early")])
    kept = _tables(store)
    shock = next(r for r in kept["rm_timeline"] if r[0] == "doc-late:r1-shock")
    assert date(2025, 1, 1) in shock or "2025-01-01" in shock, shock
    readmodels.refresh(store)
    assert kept == _tables(store)
