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


def test_a_database_with_tables_of_its_own_is_no_store_and_gets_none_of_ours(blank_url: str) -> None:
    engine = sa.create_engine(blank_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE notes (body TEXT)")
    for create in (True, False):
        with pytest.raises(StoreError, match="is not a chronicle store: it holds tables of its own \\(notes\\)"):
            open_store(blank_url, create=create)
    assert sa.inspect(engine).get_table_names() == ["notes"]
    engine.dispose()


def test_an_empty_database_is_a_new_store_only_for_a_command_that_may_create_one(blank_url: str) -> None:
    sa.create_engine(blank_url).connect().close()  # the database exists (on SQLite: an empty file)
    with pytest.raises(StoreError, match="is empty: no chronicle store yet"):
        open_store(blank_url, create=False)
    open_store(blank_url).close()
    open_store(blank_url, create=False).close()
