"""`-o` of timeline and export: a path that cannot be written is one error naming it, and no file is left."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

Run = Callable[..., Result]

WRITERS = [["timeline"], ["export", "events"], ["export", "timelinejs"], ["export", "projection", "models"]]


@pytest.mark.parametrize("command", WRITERS, ids=" ".join)
def test_a_missing_folder(run: Run, corpus: Path, tmp_path: Path, command: list[str]) -> None:
    run("ingest", str(corpus))
    target = tmp_path / "nowhere" / "out"
    result = run(*command, "-o", str(target))
    assert (result.exit_code, result.output) == (
        1, f"Error: cannot write {target}: No such file or directory\n"
           "Hint: create the folder first, or write elsewhere\n")
    assert not target.parent.exists()


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
@pytest.mark.parametrize("command", WRITERS, ids=" ".join)
def test_a_full_disk(run: Run, corpus: Path, command: list[str]) -> None:
    run("ingest", str(corpus))
    result = run(*command, "-o", "/dev/full")
    assert (result.exit_code, result.output) == (
        1, "Error: cannot write /dev/full: No space left on device\n"
           "Hint: free some space on that disk, or write elsewhere\n")


@pytest.mark.parametrize("command", WRITERS, ids=" ".join)
def test_a_written_file_is_the_whole_output(run: Run, corpus: Path, tmp_path: Path, command: list[str]) -> None:
    run("ingest", str(corpus))
    target = tmp_path / "out" / "file"
    target.parent.mkdir()
    result = run(*command, "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == run(*command).stdout
    assert os.listdir(target.parent) == ["file"]
