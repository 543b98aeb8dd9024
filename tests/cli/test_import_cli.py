"""`chronicle import epoch` through the real CLI: output, errors, --known-at per snapshot."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from chronicle.importing import MAX_REMOVED_PERCENT
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
    # June drops one row of three: more than a snapshot may remove unless it is the whole database.
    june = run("import", "epoch", str(snapshot(tmp_path, "june.csv", R1.replace("6.71e+11", "6.85e+11"), V3, JOINT)),
               "--snapshot-date", "2025-06-30", "--complete", "--format", "json")
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


# -- rows a snapshot lacks ---------------------------------------------------------------------

HINT = ("Hint: give --complete if the file is the whole database (the rows go), or --partial if it is only part "
        "of it (its rows are imported, none removed); --dry-run lists them")


def _labs(folder: Path, name: str, numbers: range | list[int]) -> Path:
    """A snapshot of made-up models "Model 01", "Model 02", ..., one lab each, in the newer header."""
    rows = [f"Model {n:02d},Language,Lab {n:02d},China,2025-01-{n:02d},,,,API access,,,,Likely,\n" for n in numbers]
    return snapshot(folder, name, *rows)


def _march(run: Run, tmp_path: Path) -> None:
    result = run("import", "epoch", str(_labs(tmp_path, "march.csv", range(1, 21))), "--snapshot-date", "2025-03-16")
    assert result.exit_code == 0, result.output


def _log(run: Run) -> str:
    return run("log", "--format", "ndjson").stdout


def test_a_snapshot_removing_one_row_in_twenty_removes_it(run: Run, tmp_path: Path) -> None:
    _march(run, tmp_path)
    june = _labs(tmp_path, "june.csv", [n for n in range(1, 21) if n != 7])
    result = run("import", "epoch", str(june), "--snapshot-date", "2025-06-30")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:4] == [
        "rows new 0, changed 0, unchanged 19 (since epoch-notable-models-2025-03-16), removed 1",
        "appended 1, already present 0, superseded 0, removed 1; entities matched 38, created 0",
        "removed 1 of the 20 rows stored: Model 07",
    ]


def test_a_snapshot_removing_more_is_refused(run: Run, tmp_path: Path) -> None:
    _march(run, tmp_path)
    log = _log(run)
    june = _labs(tmp_path, "june.csv", range(1, 19))  # 2 of 20: 10%
    result = run("import", "epoch", str(june), "--snapshot-date", "2025-06-30")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.splitlines()[-2:] == [
        f"Error: {june} would remove 2 of the 20 rows stored from Epoch AI's Notable AI Models (10.0%, more than 5%); "
        "nothing was appended", HINT]
    assert _log(run) == log
    assert "epoch-notable-models-2025-06-30" not in run("sources", "--format", "json").stdout


def test_a_dry_run_says_what_would_go_and_fails_as_the_import_would(run: Run, tmp_path: Path) -> None:
    _march(run, tmp_path)
    log = _log(run)
    june = _labs(tmp_path, "june.csv", [*range(1, 13), 21])  # 8 of 20 gone, one new
    result = run("import", "epoch", str(june), "--snapshot-date", "2025-06-30", "--dry-run")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "epoch-notable-models-2025-06-30: snapshot 2025-06-30 (from the option), 13 rows",
        "rows new 1, changed 0, unchanged 12 (since epoch-notable-models-2025-03-16), removed 8",
        "would append 9, already present 0, supersede 0, remove 8; entities matched 24, would create 2",
        "would remove 8 of the 20 rows stored: Model 13, Model 14, Model 15, Model 16, Model 17 and 3 more "
        "(--format json lists them all)",
        "dry run: nothing was appended",
        "source: Epoch AI, Data on Notable AI Models (CC BY 4.0)",
    ]
    assert result.stderr.splitlines()[-2:] == [
        f"Error: {june} would remove 8 of the 20 rows stored from Epoch AI's Notable AI Models (40.0%, more than 5%); "
        "nothing was appended", HINT]
    as_json = run("import", "epoch", str(june), "--snapshot-date", "2025-06-30", "--dry-run", "--format", "json")
    out = json.loads(as_json.stdout)
    assert (as_json.exit_code, out["dry_run"], out["removed"], out["stored"], out["appended"]) == (1, True, 8, 20, 9)
    assert out["removed_rows"] == [{"row": f"model-{n}", "model": f"Model {n}"} for n in range(13, 21)]
    complete = run("import", "epoch", str(june), "--snapshot-date", "2025-06-30", "--dry-run", "--complete")
    assert complete.exit_code == 0, complete.output
    assert complete.stdout.splitlines()[3].startswith("would remove 8 of the 20 rows stored: Model 13,")
    assert _log(run) == log


def test_partial_and_complete(run: Run, tmp_path: Path) -> None:
    _march(run, tmp_path)
    june = str(_labs(tmp_path, "june.csv", [*range(1, 13), 21]))
    both = run("import", "epoch", june, "--snapshot-date", "2025-06-30", "--complete", "--partial")
    assert both.exit_code == 2
    assert both.stderr.splitlines()[-1] == (
        "Error: --complete and --partial cannot be given together: the file is the whole database or part of it")
    partial = run("import", "epoch", june, "--snapshot-date", "2025-06-30", "--partial")
    assert partial.exit_code == 0, partial.output
    assert partial.stdout.splitlines()[1:3] == [
        "rows new 1, changed 0, unchanged 12 (since epoch-notable-models-2025-03-16), removed 0, "
        "kept 8 not in the file (--partial)",
        "appended 1, already present 0, superseded 0, removed 0; entities matched 24, created 2",
    ]
    assert '"event_retracted"' not in _log(run)
    complete = run("import", "epoch", str(_labs(tmp_path, "sept.csv", [*range(1, 13), 21])),
                   "--snapshot-date", "2025-09-30", "--complete", "--format", "json")
    out = json.loads(complete.stdout)
    assert (complete.exit_code, out["coverage"], out["removed"], out["appended"]) == (0, "complete", 8, 8)
    assert _log(run).count('"event_retracted"') == 8


def test_the_help_gives_the_limit_the_code_keeps(run: Run) -> None:
    help_text = " ".join(run("import", "epoch", "--help").stdout.split())
    assert f"would remove more than {MAX_REMOVED_PERCENT}% of the rows stored is refused" in help_text
