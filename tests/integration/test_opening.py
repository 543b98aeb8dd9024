"""A store that cannot be opened is one error naming it, on each backend."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from chronicle.cli import main
from chronicle.errors import StoreError
from chronicle.store import open_store
from tests_support import copy_corpus


def _unreachable(store_url: str, tmp_path: Path) -> tuple[str, str, str]:
    """A store URL on the same backend that cannot be opened, what the error says, and its hint."""
    if store_url.startswith("sqlite"):
        folder = tmp_path / "a-folder.db"
        folder.mkdir()
        return (str(folder), f"cannot open store {folder}: unable to open database file",
                "point --db (or $CHRONICLE_DB) at a store file you may read and write")
    url = sa.engine.make_url(store_url)
    missing = url.set(database=f"{url.database}_missing")
    shown = missing.render_as_string(hide_password=True)
    return (missing.render_as_string(hide_password=False),
            f"cannot open store {shown}: connection failed: connection to server at \"{url.host}\", "
            f"port {url.port or 5432} failed: FATAL:  database \"{missing.database}\" does not exist",
            "check the URL in --db (or $CHRONICLE_DB) and that the database server is up")


def test_a_store_that_cannot_be_opened(store_url: str, tmp_path: Path) -> None:
    url, message, hint = _unreachable(store_url, tmp_path)
    with pytest.raises(StoreError) as raised:
        open_store(url)
    assert (raised.value.message, raised.value.hint) == (message, hint)


@pytest.mark.parametrize("command", [["log"], ["ingest", "CORPUS"], ["verify"], ["db", "current"], ["db", "upgrade"]],
                         ids=" ".join)
def test_every_command_says_so_in_one_line(store_url: str, tmp_path: Path, command: list[str]) -> None:
    url, message, hint = _unreachable(store_url, tmp_path)
    corpus = str(copy_corpus(tmp_path / "corpus"))
    result = CliRunner().invoke(main, ["--db", url, *[corpus if word == "CORPUS" else word for word in command]])
    assert (result.exit_code, result.output) == (1, f"Error: {message}\nHint: {hint}\n")
