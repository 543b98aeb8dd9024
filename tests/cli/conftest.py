"""A small corpus on disk and a runner bound to a fresh store."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from chronicle.cli import main
from tests_support import copy_corpus


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A folder with one document's text, its events file and entities.yaml."""
    return copy_corpus(tmp_path / "corpus")


Run = Callable[..., Result]


@pytest.fixture
def run(tmp_path: Path) -> Run:
    """Invoke chronicle on a store file of this test's own."""
    db = str(tmp_path / "store.db")

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(main, ["--db", db, *args], catch_exceptions=False)

    return invoke
