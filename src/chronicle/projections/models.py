"""models: per model, its org and country, first release, openness, size and claims.

A row is built from the *distinct values* the claims about a model give each
cell, not from the claims one by one. Each value carries the status of its
strongest claim at the cutoff and one claim as evidence: for "happened" the
claim surely over soonest (smallest latest bound), for "possibly" and
"expected" the claim that starts first. A value's evidence is therefore the
same at every cutoff of one status, and a row stays the size of its values
however many documents repeat them, so an answer's cost follows the models
and their values, not the length of the log. ``modelvalues`` keeps the same
values in a table (one row per model, cell and value with the dates at which
its status changes) and answers the default basis from it; this module
derives the same rows from claims, for every other basis.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from chronicle.events import ASSERTED, CORRECTION_TYPES, NEGATING, Event
from chronicle.fuzzydate import FuzzyDate, parse_edtf
from chronicle.hashchain import canonical_json
from chronicle.licences import claimed_openness, is_open
from chronicle.projections.base import EXPECTED, HAPPENED, POSSIBLY, Claim, Context, Projection, strongest
from chronicle.projections.values import hedged

RELEASE_TYPES = frozenset({"model_release", "model_announcement"})
#: The cell of every claim (value None): the row's status when no release is visible.
ANY = "*"
RELEASE = "release"
#: A listing cell (benchmarks) shows its newest values only, and counts them all: a
#: busy model gathers benchmark claims without end, and a row stays a row.
LISTED = 5


def _benchmark(facts: Mapping[str, Any]) -> str | None:
    parts = []
    for fact, verb in (("matched_model", "matches"), ("outperformed_model", "beats")):
        if fact in facts:
            parts.append(f"{verb} {', '.join(facts[fact])}")
    if "benchmark" in facts:
        parts.append(f"on {facts['benchmark']}")
    return " ".join(parts) or None


#: cell -> the value a claim's facts give it (None: no value). Order is display order.
VALUES: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    "openness": claimed_openness,  # the source's word, or what its licence grants (see ``licences``)
    "license": lambda facts: facts.get("license"),
    "parameters": lambda facts: facts.get("parameters"),
    "modalities": lambda facts: facts.get("modalities"),
    "benchmarks": _benchmark,
}


#: Cells that list their values (the newest ``LISTED`` of them) rather than show one.
LISTING = frozenset({"benchmarks"})

#: Values kept only to tell whether sources disagree (what a model matched or
#: beat is one claim per source; the benchmarks cell lists every such claim
#: side by side), as ``chronicle conflicts`` tells it.
DISAGREEMENTS: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    "matched_model": lambda facts: facts.get("matched_model"),
    "outperformed_model": lambda facts: facts.get("outperformed_model"),
}


def cell_values(event: Event) -> list[tuple[str, str]]:
    """(cell, canonical JSON of the value) for every cell a model's claim gives a value."""
    return cell_values_of(event.type, event.when.edtf, event.facts, event.stance)


def cell_values_of(kind: str, edtf: str, facts: Mapping[str, Any], stance: str = ASSERTED) -> list[tuple[str, str]]:
    """``cell_values`` of a claim of type ``kind``, dated ``edtf``, with these facts and this stance.

    A release its source says was delayed or denied is no release: it gives no first release.
    """
    found = [(ANY, "null")]
    if kind in RELEASE_TYPES and stance not in NEGATING:
        found.append((RELEASE, canonical_json(edtf)))
    if stance in NEGATING:
        # "Technical issues ... delayed DeepSeek's next-generation R2 model": shown where no release is.
        found.append((NOT_RELEASED, canonical_json(stance)))
    for name, value_of in _CELLS:
        value = value_of(facts)
        if value is not None and value != "":
            if name in STANCE_WORDED:
                value = hedged(value, stance)
            found.append((name, canonical_json(value)))
    return found


#: The cell of a model without a release whose sources say it was delayed or denied.
NOT_RELEASED = "not_released"

#: Cells whose text says how its source stands behind it ("reportedly beats gpt-5").
STANCE_WORDED = frozenset({"benchmarks"})


_CELLS = (*VALUES.items(), *DISAGREEMENTS.items())


class Seen(NamedTuple):
    """One distinct value of a cell as a basis sees it."""

    key: str  # canonical JSON of the value: its identity and its sort order
    status: str
    evidence: tuple[str, str, str]  # the claim behind the status: event id, document, quote
    since: int = 0  # day ordinal from which the value is visible: its first claim's start (0: open start)

    @property
    def value(self) -> Any:
        return _decoded(self.key)


@lru_cache(maxsize=65536)
def _decoded(text: str) -> Any:
    return json.loads(text)


def evidence(event: Event) -> tuple[str, str, str]:
    return (event.event_id, event.document, event.evidence.quote)


def _since(claim: Claim) -> int:
    earliest = claim.event.when.earliest
    return earliest.toordinal() if earliest is not None else 0


def _starts(claim: Claim) -> tuple[date, str]:
    return (claim.event.when.earliest or date.min, claim.event.event_id)


def _ends(claim: Claim) -> tuple[date, str]:
    return (claim.event.when.latest or date.max, claim.event.event_id)


def seen(key: str, claims: Sequence[Claim]) -> Seen:
    """A value from the visible claims that give it: their strongest status and its evidence."""
    status = strongest(c.status for c in claims)
    of_status = [c for c in claims if c.status == status]
    pick = min(of_status, key=_ends if status == HAPPENED else _starts)
    return Seen(key, status, evidence(pick.event), min(map(_since, claims)))


def values_from_claims(claims: Sequence[Claim], ctx: Context) -> dict[str, list[Seen]]:
    """Each cell's visible values, grouped from claims (corrections left out those they rule out)."""
    grouped: dict[str, dict[str, list[Claim]]] = {}
    for claim in claims:
        for name, key in cell_values(claim.event):
            grouped.setdefault(name, {}).setdefault(key, []).append(claim)
    out: dict[str, list[Seen]] = {}
    for name, by_value in grouped.items():
        out[name] = [seen(key, items) for key, items in sorted(by_value.items()) if items]
    return out


class Models(Projection):
    name = "models"
    # 2: corrections are not claims about a model (a retracted release left a row behind)
    # 3: rows from distinct values, each with one claim as evidence
    # 4: the benchmarks cell lists its newest five values and counts them all
    # 5: an undated state (a licence, a benchmark standing) shows as of its source's date
    # 6: openness from the licence too (an Apache 2.0 model is open without the word "open"); sources
    #    that disagree on what a model beat flag its row, as they are listed among conflicts
    # 7: a deprecated claim, or one a preferred claim outranks, is left out (as in every projection)
    # 8: an undated release is not before its model's (or a named entity's) first dated release;
    #    an undated opinion holds as of its source's date
    version = 8
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
        has_release = any(e.type in RELEASE_TYPES and e.stance not in NEGATING for e in known)
        return model_row(key, values_from_claims(claims, ctx), has_release, ctx)

    def sort_rows(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        # By first release in event time (open and missing dates last), then id.
        return sorted(rows, key=lambda r: (r["release_order"] is None, r["release_order"] or (), r["id"]))


@lru_cache(maxsize=65536)
def release_when(edtf: str) -> FuzzyDate:
    """A release value's date: its EDTF read back."""
    return parse_edtf(edtf)


_when = release_when


def _release_order(value: Seen) -> tuple[Any, ...]:
    when = _when(value.value)
    return (when.latest is None, when.latest or date.min, when.sort_key()[2], value.key)


def _iso_key(when: FuzzyDate) -> tuple[str, str]:
    """Event-time order as plain strings (JSON-safe): latest bound first, open last."""
    return (when.latest.isoformat() if when.latest else "9999", when.earliest.isoformat() if when.earliest else "0000")


def _evidence_list(items: Iterable[tuple[str, str, str]]) -> list[dict[str, Any]]:
    return [{"event": e, "document": d, "quote": q} for e, d, q in sorted(set(items))]


def _disagree(values: Sequence[Seen]) -> bool:
    """Sources disagree: two values, each from its own document."""
    return len(values) > 1 and len({v.evidence[1] for v in values}) > 1


def newest(values: Sequence[Seen], n: int = LISTED) -> list[Seen]:
    """The ``n`` values first claimed last (on a tie, the later by value), in value order."""
    if len(values) <= n:
        return list(values)
    return sorted(sorted(values, key=lambda v: (v.since, v.key))[-n:])


def _cell(values: Sequence[Seen], *, listing: bool = False, total: int | None = None) -> dict[str, Any]:
    if listing:
        total = len(values) if total is None else total
        values = newest(values)
    plain = [v.value for v in values]
    cell = {
        "value": plain if listing or len(plain) > 1 else plain[0],
        "conflict": not listing and _disagree(values),
        "status": strongest(v.status for v in values),
        "evidence": _evidence_list(v.evidence for v in values),
    }
    if listing:
        cell["total"] = total
    return cell


def _first_release(releases: Sequence[Seen]) -> tuple[FuzzyDate, dict[str, Any]]:
    """The release that pins the date down best: the earliest *latest* bound
    (surely out by then), the finer precision on a tie. Dates that do not
    overlap it stay beside it as a conflict."""
    ordered = sorted(releases, key=_release_order)
    first = _when(ordered[0].value)
    rivals = [v for v in ordered[1:] if not _when(v.value).overlaps(first)]
    return first, _cell([ordered[0], *rivals])


def model_row(
    key: str, values: Mapping[str, Sequence[Seen]], has_release: bool, ctx: Context, *, disagree: bool | None = None,
    totals: Mapping[str, int] | None = None, memo: dict[Any, Any] | None = None,
) -> dict[str, Any] | None:
    """A model's row from its cells' visible values (the one rule both ways of answering share).

    ``disagree``: whether the ``DISAGREEMENTS`` values disagree, when the
    caller worked it out itself (then they need not be in ``values``).
    ``totals``: a listing cell's count of values, when the caller passes only
    its newest ``LISTED`` (they are all a row shows of it).
    ``memo``: cells already built from the same values, for a caller that
    builds many rows of one model (a cell depends on its values only).
    """
    everything = values.get(ANY)
    if not everything:
        return None
    releases = list(values.get(RELEASE, ()))
    # A model whose release is known but not yet due at the cutoff does not
    # exist yet, whatever undated claims about it say.
    if not releases and has_release:
        return None
    memo = {} if memo is None else memo
    cells: dict[str, dict[str, Any]] = {}
    first: FuzzyDate | None = None
    if releases:
        made = memo.get((RELEASE, tuple(releases)))
        if made is None:
            made = memo[RELEASE, tuple(releases)] = _first_release(releases)
        first, cells["first_release"] = made
    for name in (*VALUES, *(() if releases else (NOT_RELEASED,))):
        found = values.get(name)
        if found:
            listing = name in LISTING
            total = (totals or {}).get(name) if listing else None
            cell = memo.get(k := (name, tuple(found), total))
            if cell is None:
                cell = memo[k] = _cell(found, listing=listing, total=total)
            cells[name] = cell
    basis = releases or everything
    status = strongest(v.status for v in basis)
    # The row's own evidence is the claim behind its status; each cell has its own.
    behind = next(v.evidence for v in basis if v.status == status)
    documents = {behind[1]} | {e["document"] for c in cells.values() for e in c["evidence"]}
    org = ctx.org_of(key)
    row: dict[str, Any] = {
        "id": key,
        "name": ctx.name_of(key),
        "org": org,
        "org_name": ctx.name_of(org) if org else None,
        "country": ctx.country_of(key),
        "family": ctx.entities[key].family if key in ctx.entities else None,
        "status": status,
        "evidence": _evidence_list([behind]),
        "sources": len(documents),
        "conflict": any(c["conflict"] for c in cells.values())
        or (disagree if disagree is not None else any(_disagree(values.get(name, ())) for name in DISAGREEMENTS)),
        "cells": cells,
    }
    for name, value in cells.items():
        row[name] = value["value"]
    row["open"] = is_open(row.get("openness"))
    row["release_order"] = list(_iso_key(first)) if first is not None else None
    return row


__all__ = ["ANY", "DISAGREEMENTS", "EXPECTED", "HAPPENED", "LISTED", "LISTING", "POSSIBLY", "RELEASE", "RELEASE_TYPES",
           "Models", "Seen", "cell_values", "cell_values_of", "evidence", "model_row", "newest", "release_when",
           "values_from_claims"]
