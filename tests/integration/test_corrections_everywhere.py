"""Corrections act the same in every answer: the seed corpus, corrected as an analyst would.

A deprecated claim leaves every path that answers; a retraction removes one
claim, not the row another supports; an analyst's correction moves a model
to its right date, with its own evidence, and the original stays on record.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from click.testing import CliRunner

from chronicle import catalog, corrections, export, queries, tables
from chronicle.cli import main
from chronicle.ingest import ingest
from chronicle.store import LogFilter, Store
from tests_support import Server

REPO = Path(__file__).resolve().parents[2]
SEED = "chinese-open-source-models-next-wave"
KIMI = f"{SEED}:kimi-k2.5-release"
QWEN = f"{SEED}:qwen-600m-downloads"
DAY = date(2026, 12, 1)  # after every seed document was public
SOURCE = "https://example.org/moonshot/kimi-k2-5"
QUOTE = "Moonshot AI released Kimi K2.5 on January 27, 2026"
REASON = "'shortly thereafter' reads a year early: K2.5 came out on 2026-01-27"


def _seeded(store: Store) -> Store:
    assert ingest(store, [REPO / "events"]).appended == 182
    return store


def _rows(answer: dict[str, Any], name: str) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in answer["projections"][name]["rows"]}


def test_a_corrected_release_date_moves_the_model_with_the_analyst_s_evidence(store: Store) -> None:
    _seeded(store)
    before = store.head()
    done = corrections.correct(store, KIMI, "2026-01-27", source=SOURCE, quote=QUOTE, reason=REASON, today=DAY)
    claim, superseded = done.claim, done.superseded
    assert done.appended and (claim.seq, superseded.seq) == (before + 1, before + 2) == (183, 184)
    assert (claim.type, claim.subject, claim.when.edtf, claim.document) == (
        "model_release", "kimi-k2.5", "2026-01-27", "corrections-2026-12-01")
    assert dict(claim.facts) == {"openness": "open-weight", "link": SOURCE}
    assert claim.note == REASON
    assert dict(superseded.facts) == {"target": KIMI, "replacement": claim.event_id, "reason": REASON}

    june = queries.as_of(store, "2025-06", projections=["models"])
    assert "kimi-k2.5" not in _rows(june, "models")
    assert june["corrections"] == [{
        "event": KIMI, "correction": "superseded", "reason": f"superseded by {claim.event_id}: {REASON}",
        "by": superseded.event_id, "replacement": claim.event_id,
    }]
    january = _rows(queries.as_of(store, "2026-01", projections=["models"]), "models")["kimi-k2.5"]
    assert (january["first_release"], january["status"], january["openness"]) == (
        "2026-01-27", "happened", "open-weight")
    assert january["cells"]["first_release"]["evidence"] == [
        {"event": claim.event_id, "document": "corrections-2026-12-01", "quote": QUOTE}]
    assert catalog.event(store, claim.event_id)["event"]["facts"]["link"] == SOURCE

    # The original stays in the log, and `show` tells what superseded it, and why.
    assert KIMI in {e.event_id for e in store.read(LogFilter(subjects=("kimi-k2.5",)))}
    shown = catalog.event(store, KIMI)
    assert shown["event"]["when"]["edtf"] == "2025-01/2025-04"
    assert shown["corrections"] == [{"event": superseded.event_id, "seq": 184, "type": "event_superseded",
                                     "target": KIMI, "replacement": claim.event_id, "reason": REASON}]
    assert catalog.event(store, claim.event_id)["corrections"] == shown["corrections"]

    # Knowledge and record time before the correction see the original claim.
    for earlier in (queries.as_of(store, "2025-06", projections=["models"], at_seq=before),
                    queries.as_of(store, "2025-06", projections=["models"], known_at="2026-11-30")):
        assert _rows(earlier, "models")["kimi-k2.5"]["first_release"] == "2025-01/2025-04"
        assert earlier["corrections"] == []
    # The same correction again appends nothing.
    again = corrections.correct(store, KIMI, "2026-01-27", source=SOURCE, quote=QUOTE, reason=REASON, today=DAY)
    assert (again.appended, again.claim, again.superseded, store.head()) == (False, claim, superseded, 184)


def _paths(store: Store, server: Server) -> dict[str, set[str]]:
    """The Qwen downloads claims each path that answers shows at 2025-06 (diff: 2024-06 → 2025-06)."""
    qwen = {f"{QWEN}#downloads", QWEN}

    def found(ids: Any) -> set[str]:
        return set(ids) & qwen

    def changed(answer: dict[str, Any]) -> set[str]:
        return found(c["id"] for c in answer["changes"])

    with store.engine.connect() as conn:
        rm_metrics = found(conn.execute(sa.select(tables.rm_metrics.c.id)).scalars())
        rm_timeline = found(conn.execute(sa.select(tables.rm_timeline.c.id)).scalars())
    return {
        "as-of metrics": found(_rows(queries.as_of(store, "2025-06", projections=["metrics"]), "metrics")),
        "as-of": found(_rows(queries.as_of(store, "2025-06"), "metrics")),
        "as-of timeline": found(_rows(queries.as_of(store, "2025-06", projections=["timeline"]), "timeline")),
        "diff": changed(queries.diff(store, "2024-06", "2025-06", projections=["metrics", "timeline"])),
        "timeline page": found(r["id"] for r in queries.timeline(store, "2025-06")["rows"]),
        "export projection": found(r["id"] for r in export.projection(store, "metrics", "2025-06")["rows"]),
        "export timelinejs": found(e["unique_id"] for e in export.timelinejs(store)["events"]),
        "rm_metrics": rm_metrics,
        "rm_timeline": rm_timeline,
        "http as-of": found(r["id"] for r in server.get("/as-of/2025-06?projection=metrics")[2]
                            ["projections"]["metrics"]["rows"]),
        "http diff": changed(server.get("/diff?a=2024-06&b=2025-06&projection=metrics")[2]),
        "http projection": found(r["id"] for r in server.get("/projections/metrics?as_of=2025-06")[2]["rows"]),
    }


def test_a_deprecated_claim_leaves_every_path_that_answers(store: Store, store_url: str) -> None:
    _seeded(store)
    server = Server(store_url)
    try:
        shown = _paths(store, server)
        assert all(shown.values()), shown  # every path shows the claim before it is deprecated
        corrections.rank(store, QWEN, "deprecated", "Alibaba's own count, above a later one", today=DAY)
        assert _paths(store, server) == {path: set() for path in shown}
    finally:
        server.stop()
    # Only the answers the claim would stand in say so.
    metrics = queries.as_of(store, "2025-06", projections=["metrics"])
    assert [(c["event"], c["correction"]) for c in metrics["corrections"]] == [(QWEN, "deprecated")]
    assert queries.as_of(store, "2025-06", projections=["talent"])["corrections"] == []
    assert queries.as_of(store, "2024-06", projections=["metrics"])["corrections"] == []  # not yet due then


def test_retracting_one_of_two_release_claims_keeps_the_row_from_the_other(store: Store) -> None:
    _seeded(store)
    row = _rows(queries.as_of(store, "2025-06", projections=["models"]), "models")["deepseek-v3"]
    assert (row["first_release"], row["status"]) == ("2025-37", "happened")
    corrections.retract(store, "vfuturemedia-chinese-open-models-2025:v3-release", "misread", today=DAY)
    answer = queries.as_of(store, "2025-06", projections=["models"])
    row = _rows(answer, "models")["deepseek-v3"]
    assert (row["first_release"], row["status"]) == ("2024-10/..", "possibly")
    assert row["cells"]["first_release"]["evidence"][0]["event"] == f"{SEED}:v3-launch-after-september-2024"
    assert [c["correction"] for c in answer["corrections"]] == ["retracted"]
    with store.engine.connect() as conn:
        stored = conn.execute(sa.select(tables.rm_models.c.first_release).where(
            tables.rm_models.c.id == "deepseek-v3")).scalar_one()
    assert stored == "2024-10/.."


def test_a_preferred_claim_settles_its_conflict_in_every_projection(store: Store) -> None:
    _seeded(store)
    # DeepSeek-R1: "open-weight" in one article, open-source (its MIT licence, "fully open") in two others.
    row = _rows(queries.as_of(store, "2025-06", projections=["models"]), "models")["deepseek-r1"]
    assert (row["openness"], row["cells"]["openness"]["conflict"]) == (["open-source", "open-weight"], True)
    low, high = "aisupremacy-china-ai-milestones-2025:r1-release", f"{SEED}:r1-mit-license"
    corrections.rank(store, high, "preferred", "the licence says more than the word", today=DAY)
    answer = queries.as_of(store, "2025-06", projections=["models", "timeline"])
    row = _rows(answer, "models")["deepseek-r1"]
    assert (row["openness"], row["cells"]["openness"]["conflict"]) == ("open-source", False)
    assert low not in _rows(answer, "timeline") and high in _rows(answer, "timeline")
    assert [(c["event"], c["correction"]) for c in answer["corrections"]] == [(low, "outranked")]
    # `conflicts --all` still lists the settled conflict, both claims with their ranks.
    [settled] = [c for c in queries.conflicts(store, include_settled=True)["conflicts"]
                 if (c["subject"], c["fact"]) == ("deepseek-r1", "openness")]
    assert (settled["settled"], settled["settled_by"]) == (True, [high])


def test_the_footer_counts_the_corrections_that_touch_the_answer(store: Store, store_url: str) -> None:
    _seeded(store)
    corrections.rank(store, QWEN, "deprecated", "a falling count", today=DAY)
    corrections.retract(store, "vfuturemedia-chinese-open-models-2025:v3-release", "misread", today=DAY)

    def text(*args: str) -> str:
        result = CliRunner().invoke(main, ["--db", store_url, "as-of", *args])
        assert result.exit_code == 0, result.output
        return result.output

    assert text("2025-06", "--projection", "metrics").endswith(
        "\n1 claim deprecated; `chronicle log --type claim_ranked`\n")
    assert text("2025-06", "--projection", "models").endswith(
        "\n1 claim retracted; `chronicle log --type event_retracted`\n")
    both = text("2025-06")
    assert both.endswith("\n1 claim retracted; `chronicle log --type event_retracted`\n"
                         "1 claim deprecated; `chronicle log --type claim_ranked`\n")
    talent = text("2025-06", "--projection", "talent")
    assert "claim" not in talent.splitlines()[-1] and "Retracted" not in talent
    assert json.loads(CliRunner().invoke(main, ["--db", store_url, "as-of", "2025-06", "--projection", "talent",
                                                "--format", "json"]).output)["corrections"] == []
