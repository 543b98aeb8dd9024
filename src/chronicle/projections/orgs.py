"""orgs: per organisation, the latest funding, valuation, IPO, revenue and users."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from chronicle.events import ASSERTED, Event
from chronicle.projections.base import Claim, Context, Projection, evidence_of, strongest

#: column -> (event types that carry it, the fact that holds its value)
FIELDS: dict[str, tuple[frozenset[str], str | None]] = {
    "funding": (frozenset({"funding"}), "amount"),
    "valuation": (frozenset({"valuation", "funding", "ipo"}), "valuation"),
    "ipo": (frozenset({"ipo"}), None),
    "revenue": (frozenset({"revenue"}), "revenue"),
    "users": (frozenset({"user_count"}), "users"),
}


def latest_cell(claims: Sequence[Claim], value_of, ctx: Context) -> dict[str, Any] | None:  # type: ignore[no-untyped-def]
    """The latest value by event time; claims whose dates overlap it and disagree stay beside it."""
    valued = [(c, value_of(c.event)) for c in claims]
    valued = [(c, v) for c, v in valued if v is not None]
    if not valued:
        return None
    last, last_value = valued[-1]
    rivals = [(c, v) for c, v in valued[:-1] if c.event.when.overlaps(last.event.when) and v != last_value]
    chosen = [(last, last_value), *rivals]
    values: list[Any] = []
    for _, v in chosen:
        if v not in values:
            values.append(v)
    return {
        "value": values[0] if len(values) == 1 else values,
        "conflict": len(values) > 1,
        "as_of": last.event.when.edtf,
        "stance": last.event.stance,
        "status": strongest(c.status for c, _ in chosen),
        "evidence": evidence_of(c for c, _ in chosen),
    }


def _ipo(event: Event) -> str:
    facts = event.facts
    parts = [facts.get("status", "listed")]
    if "exchange" in facts:
        parts.append(f"on {facts['exchange']}")
    return " ".join(str(p) for p in parts) + f" ({event.when.edtf})"


class Orgs(Projection):
    name = "orgs"
    # 2: an undated valuation, revenue or user count holds as of its source's date
    # 3: a licence is read as an openness where conflicts are found (a row's ⚠)
    # 4: each cell says how its source stands behind it (stance)
    # 5: as models 7
    # 6: as models 8
    version = 6
    title = "Organisations"
    columns = ("name", "country", "funding", "valuation", "ipo", "revenue", "users")
    subject_kinds = ("org",)
    future_types: frozenset[str] = frozenset()
    event_types: frozenset[str] = frozenset().union(*(types for types, _ in FIELDS.values()))

    def keys(self, event: Event, ctx: Context) -> Sequence[str]:
        entity = ctx.entities.get(event.subject)
        if entity is None or entity.kind != "org":
            return ()
        return (event.subject,) if any(event.type in types for types, _ in FIELDS.values()) else ()

    def derive(self, key: str, claims: Sequence[Claim], known: Sequence[Event], ctx: Context) -> dict[str, Any] | None:
        cells: dict[str, Any] = {}
        for column, (types, fact) in FIELDS.items():
            relevant = [c for c in claims if c.event.type in types]
            if fact is None:
                found = latest_cell(relevant, _ipo, ctx)
            else:
                found = latest_cell(relevant, lambda e, f=fact: e.facts.get(f), ctx)
            if found is not None:
                cells[column] = found
        if not cells:
            return None
        used = [c for c in claims if any(e["event"] == c.event.event_id for v in cells.values() for e in v["evidence"])]
        row: dict[str, Any] = {
            "id": key, "name": ctx.name_of(key), "country": ctx.country_of(key),
            "status": strongest(c.status for c in used), "evidence": evidence_of(used), "cells": cells,
        }
        for column, value in cells.items():
            row[column] = value["value"]
        # How the source of each shown value stands behind it, where it does not simply assert it.
        row["stances"] = {column: cell["stance"] for column, cell in cells.items() if cell["stance"] != ASSERTED}
        return row
