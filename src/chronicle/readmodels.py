"""Read-model tables: each projection kept as plain rows inside the database.

After every append (ingest, rank, retract) each projection's rows are
recomputed as of today and replace its ``rm_<name>`` table; its checkpoint
(the sequence number the rows reflect) is written in the same transaction,
so a SQL client never sees rows and checkpoint disagree. The tables are
derived state, disposable like any projection: ``rebuild`` recomputes them
from the log.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timezone
from typing import Any

import sqlalchemy as sa

from chronicle import database, modelvalues, queries, tables
from chronicle.fuzzydate import parse
from chronicle.hashchain import canonical_json
from chronicle.projections import REGISTRY, get
from chronicle.render import cell
from chronicle.store import Store

# Names the read-model refresh among PostgreSQL advisory locks ("chrrm").
PG_REFRESH_LOCK = 0x636872726D
TABLES: dict[str, sa.Table] = {
    "models": tables.rm_models, "orgs": tables.rm_orgs, "metrics": tables.rm_metrics,
    "talent": tables.rm_talent, "timeline": tables.rm_timeline,
}


def _text(value: Any) -> str | None:
    """A cell as plain text: several values (sources that disagree) joined with "; "."""
    if value is None:
        return None
    if isinstance(value, list):
        return "; ".join(cell(v) for v in value)
    return cell(value)


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    return {"status": row["status"], "sources": row["sources"], "conflict": bool(row["conflict"]),
            "evidence_json": canonical_json(row["evidence"])}


def _claim(row: dict[str, Any]) -> dict[str, Any]:
    evidence = row["evidence"][0] if row["evidence"] else {"quote": ""}
    return {"when_text": row.get("when_text") or "", "when_edtf": row["when"],
            "earliest": _day(row.get("earliest")), "latest": _day(row.get("latest")),
            "precision": row["precision"], "status": row["status"], "certainty": row["certainty"],
            "document": row["document"], "quote": evidence["quote"]}


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _model(row: dict[str, Any]) -> dict[str, Any]:
    release = row.get("first_release")
    best = release[0] if isinstance(release, list) else release
    bounds = parse(best) if best else None
    return {
        "id": row["id"], "name": row["name"], "org": row.get("org"), "org_name": row.get("org_name"),
        "country": row.get("country"), "family": row.get("family"), "first_release": _text(release),
        "first_release_earliest": bounds.earliest if bounds else None,
        "first_release_latest": bounds.latest if bounds else None,
        "openness": _text(row.get("openness")), "open": bool(row.get("open")), "license": _text(row.get("license")),
        "parameters": _text(row.get("parameters")), "modalities": _text(row.get("modalities")),
        "benchmarks": _text(row.get("benchmarks")), **_summary(row),
    }


def _org(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], "name": row["name"], "country": row.get("country"),
            **{c: _text(row.get(c)) for c in ("funding", "valuation", "ipo", "revenue", "users")}, **_summary(row)}


def _metric(row: dict[str, Any]) -> dict[str, Any]:
    raw = row.get("raw")
    number, unit, op = None, None, None
    if isinstance(raw, dict) and isinstance(raw.get("value"), (int, float)):
        number, unit, op = float(raw["value"]), raw.get("unit"), raw.get("op", "=")
    elif isinstance(raw, (int, float)) and not isinstance(raw, bool):
        number = float(raw)
    return {"id": row["id"], "subject": row["subject"], "subject_name": row["subject_name"], "metric": row["metric"],
            "value": row["value"], "value_number": number, "unit": unit, "op": op, "context": row.get("context") or None,
            **_claim(row)}


def _talent(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], "period": row["period"], "person": row["person"], "from_org": row.get("from_org"),
            "to_org": row.get("to_org"), "role": _text(row.get("role")),
            "count": row.get("count") if isinstance(row.get("count"), int) else None, **_claim(row)}


def _timeline(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], "type": row["type"], "subject": row["subject"], "subject_name": row["subject_name"],
            "summary": row["summary"], **_claim(row)}


ROWS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "models": _model, "orgs": _org, "metrics": _metric, "talent": _talent, "timeline": _timeline,
}


def refresh(store: Store, names: Sequence[str] = (), *, today: date | None = None) -> int:
    """Recompute the read-model tables of ``names`` (default: all) as of today; returns the seq they reflect."""
    wanted = [get(n).name for n in names] or list(REGISTRY)
    if "models" in wanted:
        # First, in its own transaction, so the models rows below come from it.
        modelvalues.catch_up(store)
    with store.engine.connect() as conn:
        database.write_begin(conn)
        with conn.begin():
            # One refresh at a time, and each computed inside the lock from the
            # head it finds there: a later refresh never writes older rows
            # over newer ones.
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_REFRESH_LOCK})
            head = store.head()
            answer = queries.as_of(store, "today", projections=wanted, at_seq=head, today=today)
            cutoff = date.fromisoformat(answer["basis"]["cutoff"])
            now = datetime.now(timezone.utc)
            for name in wanted:
                table = TABLES[name]
                conn.execute(table.delete())
                rows = [ROWS[name](r) for r in answer["projections"][name]["rows"]]
                if rows:
                    conn.execute(table.insert(), rows)
                checkpoints = tables.projection_checkpoints
                conn.execute(checkpoints.delete().where(checkpoints.c.name == name))
                conn.execute(checkpoints.insert().values(name=name, version=REGISTRY[name].version, seq=head,
                                                         cutoff=cutoff, updated_at=now))
    return head


def status(store: Store) -> dict[str, Any]:
    """Each read-model table's checkpoint, and how far it lags the log."""
    head = store.head()
    checkpoints = tables.projection_checkpoints
    with store.engine.connect() as conn:
        found = {r.name: r for r in conn.execute(sa.select(checkpoints))}
        counts = {name: int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())
                  for name, table in TABLES.items()}
    items = []
    for name, projection in REGISTRY.items():
        point = found.get(name)
        seq = int(point.seq) if point is not None else None
        updated = point.updated_at if point is not None else None
        if updated is not None and updated.tzinfo is None:
            updated = updated.replace(tzinfo=timezone.utc)
        items.append({
            "name": name, "version": projection.version, "table": TABLES[name].name, "checkpoint_seq": seq,
            "lag": head - (seq or 0), "cutoff": point.cutoff.isoformat() if point is not None else None,
            "updated_at": updated.isoformat() if updated else None, "rows": counts[name],
            "current": point is not None and seq == head and point.version == projection.version,
        })
    return {"schema": "chronicle.projections-status/1", "basis": {"store_seq": head}, "projections": items}
