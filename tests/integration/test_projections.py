"""Projections, as-of, diff and conflicts on a small hand-made log, on every backend."""

from __future__ import annotations

import json
import random
from datetime import date

import pytest
from builders import doc, event

from chronicle import corrections, queries
from chronicle.errors import NotFoundError
from chronicle.events import Entity
from chronicle.fuzzydate import parse_cutoff
from chronicle.projections import REGISTRY, Basis
from chronicle.render import dumps
from chronicle.store import Store

ENTITIES = [
    Entity("china", "country", "China"),
    Entity("deepseek", "org", "DeepSeek", country="CN"),
    Entity("alibaba", "org", "Alibaba", country="CN"),
    Entity("openai", "org", "OpenAI", country="US"),
    Entity("deepseek-r1", "model", "DeepSeek-R1", org="deepseek"),
    Entity("deepseek-v3", "model", "DeepSeek-V3", org="deepseek"),
    Entity("deepseek-v32", "model", "DeepSeek-V3.2", org="deepseek"),
    Entity("qwen3", "model", "Qwen3", org="alibaba"),
    Entity("openai-o1", "model", "o1", org="openai"),
    Entity("gpt-4o", "model", "GPT-4o", org="openai"),
    Entity("qwen", "model-family", "Qwen", org="alibaba"),
    Entity("someone", "person", "Some One"),
    Entity("other", "person", "An Other"),
]
OPEN = {"openness": "open-weight"}


def _seed(store: Store) -> None:
    store.put_entities(ENTITIES)
    store.append([
        event("r1", subject="deepseek-r1", when="2025-01-20", facts={**OPEN, "matched_model": ["openai-o1"]}),
        event("v3", subject="deepseek-v3", when="2025-38", facts=OPEN),
        event("v32", subject="deepseek-v32", when="2025-12", facts=OPEN),
        event("v32-claim", type="benchmark_claim", subject="deepseek-v32", when="../2026-01-21",
              facts={"outperformed_model": ["gpt-4o"]}),
        event("o1", subject="openai-o1", when="2024-12"),
        # A count in September 2025: the same time as doc-b's, as of 2025-09-15, so the two disagree.
        event("qwen-dl", type="downloads", subject="qwen", when="2025-09",
              facts={"downloads": {"value": 700000000, "unit": "count", "op": ">"}}),
        event("move-q", type="talent_move", subject="someone", when="2025-05-03", facts={"to_org": "deepseek"}),
        event("move-year", type="talent_move", subject="other", when="2025", facts={"from_org": "openai"}),
        event("val", type="valuation", subject="deepseek", when="2025-03",
              facts={"valuation": {"value": 1000000000, "unit": "USD", "op": "="}}),
        event("fc", type="model_release", subject="qwen3", when="2026", certainty="forecast", facts=OPEN),
    ], document=doc("doc-a", published="2026-01-21"))
    store.append([
        event("r1", document="doc-b", subject="deepseek-r1", type="benchmark_claim", when="../2025-09-15",
              facts={"matched_model": ["gpt-4o"]}),
        event("qwen-dl", document="doc-b", type="downloads", subject="qwen", when="../2025-09-15",
              facts={"downloads": {"value": 300000000, "unit": "count", "op": ">"}}),
        event("val", document="doc-b", type="valuation", subject="deepseek", when="2025-08",
              facts={"valuation": {"value": 3000000000, "unit": "USD", "op": "="}}),
    ], document=doc("doc-b", published="2025-09-15"))


def _rows(answer: dict, name: str) -> dict[str, dict]:
    return {r["id"]: r for r in answer["projections"][name]["rows"]}


def test_models_as_of_mid_2025(store: Store) -> None:
    _seed(store)
    models = _rows(queries.as_of(store, "2025-06"), "models")
    assert models["deepseek-r1"]["status"] == "happened"
    assert models["deepseek-r1"]["first_release"] == "2025-01-20"
    assert models["deepseek-v3"]["status"] == "possibly"          # mid-2025: May–August
    assert "deepseek-v32" not in models                             # released December 2025
    assert "qwen3" not in models                                    # a forecast for 2026
    assert models["openai-o1"]["country"] == "US"
    later = _rows(queries.as_of(store, "2026-06"), "models")
    assert later["qwen3"]["status"] == "expected"
    assert later["deepseek-v32"]["benchmarks"] == ["beats gpt-4o"]


def test_cells_keep_disagreeing_sources_side_by_side(store: Store) -> None:
    _seed(store)
    r1 = _rows(queries.as_of(store, "2025-12"), "models")["deepseek-r1"]
    assert r1["benchmarks"] == ["matches gpt-4o", "matches openai-o1"]
    assert r1["sources"] == 2 and r1["conflict"] is True
    # One claim per benchmark value, each from its own document.
    assert {e["document"] for e in r1["cells"]["benchmarks"]["evidence"]} == {"doc-a", "doc-b"}


def test_filters_country_open_and_certain(store: Store) -> None:
    _seed(store)
    answer = queries.as_of(store, "2025-06", projections=["models"],
                           filters=queries.Filters(country="CN", open_only=True))
    assert list(_rows(answer, "models")) == ["deepseek-r1", "deepseek-v3"]
    certain = queries.as_of(store, "2025-06", projections=["models"], filters=queries.Filters(certain=True))
    assert list(_rows(certain, "models")) == ["openai-o1", "deepseek-r1"]


def test_orgs_take_the_latest_value_at_the_cutoff(store: Store) -> None:
    _seed(store)
    assert _rows(queries.as_of(store, "2025-06"), "orgs")["deepseek"]["valuation"] == {
        "value": 1000000000, "unit": "USD", "op": "="}
    after = _rows(queries.as_of(store, "2025-12"), "orgs")["deepseek"]
    assert after["valuation"]["value"] == 3000000000
    assert after["cells"]["valuation"]["evidence"] == [
        {"document": "doc-b", "event": "doc-b:val", "quote": "quote for val"}]


def test_talent_by_quarter_keeps_vague_moves_visible(store: Store) -> None:
    _seed(store)
    answer = queries.talent(store, by="quarter", when="2025-12")
    assert [(p["period"], [r["id"] for r in p["rows"]]) for p in answer["periods"]] == [
        ("2025-Q2", ["doc-a:move-q"]),
        ("2025 (quarter unknown)", ["doc-a:move-year"]),
    ]
    by_year = queries.talent(store, by="year", when="2025-12")
    assert [p["period"] for p in by_year["periods"]] == ["2025"]


def test_known_at_hides_what_only_later_documents_say(store: Store) -> None:
    _seed(store)
    answer = queries.as_of(store, "2025-12", known_at="2025-12")
    assert set(_rows(answer, "models")) == {"deepseek-r1"}      # only doc-b (2025-09-15) was out
    assert [e["document"] for e in _rows(answer, "models")["deepseek-r1"]["evidence"]] == ["doc-b"]
    assert _rows(queries.as_of(store, "2025-12", known_at="2025-09-14"), "models") == {}


def test_at_seq_reproduces_an_earlier_answer_exactly(store: Store) -> None:
    _seed(store)
    before = dumps(queries.as_of(store, "2026"))
    store.append([event("late", document="doc-b", subject="deepseek-r1", when="2024-11",
                        type="model_announcement")])
    assert dumps(queries.as_of(store, "2026")) != before
    assert dumps(queries.as_of(store, "2026", at_seq=13)) == before


def test_same_question_same_bytes(store: Store) -> None:
    _seed(store)
    assert dumps(queries.as_of(store, "2025-06")) == dumps(queries.as_of(store, "2025-06"))
    assert dumps(queries.diff(store, "2025-01", "2025-12")) == dumps(queries.diff(store, "2025-01", "2025-12"))


def test_rebuild_equals_incremental_in_any_arrival_order(store: Store) -> None:
    _seed(store)
    rng = random.Random(7)
    for name in REGISTRY:
        for cutoff in ("2025-03", "2025-06", "2026"):
            whole = queries.rebuild_rows(store, name, cutoff)
            for batches in (2, 5):
                assert queries.rebuild_rows(store, name, cutoff, batches=batches, shuffle=rng.shuffle) == whole


def test_states_folded_together_equal_states_folded_alone(store: Store) -> None:
    """A load of several projections folds shared (order key, event) pairs; one alone applies events."""
    _seed(store)
    together = queries.load(store, list(REGISTRY.values()))
    for name, projection in REGISTRY.items():
        alone = queries.load(store, [projection])
        assert together.states[name].position == alone.states[name].position
        for cutoff in ("2025-03", "2026"):
            basis = Basis(parse_cutoff(cutoff), cutoff, None, together.store_seq)
            assert together.states[name].rows(basis, together.ctx) == alone.states[name].rows(basis, alone.ctx)


def test_diff_lists_rows_added_with_their_sources(store: Store) -> None:
    _seed(store)
    answer = queries.diff(store, "2025-01", "2025-12", projections=["models"])
    added = [(c["id"], c["documents"]) for c in answer["changes"] if c["change"] == "added"]
    assert added == [("deepseek-v3", ["doc-a"]), ("deepseek-v32", ["doc-a"])]
    orgs = queries.diff(store, "2025-06", "2025-12", projections=["orgs"])["changes"]
    assert [(c["id"], c["field"], c["old"]["value"], c["new"]["value"], c["documents"]) for c in orgs] == [
        ("deepseek", "valuation", 1000000000, 3000000000, ["doc-b"])]


def test_diff_of_knowledge(store: Store) -> None:
    _seed(store)
    answer = queries.diff(store, "2025-12", None, projections=["models"], known_between=("2025-10", "2026-02"))
    added = sorted(c["id"] for c in answer["changes"] if c["change"] == "added")
    assert added == ["deepseek-v3", "deepseek-v32", "openai-o1"]
    assert answer["basis"]["from"]["known_at"] == "2025-10-31"


def test_conflicts_and_their_settlement(store: Store) -> None:
    _seed(store)
    found = queries.conflicts(store)["conflicts"]
    assert [(c["subject"], c["fact"]) for c in found] == [("deepseek-r1", "matched_model"), ("qwen", "downloads")]
    matched = found[0]
    assert [(c["value"], c["document"]) for c in matched["claims"]] == [
        (["openai-o1"], "doc-a"), (["gpt-4o"], "doc-b")]
    corrections.rank(store, "doc-a:r1", "preferred", "the benchmark table names o1", today=date(2026, 2, 1))
    assert [c["fact"] for c in queries.conflicts(store)["conflicts"]] == ["downloads"]
    settled = queries.conflicts(store, include_settled=True)["conflicts"][0]
    assert (settled["settled"], settled["settled_by"]) == (True, ["doc-a:r1"])
    # Knowledge before the ranking was made: still a conflict.
    assert len(queries.conflicts(store, known_at="2026-01-31")["conflicts"]) == 2


def test_retract_removes_an_event_with_its_reason(store: Store) -> None:
    _seed(store)
    done = corrections.retract(store, "doc-a:v3", "misread: the article says mid-2024", today=date(2026, 2, 1))
    retraction = done.event
    assert done.appended and retraction is not None
    assert retraction.type == "event_retracted"
    answer = queries.as_of(store, "2025-12")
    assert "deepseek-v3" not in _rows(answer, "models")
    assert answer["corrections"] == [{"event": "doc-a:v3", "correction": "retracted",
                                      "reason": "misread: the article says mid-2024", "by": retraction.event_id}]
    # The log still holds both events: nothing was edited.
    assert store.get("doc-a:v3").facts == OPEN
    again = corrections.retract(store, "doc-a:v3", "misread: the article says mid-2024", today=date(2026, 2, 1))
    assert again.event is not None and again.event.seq == retraction.seq


def test_a_second_retraction_appends_nothing(store: Store) -> None:
    _seed(store)
    first = corrections.retract(store, "doc-a:v3", "misread the date", today=date(2026, 2, 1))
    head = store.head()
    # Another day, another reason: still the same decision, so nothing new on record.
    for day, reason in [(date(2026, 2, 1), "misread the date"), (date(2026, 3, 1), "a second look"),
                        (date(2026, 3, 2), "and a third")]:
        again = corrections.retract(store, "doc-a:v3", reason, today=day)
        assert (again.appended, again.event) == (False, first.event)
    assert store.head() == head
    assert [(c["event"], c["reason"]) for c in queries.as_of(store, "2025-12")["corrections"]] == [
        ("doc-a:v3", "misread the date")]


def test_the_rank_a_claim_has_appends_nothing(store: Store) -> None:
    _seed(store)
    head = store.head()
    never = corrections.rank(store, "doc-a:r1", "normal", "nothing to settle yet")
    assert (never.appended, never.event, store.head()) == (False, None, head)
    first = corrections.rank(store, "doc-a:r1", "preferred", "the benchmark table names o1", today=date(2026, 2, 1))
    assert first.appended and store.head() == head + 1
    again = corrections.rank(store, "doc-a:r1", "preferred", "said again", today=date(2026, 3, 1))
    assert (again.appended, again.event, store.head()) == (False, first.event, head + 1)
    # A different rank is a new decision, and going back is one too.
    assert corrections.rank(store, "doc-a:r1", "deprecated", "o1 was misread", today=date(2026, 3, 1)).appended
    assert corrections.rank(store, "doc-a:r1", "preferred", "o1 after all", today=date(2026, 3, 2)).appended
    assert store.head() == head + 3
    with pytest.raises(NotFoundError, match="no event 'doc-a:nope'"):
        corrections.rank(store, "doc-a:nope", "normal", "x")


def test_corrections_need_a_known_event_and_a_reason(store: Store) -> None:
    _seed(store)
    with pytest.raises(Exception, match="no event 'doc-a:nope'"):
        corrections.retract(store, "doc-a:nope", "x")
    with pytest.raises(Exception, match="a correction needs a reason"):
        corrections.rank(store, "doc-a:r1", "preferred", "  ")
    with pytest.raises(Exception, match="unknown rank 'best'"):
        corrections.rank(store, "doc-a:r1", "best", "x")


def test_timeline_and_metrics(store: Store) -> None:
    _seed(store)
    answer = queries.as_of(store, "2026", projections=["timeline", "metrics"])
    timeline = answer["projections"]["timeline"]["rows"]
    # The undated benchmark standing holds as of its source's date: no row is left without a start.
    assert all(r["earliest"] for r in timeline)
    assert [r["id"] for r in timeline][:3] == ["doc-a:o1", "doc-a:move-year", "doc-a:r1"]
    assert [(r["id"], r["as_of"]) for r in timeline if r["as_of"]] == [
        ("doc-b:qwen-dl", "2025-09-15"), ("doc-b:r1", "2025-09-15"), ("doc-a:v32-claim", "2026-01-21")]
    metrics = answer["projections"]["metrics"]["rows"]
    assert [(r["id"], r["value"]) for r in metrics] == [
        ("doc-a:qwen-dl#downloads", ">700M"), ("doc-b:qwen-dl#downloads", ">300M")]
    json.dumps(answer)
