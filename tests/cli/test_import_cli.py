"""`chronicle import epoch` through the real CLI: output, errors, --known-at per snapshot."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from epoch_support import JOINT, KIMI, R1, V3, snapshot

Run = Callable[..., Result]


def test_import_prints_a_summary_and_again_appends_nothing(run: Run, tmp_path: Path) -> None:
    path = snapshot(tmp_path, "new.csv", R1, V3, KIMI)
    first = run("import", "epoch", str(path))
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines() == [
        "epoch-notable-models-2025-01-22: snapshot 2025-01-22 (from the latest publication date), 3 rows",
        "rows new 3, changed 0, unchanged 0, removed 0",
        "appended 3, already present 0, superseded 0, removed 0; entities matched 0, created 5",
        "source: Epoch AI, Data on Notable AI Models (CC BY 4.0)",
    ]
    assert "reading rows" in first.stderr
    again = run("import", "epoch", str(path))
    assert again.stdout.splitlines()[2] == (
        "appended 0, already present 3, superseded 0, removed 0; entities matched 5, created 0")


def test_a_newer_snapshot_and_known_at(run: Run, tmp_path: Path) -> None:
    run("import", "epoch", str(snapshot(tmp_path, "march.csv", R1, V3, KIMI)), "--snapshot-date", "2025-03-16")
    june = run("import", "epoch", str(snapshot(tmp_path, "june.csv", R1.replace("6.71e+11", "6.85e+11"), V3, JOINT)),
               "--snapshot-date", "2025-06-30", "--format", "json")
    out = json.loads(june.stdout)
    assert {k: out[k] for k in ("new", "changed", "unchanged", "removed", "appended", "superseded", "previous")} == {
        "new": 1, "changed": 1, "unchanged": 1, "removed": 1, "appended": 4, "superseded": 1,
        "previous": "epoch-notable-models-2025-03-16"}

    def models(known_at: str) -> dict[str, object]:
        answer = json.loads(run("as-of", "2025-06", "--projection", "models", "--known-at", known_at,
                                "--format", "json").stdout)
        return {r["id"]: r.get("parameters") for r in answer["projections"]["models"]["rows"]}

    assert models("2025-03") == {
        "deepseek-r1": {"op": "=", "unit": "params", "value": 671000000000},
        "deepseek-v3": {"op": "=", "unit": "params", "value": 671000000000},
        "kimi-k1.5": None}
    assert models("2025-06") == {
        "deepseek-r1": {"op": "=", "unit": "params", "value": 685000000000},
        "deepseek-v3": {"op": "=", "unit": "params", "value": 671000000000},
        "joint-lm-13b": {"op": "=", "unit": "params", "value": 13000000000}}


def test_a_file_that_is_not_the_dataset(run: Run, tmp_path: Path) -> None:
    path = snapshot(tmp_path, "other.csv", "1,2\n", header="name,value\n")
    result = run("import", "epoch", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: 1 problem in {path}; nothing was appended",
        f"{path}:1: header: not Epoch AI's Notable AI Models data: no 'Model', 'Organization', "
        "'Publication date' column (columns found: 'name', 'value')",
    ]
    assert run("log", "--format", "ndjson").stdout == ""


def test_a_malformed_row_names_its_line(run: Run, tmp_path: Path) -> None:
    # R1 spans lines 2-3 (a quoted newline), so the bad row starts on line 4.
    path = snapshot(tmp_path, "bad.csv", R1, V3.replace("3.4078e+24", "lots"))
    result = run("import", "epoch", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1] == f"{path}:4: training_compute: 'lots' is not a number"
    assert run("log", "--format", "ndjson").stdout == ""


def test_bad_options(run: Run, tmp_path: Path) -> None:
    result = run("import", "epoch", str(tmp_path / "missing.csv"))
    assert (result.exit_code, result.stderr.splitlines()) == (1, [
        f"Error: no such file: {tmp_path / 'missing.csv'}", "Hint: give the CSV file of a snapshot"])
    result = run("import", "epoch", str(snapshot(tmp_path, "a.csv", R1)), "--snapshot-date", "March 2025")
    assert (result.exit_code, result.stderr.splitlines()) == (1, [
        "Error: --snapshot-date: 'March 2025' is not a day", "Hint: write it as YYYY-MM-DD"])
