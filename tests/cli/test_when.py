"""``chronicle when`` shows how a date is read, and refuses bad ones cleanly."""

from __future__ import annotations

from click.testing import CliRunner

from chronicle.cli import main
from chronicle.fuzzydate.problems import ACCEPTED


def test_table_lists_every_field() -> None:
    result = CliRunner().invoke(main, ["when", "mid-2025"])
    assert result.exit_code == 0
    assert result.output == (
        "field      value\n"
        "---------  ----------\n"
        "text       mid-2025\n"
        "edtf       2025-38\n"
        "earliest   2025-05-01\n"
        "latest     2025-08-31\n"
        "precision  third\n"
        "qualifier  none\n"
        "anchor     absolute\n"
    )


def test_json_with_a_publication_date() -> None:
    result = CliRunner().invoke(main, ["when", "in December", "--published", "2026-01-21", "--format", "json"])
    assert result.exit_code == 0
    assert result.output == (
        "{\n"
        '  "anchor": "publication",\n'
        '  "earliest": "2025-12-01",\n'
        '  "edtf": "2025-12",\n'
        '  "latest": "2025-12-31",\n'
        '  "precision": "month",\n'
        '  "qualifier": "none",\n'
        '  "schema": "chronicle.when/1",\n'
        '  "text": "in December"\n'
        "}\n"
    )


def test_future_reads_forward_and_open_ends_are_null() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["when", "in December", "--published", "January 21, 2026", "--future", "--format", "json"])
    assert '"edtf": "2026-12"' in result.output
    result = runner.invoke(main, ["when", "by September 2024", "--format", "json"])
    assert '"earliest": null' in result.output
    assert '"latest": "2024-09-30"' in result.output


def test_bad_input_is_one_clear_error_and_exit_1() -> None:
    result = CliRunner().invoke(main, ["when", "Q5 2025"])
    assert result.exit_code == 1
    assert result.output == f"Error: cannot read date 'Q5 2025': quarter must be 1-4\nHint: {ACCEPTED}\n"


def test_relative_words_without_a_publication_date_are_refused() -> None:
    result = CliRunner().invoke(main, ["when", "last year"])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "Error: cannot read date 'last year': relative words need a publication date"
