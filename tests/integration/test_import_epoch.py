"""Importing Epoch AI's Notable AI Models, on every backend."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from chronicle import queries
from chronicle.errors import ChronicleError, ValidationError
from chronicle.ingest import ingest
from chronicle.importing import RemovalRefused, import_epoch
from chronicle.store import LogFilter, Store
from builders import doc, event
from epoch_support import CURATED, EPOCH_CSV, JOINT, KIMI, R1, REPO, V3, real_records, real_snapshot, snapshot


@pytest.fixture
def epoch_csv() -> Path:
    if not EPOCH_CSV.is_file():
        pytest.skip(f"Epoch AI snapshot not found at {EPOCH_CSV} (set CHRONICLE_SHARED to the shared folder)")
    return EPOCH_CSV


def _events(store: Store, document: str) -> dict[str, object]:
    return {e.event_id.split(":", 1)[1]: e for e in store.read(LogFilter(documents=(document,)))}


def _models(answer: dict) -> dict[str, dict]:
    return {r["id"]: r for r in answer["projections"]["models"]["rows"]}


# -- the shared snapshot -----------------------------------------------------------------


def test_shared_snapshot_with_the_news(store: Store, epoch_csv: Path) -> None:
    ingest(store, [REPO / "events"])
    news_head = store.head()
    report = import_epoch(store, epoch_csv)
    assert (report.document, report.snapshot_from) == ("epoch-notable-models-2025-03-16", "latest publication date")
    assert (report.rows, report.appended, report.present, len(report.new)) == (924, 924, 0, 924)
    assert (report.entities_matched, report.entities_created) == (25, 1267)
    assert store.head() == news_head + 924

    r1 = _events(store, report.document)["deepseek-r1"]
    assert (r1.subject, r1.when.edtf, r1.when.precision.value) == ("deepseek-r1", "2025-01-20", "day")
    assert r1.facts["parameters"] == {"value": 671_000_000_000, "unit": "params", "op": "="}
    assert (r1.facts["open_weights"], r1.facts["openness"], r1.facts["base_model"]) == (True, "open-weight", "deepseek-v3")
    assert (r1.facts["organizations"], r1.facts["countries"]) == (["deepseek"], ["CN"])
    assert r1.evidence.quote == "DeepSeek-R1, 2025-01-20"
    # The one row without a publication date is no release: a listing that holds as of the snapshot.
    behemoth = _events(store, report.document)["llama-4-behemoth"]
    assert (behemoth.type, behemoth.when.edtf, behemoth.when.text) == ("other", "2025-03-16", "")
    for cutoff in ("2025-03", "2025-06", "2026-12"):
        row = _models(queries.as_of(store, cutoff, projections=["models"]))["llama-4-behemoth"]
        assert (row.get("first_release"), row["release_order"]) == (None, None)
        assert "first_release" not in row["cells"]
    assert "llama-4-behemoth" not in _models(queries.as_of(store, "2025-02", projections=["models"]))

    again = import_epoch(store, epoch_csv)
    assert (again.appended, again.present, again.entities_created) == (0, 924, 0)
    assert store.head() == news_head + 924

    models = _models(queries.as_of(store, "2025-03", projections=["models"],
                                   filters=queries.Filters(country="CN", open_only=True)))
    # 42: Qwen3 too, possibly released "By mid-2025" under Apache 2.0 (a release claim with its licence).
    assert len(models) == 42 and models["qwen3"]["status"] == "possibly"
    assert all(r["country"] == "CN" and r["open"] for r in models.values())
    # Known to both kinds of source, to the database only, to the news only.
    assert _cited(models["deepseek-r1"]) >= {"epoch-notable-models-2025-03-16", "aisupremacy-china-ai-milestones-2025"}
    assert models["deepseek-r1"]["first_release"] == "2025-01-20"
    assert _cited(models["qwq-32b"]) == {"epoch-notable-models-2025-03-16"}
    assert _cited(models["kimi-k2.5"]) == {"chinese-open-source-models-next-wave"}


def _cited(row: dict[str, Any]) -> set[str]:
    """The documents a models row cites: its own evidence and each cell's."""
    found = {e["document"] for e in row["evidence"]}
    for cell in row["cells"].values():
        found |= {e["document"] for e in cell["evidence"]}
    assert len(found) == row["sources"]
    return found


# -- hand-made snapshots in the newer column names -------------------------------------------


def test_newer_headers_multi_values_notation_and_empty_cells(store: Store, tmp_path: Path) -> None:
    store.put_entities(CURATED)
    path = snapshot(tmp_path, "new.csv", R1, V3, KIMI, JOINT)
    report = import_epoch(store, path, snapshot=date(2025, 6, 30))
    assert (report.document, report.rows, report.appended) == ("epoch-notable-models-2025-06-30", 4, 4)
    # deepseek, deepseek-r1, deepseek-v3, moonshot, tsinghua; and created: Kimi k1.5, Joint-LM 13B,
    # Example Lab, and the base models Qwen2-72B and InternViT-6B.
    assert (report.entities_matched, report.entities_created) == (5, 5)
    found = _events(store, report.document)
    r1 = found["deepseek-r1"]
    assert r1.facts == {
        "accessibility": "Open weights (unrestricted)", "base_model": "deepseek-v3", "confidence": "Confident",
        "countries": ["CN"], "link": "https://api-docs.deepseek.com/news/news250120", "open_weights": True,
        "openness": "open-weight", "organizations": ["deepseek"],
        "parameters": {"value": 671_000_000_000, "unit": "params", "op": "="},
        "training_compute": {"value": 5.17e24, "unit": "FLOP", "op": "="},
    }
    kimi = found["kimi-k1.5"]
    assert (kimi.subject, kimi.facts["open_weights"], kimi.facts["openness"]) == ("kimi-k1.5", False, "api")
    assert "parameters" not in kimi.facts and "link" not in kimi.facts
    joint = found["joint-lm-13b"]
    assert joint.facts["organizations"] == ["example-lab", "tsinghua"]
    assert joint.facts["countries"] == ["CN", "US"]
    assert joint.facts["parameters"]["value"] == 13_000_000_000
    assert joint.facts["base_models"] == ["internvit-6b", "qwen2-72b"]
    entities = {e.slug: e for e in store.entities()}
    assert (entities["example-lab"].country, entities["joint-lm-13b"].org) == ("US", "tsinghua")
    assert entities["moonshot"].name == "Moonshot AI"  # curated entities are never rewritten


def _nothing_stored(store: Store) -> None:
    assert store.head() == 0
    assert store.documents() == []


@pytest.mark.parametrize(("rows", "message"), [
    (['DeepSeek-R1,Language,DeepSeek,China,2025-01-20,"unclosed\n'],
     "bad.csv:2: row: not readable as CSV: unexpected end of data"),
    ([R1, "Short,row\n"], "bad.csv:4: row: 2 cells; the header has 14"),
    ([R1, V3.replace("671000000000.0", "671B")], "bad.csv:4: parameters: '671B' is not a number"),
    ([R1, KIMI.replace("2025-01-22", "2025-13-45")], "bad.csv:4: publication_date: cannot read date '2025-13-45': month must be 01-12"),
    ([R1, KIMI.replace("2025-01-22", "2025-01")], "bad.csv:4: publication_date: '2025-01' is not a day (expected YYYY-MM-DD)"),
    ([KIMI.replace(",No,", ",Maybe,")], "bad.csv:2: open_weights: 'Maybe' is not yes or no"),
    ([KIMI.replace("Kimi k1.5", "")], "bad.csv:2: model: empty: every row names a model"),
    ([], "bad.csv:2: file: no rows: the header is all there is"),
])
def test_a_malformed_file_imports_nothing(store: Store, tmp_path: Path, rows: list[str], message: str) -> None:
    path = snapshot(tmp_path, "bad.csv", *rows)
    with pytest.raises(ValidationError) as caught:
        import_epoch(store, path)
    assert [str(p).replace(str(tmp_path) + "/", "") for p in caught.value.problems] == [message]
    _nothing_stored(store)


def test_a_file_that_is_not_the_dataset_imports_nothing(store: Store, tmp_path: Path) -> None:
    path = snapshot(tmp_path, "other.csv", "1,2,3\n", header="name,date,value\n")
    with pytest.raises(ValidationError) as caught:
        import_epoch(store, path)
    assert str(caught.value.problems[0]).replace(str(tmp_path) + "/", "") == (
        "other.csv:1: header: not Epoch AI's Notable AI Models data: no 'Model', 'Organization', "
        "'Publication date' column (columns found: 'name', 'date', 'value')"
    )
    _nothing_stored(store)


def test_older_header_names_import_too(store: Store, tmp_path: Path) -> None:
    header = ("System,Organization,Country (from Organization),Publication date,Parameters,"
              "Training compute estimation method\n")
    path = snapshot(tmp_path, "old.csv", "DeepSeek-V3,DeepSeek,China,2024-12-24,6.71E+11,Reported\n", header=header)
    report = import_epoch(store, path)
    assert (report.document, report.appended) == ("epoch-notable-models-2024-12-24", 1)
    v3 = _events(store, report.document)["deepseek-v3"]
    assert (v3.facts["countries"], v3.facts["parameters"]["value"]) == (["CN"], 671_000_000_000)


# -- snapshots over time ----------------------------------------------------------------------


def test_a_newer_snapshot_appends_only_what_changed(store: Store, tmp_path: Path) -> None:
    store.put_entities(CURATED)
    march = snapshot(tmp_path, "march.csv", R1, V3, KIMI)
    first = import_epoch(store, march, snapshot=date(2025, 3, 16))
    assert (first.appended, first.previous) == (3, None)
    # June: R1's parameters changed, V3 unchanged, Kimi k1.5 removed, Joint-LM new. One row of
    # three is more than a snapshot may remove unless it is the whole database, which it is.
    june = snapshot(tmp_path, "june.csv", R1.replace("6.71e+11", "6.85e+11"), V3, JOINT)
    second = import_epoch(store, june, snapshot=date(2025, 6, 30), coverage="complete")
    assert second.previous == "epoch-notable-models-2025-03-16"
    assert (second.new, second.changed, second.unchanged, second.removed) == (
        ["joint-lm-13b"], ["deepseek-r1"], 1, ["kimi-k1.5"])
    assert second.appended == 4  # Joint-LM, R1's new row, its supersession, Kimi's removal
    stored = _events(store, "epoch-notable-models-2025-06-30")
    assert sorted(stored) == ["deepseek-r1", "deepseek-r1--superseded", "joint-lm-13b", "kimi-k1.5--removed"]
    superseded = stored["deepseek-r1--superseded"]
    assert (superseded.type, superseded.facts) == ("event_superseded", {
        "target": "epoch-notable-models-2025-03-16:deepseek-r1",
        "replacement": "epoch-notable-models-2025-06-30:deepseek-r1",
        "reason": "changed in the snapshot of 2025-06-30: parameters",
    })
    removed = stored["kimi-k1.5--removed"]
    assert (removed.type, removed.facts["target"], removed.facts["reason"]) == (
        "event_retracted", "epoch-notable-models-2025-03-16:kimi-k1.5",
        "no longer in the dataset in the snapshot of 2025-06-30")

    # Each snapshot, and each import again, appends nothing more.
    head = store.head()
    assert import_epoch(store, june, snapshot=date(2025, 6, 30)).appended == 0
    assert import_epoch(store, march, snapshot=date(2025, 3, 16)).appended == 0
    assert store.head() == head

    # What the database said at each snapshot.
    def view(known_at: str) -> dict[str, dict]:
        return _models(queries.as_of(store, "2025-06", projections=["models"], known_at=known_at))

    in_march, in_june = view("2025-03-31"), view("2025-06-30")
    assert sorted(in_march) == ["deepseek-r1", "deepseek-v3", "kimi-k1.5"]
    assert in_march["deepseek-r1"]["parameters"]["value"] == 671_000_000_000
    assert sorted(in_june) == ["deepseek-r1", "deepseek-v3", "joint-lm-13b"]
    assert in_june["deepseek-r1"]["parameters"]["value"] == 685_000_000_000
    assert not in_june["deepseek-r1"]["conflict"]


def test_an_older_snapshot_after_a_newer_one_is_refused(store: Store, tmp_path: Path) -> None:
    import_epoch(store, snapshot(tmp_path, "june.csv", R1), snapshot=date(2025, 6, 30))
    with pytest.raises(ChronicleError, match=r"a later snapshot \(epoch-notable-models-2025-06-30\) is already"):
        import_epoch(store, snapshot(tmp_path, "march.csv", R1, V3), snapshot=date(2025, 3, 16))
    with pytest.raises(ChronicleError, match="the snapshot of 2025-06-30 is already in the store from another file"):
        import_epoch(store, snapshot(tmp_path, "other.csv", V3), snapshot=date(2025, 6, 30))
    assert store.head() == 1


# -- both kinds of source ---------------------------------------------------------------------


def test_a_database_row_and_a_news_event_that_disagree_are_a_conflict(store: Store, tmp_path: Path) -> None:
    store.put_entities(CURATED)
    news = event("r1-release", document="news-a", when="2025-01-20",
                 facts={"parameters": {"value": 671_000_000_000, "unit": "params", "op": "="}})
    store.append([news], document=doc("news-a"))
    row = R1.replace("2025-01-20", "2025-02-03").replace("6.71e+11", "6.6e+11")
    report = import_epoch(store, snapshot(tmp_path, "epoch.csv", row, V3))
    answer = queries.conflicts(store, when="2025-12")
    found = {(c["subject"], c["fact"]): c for c in answer["conflicts"]}
    assert sorted(found) == [("deepseek-r1", "parameters"), ("deepseek-r1", "release date")]
    dates = found[("deepseek-r1", "release date")]["claims"]
    assert [(c["document"], c["value"]) for c in dates] == [
        (report.document, "2025-02-03"), ("news-a", "2025-01-20")]
    params = found[("deepseek-r1", "parameters")]["claims"]
    assert [(c["document"], c["display"]) for c in params] == [
        (report.document, "660B params"), ("news-a", "671B params")]


def test_the_same_date_and_size_in_both_is_no_conflict(store: Store, tmp_path: Path) -> None:
    store.put_entities(CURATED)
    news = event("r1-release", document="news-a", when="2025-01-20",
                 facts={"parameters": {"value": 671_000_000_000, "unit": "params", "op": "="}, "openness": "open-weight"})
    store.append([news], document=doc("news-a"))
    import_epoch(store, snapshot(tmp_path, "epoch.csv", R1))
    assert queries.conflicts(store, when="2025-12")["conflicts"] == []
