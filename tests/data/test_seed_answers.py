"""What chronicle answers on the seed corpus: the answers users rely on, pinned."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from chronicle.cli import main
from chronicle.events import NEGATING
from chronicle.reading import STATE_TYPES
from epoch_support import EPOCH_CSV

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



def test_june_2025_rows_are_read_within_the_frames(seeded: str) -> None:
    answer = _json(seeded, "as-of", "2025-06")
    assert {k: (r.get("first_release"), r["status"]) for k, r in _models(answer).items()} == {
        "deepseek-r1": ("2025-01-20", "happened"),
        "deepseek-v3": ("2025-37", "happened"),
        "kimi-k2.5": ("2025-01/2025-04", "happened"),
        "qwen2.5-max": ("2025-37", "happened"),
        # "By mid-2025", not before the release another source dates in 2025.
        "qwen3": ("2025-01-01/2025-08-31", "possibly"),
        "glm-4.5": ("2025-38", "possibly"),
        # "Their latest Qwen3-Max", undated in "China's AI Milestones in 2025".
        "qwen3-max": ("2025-01-01/2026-01-21", "possibly"),
        # Undated in the one article without a frame (see OPEN).
        "kimi-k2": ("../2026-11-23", "possibly"),
        # DeepSeek-R2, whose release was "delayed", is not there.
    }
    orgs = {r["id"]: (r.get("ipo"), r["status"]) for r in answer["projections"]["orgs"]["rows"]}
    assert orgs == {"manus": (None, "possibly"),
                    "metax": ("listed (2025-01-01/2026-01-21)", "possibly"),
                    "moore-threads": ("listed (2025-01-01/2026-01-21)", "possibly")}

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
    assert set(found) == {("deepseek-r1", "matched_model"), ("deepseek-r1", "openness"),
                          ("qwen", "openness"), ("qwen2.5-max", "outperformed_model")}
    # Qwen Lab "had been diligently releasing open-weight models for years": by January 2025.
    assert {c["when"] for c in found[("qwen", "openness")]["claims"]
            if c["document"] == "chinese-open-source-models-next-wave"} == {"../2025-01"}


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
                         (">600M (claimed)", "2024-09-30", "2024-09-30", "2024-09-30", "happened")]
    between = _json(seeded, "as-of", "2025-06", "--projection", "metrics")["projections"]["metrics"]["rows"]
    assert [r["value"] for r in between if (r["subject"], r["metric"]) == ("qwen", "downloads")] == [
        ">600M (claimed)"]  # "Alibaba reported" its own downloads
    table = CliRunner().invoke(main, ["--db", seeded, "as-of", "2026-06", "--projection", "metrics"]).output
    assert "as of 2026-01-21" in table and "../2026-01-21" not in table


def test_china_usage_share_is_a_series_not_a_disagreement(seeded: str) -> None:
    # 1.2% in late 2024, nearly 30% as reported (undated) on 2026-01-21: a change over time. And
    # 1.2% "of global AI usage" against near-zero usage on OpenRouter, both late 2024: two measures,
    # one on a platform and one not, not a disagreement.
    shares = [c for c in _json(seeded, "conflicts")["conflicts"] if (c["subject"], c["fact"]) == ("china", "share")]
    assert shares == []
    rows = _json(seeded, "as-of", "2026-12", "--projection", "metrics")["projections"]["metrics"]["rows"]
    usage = {(r["value"], r["conflict"]) for r in rows if r["subject"] == "china" and r["metric"] == "share"
             and "usage" in r["context"]}
    assert usage == {("1.2%", False), ("~0%", False), ("~30%", False), ("reportedly ~30%", False)}


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
    # "By mid-2025 ... Qwen-3 family, released under an open-source-friendly Apache 2.0 license":
    # no source says Qwen3 is open; its licence does. The licence is said of the release, so it
    # stands wherever the release possibly happened: in June, and as happened from August on.
    june_open = _models(_json(seeded_with_epoch, "as-of", "2025-06", "--country", "CN", "--open"))
    assert (june_open["qwen3"]["status"], june_open["qwen3"]["openness"]) == ("possibly", "open-source")
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
    june = _models(_json(seeded_with_epoch, "as-of", "2025-06", "--projection", "models"))["qwen3"]
    assert (june["status"], june["license"], june["openness"], june["open"]) == (
        "possibly", "Apache 2.0", "open-source", True)
    # R1's MIT licence says open-source, as one source does; two others say open-weight.
    r1 = models["deepseek-r1"]["cells"]["openness"]
    assert (r1["value"], r1["conflict"]) == (["open-source", "open-weight"], True)
    assert {e["quote"] for e in r1["evidence"]} >= {"R1 was released under a permissive MIT license"}


def test_conflicts_with_the_database_keep_r1_and_drop_the_series(seeded_with_epoch: str) -> None:
    found = {(c["subject"], c["fact"]): c for c in _json(seeded_with_epoch, "conflicts")["conflicts"]}
    assert sorted(found) == [
        ("deepseek-r1", "matched_model"), ("deepseek-r1", "openness"),
        ("deepseek-v3", "openness"), ("deepseek-v3", "release date"), ("qwen", "openness"),
        ("qwen2.5-max", "outperformed_model"),
    ]
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


# -- what a cutoff before the corpus shows -------------------------------------------------------

PROJECTIONS = ("models", "orgs", "metrics", "talent", "timeline")

#: The undated reported occurrences of the one article that states no frame, about or naming
#: nothing whose release or launch the store dates (its opinions hold as of its date).
UNFRAMED = ("kimi-k2-release", "domestic-chip-mandate", "cloudmatrix-384-unveiled", "avatars-outperform-humans",
            "digital-host-brother-sales", "world-humanoid-robot-games", "us-leaders-scale-back-agi",
            "ai-colonialism-debate", "government-support-accelerates")

#: Undated claims whose reading keeps an open start on purpose, and why.
OPEN = {
    **{f"deepseekai-chinese-ai-rising:{local}": "the Deepseek.ai article states no frame and does not date it"
       for local in UNFRAMED},
    "vfuturemedia-chinese-open-models-2025:deepseek-export-restricted-hardware":
        "the training came before the launches that kicked off 2025: the frame would misdate it",
    "chinese-open-source-models-next-wave:qwen-first-full-product-line":
        "being the first is a past the text does not tie to the momentum of January 2025",
    "chinese-open-source-models-next-wave:deepseek-attention-cache-research":
        "the text says when the research drew attention, not when it was done",
}

#: Everything the seeds show as of June 2020, and why each may show there.
SHOWN_IN_2020 = {
    # Dated by words with an open start ("By mid-2025", "for years", "following
    # ChatGPT's mainstream breakthrough"): possibly happened, by their end. (Qwen3's
    # "By mid-2025" is not here: another source dates its release in 2025, and it
    # was not released before it began.)
    "vfuturemedia-chinese-open-models-2025:deepseek-moe-updates",
    "chinese-open-source-models-next-wave:qwen-open-weights-for-years",
    "chinese-open-source-models-next-wave:china-open-source-strategy",
    "chinese-open-source-models-next-wave:china-ai-talent-pool",
    # Forecasts "by 2026", "By 2028": expected.
    "aisupremacy-china-ai-milestones-2025:huawei-supercluster-524-eflops",
    "deepseekai-chinese-ai-rising:huawei-semiconductor-independence-2028",
    # Undated claims left open on purpose.
    *OPEN,
}


def _evidence(answer: dict) -> set[str]:
    return {e["event"] for p in answer["projections"].values() for r in p["rows"] for e in r.get("evidence", [])}


def test_june_2020_shows_none_of_the_undated_claims_of_2025_and_2026(seeded: str) -> None:
    answers = {p: _json(seeded, "as-of", "2020-06", "--projection", p) for p in PROJECTIONS}
    rows = {p: answers[p]["projections"][p]["rows"] for p in PROJECTIONS}
    assert {r["id"]: (r["first_release"], r["status"]) for r in rows["models"]} == {
        "kimi-k2": ("../2026-11-23", "possibly"),        # undated, in the one document without a frame
    }
    assert rows["orgs"] == rows["metrics"] == rows["talent"] == []
    assert {r["id"] for r in rows["timeline"]} == SHOWN_IN_2020
    shown = set().union(*(_evidence(a) for a in answers.values())) | _evidence(_json(seeded, "as-of", "2020-06"))
    assert shown <= SHOWN_IN_2020
    for local in ("manus-funding", "manus-valuation", "manus-arr", "manus-agent-launch", "china-usage-share",
                  "moore-threads-ipo", "metax-ipo", "qwen3-max-parameters", "xpeng-iron-walk"):
        assert f"aisupremacy-china-ai-milestones-2025:{local}" not in shown
    assert "vfuturemedia-chinese-open-models-2025:china-usage-share" not in shown
    assert "deepseekai-chinese-ai-rising:r2-delayed-by-ascend" not in shown


# -- every undated claim's reading ---------------------------------------------------------------

FRAME_START = {"aisupremacy-china-ai-milestones-2025": "2025-01-01",
               "vfuturemedia-chinese-open-models-2025": "2025-01-01",
               "chinese-open-source-models-next-wave": "2025-01-01"}
SOURCE_DATE = {"aisupremacy-china-ai-milestones-2025": "2026-01-21",
               "vfuturemedia-chinese-open-models-2025": "2025-12-15",
               "chinese-open-source-models-next-wave": "2026-11-23",
               "deepseekai-chinese-ai-rising": "2026-11-23"}


def _undated_claims() -> list[tuple[str, str, str, str]]:
    """(event id, type, stance, certainty) of every seed claim whose text gives no date words."""
    found = []
    for path in sorted((REPO / "events").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if "document" in data:
            found += [(f"{data['document']['id']}:{e['id']}", e["type"], e.get("stance", "asserted"),
                       e.get("certainty", "reported"))
                      for e in data["events"] if not ((e.get("when") or {}).get("text") or "").strip()]
    return found


def test_every_undated_claim_is_bounded_below_or_read_as_of_its_source(seeded: str) -> None:
    undated = _undated_claims()
    assert len(undated) == 117
    assert set(OPEN) <= {event for event, _, _, _ in undated}
    for event, kind, stance, certainty in undated:
        document = event.split(":")[0]
        reading = _json(seeded, "show", event)["reading"]
        assert reading["reason"], event
        if kind in STATE_TYPES or stance in NEGATING or (certainty == "opinion" and document not in FRAME_START):
            # Truth rules 1 and 4 (and an opinion, its source's view): as of its source's date, not before.
            assert (reading["as_of"], reading["earliest"]) == (SOURCE_DATE[document],) * 2, event
            assert reading["reason"].endswith(f"holds as of its source's date ({SOURCE_DATE[document]}), not before")
        elif event in OPEN:
            assert (reading["earliest"], reading["as_of"], reading["latest"]) == (None, None, SOURCE_DATE[document])
            assert "no earlier bound is known" in reading["reason"], event
        else:
            # Truth rule 2 (a): not before the frame its document states, by its source's date.
            start, end = FRAME_START[document], SOURCE_DATE[document]
            assert (reading["earliest"], reading["latest"], reading["as_of"]) == (start, end, None), event
            assert reading["reason"] == (f"undated in its source: not before {start} (the start of the frame its "
                                         f"document states), by {end} (its source's date)"), event


# -- hedged and negated claims -------------------------------------------------------------------

def test_deepseek_r2_is_not_released_at_any_cutoff(seeded: str) -> None:
    """"Technical issues with Huawei's Ascend chips delayed DeepSeek's next-generation R2 model"."""
    delay = _json(seeded, "show", "deepseekai-chinese-ai-rising:r2-delayed-by-ascend")
    assert delay["event"]["stance"] == "delayed"
    assert delay["reading"]["as_of"] == "2026-11-23"
    for cutoff in ("2020-06", "2025-06", "2025-12", "2026-06", "2026-11", "2026-12", "2030"):
        for certain in ((), ("--certain",)):
            models = _models(_json(seeded, "as-of", cutoff, "--projection", "models", *certain))
            r2 = models.get("deepseek-r2")
            assert r2 is None or (r2.get("first_release") is None and "first_release" not in r2["cells"]), (cutoff, r2)
    # Shown at all only from its source's date: the delay, not a release whose date is unknown.
    assert "deepseek-r2" not in _models(_json(seeded, "as-of", "2026-10", "--projection", "models"))
    assert "deepseek-r2" in _models(_json(seeded, "as-of", "2026-12", "--projection", "models"))


def test_the_v3_2_speciale_claim_about_gpt_5_is_passed_on_as_reported(seeded: str) -> None:
    claim = _json(seeded, "show", "vfuturemedia-chinese-open-models-2025:v3.2-speciale-vs-gpt-5")
    assert claim["event"]["stance"] == "reportedly"
    assert "reportedly surpassed the anticipated performance levels of GPT-5" in claim["event"]["quote"]
    speciale = _models(_json(seeded, "as-of", "2026-06", "--projection", "models"))["deepseek-v3.2-speciale"]
    assert "reportedly beats gpt-5 on complex reasoning tasks" in speciale["benchmarks"]
    # --certain keeps what the sources assert: the release, not the hedged benchmarks.
    certain = _models(_json(seeded, "as-of", "2026-06", "--projection", "models", "--certain"))
    assert certain["deepseek-v3.2-speciale"]["first_release"] == "2025-12"
    assert "benchmarks" not in certain["deepseek-v3.2-speciale"]["cells"]


def test_certain_leaves_out_what_the_sources_only_pass_on(seeded: str) -> None:
    orgs = {r["id"]: r for r in _json(seeded, "as-of", "2026-06", "--projection", "orgs", "--certain")
            ["projections"]["orgs"]["rows"]}
    assert "revenue" not in orgs["manus"]["cells"]                  # "Manus claimed $100 million ARR"
    assert orgs["manus"]["cells"]["funding"]["value"]["value"] == 75000000
    metrics = _json(seeded, "as-of", "2026-06", "--projection", "metrics", "--certain")["projections"]["metrics"]["rows"]
    qwen = sorted(r["value"] for r in metrics if (r["subject"], r["metric"]) == ("qwen", "downloads"))
    assert qwen == [">400M"]                                        # ">600M" is what "Alibaba reported"
    assert not [r for r in metrics if r["evidence"][0]["event"].startswith("vfuturemedia-chinese-open-models-2025")]


# -- the Epoch snapshot beside the seeds ---------------------------------------------------------

@pytest.fixture(scope="module")
def with_epoch(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> str:
    if not EPOCH_CSV.is_file():
        pytest.skip(f"Epoch snapshot not found at {EPOCH_CSV}")
    db = str(tmp_path_factory.mktemp("epoch") / "seeds-epoch.db")
    run = CliRunner().invoke
    assert run(main, ["--db", db, "ingest", str(REPO / "events"), "--documents", str(seeds_dir)]).exit_code == 0
    result = run(main, ["--db", db, "import", "epoch", str(EPOCH_CSV)])
    assert result.exit_code == 0, result.output
    return db


def test_llama_4_behemoth_a_database_row_without_a_date_is_never_released(with_epoch: str) -> None:
    for cutoff in ("2020-06", "2025-03", "2025-06", "2026-06", "2030"):
        behemoth = _models(_json(with_epoch, "as-of", cutoff, "--projection", "models")).get("llama-4-behemoth")
        assert behemoth is None or (behemoth.get("first_release") is None and "first_release" not in behemoth["cells"])
    assert "llama-4-behemoth" not in _models(_json(with_epoch, "as-of", "2020-06", "--projection", "models"))
    # The row is listed from the snapshot on, as a row of the database, not as a release.
    listed = _models(_json(with_epoch, "as-of", "2026-06", "--projection", "models"))["llama-4-behemoth"]
    assert listed["evidence"][0]["document"] == "epoch-notable-models-2025-03-16"


def test_june_2020_with_epoch_shows_only_what_was_out_by_then(with_epoch: str) -> None:
    rows = _models(_json(with_epoch, "as-of", "2020-06", "--projection", "models"))
    from_seeds = {k for k, r in rows.items() if not r["evidence"][0]["document"].startswith("epoch-")}
    assert from_seeds == {"kimi-k2"}  # Qwen3 "By mid-2025" is not before its release, dated 2025 elsewhere
    # Every Epoch row shown is dated by then (a model two rows date differently shows both dates).
    dated = [d for k, r in rows.items() if k not in from_seeds
             for d in (r.get("first_release") if isinstance(r.get("first_release"), list) else [r.get("first_release")])]
    assert len(dated) > 500 and all(isinstance(d, str) and d[:10] <= "2020-06-30" for d in dated)


def test_conflicts_say_the_stance_of_each_claim(seeded: str) -> None:
    found = {(c["subject"], c["fact"]): c for c in _json(seeded, "conflicts")["conflicts"]}
    beat = {c["document"]: (c["display"], c["stance"]) for c in found[("qwen2.5-max", "outperformed_model")]["claims"]}
    # "claimed benchmark superiority over DeepSeek V3, GPT-4, and Anthropic's Claude-3.5 Sonnet"
    assert beat["deepseekai-chinese-ai-rising"] == ("claude-3.5-sonnet | deepseek-v3 | gpt-4 (claimed)", "claimed")
    assert beat["vfuturemedia-chinese-open-models-2025"][1] == "asserted"


def test_org_cells_say_the_stance_of_their_source(seeded: str) -> None:
    manus = {r["id"]: r for r in _json(seeded, "as-of", "2026-06", "--projection", "orgs")
             ["projections"]["orgs"]["rows"]}["manus"]
    assert (manus["revenue"]["value"], manus["stances"]) == (100000000, {"revenue": "claimed"})  # "Manus claimed"
    line = next(x for x in CliRunner().invoke(main, ["--db", seeded, "as-of", "2026-06", "--projection", "orgs"])
                .output.splitlines() if "Manus" in x)
    assert "$100M (claimed)" in line and "$75M" in line and "$75M (" not in line


def test_a_diff_says_the_stance_of_a_changed_org_cell(seeded: str) -> None:
    changes = _json(seeded, "diff", "2025-01", "2025-12")["changes"]
    [revenue] = [c for c in changes if (c["id"], c.get("field")) == ("manus", "revenue")]
    assert (revenue["new"]["value"], revenue["new_stance"]) == (100000000, "claimed")
    line = next(x for x in CliRunner().invoke(main, ["--db", seeded, "diff", "2025-01", "2025-12"]).output.splitlines()
                if "Manus" in x and "revenue" in x)
    assert "→ $100M (claimed)" in line
