"""The extractor on the seed corpus: its drafts validate and keep their recall."""

from __future__ import annotations

from pathlib import Path

from chronicle.extract.evaluate import evaluate

# Reached when the rules were written (dated recall 0.639, date bounds 0.829
# on matched events); a small margin lets rules change without noise.
RECALL_DATED_FLOOR = 0.60
DATE_ACCURACY_FLOOR = 0.79


def test_drafts_of_the_seeds_validate_and_match_the_curated_events(seeds_dir: Path, repo: Path) -> None:
    scores = evaluate(repo / "events", seeds_dir)
    overall = scores[-1].to_dict()
    assert overall["document"] == "overall"
    assert overall["recall_dated"] >= RECALL_DATED_FLOOR, overall
    assert overall["date_accuracy"] >= DATE_ACCURACY_FLOOR, overall
    assert all(s.drafts > 0 for s in scores)
