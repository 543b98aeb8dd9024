"""Every command explains itself, with an example."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from chronicle.cli import main
from tests_support import command_at, command_paths


@pytest.mark.parametrize("path", command_paths(main), ids=lambda p: " ".join(p) or "chronicle")
def test_every_command_has_help_with_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output, f"`chronicle {' '.join(path)} --help` shows no example"


def _takes_as_of(path: tuple[str, ...]) -> bool:
    return any("--as-of" in getattr(p, "opts", ()) for p in command_at(main, path).params)


@pytest.mark.parametrize("path", [p for p in command_paths(main) if p and _takes_as_of(p)], ids=" ".join)
def test_a_date_given_as_an_argument_points_to_as_of(path: tuple[str, ...]) -> None:
    # Arguments the command does take come first (a choice: its first one).
    given = [p.type.choices[0] for p in command_at(main, path).params
             if isinstance(p, click.Argument) and isinstance(p.type, click.Choice)]
    result = CliRunner().invoke(main, [*path, *given, "2025-06"], prog_name="chronicle")
    assert result.exit_code == 2
    last = result.output.strip().splitlines()[-1]
    assert last == (f"Error: Got unexpected extra argument (2025-06); {path[-1]} takes its cutoff as an option: "
                    "--as-of 2025-06")


def test_other_usage_errors_are_click_s_own() -> None:
    assert CliRunner().invoke(main, ["conflicts", "a", "b"]).output.strip().endswith(
        "Error: Got unexpected extra arguments (a b)")
    assert CliRunner().invoke(main, ["log", "2025"]).output.strip().endswith(
        "Error: Got unexpected extra argument (2025)")
