"""Reads at a basis filter in SQL, or use the models' values table; answers must equal a full replay's.

A few thousand generated events (the benchmarks' generator: seed-corpus
proportions, archive documents arriving late with old event times), some
retracted, ranked and corrected (with the corrections under each answer), then as-of, diff, conflicts and talent at several
cutoffs, knowledge dates and sequence numbers, each compared with the same
question answered from a fold over every event.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from chronicle import corrections, modelvalues, queries
from chronicle.ingest import ingest
from chronicle.render import dumps
from chronicle.store import LogFilter, Store
from tests_support import benchmark_corpus, truth_corpus

CUTOFFS = ("2019-06", "2021-06", "2023-12", "2027")
KNOWN_AT = (None, "2022-01")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return benchmark_corpus(2000, 11, tmp_path_factory.mktemp("corpus"))


@pytest.fixture
def loaded_store(store: Store, corpus: Path, tmp_path: Path) -> Store:
    report = ingest(store, [corpus / "events"])
    assert report.appended == 2000
    # A model open by its licence alone, series of a share and a valuation, one real disagreement.
    assert ingest(store, [truth_corpus(tmp_path / "truth")]).appended == 9
    # Corrections change every answer: retract a few claims and rank others.
    events = list(store.read(LogFilter(types=("model_release", "usage_share"), limit=40)))
    for n, event in enumerate(events[:12]):
        if n % 3 == 0:
            corrections.retract(store, event.event_id, "generated retraction")
        else:
            corrections.rank(store, event.event_id, "preferred" if n % 3 == 1 else "deprecated", "generated ranking")
    # And an analyst's own claims: a release moved years later, a share given another value and date.
    release, share = (next(e for e in store.read(LogFilter(types=(kind,), limit=60)) if e not in events[:12])
                      for kind in ("model_release", "usage_share"))
    corrections.correct(store, release.event_id, "2024-03-05", source="https://example.org/release",
                        quote="released on March 5, 2024", reason="generated correction", today=date(2024, 4, 1))
    corrections.correct(store, share.event_id, "2021-02", source="https://example.org/share",
                        quote="a share of 12 percent", reason="generated correction",
                        facts=["share={value: 12, unit: percent}"], today=date(2021, 3, 1))
    return store


@pytest.fixture
def replay(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Answer a question from a fold over every event (the reads at a basis switched off)."""
    real, table = queries.load, modelvalues.rows_between

    def full(store: Store, projections: Any, *, at_seq: int | None = None, **_: Any) -> queries.Loaded:
        return real(store, projections, at_seq=at_seq)

    def answer(fn: Any, *args: Any, **kwargs: Any) -> str:
        monkeypatch.setattr(queries, "load", full)
        monkeypatch.setattr(modelvalues, "rows_between", lambda *a, **k: None)
        try:
            return dumps(fn(*args, **kwargs))
        finally:
            monkeypatch.setattr(queries, "load", real)
            monkeypatch.setattr(modelvalues, "rows_between", table)

    yield answer


def test_as_of_at_a_basis_equals_a_full_replay(loaded_store: Store, replay: Any) -> None:
    head = loaded_store.head()
    # The models' values table is current, so the default basis is answered from it.
    assert modelvalues.rows_at(loaded_store, queries._cutoff("2023-12"), queries._entities(loaded_store)) is not None
    for at_seq in (None, head // 2):
        for known_at in KNOWN_AT:
            for when in CUTOFFS:
                for names in (("models",), ()):
                    kwargs = dict(projections=names, known_at=known_at, at_seq=at_seq)
                    fast = dumps(queries.as_of(loaded_store, when, **kwargs))
                    assert fast == replay(queries.as_of, loaded_store, when, **kwargs), (when, kwargs)


def test_diff_conflicts_and_talent_at_a_basis_equal_a_full_replay(loaded_store: Store, replay: Any) -> None:
    for a, b in zip(CUTOFFS, CUTOFFS[1:]):
        for names in (("models",), ()):
            fast = dumps(queries.diff(loaded_store, a, b, projections=names))
            assert fast == replay(queries.diff, loaded_store, a, b, projections=names), (a, b, names)
    between = ("2021-01", "2024-06")
    assert dumps(queries.diff(loaded_store, "2025-06", None, known_between=between)) == replay(
        queries.diff, loaded_store, "2025-06", None, known_between=between)
    for when in CUTOFFS[1:3]:
        for known_at in KNOWN_AT:
            fast = dumps(queries.conflicts(loaded_store, when=when, known_at=known_at, include_settled=True))
            assert fast == replay(queries.conflicts, loaded_store, when=when, known_at=known_at, include_settled=True)
            assert dumps(queries.talent(loaded_store, when=when, known_at=known_at)) == replay(
                queries.talent, loaded_store, when=when, known_at=known_at)


def test_licences_and_series_answer_as_a_replay_does(loaded_store: Store, replay: Any) -> None:
    answer = queries.as_of(loaded_store, "2027", projections=("models", "orgs", "metrics"))
    assert dumps(answer) == replay(queries.as_of, loaded_store, "2027", projections=("models", "orgs", "metrics"))
    rows = {name: {r["id"]: r for r in part["rows"]} for name, part in answer["projections"].items()}
    assert rows["models"]["truth-licensed"]["openness"] == "open-source"
    assert rows["models"]["truth-disputed"]["openness"] == ["closed", "open-source"]
    assert rows["orgs"]["truth-lab"]["valuation"]["value"] == 5_000_000_000
    assert not rows["orgs"]["truth-lab"]["conflict"]
    flagged = {(r["value"], r["conflict"]) for r in rows["metrics"].values() if r["subject"] == "truth-lab"}
    assert flagged == {("~30%", False), ("1.2%", True), ("5%", True)}
    conflicts = queries.conflicts(loaded_store, when="2027")
    assert dumps(conflicts) == replay(queries.conflicts, loaded_store, when="2027")
    truth = [(c["subject"], c["fact"], [claim["event"] for claim in c["claims"]])
             for c in conflicts["conflicts"] if c["subject"].startswith("truth-")]
    assert truth == [
        ("truth-disputed", "openness", ["truth-late:disputed-release", "truth-rival:disputed-licence"]),
        ("truth-lab", "share", ["truth-early:share-late-2024", "truth-rival:share-late-2024"]),
    ]


def test_late_arrivals_change_earlier_answers_as_a_replay_does(loaded_store: Store, replay: Any) -> None:
    # The archives hold events older than what was stored before them: an
    # answer at an early cutoff before and after they arrived must differ,
    # and each must equal its replay.
    head = loaded_store.head()
    before, after = (dumps(queries.as_of(loaded_store, "2020-12", projections=("models",), at_seq=s))
                     for s in (600, head))
    assert before != after
    assert after == replay(queries.as_of, loaded_store, "2020-12", projections=("models",), at_seq=head)
    assert before == replay(queries.as_of, loaded_store, "2020-12", projections=("models",), at_seq=600)


def test_rows_from_claims_are_made_with_the_collector_held_off(loaded_store: Store,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # Rows by the hundred thousand beside a loaded log: full collections would traverse the log for nothing.
    import gc

    from chronicle.projections.series import Metrics

    seen: list[bool] = []
    derive = Metrics.derive

    def recording(self: Metrics, *args: Any) -> Any:
        seen.append(gc.isenabled())
        return derive(self, *args)

    monkeypatch.setattr(Metrics, "derive", recording)
    answer = queries.as_of(loaded_store, "2027", projections=("metrics",))
    assert answer["projections"]["metrics"]["rows"] and seen and not any(seen)
    assert gc.isenabled()
