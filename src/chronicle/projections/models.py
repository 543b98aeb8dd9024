"""models: per model, its org and country, first release, openness, size and claims."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from chronicle.events import CORRECTION_TYPES, Event
from chronicle.projections.base import Claim, Context, Projection, cell, evidence_of, strongest

RELEASE_TYPES = frozenset({"model_release", "model_announcement"})
OPEN_WORDS = ("open-weight", "open-source", "open weights", "open")


def _openness(event: Event) -> str | None:
    facts = event.facts
    if "openness" in facts:
        return str(facts["openness"])
    if "open_weights" in facts:
        return "open-weight" if facts["open_weights"] else "closed"
    return None


def is_open(value: Any) -> bool:
    values = value if isinstance(value, list) else [value]
    return any(isinstance(v, str) and v.lower().startswith(OPEN_WORDS) for v in values)


def _benchmark(event: Event) -> str | None:
    facts = event.facts
    parts = []
    for fact, verb in (("matched_model", "matches"), ("outperformed_model", "beats")):
        if fact in facts:
            parts.append(f"{verb} {', '.join(facts[fact])}")
    if "benchmark" in facts:
        parts.append(f"on {facts['benchmark']}")
    return " ".join(parts) or None


class Models(Projection):
    name = "models"
    version = 2  # 2: corrections are not claims about a model (a retracted release left a row behind)
    title = "Models"
    columns = ("name", "org", "country", "first_release", "openness", "license", "parameters",
               "modalities", "benchmarks")
    subject_kinds = ("model",)
    # A release still to come hides the model (see derive).
    future_types = RELEASE_TYPES

    def keys(self, event: Event, ctx: Context) -> Sequence[str]:
        if event.type in CORRECTION_TYPES:
            return ()
        entity = ctx.entities.get(event.subject)
        return (event.subject,) if entity is not None and entity.kind == "model" else ()

    def derive(self, key: str, claims: Sequence[Claim], known: Sequence[Event], ctx: Context) -> dict[str, Any] | None:
        releases = [c for c in claims if c.event.type in RELEASE_TYPES]
        # A model whose release is known but not yet due at the cutoff does not
        # exist yet, whatever undated claims about it say.
        if not releases and any(e.type in RELEASE_TYPES for e in known):
            return None
        basis = releases or list(claims)
        org = ctx.org_of(key)
        cells = {
            "first_release": _first_release(releases, ctx),
            "openness": cell(claims, _openness, ctx),
            "license": cell(claims, lambda e: e.facts.get("license"), ctx),
            "parameters": cell(claims, lambda e: e.facts.get("parameters"), ctx),
            "modalities": cell(claims, lambda e: e.facts.get("modalities"), ctx),
            "benchmarks": _all_values(claims, _benchmark),
        }
        row: dict[str, Any] = {
            "id": key,
            "name": ctx.name_of(key),
            "org": org,
            "org_name": ctx.name_of(org) if org else None,
            "country": ctx.country_of(key),
            "family": ctx.entities[key].family if key in ctx.entities else None,
            "status": strongest(c.status for c in basis),
            "evidence": evidence_of(claims),
            "cells": {k: v for k, v in cells.items() if v is not None},
        }
        for name, value in row["cells"].items():
            row[name] = value["value"]
        row["open"] = is_open(row.get("openness"))
        first = min(releases, key=_release_order).event.when if releases else None
        row["release_order"] = list(_iso_key(first)) if first is not None else None
        return row

    def sort_rows(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        # By first release in event time (open and missing dates last), then id.
        return sorted(rows, key=lambda r: (r["release_order"] is None, r["release_order"] or (), r["id"]))


def _release_order(claim: Claim) -> tuple[Any, ...]:
    when = claim.event.when
    return (when.latest is None, when.latest or 0, when.sort_key()[2], claim.event.event_id)


def _iso_key(when: Any) -> tuple[str, str]:
    """Event-time order as plain strings (JSON-safe): latest bound first, open last."""
    return (when.latest.isoformat() if when.latest else "9999", when.earliest.isoformat() if when.earliest else "0000")


def _first_release(releases: Sequence[Claim], ctx: Context) -> dict[str, Any] | None:
    """The release claim that pins the date down best: the earliest *latest* bound
    (surely out by then), the finer precision on a tie. Claims whose dates do
    not overlap it stay beside it as a conflict."""
    if not releases:
        return None
    best = min(releases, key=_release_order)
    rivals = [c for c in releases if not c.event.when.overlaps(best.event.when)]
    return cell([best, *rivals], lambda e: e.when.edtf, ctx)


def _all_values(claims: Sequence[Claim], value_of) -> dict[str, Any] | None:  # type: ignore[no-untyped-def]
    """A cell listing every distinct claim (benchmark claims add up; they do not replace)."""
    found = [(c, value_of(c.event)) for c in claims]
    found = [(c, v) for c, v in found if v]
    if not found:
        return None
    values = sorted({v for _, v in found})
    return {"value": values, "conflict": False, "status": strongest(c.status for c, _ in found),
            "evidence": evidence_of(c for c, _ in found)}
