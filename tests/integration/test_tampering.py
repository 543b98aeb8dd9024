"""Tampering through the command line, on both backends: refused, or named by verify."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from builders import doc, event
from chronicle import database, tables
from chronicle.cli import main
from chronicle.errors import StoreError
from chronicle.events import Entity
from chronicle.hashchain import row_hash
from chronicle.store import Store

REPO = Path(__file__).resolve().parents[2]


def _verify(url: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--db", url, "verify"])
    return result.exit_code, result.output


@pytest.fixture
def three(store_url: str) -> str:
    s = Store(database.create_engine(store_url))
    s.append([event("a"), event("b"), event("c")], document=doc())
    s.close()
    return store_url


def _raw(url: str, *statements: str) -> None:
    engine = database.create_engine(url)
    with engine.begin() as conn:
        for sql in statements:
            conn.exec_driver_sql(sql)
    engine.dispose()


def test_a_row_changed_behind_the_triggers_back_is_named_by_chronicle_verify(three: str) -> None:
    assert _verify(three)[0] == 0
    if three.startswith("postgresql"):
        _raw(three, "ALTER TABLE events DISABLE TRIGGER events_refuse_change",
             "UPDATE events SET facts = '{\"params_b\":1}' WHERE seq = 2",
             "ALTER TABLE events ENABLE TRIGGER events_refuse_change")
    else:
        _raw(three, "DROP TRIGGER events_refuse_update", "UPDATE events SET facts = '{\"params_b\":1}' WHERE seq = 2")
    code, output = _verify(three)
    assert code == 1
    assert "seq 2 (doc-a:b) was edited" in output


@pytest.mark.postgres
def test_truncate_is_refused_on_postgresql(pg_factory: object, three: str) -> None:
    if not three.startswith("postgresql"):
        pytest.skip("TRUNCATE is a PostgreSQL statement")
    for table in ("events", "documents"):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            _raw(three, f"TRUNCATE {table} CASCADE")
    assert _verify(three)[0] == 0


# -- what the store records of itself ---------------------------------------------------------


def _unguard(url: str, table: str) -> None:
    """Take every trigger off ``table``, as someone editing the database by hand could."""
    engine = database.create_engine(url)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        else:
            names = conn.exec_driver_sql(
                f"SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = '{table}'").scalars().all()
            for name in names:
                conn.exec_driver_sql(f"DROP TRIGGER {name}")
    engine.dispose()


def _invoke(url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--db", url, *args])
    return result.exit_code, result.output


@pytest.fixture
def one_by_one(store_url: str) -> str:
    """Three events appended one transaction each, so the store recorded three heads."""
    s = Store(database.create_engine(store_url))
    for local in ("a", "b", "c"):
        s.append([event(local)], document=doc())
    s.put_entities([Entity(slug="deepseek-r1", kind="model", name="DeepSeek-R1"),
                    Entity(slug="qwen", kind="model", name="Qwen")])
    s.close()
    return store_url


def _head_of(url: str) -> str:
    code, output = _verify(url)
    assert code == 0, output
    found = re.search(r"\(head (\d+:[0-9a-f]{64})\)", output)
    assert found is not None, output
    return found.group(1)


def test_a_cut_at_the_end_of_the_log_is_named_and_nothing_more_is_appended(three: str) -> None:
    _unguard(three, "events")
    _raw(three, "DELETE FROM events WHERE seq = 3")
    code, output = _verify(three)
    assert code == 1
    assert ("Error: verify failed: the log ends at seq 2 but the store recorded seq 3: events were cut from its end"
            in output)
    s = Store(database.create_engine(three))
    with pytest.raises(StoreError, match="the log no longer holds the head the store recorded at seq 3"):
        s.append([event("d")], document=doc())
    assert s.head() == 2
    s.close()


def test_rows_added_past_the_recorded_head_are_named(three: str) -> None:
    engine = database.create_engine(three)
    with engine.begin() as conn:
        row = dict(conn.execute(sa.select(tables.events).where(tables.events.c.seq == 3)).mappings().one())
        row.update(seq=4, event_id="doc-a:forged", stream_version=4, prev_hash=row["hash"])
        row["hash"] = row_hash(row["prev_hash"], row)
        conn.execute(tables.events.insert().values(**row))
    engine.dispose()
    code, output = _verify(three)
    assert code == 1
    assert ("the log goes on past seq 3, the last head the store recorded, to seq 4: seq 4 was not appended by "
            "chronicle" in output)


@pytest.mark.parametrize("seq", [0, -1])
def test_a_forged_row_before_the_first_is_named(three: str, seq: int) -> None:
    _raw(three, f"INSERT INTO events SELECT {seq}, 'doc-a:forged', stream, 9, type, schema_version, when_text, "
                "when_edtf, earliest, latest, precision, qualifier, anchor, certainty, entities, facts, document_id, "
                "quote, quote_start, quote_end, known_from, recorded_at, prev_hash, hash, stance, note "
                "FROM events WHERE seq = 1")
    code, output = _verify(three)
    assert code == 1
    assert (f"Error: verify failed: seq {seq} (doc-a:forged) is no sequence number chronicle gives (they start at 1): "
            "the row was inserted outside chronicle" in output)


def test_an_edited_document_is_named(three: str) -> None:
    for column in ("title", "url"):
        _unguard(three, "documents")
        _raw(three, f"UPDATE documents SET {column} = 'forged' WHERE id = 'doc-a'")
        code, output = _verify(three)
        assert code == 1
        assert ("Error: verify failed: document doc-a was edited: its row does not match the seal chronicle wrote "
                "when it stored it" in output)


def test_a_document_added_outside_chronicle_is_named(three: str) -> None:
    _raw(three, "INSERT INTO documents (id, title, kind, recorded_at) VALUES ('doc-z', 'Z', 'news', "
                "'2026-01-21 00:00:00')")
    code, output = _verify(three)
    assert (code, "document doc-z has no seal: chronicle did not store it" in output) == (1, True)


def test_entities_refreshed_by_chronicle_verify_and_edited_outside_it_do_not(one_by_one: str) -> None:
    s = Store(database.create_engine(one_by_one))
    assert s.put_entities([Entity(slug="qwen", kind="model", name="Qwen 3")]) == (0, 1)
    assert _verify(one_by_one)[0] == 0
    _raw(one_by_one, "UPDATE entities SET name = 'EVIL' WHERE slug = 'deepseek-r1'")
    # A later change by chronicle to another entity does not make the edit look right.
    s.put_entities([Entity(slug="qwen", kind="model", name="Qwen 3.5"),
                    Entity(slug="kimi-k2", kind="model", name="Kimi K2")])
    s.close()
    code, output = _verify(one_by_one)
    assert code == 1
    assert ("Error: verify failed: entity deepseek-r1 was changed outside chronicle: its row does not match the "
            "state chronicle last wrote" in output)


def test_the_expected_head_passes_and_fails(one_by_one: str) -> None:
    head = _head_of(one_by_one)
    assert head.startswith("3:")
    code, output = _invoke(one_by_one, "verify", "--expect-head", head)
    assert code == 0 and f"ok: the log holds the expected head {head}\n" in output
    code, output = _invoke(one_by_one, "verify", "--expect-head", "2:" + "0" * 64)
    assert code == 1 and "seq 2 (doc-a:b) has hash " in output and "not the expected head's" in output
    # Rewritten with the store's own records to match: only the head kept elsewhere tells.
    for table in ("events", "log_heads"):
        _unguard(one_by_one, table)
    _raw(one_by_one, "DELETE FROM events WHERE seq = 3", "DELETE FROM log_heads WHERE seq = 3")
    assert _verify(one_by_one)[0] == 0
    code, output = _invoke(one_by_one, "verify", "--expect-head", head)
    assert code == 1
    assert ("Error: verify failed: the log ends at seq 2, before the expected head at seq 3: events were cut from "
            "its end" in output)


def test_a_malformed_expected_head_is_a_usage_error(three: str) -> None:
    for bad in ("3", "3:abc", "x:" + "0" * 64, "-1:" + "0" * 64):
        code, output = _invoke(three, "verify", "--expect-head", bad)
        assert code == 2, output
        assert "Invalid value for '--expect-head'" in output and "expected SEQ:HASH" in output
        assert "Traceback" not in output


@pytest.fixture
def seeded(store_url: str) -> str:
    """The seed corpus, ingested: every derived table filled."""
    code, output = _invoke(store_url, "ingest", str(REPO / "events"))
    assert code == 0, output
    return store_url


@pytest.mark.parametrize("statement", [
    "UPDATE model_rows SET body = 'EVIL' WHERE model = 'deepseek-r1'",
    "DELETE FROM rm_models",
    "UPDATE rm_timeline SET quote = 'EVIL'",
    "DELETE FROM model_values",
    "UPDATE projection_checkpoints SET seq = 1",
    "DELETE FROM fold_checkpoints",
])
def test_a_derived_table_refuses_an_edit_from_outside_chronicle(seeded: str, statement: str) -> None:
    with pytest.raises(sa.exc.DatabaseError, match="is derived state that only chronicle rewrites"):
        _raw(seeded, statement)
    if seeded.startswith("postgresql"):
        with pytest.raises(sa.exc.DatabaseError, match="is derived state"):
            _raw(seeded, "TRUNCATE model_rows")
    assert _invoke(seeded, "verify", "--deep")[0] == 0


def test_a_derived_row_edited_behind_the_trigger_is_named_by_verify_deep(seeded: str) -> None:
    code, output = _invoke(seeded, "verify", "--deep")
    assert code == 0, output
    assert "ok: model_rows, " in output and "ok: rm_models, " in output
    _unguard(seeded, "model_rows")
    _raw(seeded, "UPDATE model_rows SET body = replace(body, 'DeepSeek', 'EVIL') WHERE model = 'deepseek-r1'")
    assert "EVIL" in _invoke(seeded, "as-of", "2025-06", "--projection", "models")[1]  # the hole
    assert _verify(seeded)[0] == 0  # the log itself is intact
    code, output = _invoke(seeded, "verify", "--deep")
    assert code == 1
    found = re.search(r"Error: verify failed: model_rows: row model=deepseek-r1, since=\d+ differs in body: "
                      r"stored .*EVIL.*, the log makes .*DeepSeek", output)
    assert found is not None, output
    assert "Hint: a derived table was changed outside chronicle; `chronicle projections rebuild`" in output
    data = json.loads(_invoke(seeded, "verify", "--deep", "--format", "json")[1].split("\nError:")[0])
    assert (data["ok"], data["bad_table"]) == (False, "model_rows")
    assert data["bad_key"].startswith("model=deepseek-r1, since=")


def test_a_read_model_row_edited_or_added_behind_the_trigger_is_named(seeded: str) -> None:
    _unguard(seeded, "rm_models")
    _raw(seeded, "UPDATE rm_models SET license = 'EVIL' WHERE id = 'deepseek-r1'")
    code, output = _invoke(seeded, "verify", "--deep")
    assert code == 1
    assert "Error: verify failed: rm_models: row id=deepseek-r1 differs in license: stored 'EVIL'" in output
    _raw(seeded, "UPDATE rm_models SET license = 'MIT' WHERE id = 'deepseek-r1'",
         "INSERT INTO rm_orgs (id, name, status, sources, conflict, evidence_json) "
         "VALUES ('zz-forged', 'Forged', 'happened', 1, false, '[]')")
    code, output = _invoke(seeded, "verify", "--deep")
    assert code == 1
    assert ("Error: verify failed: rm_orgs: row id=zz-forged should not be there: the log makes no such row"
            in output)


def test_verify_deep_writes_nothing_to_the_store(seeded: str) -> None:
    def snapshot() -> dict[str, list[Any]]:
        engine = database.create_engine(seeded)
        with engine.connect() as conn:
            found = {t.name: sorted(map(tuple, conn.execute(sa.select(t)).all()), key=repr)
                     for t in tables.metadata.sorted_tables}
        engine.dispose()
        return found

    before = snapshot()
    assert _invoke(seeded, "verify", "--deep")[0] == 0
    assert snapshot() == before


def _as_nobody(args: list[str]) -> subprocess.CompletedProcess[str]:
    """``chronicle`` run by a user who may read everything and write only what anyone may.

    Root may write anything: it runs as nobody, keeping only the capability to
    read (the interpreter may live where nobody could reach it).
    """
    command = [sys.executable, "-m", "chronicle", *args]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: cannot drop the right to write")
        caps = "-all,+dac_read_search"
        command = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", f"--inh-caps={caps}",
                   f"--ambient-caps={caps}", f"--bounding-set={caps}", *command]
    return subprocess.run(command, capture_output=True, text=True, check=False)


@pytest.mark.parametrize("read_only", ["file", "folder", "folder with an empty -wal file"])
def test_verify_works_on_a_read_only_store(read_only: str) -> None:
    folder = Path(tempfile.mkdtemp(prefix="chronicle-ro-"))
    try:
        folder.chmod(0o777)
        db = folder / "store.db"
        assert _invoke(str(db), "ingest", str(REPO / "events"))[0] == 0
        db.chmod(0o444)
        if read_only.endswith("-wal file"):
            (folder / "store.db-wal").touch()  # left by a process that had it open
        if read_only.startswith("folder"):
            folder.chmod(0o555)
        before = sorted(p.name for p in folder.iterdir())
        done = _as_nobody(["--db", str(db), "verify", "--deep"])
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("ok: 182 events, sequence 1..182 without holes, hash chain intact (head 182:")
        assert "ok: rm_models, " in done.stdout
        assert sorted(p.name for p in folder.iterdir()) == before  # not even a -shm file
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


def test_the_guard_row_deleted_by_hand_does_not_lock_chronicle_out(seeded: str) -> None:
    _raw(seeded, "DELETE FROM engine_guard")
    code, output = _invoke(seeded, "projections", "rebuild")
    assert code == 0, output
    with pytest.raises(sa.exc.DatabaseError, match="is derived state"):
        _raw(seeded, "DELETE FROM rm_models")
    assert _invoke(seeded, "verify", "--deep")[0] == 0
