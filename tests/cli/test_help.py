"""Every command explains itself, with an example."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from chronicle.cli import main


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            found.extend(_commands(command, prefix + (name,)))
        else:
            found.append(prefix + (name,))
    return found


@pytest.mark.parametrize("path", _commands(main), ids=lambda p: " ".join(p) or "chronicle")
def test_every_command_has_help_with_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output, f"`chronicle {' '.join(path)} --help` shows no example"
