"""Read-model tables: current after every append, checkpoint in the same transaction, rebuildable."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import sqlalchemy as sa

import chronicle
from chronicle import readmodels, tables
from chronicle.guard import derived_writes
from chronicle.projections import REGISTRY

REPO = Path(__file__).resolve().parents[2]
FIRST = (REPO / "events" / "entities.yaml", REPO / "events" / "deepseekai-chinese-ai-rising.yaml")


def _rows(c: chronicle.api.Chronicle, table: sa.Table) -> list[dict[str, object]]:
    with c.store.engine.connect() as conn:
        return [dict(r) for r in conn.execute(sa.select(table).order_by(table.c.id)).mappings()]


def test_tables_follow_every_ingest_and_correction(store_url: str) -> None:
    with chronicle.open(store_url) as c:
        before = readmodels.status(c.store)
        assert all(p["checkpoint_seq"] is None and p["rows"] == 0 for p in before["projections"])

        c.ingest(*FIRST)
        status = readmodels.status(c.store)
        assert all(p["checkpoint_seq"] == c.head and p["lag"] == 0 and p["current"] for p in status["projections"])
        first_rows = len(_rows(c, tables.rm_timeline))
        assert first_rows > 0

        c.ingest(REPO / "events")
        assert {p["checkpoint_seq"] for p in readmodels.status(c.store)["projections"]} == {c.head}
        timeline = _rows(c, tables.rm_timeline)
        assert len(timeline) > first_rows

        # The tables hold what as-of today says, in plain columns.
        answer = c.as_of("today", projections=list(REGISTRY))
        for name, table in readmodels.TABLES.items():
            assert [r["id"] for r in _rows(c, table)] == sorted(r["id"] for r in answer["projections"][name]["rows"])
        models = {r["id"]: r for r in _rows(c, tables.rm_models)}
        r1 = models["deepseek-r1"]
        assert r1["country"] == "CN" and r1["open"] is True
        assert r1["first_release_earliest"] == date(2025, 1, 20)
        # Open by its Apache 2.0 licence alone.
        qwen3 = models["qwen3"]
        assert (qwen3["license"], qwen3["openness"], qwen3["open"]) == ("Apache 2.0", "open-source", True)

        target = str(timeline[0]["id"])
        c.retract(target, "wrong")
        assert target not in {r["id"] for r in _rows(c, tables.rm_timeline)}
        assert readmodels.status(c.store)["projections"][0]["lag"] == 0


def test_rebuild_equals_catch_up_and_status_shows_lag(store_url: str) -> None:
    with chronicle.open(store_url) as c:
        c.ingest(REPO / "events")
        caught_up = {n: _rows(c, t) for n, t in readmodels.TABLES.items()}
        # A table left behind the log (as a failed refresh would): chronicle's own leave to write it.
        with c.store.engine.begin() as conn, derived_writes(conn):
            conn.execute(tables.rm_talent.delete())
            conn.execute(tables.projection_checkpoints.update()
                         .where(tables.projection_checkpoints.c.name == "talent").values(seq=3))
        talent = next(p for p in readmodels.status(c.store)["projections"] if p["name"] == "talent")
        assert (talent["lag"], talent["rows"], talent["current"]) == (c.head - 3, 0, False)
        assert readmodels.refresh(c.store, ["talent"]) == c.head
        assert {n: _rows(c, t) for n, t in readmodels.TABLES.items()} == caught_up


def test_a_sql_client_reads_them_without_chronicle(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "store.db"
    with chronicle.open(str(db)) as c:
        c.ingest(REPO / "events")
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT name, first_release, status FROM rm_models WHERE country = 'CN' AND open "
            "ORDER BY first_release_latest").fetchall()
        seq, head = conn.execute(
            "SELECT seq, (SELECT max(seq) FROM events) FROM projection_checkpoints WHERE name = 'models'").fetchone()
    assert rows and seq == head
    assert ("Qwen3", "2025-01-01/2025-08-31", "happened") in rows  # "By mid-2025", from its start in 2025


def test_projections_commands(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from chronicle.cli import main

    db = str(tmp_path / "s.db")
    runner = CliRunner()
    assert runner.invoke(main, ["--db", db, "ingest", *map(str, FIRST)]).exit_code == 0
    out = runner.invoke(main, ["--db", db, "projections", "status"]).output
    assert "rm_models" in out and "store head" in out
    # The models' values table and their rows' versions are folded by the ingest and current.
    folds = json.loads(runner.invoke(main, ["--db", db, "projections", "status", "--format", "json"]).output)["folds"]
    assert [(f["name"], f["lag"], f["current"]) for f in folds] == [("model_values", 0, True), ("model_rows", 0, True)]
    assert all(f["rows"] > 0 for f in folds)
    result = runner.invoke(main, ["--db", db, "projections", "rebuild", "talent"])
    assert result.exit_code == 0 and result.stdout.startswith("rebuilt rm_talent at sequence")
    # What it does goes to stderr as it goes, a line per step with its time; stdout is the one line.
    result = runner.invoke(main, ["--db", db, "projections", "rebuild"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "rebuilt rm_models, rm_orgs, rm_metrics, rm_talent, rm_timeline at sequence "
        + result.stdout.split()[-1]]
    steps = result.stderr.splitlines()
    assert steps[0].startswith("  model values refolded from the log in ") and steps[0].endswith(" s")
    assert any(s.startswith("  rm_orgs recomputed in ") for s in steps)
    assert any(s.startswith("  rm_metrics, rm_talent, rm_timeline from ") and " events in " in s for s in steps)
    assert "Example:" in runner.invoke(main, ["projections", "rebuild", "--help"]).output


def test_org_rows_weigh_claims_of_other_types_that_state_their_facts(store_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Org rows read only their own types and the events that state the same facts: conflicts stay the same."""
    from builders import doc, event

    with chronicle.open(store_url) as c:
        c.ingest(REPO / "events")
        assert not next(r for r in _rows(c, tables.rm_orgs) if r["id"] == "manus")["conflict"]
        # Another type of event that states a valuation the org's own claim disagrees with.
        # (Manus' own valuation is undated: it holds as of its source's date, 2026-01-21, which this one spans.)
        rival = event("rival", document="doc-rival", subject="manus", type="market_reaction", when="2026-01",
                      facts={"valuation": {"value": 900000000, "unit": "USD"}, "reason": "a rumour"})
        assert c.store.append([rival], document=doc("doc-rival", published="2026-02-01")).ok
        readmodels.refresh(c.store, ["orgs"])
        narrow = _rows(c, tables.rm_orgs)
        assert next(r for r in narrow if r["id"] == "manus")["conflict"]
        monkeypatch.setattr(REGISTRY["orgs"], "event_types", None)  # every event of every org read
        readmodels.refresh(c.store, ["orgs"])
        assert _rows(c, tables.rm_orgs) == narrow
