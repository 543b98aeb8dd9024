"""`chronicle retract` and `chronicle rank`: a correction already in force appends nothing and says so."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import Result

Run = Callable[..., Result]


def _appended_id(output: str) -> str:
    return output.split()[1]


def test_retracting_again_appends_nothing(run: Run, corpus: Path) -> None:
    run("ingest", str(corpus))
    first = run("retract", "test-doc:r1-release", "--reason", "wrong model")
    assert first.exit_code == 0
    retraction = _appended_id(first.output)
    assert first.output == f"appended {retraction} (seq 3): test-doc:r1-release retracted\n"
    for reason in ("wrong model", "still wrong", "really wrong"):
        again = run("retract", "test-doc:r1-release", "--reason", reason)
        assert (again.exit_code, again.output) == (
            0, f"test-doc:r1-release is already retracted by {retraction} (seq 3: wrong model); nothing appended\n")
    assert run("log", "--format", "ndjson").output.count("\n") == 3


def test_ranking_as_ranked_appends_nothing(run: Run, corpus: Path) -> None:
    run("ingest", str(corpus))
    never = run("rank", "test-doc:r1-release", "--normal", "--reason", "nothing to undo")
    assert (never.exit_code, never.output) == (
        0, "test-doc:r1-release is already ranked normal (it was never ranked); nothing appended\n")
    first = run("rank", "test-doc:r1-release", "--preferred", "--reason", "the maker says so")
    ranking = _appended_id(first.output)
    assert first.output == f"appended {ranking} (seq 3): test-doc:r1-release ranked preferred\n"
    again = run("rank", "test-doc:r1-release", "--preferred", "--reason", "said again")
    assert (again.exit_code, again.output) == (
        0, f"test-doc:r1-release is already ranked preferred by {ranking} (seq 3: the maker says so); "
           "nothing appended\n")
    changed = run("rank", "test-doc:r1-release", "--normal", "--reason", "undo")
    assert changed.output.startswith("appended ") and changed.output.endswith(" (seq 4): test-doc:r1-release ranked normal\n")
    assert run("log", "--format", "ndjson").output.count("\n") == 4
