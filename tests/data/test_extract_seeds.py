"""The extractor on the seed corpus: its drafts validate and keep their recall."""

from __future__ import annotations

from pathlib import Path

from chronicle.extract.evaluate import evaluate

# Reached by the current rules (dated recall 0.754, date bounds 0.955 on
# matched events, precision 0.638); a small margin lets rules change without noise.
RECALL_DATED_FLOOR = 0.72
DATE_ACCURACY_FLOOR = 0.92
PRECISION_FLOOR = 0.60


def test_drafts_of_the_seeds_validate_and_match_the_curated_events(seeds_dir: Path, repo: Path) -> None:
    scores = evaluate(repo / "events", seeds_dir)
    overall = scores[-1].to_dict()
    assert overall["document"] == "overall"
    assert overall["recall_dated"] >= RECALL_DATED_FLOOR, overall
    assert overall["date_accuracy"] >= DATE_ACCURACY_FLOOR, overall
    assert overall["precision"] >= PRECISION_FLOOR, overall
    assert all(s.drafts > 0 for s in scores)
