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
