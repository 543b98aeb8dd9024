"""What chronicle answers on the seed corpus: the answers users rely on, pinned."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from chronicle.cli import main

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Iterator[str]:
    db = str(tmp_path_factory.mktemp("seeded") / "seeds.db")
    result = CliRunner().invoke(main, ["--db", db, "ingest", str(REPO / "events"), "--documents", str(seeds_dir)])
    assert result.exit_code == 0, result.output
    yield db


def _json(db: str, *args: str) -> dict:
    result = CliRunner().invoke(main, ["--db", db, *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _models(answer: dict) -> dict[str, dict]:
    return {r["id"]: r for r in answer["projections"]["models"]["rows"]}


def test_as_of_june_2025(seeded: str) -> None:
    models = _models(_json(seeded, "as-of", "2025-06"))
    r1 = models["deepseek-r1"]
    assert (r1["status"], r1["first_release"]) == ("happened", "2025-01-20")
    assert r1["cells"]["first_release"]["evidence"][0]["quote"].startswith("Nine days before Chinese New Year")
    # Dated only "mid-2025" (May-August): possibly happened by the end of June.
    assert (models["glm-4.5"]["first_release"], models["glm-4.5"]["status"]) == ("2025-38", "possibly")
    # Released in December 2025: not there yet.
    for slug in ("deepseek-v3.2", "deepseek-v3.2-speciale"):
        assert slug not in models
    assert all(not (r.get("first_release") or "").startswith("2025-12") for r in models.values())


def test_chinese_open_models_filter(seeded: str) -> None:
    models = _models(_json(seeded, "as-of", "2025-06", "--projection", "models", "--country", "CN", "--open"))
    assert {"deepseek-r1", "deepseek-v3", "kimi-k2.5"} <= set(models)
    assert all(r["country"] == "CN" and r["open"] for r in models.values())


def test_diff_january_to_december_lists_new_models_with_sources(seeded: str) -> None:
    changes = _json(seeded, "diff", "2025-01", "2025-12", "--projection", "models")["changes"]
    added = {c["id"]: c["documents"] for c in changes if c["change"] == "added"}
    assert added == {
        "deepseek-v3.2": ["vfuturemedia-chinese-open-models-2025"],
        "deepseek-v3.2-speciale": ["vfuturemedia-chinese-open-models-2025"],
        "glm-4.5": ["deepseekai-chinese-ai-rising"],
    }
    assert all(c["events"] for c in changes)


def test_talent_moves_of_2025_are_in_a_quarter_unknown_row(seeded: str) -> None:
    periods = _json(seeded, "talent", "--by", "quarter")["periods"]
    assert [(p["period"], p["count"]) for p in periods] == [("2025 (quarter unknown)", 2)]
    out = CliRunner().invoke(main, ["--db", seeded, "talent", "--by", "quarter"]).output
    assert "2025 (quarter unknown)" in out and "ByteDance" in out


def test_conflicts_include_what_r1_matched_not_the_qwen_download_counts_of_other_times(seeded: str) -> None:
    found = {(c["subject"], c["fact"]): c for c in _json(seeded, "conflicts")["conflicts"]}
    matched = found[("deepseek-r1", "matched_model")]
    assert {(tuple(c["value"]), c["document"]) for c in matched["claims"]} == {
        (("openai-o1",), "aisupremacy-china-ai-milestones-2025"),
        (("gpt-4o",), "deepseekai-chinese-ai-rising"),
        (("claude-3.5-sonnet", "gpt-4o"), "vfuturemedia-chinese-open-models-2025"),
    }
    # ">600M by September 2024" holds as of 2024-09-30, ">400M" (undated) as of 2026-01-21:
    # two points of a series, not a disagreement.
    assert ("qwen", "downloads") not in found


def test_a_models_row_flags_what_conflicts_lists_about_it(seeded: str) -> None:
    # Two sources list different models Qwen2.5-Max beat: a conflict, and the row says so.
    listed = {(c["subject"], c["fact"]) for c in _json(seeded, "conflicts")["conflicts"]}
    assert ("qwen2.5-max", "outperformed_model") in listed
    models = _models(_json(seeded, "as-of", "today", "--projection", "models"))
    flagged = {k for k, r in models.items() if r["conflict"]}
    assert flagged == {model for model, _ in listed if model in models}
    assert "qwen2.5-max" in flagged


def test_undated_states_show_as_of_their_source_and_not_before(seeded: str) -> None:
    early = _json(seeded, "as-of", "2020-06", "--projection", "metrics")
    assert early["projections"]["metrics"]["rows"] == []
    rows = _json(seeded, "as-of", "2026-06", "--projection", "metrics")["projections"]["metrics"]["rows"]
    downloads = sorted((r["value"], r["as_of"], r["earliest"], r["latest"], r["status"]) for r in rows
                       if (r["subject"], r["metric"]) == ("qwen", "downloads"))
    assert downloads == [(">400M", "2026-01-21", "2026-01-21", "2026-01-21", "happened"),
                         (">600M", "2024-09-30", "2024-09-30", "2024-09-30", "happened")]
    between = _json(seeded, "as-of", "2025-06", "--projection", "metrics")["projections"]["metrics"]["rows"]
    assert [r["value"] for r in between if (r["subject"], r["metric"]) == ("qwen", "downloads")] == [">600M"]
    table = CliRunner().invoke(main, ["--db", seeded, "as-of", "2026-06", "--projection", "metrics"]).output
    assert "as of 2026-01-21" in table and "../2026-01-21" not in table


def test_china_usage_share_is_a_series_not_a_disagreement(seeded: str) -> None:
    # 1.2% in late 2024, nearly 30% as reported (undated) on 2026-01-21: a change over time.
    # What stays is the one pair of values for the same time: 1.2% against near-zero in late 2024.
    shares = [c for c in _json(seeded, "conflicts")["conflicts"] if (c["subject"], c["fact"]) == ("china", "share")]
    assert [[(claim["display"], claim["when"], claim["document"]) for claim in c["claims"]] for c in shares] == [[
        ("1.2%", "2024-39", "aisupremacy-china-ai-milestones-2025"),
        ("~0%", "2024-39", "chinese-open-source-models-next-wave"),
    ]]
    rows = _json(seeded, "as-of", "2026-12", "--projection", "metrics")["projections"]["metrics"]["rows"]
    usage = {(r["value"], r["conflict"]) for r in rows if r["subject"] == "china" and r["metric"] == "share"
             and "usage" in r["context"]}
    assert usage == {("1.2%", True), ("~0%", True), ("~30%", False)}


@pytest.fixture(scope="module")
def seeded_with_epoch(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Iterator[str]:
    """The seed corpus and the Epoch AI snapshot, as an analyst would load them."""
    epoch = seeds_dir.parent / "data" / "epoch" / "notable_ai_models-2025-03.csv"
    if not epoch.is_file():
        pytest.skip(f"Epoch AI snapshot not found at {epoch}")
    db = str(tmp_path_factory.mktemp("seeded-epoch") / "seeds.db")
    for args in (["ingest", str(REPO / "events"), "--documents", str(seeds_dir)], ["import", "epoch", str(epoch)]):
        result = CliRunner().invoke(main, ["--db", db, *args])
        assert result.exit_code == 0, result.output
    yield db


def test_chinese_open_models_include_qwen3_by_its_licence(seeded_with_epoch: str) -> None:
    # "By mid-2025 ... Qwen-3 family ... released under an open-source-friendly Apache 2.0 license":
    # no source says Qwen3 is open; its licence does. A licence is a state, and one "by mid-2025"
    # holds as of 2025-08-31 (chronicle.reading): from the August answer on.
    answer = _json(seeded_with_epoch, "as-of", "2025-08", "--country", "CN", "--open")
    models = _models(answer)
    qwen3 = models["qwen3"]
    assert (qwen3["license"], qwen3["openness"], qwen3["open"], qwen3["status"]) == (
        "Apache 2.0", "open-source", True, "happened")
    assert [e["quote"] for e in qwen3["cells"]["openness"]["evidence"]] == [
        "released under an open-source-friendly Apache 2.0 license"]
    assert len(models) == 42 and all(r["country"] == "CN" and r["open"] for r in models.values())
    table = CliRunner().invoke(main, ["--db", seeded_with_epoch, "as-of", "2025-12", "--country", "CN", "--open"])
    assert "Qwen3" in table.output.split("Other models")[0]
    # In June the release may have happened, but nothing is known of its licence yet.
    june = _models(_json(seeded_with_epoch, "as-of", "2025-06", "--projection", "models"))["qwen3"]
    assert (june["status"], june.get("license"), june.get("openness"), june["open"]) == ("possibly", None, None, False)
    # R1's MIT licence says open-source, as one source does; two others say open-weight.
    r1 = models["deepseek-r1"]["cells"]["openness"]
    assert (r1["value"], r1["conflict"]) == (["open-source", "open-weight"], True)
    assert {e["quote"] for e in r1["evidence"]} >= {"R1 was released under a permissive MIT license"}


def test_conflicts_with_the_database_keep_r1_and_drop_the_series(seeded_with_epoch: str) -> None:
    found = {(c["subject"], c["fact"]): c for c in _json(seeded_with_epoch, "conflicts")["conflicts"]}
    assert sorted(found) == [
        ("china", "share"), ("deepseek-r1", "matched_model"), ("deepseek-r1", "openness"),
        ("deepseek-v3", "openness"), ("deepseek-v3", "release date"), ("qwen", "openness"),
        ("qwen2.5-max", "outperformed_model"),
    ]
    assert {c["display"] for c in found[("china", "share")]["claims"]} == {"1.2%", "~0%"}
    assert len(found[("deepseek-r1", "matched_model")]["claims"]) == 3
    openness = {(c["display"], c["document"]) for c in found[("deepseek-r1", "openness")]["claims"]}
    assert ("open-source", "chinese-open-source-models-next-wave") in openness  # its MIT licence


def test_known_at_before_a_document_hides_what_only_it_says(seeded: str) -> None:
    # vfuturemedia is dated 2025-12-15; AI Supremacy 2026-01-21; the two undated
    # articles are known only from the end of their windows (2026-11-23).
    answer = _json(seeded, "as-of", "2026", "--known-at", "2025-12-14")
    assert [p["rows"] for p in answer["projections"].values()] == [[], [], [], []]
    early = _json(seeded, "as-of", "2026", "--known-at", "2026-01-20")
    docs = {e["document"] for p in early["projections"].values() for r in p["rows"] for e in r["evidence"]}
    assert docs == {"vfuturemedia-chinese-open-models-2025"}
    assert "deepseek-v3.2" in _models(early)
    assert "kimi-k2.5" not in _models(early)           # only the undated article names it


def test_as_of_is_byte_identical(seeded: str) -> None:
    run = CliRunner().invoke
    assert run(main, ["--db", seeded, "as-of", "2025-06"]).output == run(main, ["--db", seeded, "as-of", "2025-06"]).output
    table = run(main, ["--db", seeded, "as-of", "2025-06"]).output
    assert table.splitlines()[0] == "As of 2025-06-30 (2025-06), known at any time, store seq 182"
    assert "Chinese open models" in table.split("Other models")[0]
