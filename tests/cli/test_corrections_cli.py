"""`chronicle retract`, `rank` and `correct`: a correction already in force appends nothing and says so;
bad input to `correct` is one line of error and nothing written."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from click.testing import Result

from chronicle import schemas

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


CORRECT = ["correct", "test-doc:r1-release", "--when", "2025-01-20", "--source", "https://example.org/r1",
           "--quote", "DeepSeek released R1 on January 20, 2025", "--reason", "the maker's own date"]


def test_correct_appends_the_claim_and_its_supersession_and_says_so(run: Run, corpus: Path) -> None:
    run("ingest", str(corpus))
    first = run(*CORRECT, "--fact", "license=MIT", "--format", "json")
    assert first.exit_code == 0, first.output
    document = json.loads(first.output)
    jsonschema.validate(document, schemas.load("correction"), cls=jsonschema.Draft202012Validator)
    claim, superseded = document["events"]
    assert (document["appended"], document["target"], document["basis"]) == (True, "test-doc:r1-release",
                                                                              {"store_seq": 4})
    assert (claim["seq"], claim["type"], claim["when"]["edtf"], claim["quote"]) == (
        3, "model_release", "2025-01-20", "DeepSeek released R1 on January 20, 2025")
    assert claim["facts"] == {"license": "MIT", "link": "https://example.org/r1", "openness": "open-weight"}
    assert (superseded["seq"], superseded["type"], superseded["facts"]) == (4, "event_superseded", {
        "target": "test-doc:r1-release", "replacement": claim["event_id"], "reason": "the maker's own date"})
    again = run(*CORRECT, "--fact", "license=MIT")
    assert (again.exit_code, again.output) == (0, f"test-doc:r1-release is already superseded by "
                                                  f"{superseded['event_id']} (seq 4: the maker's own date); "
                                                  "nothing appended\n")
    other = run(*CORRECT[:3], "2025-01-21", *CORRECT[4:])
    assert other.exit_code == 1 and other.output.splitlines()[0] == (
        f"Error: test-doc:r1-release is already superseded by {superseded['event_id']} (seq 4: the maker's own date)")
    shown = run("show", "test-doc:r1-release").output
    assert f"superseded by  {claim['event_id']}: the maker's own date ({superseded['event_id']}, seq 4)" in shown


@pytest.mark.parametrize(("change", "error"), [
    (["--when", "sometime soon-ish"], "Error: --when: cannot read date 'sometime soon-ish'"),
    (["--fact", "downloads={value: 5, unit: USD}"], "Error: --fact downloads: unit 'USD' does not fit; use one of count"),
    (["--fact", "speed=fast"], "Error: --fact speed: unknown fact"),
    (["--fact", "target=test-doc:qwen-downloads"], "Error: --fact target: unknown fact"),
    (["--fact", "license"], "Error: --fact 'license' is not NAME=VALUE"),
    (["--fact", "base_model=nobody"], "Error: --fact base_model: unknown entity 'nobody' (add it to entities.yaml)"),
    (["--source", "javascript:alert(1)"], "Error: --source 'javascript:alert(1)' is not an http(s) address"),
    (["--quote", " ".join(["word"] * 26)], "Error: --quote has 26 words"),
    (["--reason", "  "], "Error: a correction needs a reason"),
])
def test_bad_input_to_correct_is_one_line_and_writes_nothing(run: Run, corpus: Path, change: list[str],
                                                             error: str) -> None:
    run("ingest", str(corpus))
    args = list(CORRECT)
    if change[0] in args:
        args[args.index(change[0]) + 1] = change[1]
    else:
        args += change
    result = run(*args)
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith(error), result.output
    assert run("log", "--format", "ndjson").output.count("\n") == 2


def test_a_correction_is_not_corrected_and_a_retracted_claim_is_not_either(run: Run, corpus: Path) -> None:
    run("ingest", str(corpus))
    retraction = _appended_id(run("retract", "test-doc:qwen-downloads", "--reason", "wrong count").output)
    result = run("correct", retraction, *CORRECT[2:])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == f"Error: {retraction} is a correction, not a claim"
    result = run("correct", "test-doc:qwen-downloads", *CORRECT[2:])
    assert result.output.splitlines()[0] == (f"Error: test-doc:qwen-downloads is already retracted by {retraction} "
                                             "(seq 3: wrong count)")
    assert run("log", "--format", "ndjson").output.count("\n") == 3
