"""Migrations: empty to head, every earlier revision with data to head, no drift.

To cover a new revision, add a seeder to ``SEEDERS`` that writes
representative rows in that revision's schema; the walk below then migrates a
blank database to it, seeds it, upgrades to head and checks every event.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timezone

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

import figures
from chronicle import database, seals
from chronicle.hashchain import GENESIS, canonical_json, row_hash, seal_hash
from chronicle.store import Store
from chronicle.verify import verify

Seeder = Callable[[sa.Connection], int]


def _seed_0001(conn: sa.Connection) -> int:
    """Two documents and five events, chained, written with plain INSERTs on the 0001 tables."""
    tables = sa.MetaData()
    documents = sa.Table("documents", tables, autoload_with=conn)
    events = sa.Table("events", tables, autoload_with=conn)
    when = datetime(2026, 1, 21, 12, 0, tzinfo=timezone.utc)
    prev, seq = GENESIS, 0
    for d in ("old-a", "old-b"):
        conn.execute(documents.insert().values(
            id=d, title=f"Old {d}", publisher="P", url=None, kind="news",
            published=canonical_json({"text": "2026-01-21"}), window=None, known_from=date(2026, 1, 21),
            sha256=None, text_name=None, recorded_at=when))
        for n in range(1 if d == "old-a" else 4):
            seq += 1
            row = {
                "seq": seq, "event_id": f"{d}:e{n}", "stream": "qwen", "stream_version": seq, "type": "model_release",
                "schema_version": 1, "when_text": "2025-01", "when_edtf": "2025-01", "earliest": date(2025, 1, 1),
                "latest": date(2025, 1, 31), "precision": "month", "qualifier": "none", "anchor": "absolute",
                "certainty": "reported", "entities": "[]", "facts": "{}", "document_id": d, "quote": f"q{n}",
                "quote_start": None, "quote_end": None, "known_from": date(2026, 1, 21),
                "recorded_at": when.replace(tzinfo=None) if conn.dialect.name == "sqlite" else when,
            }
            row["prev_hash"] = prev
            prev = row["hash"] = row_hash(prev, row)
            conn.execute(events.insert().values(**row))
    return seq


def _seed_0002(conn: sa.Connection) -> int:
    """The 0001 rows, plus a read-model row and its checkpoint (derived state, kept as it was)."""
    seeded = _seed_0001(conn)
    tables = sa.MetaData()
    timeline = sa.Table("rm_timeline", tables, autoload_with=conn)
    checkpoints = sa.Table("projection_checkpoints", tables, autoload_with=conn)
    conn.execute(timeline.insert().values(
        id="old-a:e0", type="model_release", subject="qwen", subject_name="Qwen", summary="", when_text="2025-01",
        when_edtf="2025-01", earliest=date(2025, 1, 1), latest=date(2025, 1, 31), precision="month",
        status="happened", certainty="reported", document="old-a", quote="q0"))
    conn.execute(checkpoints.insert().values(name="timeline", version=1, seq=seeded, cutoff=date(2026, 1, 21),
                                             updated_at=datetime(2026, 1, 21, tzinfo=timezone.utc)))
    return seeded


def _seed_0003(conn: sa.Connection) -> int:
    """0003 only adds an index: the 0002 rows, written through it, must still read and verify."""
    return _seed_0002(conn)


def _seed_0004(conn: sa.Connection) -> int:
    """The 0003 rows plus a models value and its fold checkpoint (derived state, refolded when stale)."""
    seeded = _seed_0003(conn)
    tables = sa.MetaData()
    values = sa.Table("model_values", tables, autoload_with=conn)
    checkpoints = sa.Table("fold_checkpoints", tables, autoload_with=conn)
    conn.execute(values.insert().values(model="qwen", cell="*", value="null", starts=0, starts_event="old-a:e0",
                                        starts_document="old-a", starts_quote="q0"))
    conn.execute(checkpoints.insert().values(name="model_values", version=3, seq=seeded, stamp="0:",
                                             updated_at=datetime(2026, 1, 21, tzinfo=timezone.utc)))
    return seeded


def _seed_0005(conn: sa.Connection) -> int:
    """The 0004 rows plus a model's row versions and their checkpoint (derived state, refolded when stale)."""
    seeded = _seed_0004(conn)
    tables = sa.MetaData()
    rows = sa.Table("model_rows", tables, autoload_with=conn)
    checkpoints = sa.Table("fold_checkpoints", tables, autoload_with=conn)
    conn.execute(rows.insert(), [{"model": "qwen", "since": -1, "body": None},
                                 {"model": "qwen", "since": 0, "body": '{"id":"qwen"}'}])
    conn.execute(checkpoints.insert().values(name="model_rows", version=4, seq=seeded, stamp="",
                                             updated_at=datetime(2026, 1, 21, tzinfo=timezone.utc)))
    return seeded


def _seed_0006(conn: sa.Connection) -> int:
    """The 0005 rows and an entity, with the records chronicle writes beside them since 0006 (head, seals)."""
    seeded = _seed_0005(conn)
    conn.execute(sa.text("INSERT INTO entities (slug, kind, name, aliases, country, org, family, updated_at) "
                         "VALUES ('qwen', 'model', 'Qwen', '[]', 'CN', NULL, NULL, :at)"),
                 {"at": datetime(2026, 1, 21, tzinfo=timezone.utc)})
    # Sealed as chronicle sealed them at 0006, from the rows as they are (no column of later revisions).
    now = datetime(2026, 1, 21, tzinfo=timezone.utc)
    for kind, table, key in (("document", "documents", "id"), ("entity", "entities", "slug")):
        reflected = sa.Table(table, sa.MetaData(), autoload_with=conn)  # typed as at 0006
        for row in conn.execute(sa.select(reflected)).mappings():
            conn.execute(sa.text("INSERT INTO seals (kind, key, hash, recorded_at) VALUES (:k, :key, :h, :at)"),
                         {"k": kind, "key": row[key], "h": seal_hash(kind, row), "at": now})
    last = conn.execute(sa.text("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")).one()
    conn.execute(sa.text("INSERT INTO log_heads (seq, hash, recorded_at) VALUES (:s, :h, :at)"),
                 {"s": last.seq, "h": last.hash, "at": now})
    return seeded


def _seed_0007(conn: sa.Connection) -> int:
    """The 0006 rows, and one event that is hedged and annotated, and a document with a frame (0007's columns)."""
    seeded = _seed_0006(conn)
    events = sa.Table("events", sa.MetaData(), autoload_with=conn)  # typed: the hash is of typed values
    last = conn.execute(sa.select(events).order_by(events.c.seq.desc()).limit(1)).mappings().one()
    row = {**last, "seq": last["seq"] + 1, "event_id": "old-b:e-hedged", "stream_version": last["stream_version"] + 1,
           "stance": "reportedly", "note": "the text says 'reportedly'", "prev_hash": last["hash"]}
    row["hash"] = row_hash(last["hash"], row)
    conn.execute(events.insert().values(**row))
    conn.execute(sa.text("INSERT INTO log_heads (seq, hash, recorded_at) VALUES (:seq, :hash, :at)"),
                 {"seq": row["seq"], "hash": row["hash"], "at": datetime(2026, 1, 22, tzinfo=timezone.utc)})
    return seeded + 1


SEEDERS: dict[str, Seeder] = {"0001": _seed_0001, "0002": _seed_0002, "0003": _seed_0003, "0004": _seed_0004,
                              "0005": _seed_0005, "0006": _seed_0006, "0007": _seed_0007}


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(database.alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def _no_drift(engine: sa.Engine) -> None:
    with engine.connect() as conn:
        command.check(database.alembic_config(conn))  # raises on any difference


def test_every_revision_has_a_seeder() -> None:
    assert set(_revisions()) <= set(SEEDERS), "add a seeder for the new revision to SEEDERS"


def test_empty_to_head_leaves_no_drift(blank_url: str) -> None:
    engine = database.create_engine(blank_url)
    database.upgrade(engine)
    assert database.current_revision(engine) == database.head_revision()
    _no_drift(engine)
    engine.dispose()


def test_every_revision_with_data_upgrades_to_head_keeping_every_event(blank_url: str, pg_or_sqlite_blank: Callable[[], str]) -> None:
    for n, revision in enumerate(_revisions()):
        url = blank_url if n == 0 else pg_or_sqlite_blank()
        engine = database.create_engine(url)
        database.upgrade(engine, revision)
        with engine.connect() as conn:
            database.write_begin(conn)
            with conn.begin():
                seeded = SEEDERS[revision](conn)
        database.upgrade(engine)
        store = Store(engine)
        report = verify(store)
        assert report.ok, report.problem
        assert report.events == seeded
        assert len(list(store.read())) == seeded
        _no_drift(engine)
        store.close()
        figures.add(f"{figures.backend_of(url)}: migration events kept", seeded)


def test_the_schema_head_chronicle_knows_is_the_newest_migration() -> None:
    assert database.SCHEMA_HEAD == database.head_revision() == _revisions()[-1], (
        "a new migration: set chronicle.database.SCHEMA_HEAD to its revision")


def test_a_store_at_head_opens_without_alembic_and_an_older_one_is_migrated(blank_url: str) -> None:
    import subprocess
    import sys

    from chronicle.store import open_store

    older = database.create_engine(blank_url)
    database.upgrade(older, _revisions()[-2])
    open_store(blank_url).close()  # migrated on opening
    assert database.current_revision(older) == database.SCHEMA_HEAD
    older.dispose()
    # At head, opening asks the version table with a plain query: Alembic is not even imported.
    probe = ("import sys; from chronicle.store import open_store; "
             f"open_store({blank_url!r}, create=False).close(); print('alembic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", out.stderr


def test_a_store_from_before_0006_gets_its_records_and_then_shows_tampering(blank_url: str) -> None:
    engine = database.create_engine(blank_url)
    database.upgrade(engine, "0005")
    with engine.connect() as conn:
        database.write_begin(conn)
        with conn.begin():
            seeded = _seed_0005(conn)
            conn.execute(sa.text("INSERT INTO entities (slug, kind, name, aliases, country, org, family, updated_at) "
                                 "VALUES ('qwen', 'model', 'Qwen', '[]', 'CN', NULL, NULL, :at)"),
                         {"at": datetime(2026, 1, 21, tzinfo=timezone.utc)})
    database.upgrade(engine)
    store = Store(engine)
    report = verify(store)
    assert (report.ok, report.recorded_seq, report.documents, report.entities) == (True, seeded, 2, 1), report.problem
    # The derived tables written before 0006 are guarded from here on.
    with pytest.raises(sa.exc.DatabaseError, match="derived state"), engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM model_rows")
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE entities SET name = 'EVIL' WHERE slug = 'qwen'")
    assert verify(store).problem == ("entity qwen was changed outside chronicle: its row does not match the state "
                                     "chronicle last wrote")
    store.close()
