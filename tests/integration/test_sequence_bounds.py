"""Sequence numbers are 64-bit on both backends: the largest is a bound like any other, a larger one a usage error."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from chronicle.cli import main
from chronicle.store import LogFilter, Store
from chronicle.tables import MAX_SEQ
from tests_support import copy_corpus

PAST = str(MAX_SEQ + 1)


def test_the_largest_sequence_number_reads_as_a_bound(store: Store) -> None:
    assert list(store.read(LogFilter(after=MAX_SEQ))) == []
    assert list(store.read(LogFilter(after=0, limit=MAX_SEQ))) == []


def test_the_commands_take_it(store_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["--db", store_url, "ingest", str(copy_corpus(tmp_path / "corpus"))]).exit_code == 0
    assert runner.invoke(main, ["--db", store_url, "log", "--after", str(MAX_SEQ), "--format", "ndjson"]).output == ""
    every = runner.invoke(main, ["--db", store_url, "log", "--limit", str(MAX_SEQ), "--format", "ndjson"]).output
    assert len(every.splitlines()) == 2


@pytest.mark.parametrize("command", [["log"], ["export", "events"]], ids=" ".join)
@pytest.mark.parametrize(("option", "low"), [("--after", 0), ("--limit", 1)])
def test_a_larger_one_is_a_usage_error_naming_the_option(command: list[str], option: str, low: int,
                                                         tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "none.db"), *command, option, PAST])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        f"Error: Invalid value for '{option}': {PAST} is not in the range {low}<=x<={MAX_SEQ}.")
    assert not (tmp_path / "none.db").exists()
