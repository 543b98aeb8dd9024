"""Tampering through the command line, on both backends: refused, or named by verify."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from builders import doc, event
from chronicle import database
from chronicle.cli import main
from chronicle.store import Store


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
