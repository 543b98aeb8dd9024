"""Where a two-process refold cuts the models: contiguous ranges, by their claims."""

from __future__ import annotations

from chronicle.modelvalues import _halves


def test_the_cut_gives_the_first_range_its_share_of_the_claims() -> None:
    ordered = ["a", "b", "c", "d", "e"]
    weights = {"a": 10, "b": 10, "c": 10, "d": 10, "e": 60}
    assert _halves(ordered, weights, 0.4) == [["a", "b", "c", "d"], ["e"]]
    assert _halves(ordered, weights, 0.2) == [["a", "b"], ["c", "d", "e"]]


def test_models_without_claims_go_with_the_range_they_fall_in() -> None:
    ordered = ["a", "b", "c", "d"]
    assert _halves(ordered, {"b": 5, "d": 5}, 0.5) == [["a", "b"], ["c", "d"]]


def test_no_second_range_when_the_cut_falls_after_the_last_model() -> None:
    assert _halves(["a", "b"], {"a": 1, "b": 99}, 0.9) == [["a", "b"]]
    assert _halves(["a"], {"a": 3}, 0.4) == [["a"]]
