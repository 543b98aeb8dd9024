"""metrics, talent and timeline: projections with one row per claim."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from chronicle.events import CORRECTION_TYPES, Event
from chronicle.fuzzydate import FuzzyDate
from chronicle.projections.base import Claim, Context, Projection, evidence_of
from chronicle.projections.values import display, hedged
from chronicle.reading import as_of

#: The facts a metric measures, by event type.
METRIC_FACTS: dict[str, tuple[str, ...]] = {
    "downloads": ("downloads", "derivatives"),
    "usage_share": ("share",),
    "user_count": ("users",),
    "price": ("price", "price_input", "price_output", "price_ratio"),
    "training_cost": ("training_cost",),
    "app_ranking": ("rank",),
}
#: Facts that say what a number measures; they travel with it.
CONTEXT_FACTS = ("metric", "scope", "platform", "market", "product")


def context_of(facts: Mapping[str, Any]) -> str:
    """What a metric's number measures, from the context facts beside it ("" when none)."""
    return ", ".join(f"{k}: {facts[k]}" for k in sorted(f for f in CONTEXT_FACTS if f in facts))


def summary_of(facts: Mapping[str, Any]) -> str:
    """A timeline row's summary: every fact and its value, by fact name."""
    # display(text) is the text itself; most values are text.
    return "; ".join(f"{k} {v if type(v) is str else display(v)}" for k, v in sorted(facts.items()))


def _claim_row(claim: Claim, ctx: Context, **extra: Any) -> dict[str, Any]:
    e = claim.event
    return {
        "id": e.event_id, "status": claim.status, "certainty": e.certainty, "stance": e.stance,
        "subject": e.subject, "subject_name": ctx.name_of(e.subject), "type": e.type,
        "when": e.when.edtf, "when_text": e.when.text, "precision": e.when.precision.value,
        "as_of": day.isoformat() if (day := as_of(e.when)) else None,
        "earliest": e.when.earliest.isoformat() if e.when.earliest else None,
        "latest": e.when.latest.isoformat() if e.when.latest else None,
        "document": e.document, "evidence": evidence_of([claim]), **extra,
    }


class Metrics(Projection):
    name = "metrics"
    # 2: an undated share, count or price holds as of its source's date: a series, not a disagreement
    # 3: as orgs 3
    # 4: as models 7
    # 5: as models 8
    version = 5
    title = "Metrics"
    columns = ("subject_name", "metric", "value", "context", "when", "document")
    # One row per claim, derived from the claim alone.
    future_types: frozenset[str] = frozenset()

    def keys(self, event: Event, ctx: Context) -> Sequence[str]:
        return [f"{event.event_id}#{f}" for f in METRIC_FACTS.get(event.type, ()) if f in event.facts]

    def derive(self, key: str, claims: Sequence[Claim], known: Sequence[Event], ctx: Context) -> dict[str, Any] | None:
        claim = claims[0]
        fact = key.rsplit("#", 1)[1]
        row = _claim_row(claim, ctx, metric=fact, raw=claim.event.facts[fact],
                         value=hedged(display(claim.event.facts[fact]), claim.event.stance),
                         context=context_of(claim.event.facts))
        row["id"] = key
        return row

    def sort_rows(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted(rows, key=lambda r: (r["subject"], r["metric"], r["earliest"] or "", r["latest"] or "~", r["id"]))


def period_of(event: Event, by: str) -> str:
    """The quarter, half or year an event falls in; a visible "unknown" row when it spans several."""
    return period_at(event.when, by)


def period_at(when: FuzzyDate, by: str) -> str:
    """:func:`period_of` an event with this date."""
    lo, hi = when.earliest, when.latest
    if lo is None or hi is None:
        year = (hi or lo)
        return f"{year.year} or before (date open)" if year else "date unknown"
    if lo.year != hi.year:
        return f"{lo.year}–{hi.year} (year unknown)"
    if by == "year":
        return str(lo.year)
    size = 3 if by == "quarter" else 6
    label = "Q" if by == "quarter" else "H"
    first, last = (lo.month - 1) // size + 1, (hi.month - 1) // size + 1
    if first != last:
        return f"{lo.year} ({by} unknown)"
    return f"{lo.year}-{label}{first}"


class Talent(Projection):
    name = "talent"
    # 2: a licence is read as an openness where conflicts are found (a row's ⚠)
    # 3: as models 7
    # 4: as models 8
    version = 4
    title = "Talent moves"
    columns = ("period", "person", "from_org", "to_org", "role", "when")
    # One row per claim, derived from the claim alone.
    future_types: frozenset[str] = frozenset()

    def __init__(self, by: str = "quarter") -> None:
        self.by = by

    def keys(self, event: Event, ctx: Context) -> Sequence[str]:
        return (event.event_id,) if event.type == "talent_move" else ()

    def derive(self, key: str, claims: Sequence[Claim], known: Sequence[Event], ctx: Context) -> dict[str, Any] | None:
        claim = claims[0]
        facts = claim.event.facts
        person = facts.get("person", claim.event.subject)
        return _claim_row(
            claim, ctx, period=period_of(claim.event, self.by), person=ctx.name_of(person),
            from_org=ctx.name_of(facts.get("from_org")) if facts.get("from_org") else None,
            to_org=ctx.name_of(facts.get("to_org")) if facts.get("to_org") else None,
            role=facts.get("role"), count=facts.get("count"),
        )

    def sort_rows(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        # Known periods in order, then the rows whose period is unknown.
        return sorted(rows, key=lambda r: ("unknown" in r["period"] or "open" in r["period"], r["period"],
                                           r["earliest"] or "", r["id"]))


class Timeline(Projection):
    name = "timeline"
    # 2: as metrics 2
    # 3: as orgs 3
    # 4: as models 7
    # 5: as models 8
    version = 5
    title = "Timeline"
    columns = ("when", "type", "subject_name", "certainty", "summary")
    # One row per claim, derived from the claim alone.
    future_types: frozenset[str] = frozenset()

    def keys(self, event: Event, ctx: Context) -> Sequence[str]:
        return () if event.type in CORRECTION_TYPES else (event.event_id,)

    def derive(self, key: str, claims: Sequence[Claim], known: Sequence[Event], ctx: Context) -> dict[str, Any] | None:
        claim = claims[0]
        facts = claim.event.facts
        return _claim_row(claim, ctx, facts=dict(facts), summary=hedged(summary_of(facts), claim.event.stance),
                          entities=list(claim.event.entities))

    def sort_rows(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted(rows, key=lambda r: (r["earliest"] or "", r["latest"] or "~", r["id"]))
