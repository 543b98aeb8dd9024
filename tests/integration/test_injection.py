"""Hostile values through every command-line filter: only data, never SQL.

Every value reaches SQL as a bound parameter, so these give a clean error or
an empty result, and the log is intact afterwards.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import figures
from builders import doc, event
from chronicle import database
from chronicle.cli import main
from chronicle.store import Store
from chronicle.verify import verify

HOSTILE = [
    "'; DROP TABLE events; --", "x' OR '1'='1", "\" OR 1=1 --", "1; DELETE FROM events", "%", "_", "*",
    "') UNION SELECT event_id, hash FROM events --", "\\", "\u202e", "𝓤", "a" * 3000, "-1", "0 OR 1=1",
    "2025-01'; DROP TABLE documents; --", "2025-13", "9" * 40,
]
OPTIONS = [("log", "--type"), ("log", "--subject"), ("log", "--doc"), ("log", "--since"), ("log", "--until"),
           ("log", "--after"), ("log", "--known-at")]


def _log_options() -> set[str]:
    log = main.commands["log"]
    return {opt for p in log.params for opt in getattr(p, "opts", [])}


@pytest.fixture
def seeded(store_url: str) -> str:
    s = Store(database.create_engine(store_url))
    s.append([event("a"), event("b", subject="qwen")], document=doc())
    s.close()
    return store_url


def _intact(url: str) -> None:
    s = Store(database.create_engine(url))
    report = verify(s)
    s.close()
    assert (report.ok, report.events) == (True, 2)


def test_hostile_filter_values_are_only_data(seeded: str) -> None:
    available = _log_options()
    runner = CliRunner()
    tried = 0
    for command, option in OPTIONS:
        if option not in available:
            continue
        for value in HOSTILE:
            result = runner.invoke(main, ["--db", seeded, command, option, value, "--format", "ndjson"])
            tried += 1
            assert result.exit_code in (0, 1, 2), (option, value, result.output)
            assert "Traceback" not in result.output
            if result.exit_code == 0:
                assert result.output == "", (option, value, result.output)
    for value in HOSTILE:
        result = runner.invoke(main, ["--db", seeded, "show", "--", value])
        tried += 1
        assert result.exit_code == 1 and "Traceback" not in result.output
    _intact(seeded)
    figures.add(f"injection: hostile CLI values ({figures.backend_of(seeded)})", tried)


@pytest.mark.parametrize("name", ["odd ' name.db", "x; rm -rf y.db", "ü 𝓤 store.db", "--.db", "a%20b.db"])
def test_odd_store_paths_are_just_file_names(tmp_path: Path, name: str) -> None:
    db = str(tmp_path / name)
    runner = CliRunner()
    corpus = tmp_path / "corpus"
    from tests_support import copy_corpus

    copy_corpus(corpus)
    result = runner.invoke(main, ["--db", db, "ingest", str(corpus)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / name).is_file()
    assert runner.invoke(main, ["--db", db, "verify"]).exit_code == 0


@pytest.mark.parametrize("db", ["postgresql://nobody@127.0.0.1:1/x'; DROP TABLE events; --", "mysql://x/y",
                                "/no/such/folder/store.db", "sqlite:///:memory:'--"])
def test_bad_store_urls_are_clean_errors(db: str) -> None:
    result = CliRunner().invoke(main, ["--db", db, "log"])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("Error: ") and "Traceback" not in result.output
