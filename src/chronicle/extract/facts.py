"""Which entities a claim is about, and which numbers become its facts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from chronicle.extract.entities import Mention
from chronicle.extract.numbers import Quantity

# The entity kinds that can be the subject of each type, most wanted first.
SUBJECT_KINDS: dict[str, tuple[str, ...]] = {
    "model_release": ("model", "model-family", "product", "org"),
    "model_announcement": ("model", "model-family", "org"),
    "benchmark_claim": ("model", "model-family", "product"),
    "license": ("model", "model-family"),
    "price": ("model", "model-family", "product", "org"),
    "training_cost": ("model", "model-family"),
    "funding": ("org",),
    "valuation": ("org",),
    "revenue": ("org", "product"),
    "ipo": ("org",),
    "downloads": ("model-family", "model", "product", "org"),
    "usage_share": ("model-family", "model", "country", "chip", "product", "org"),
    "user_count": ("product", "model-family", "model", "org"),
    "talent_move": ("person",),
    "policy": ("agency", "country"),
    "chip_hardware": ("chip", "product", "org"),
    "infrastructure": ("org", "product", "country"),
    "market_reaction": ("model", "product", "org"),
    "app_ranking": ("product", "model", "org"),
    "partnership": ("org",),
    "product_launch": ("product", "model-family", "org"),
    "research_output": ("org", "model", "model-family", "country"),
}
# Kinds for which every named entity of the top kind is its own event
# ("Moore Threads and MetaX went public", "launched DeepSeek-V3 and DeepSeek-R1").
MANY_SUBJECTS = {"ipo", "model_release", "model_announcement"}
_POSITION_FIRST = {"usage_share", "other", "research_output"}
# Types whose subject is the actor, named before the verb ("Manus raised ...
# from Benchmark Capital"): names after the cue are counterparts.
AGENT_TYPES = {"funding", "valuation", "revenue", "ipo", "partnership", "talent_move", "policy", "benchmark_claim",
               "user_count", "market_reaction", "license", "app_ranking", "research_output", "chip_hardware", "infrastructure"}


def subjects(kind: str, mentions: Sequence[Mention], stop: int | None = None) -> list[Mention]:
    """The subject(s) for an event of ``kind`` among the sentence's mentions.

    ``stop`` is where the cue is: for actor types, and for releases (which
    stop at a comparison), names before it are preferred.
    """
    wanted_kinds = SUBJECT_KINDS.get(kind)
    before = [m for m in mentions if stop is None or m.start < stop]
    if wanted_kinds is not None and not any(m.kind in wanted_kinds for m in before):
        before = []
    usable = before or list(mentions)
    wanted = SUBJECT_KINDS.get(kind)
    if wanted is None or kind in _POSITION_FIRST:
        allowed = [m for m in usable if wanted is None or m.kind in wanted]
        return allowed[:1]
    for entity_kind in wanted:
        of_kind = [m for m in usable if m.kind == entity_kind]
        if of_kind:
            if kind in MANY_SUBJECTS:
                return list({m.slug: m for m in of_kind}.values())[:3]
            return of_kind[:1]
    return []


def nearest_before(mentions: Sequence[Mention], at: int, kinds: Sequence[str]) -> Mention | None:
    """The mention of one of ``kinds`` closest before ``at`` (else the first after it)."""
    pool = [m for m in mentions if m.kind in kinds]
    before = [m for m in pool if m.start < at]
    if before:
        return max(before, key=lambda m: m.start)
    return pool[0] if pool else None


def _nearest(qs: Sequence[Quantity], at: int, kinds: Sequence[str]) -> Quantity | None:
    pool = [q for q in qs if q.kind in kinds]
    return min(pool, key=lambda q: abs(q.start - at)) if pool else None


_LOSS = re.compile(r"\b(?:wip\w+|erase\w*|lost|los(?:s|ing)|fell|drop\w*|plung\w*|sell-?off|slump\w*|tumbl\w+|down)\b", re.I)
_OPEN = re.compile(r"\b(open-weights?|open-source|open source)\b", re.I)
_LICENSE = re.compile(r"\b(MIT|Apache(?: 2\.0)?|GPL(?:-?3\.0)?|CC BY(?:-[A-Z]+)*)\b")
_EXCHANGE = re.compile(r"\b(Hong Kong|Shanghai|Shenzhen|Nasdaq|NYSE|New York|STAR Market)\b")
_PLATFORM = re.compile(r"\b(Hugging ?Face|OpenRouter|App Store|Google Play)\b")
_MATCH = re.compile(r"\b(?:match\w*|parity|on par|rival\w*|comparable|equivalent|near(?:ing|ly)? (?:those|the level))\b", re.I)


def facts_for(kind: str, sentence: str, offset: int, cue_at: int, quantities: Sequence[Quantity],
              subject: Mention, mentions: Sequence[Mention], index: int = 0) -> dict[str, Any] | None:
    """The facts of a claim, or None when the type's required number is absent."""
    facts: dict[str, Any] = {}
    at = offset + cue_at
    money = [q for q in quantities if q.kind == "money"]
    if kind in ("funding", "valuation", "revenue", "training_cost"):
        q = _nearest(money, at, ("money",))
        if q is None:
            return None
        facts[{"funding": "amount"}.get(kind, kind)] = q.fact()
        if kind == "revenue" and re.search(r"\bARR\b", sentence):
            facts["metric"] = "ARR"
    elif kind == "market_reaction":
        q = _nearest(money, at, ("money",))
        if q is not None:
            facts["market_value_change"] = q.fact(-1 if _LOSS.search(sentence) else 1)
    elif kind == "price":
        priced = [q for q in quantities if q.kind == "price"]
        for q in priced:
            name = {"input": "price_input", "output": "price_output"}.get(q.side or "", "price")
            facts.setdefault(name, q.fact())
        ratio = _nearest(quantities, at, ("ratio",))
        if ratio is not None and ratio.value < 1:
            facts["price_ratio"] = ratio.fact()
    elif kind == "downloads":
        q = _nearest(quantities, at, ("downloads",))
        if q is not None:
            facts["downloads"] = q.fact()
        elif re.search(r"\bmost[- ]downloaded\b", sentence, re.I):
            # "the most downloaded series": first by downloads, no count given.
            facts.update({"rank": {"value": 1, "unit": "rank"}, "metric": "downloads"})
        else:
            return None
        d = _nearest(quantities, at, ("derivatives",))
        if d is not None:
            facts["derivatives"] = d.fact()
    elif kind == "usage_share":
        q = _nearest(quantities, at, ("percent",))
        if q is None:
            return None
        facts["share"] = q.fact()
        facts["metric"] = "downloads" if re.search(r"download", sentence, re.I) else "usage"
    elif kind == "user_count":
        q = _nearest(quantities, at, ("users",))
        if q is None:
            return None
        facts["users"] = q.fact()
    elif kind == "ipo":
        percents = [q for q in quantities if q.kind == "percent"]
        if len(percents) > index:
            facts["change"] = percents[index].fact()
        exchange = _EXCHANGE.search(sentence)
        if exchange:
            facts["exchange"] = exchange[1]
    elif kind in ("model_release", "model_announcement"):
        for q in quantities:
            if q.kind == "params":
                facts.setdefault("active_parameters" if q.side == "active" else "parameters", q.fact())
        opened = _OPEN.search(sentence)
        if opened:
            facts["openness"] = opened[1].lower().replace(" ", "-").replace("weights", "weight")
    elif kind == "license":
        found = _LICENSE.search(sentence)
        if found:
            facts["license"] = found[1]
    elif kind == "benchmark_claim":
        others = sorted({m.slug for m in mentions if m.slug != subject.slug and m.start > subject.start
                         and m.kind in ("model", "model-family", "product")})
        if others:
            facts["matched_model" if _MATCH.search(sentence) else "outperformed_model"] = others
    if kind in ("usage_share", "downloads"):
        platform = _PLATFORM.search(sentence)
        if platform:
            facts["platform"] = "Hugging Face" if platform[1].lower().startswith("hugging") else platform[1]
    return facts
