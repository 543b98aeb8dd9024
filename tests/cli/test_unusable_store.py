"""--db at a file that is not a store, or a damaged one: one `Error:` line and a hint, never a traceback."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from chronicle.cli import main
from tests_support import command_at, command_paths

NOT_A_DATABASE = "is not a chronicle store: SQLite says the file is not a database"
NOT_A_DATABASE_HINT = "Hint: point --db at a chronicle store, or at a new file name to start one\n"
DAMAGED_HINT = "Hint: restore the file from a backup, or point --db at another store\n"


def _invoke(db: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--db", str(db), *args])


def _text_file(folder: Path) -> Path:
    path = folder / "notes.db"
    path.write_text("These are notes, not a database.\n", encoding="utf-8")
    return path


def _random_bytes(folder: Path) -> Path:
    path = folder / "noise.db"
    path.write_bytes(random.Random(7).randbytes(8192))
    return path


def _store(folder: Path, corpus: Path) -> Path:
    path = folder / "store.db"
    result = _invoke(path, "ingest", str(corpus))
    assert result.exit_code == 0, result.output
    return path


def _truncated_store(folder: Path, corpus: Path) -> Path:
    path = _store(folder, corpus)
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    return path


NOT_DATABASES: dict[str, Callable[[Path], Path]] = {"text": _text_file, "random bytes": _random_bytes}


@pytest.mark.parametrize("command", [["ingest", "CORPUS"], ["log"], ["verify"], ["db", "current"]], ids=" ".join)
@pytest.mark.parametrize("kind", list(NOT_DATABASES))
def test_a_file_that_is_not_a_database(kind: str, command: list[str], tmp_path: Path, corpus: Path) -> None:
    db = NOT_DATABASES[kind](tmp_path)
    before = db.read_bytes()
    result = _invoke(db, *[str(corpus) if word == "CORPUS" else word for word in command])
    assert (result.exit_code, result.output) == (1, f"Error: {db} {NOT_A_DATABASE}\n{NOT_A_DATABASE_HINT}")
    assert db.read_bytes() == before


@pytest.mark.parametrize("command", [["ingest", "CORPUS"], ["log"], ["verify"], ["as-of", "2025"]], ids=" ".join)
def test_a_truncated_store(command: list[str], tmp_path: Path, corpus: Path) -> None:
    db = _truncated_store(tmp_path, corpus)
    result = _invoke(db, *[str(corpus) if word == "CORPUS" else word for word in command])
    assert (result.exit_code, result.output) == (
        1, f"Error: the store {db} is damaged: database disk image is malformed\n{DAMAGED_HINT}")


def test_a_store_damaged_past_its_first_pages(tmp_path: Path, corpus: Path) -> None:
    # The schema opens; the damage is met by the first read of the log, wherever it is read.
    db = _store(tmp_path, corpus)
    whole = bytearray(db.read_bytes())
    page = int.from_bytes(whole[16:18], "big")
    whole[2 * page:] = b"\xff" * (len(whole) - 2 * page)
    db.write_bytes(bytes(whole))
    for command in (["log"], ["verify"], ["export", "events"], ["as-of", "2025"]):
        result = _invoke(db, *command)
        assert (result.exit_code, result.output) == (
            1, f"Error: the store {db} is damaged: database disk image is malformed\n{DAMAGED_HINT}"), command


@pytest.mark.parametrize("command", [["ingest", "CORPUS"], ["log"], ["verify"], ["as-of", "2025"]], ids=" ".join)
def test_another_programs_database_is_refused_and_left_as_it_was(command: list[str], tmp_path: Path,
                                                                 corpus: Path) -> None:
    db = tmp_path / "theirs.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.execute("INSERT INTO notes VALUES ('theirs')")
    conn.close()
    result = _invoke(db, *[str(corpus) if word == "CORPUS" else word for word in command])
    assert (result.exit_code, result.output) == (
        1, f"Error: sqlite:///{db} is not a chronicle store: it holds tables of its own (notes)\n"
           "Hint: pass --db a chronicle store, or a new file for a new store\n")
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    conn.close()
    assert tables == ["notes"]  # nothing of chronicle's was written into it


def test_an_empty_file_is_no_store_for_a_read_command_and_a_new_one_for_ingest(tmp_path: Path, corpus: Path) -> None:
    db = tmp_path / "empty.db"
    db.touch()
    result = _invoke(db, "log")
    assert (result.exit_code, result.output) == (
        1, f"Error: sqlite:///{db} is empty: no chronicle store yet\n"
           "Hint: ingest events first (`chronicle ingest events/`) or pass --db\n")
    assert _invoke(db, "ingest", str(corpus)).exit_code == 0


def test_a_folder_as_the_store(tmp_path: Path) -> None:
    result = _invoke(tmp_path, "log")
    assert (result.exit_code, result.output) == (
        1, f"Error: cannot open store {tmp_path}: unable to open database file\n"
           "Hint: point --db (or $CHRONICLE_DB) at a store file you may read and write\n")


# -- every command ------------------------------------------------------------------------------

#: What each command that takes arguments is given (CORPUS: a folder of events files).
ARGUMENTS = {
    ("as-of",): ["2025-06"],
    ("correct",): ["test-doc:r1-release", "--when", "2026-01", "--source", "https://example.org/a", "--quote",
                   "a quote", "--reason", "a test"],
    ("export", "projection"): ["models"],
    ("import", "epoch"): ["CORPUS/doc.txt"],
    ("ingest",): ["CORPUS"],
    ("rank",): ["test-doc:r1-release", "--preferred", "--reason", "a test"],
    ("retract",): ["test-doc:r1-release", "--reason", "a test"],
    ("serve",): ["--port", "0"],
    ("show",): ["test-doc:r1-release"],
    ("when",): ["early 2025"],
}
#: Commands that never open a store.
STORELESS = {("db", "history"), ("extract",), ("when",)}
COMMANDS = [p for p in command_paths(main) if p and not hasattr(command_at(main, p), "commands")]


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_on_a_file_that_is_not_a_store(path: tuple[str, ...], tmp_path: Path, corpus: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    db = _text_file(tmp_path)
    args = [a.replace("CORPUS", str(corpus)) for a in ARGUMENTS.get(path, [])]
    result = _invoke(db, *path, *args)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    if path in STORELESS:
        assert NOT_A_DATABASE not in result.output
        return
    assert (result.exit_code, result.output) == (1, f"Error: {db} {NOT_A_DATABASE}\n{NOT_A_DATABASE_HINT}")
