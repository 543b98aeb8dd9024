"""Conflicts: claims about the same subject and fact that disagree.

Derived, never stored. Two claims from different documents disagree when
their values differ — for facts that change over time (downloads,
valuations), only when their dates overlap and they measure the same thing:
values at different times are a series, not a disagreement (DESIGN, truth
rule 5), and the dates compared are those an answer reads (an undated state
holds as of its source's date: ``chronicle.reading``) — or, for releases,
when their date intervals do not overlap. A claim's openness is the one the
models projection reads: the source's word, or what its licence grants
(``chronicle.licences``). A ``claim_ranked`` event settles a conflict: a
preferred claim, or all rivals but one deprecated.

Every answer that flags a disagreement (the ⚠ of as-of rows, the read-model
tables, the timeline page, HTTP) asks this module.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from chronicle.events import CORRECTION_TYPES, FACTS, Event
from chronicle.licences import OPENNESS_FACTS, claimed_openness
from chronicle.projections.models import RELEASE_TYPES
from chronicle.projections.series import CONTEXT_FACTS
from chronicle.projections.values import display, hedged

#: Facts that qualify a claim rather than make one.
NOT_CLAIMS = frozenset(CONTEXT_FACTS) | {"benchmark", "status", "reason", "target", "rank_value", "replacement",
                                         "link"}  # the source a claim cites says nothing of its subject
RELEASE_DATE = "release date"
OPENNESS = "openness"


@dataclass(frozen=True)
class Conflict:
    subject: str
    fact: str
    claims: tuple[dict[str, Any], ...]
    settled: bool
    settled_by: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"subject": self.subject, "fact": self.fact, "claims": list(self.claims),
                "settled": self.settled, "settled_by": list(self.settled_by)}


def _claim(event: Event, value: Any, ranks: Mapping[str, tuple[str, str]]) -> dict[str, Any]:
    rank = ranks.get(event.event_id)
    return {
        "event": event.event_id, "value": value, "display": hedged(display(value), event.stance),
        "stance": event.stance, "document": event.document, "quote": event.evidence.quote, "when": event.when.edtf,
        "rank": rank[0] if rank else "normal", "rank_reason": rank[1] if rank else None,
    }


def _same_thing(a: Event, b: Event) -> bool:
    """Whether two numbers measure the same thing: no context fact that both state differs.

    A context a source leaves out is unknown, not different: "over 400 million
    downloads" and "over 600 million global downloads" are rival totals. A
    platform is the exception: a count on one platform ("near-zero usage" on
    OpenRouter) is never the same number as one that names no platform ("1.2%
    of global AI usage").
    """
    if a.facts.get("platform") != b.facts.get("platform"):
        return False
    return all(a.facts[f] == b.facts[f] for f in CONTEXT_FACTS if f in a.facts and f in b.facts)


def _disagree(fact: str, a: tuple[Event, Any], b: tuple[Event, Any]) -> bool:
    (ea, va), (eb, vb) = a, b
    if ea.document == eb.document:
        return False
    if fact == RELEASE_DATE:
        return not ea.when.overlaps(eb.when)
    if va == vb:
        return False
    spec = FACTS.get(fact)
    if spec is not None and spec.series:
        return ea.when.overlaps(eb.when) and _same_thing(ea, eb)
    return True


Item = tuple[Event, Any]


def _involved(fact: str, items: list[Item]) -> dict[str, Item]:
    """The claims that disagree with at least one other claim of the group.

    Comparing every pair is quadratic, and a busy subject has thousands of
    claims of one fact; two common cases need only counting. The answer is
    the same as from :func:`_disagree` over every pair.
    """
    spec = FACTS.get(fact)
    if fact == RELEASE_DATE:
        return _apart(items)
    if spec is None or not spec.series:
        return _differ(items)
    involved: dict[str, Item] = {}
    for i, a in enumerate(items):
        a_in = a[0].event_id in involved
        for b in items[i + 1:]:
            if a_in and b[0].event_id in involved:
                continue  # nothing left to learn from this pair
            if _disagree(fact, a, b):
                involved[a[0].event_id] = a
                involved[b[0].event_id] = b
                a_in = True
    return involved


def _frozen(value: Any) -> Any:
    """A hashable stand-in that is equal exactly when the values are (==)."""
    if type(value) is str:
        return value
    if isinstance(value, dict):
        return ("dict", tuple(sorted((k, _frozen(v)) for k, v in value.items())))
    if isinstance(value, list):
        return ("list", tuple(_frozen(v) for v in value))
    return value


def _differ(items: list[Item]) -> dict[str, Item]:
    """Facts that do not change over time: a claim disagrees when another document gives another value."""
    keys = [_frozen(v) for _, v in items]
    by_value = Counter(keys)
    documents = [e.evidence.document for e, _ in items]
    by_document = Counter(documents)
    by_both = Counter(zip(documents, keys))
    total = len(items)
    return {
        e.event_id: (e, v)
        for (e, v), k, d in zip(items, keys, documents)
        # claims with another value, less those of the same document
        if (total - by_value[k]) - (by_document[d] - by_both[(d, k)]) > 0
    }


def _two_best(pairs: list[tuple[Any, str]], better: Any) -> list[tuple[Any, str]]:
    """The best value and the best from another document (value, document)."""
    best: list[tuple[Any, str]] = []
    for value, doc in pairs:
        if not best or better(value, best[0][0]):
            if best and best[0][1] != doc:
                best = [(value, doc), best[0]]
            else:
                best = [(value, doc), *best[1:]]
        elif best[0][1] != doc and (len(best) == 1 or better(value, best[1][0])):
            best = [best[0], (value, doc)]
    return best


def _apart(items: list[Item]) -> dict[str, Item]:
    """Release dates: a claim disagrees when another document's date cannot overlap it."""
    starts = _two_best([(e.when.earliest, e.document) for e, _ in items if e.when.earliest is not None],
                       lambda x, y: x > y)
    ends = _two_best([(e.when.latest, e.document) for e, _ in items if e.when.latest is not None],
                     lambda x, y: x < y)

    def other(best: list[tuple[Any, str]], doc: str) -> Any:
        for value, owner in best:
            if owner != doc:
                return value
        return None

    involved: dict[str, Item] = {}
    for e, v in items:
        later = other(starts, e.document)  # the latest start elsewhere
        earlier = other(ends, e.document)  # the earliest end elsewhere
        if (e.when.latest is not None and later is not None and later > e.when.latest) or (
                e.when.earliest is not None and earlier is not None and earlier < e.when.earliest):
            involved[e.event_id] = (e, v)
    return involved


def rival_facts(facts: Iterable[str]) -> set[str]:
    """The facts over which a claim stating ``facts`` can disagree with a claim stating one of them.

    An openness is read from any of ``OPENNESS_FACTS``: a licence can
    disagree with a stated openness.
    """
    found = {f for f in facts if f not in NOT_CLAIMS}
    return found | OPENNESS_FACTS if found & OPENNESS_FACTS else found


def _groups(events: Iterable[Event]) -> list[tuple[tuple[str, str], list[Item]]]:
    """Claims grouped by subject and fact, groups and claims in a stable order."""
    groups: dict[tuple[str, str], list[Item]] = {}
    for event in events:
        if event.type in CORRECTION_TYPES:
            continue
        for fact, value in event.facts.items():
            if fact not in NOT_CLAIMS and fact != OPENNESS:
                groups.setdefault((event.subject, fact), []).append((event, value))
        openness = claimed_openness(event.facts)
        if openness is not None:
            groups.setdefault((event.subject, OPENNESS), []).append((event, openness))
        if event.type in RELEASE_TYPES:
            groups.setdefault((event.subject, RELEASE_DATE), []).append((event, event.when.edtf))
    out = sorted(groups.items())
    for _, items in out:
        items.sort(key=lambda x: x[0].event_id)
    return out


def _rank(ranks: Mapping[str, tuple[str, str]], event_id: str) -> str:
    rank = ranks.get(event_id)
    return rank[0] if rank else "normal"


def find_conflicts(events: Iterable[Event], ranks: Mapping[str, tuple[str, str]]) -> list[Conflict]:
    """Every set of disagreeing claims, grouped by subject and fact, in a stable order."""
    found = []
    for (subject, fact), items in _groups(events):
        involved = _involved(fact, items)
        if not involved:
            continue
        claims = tuple(_claim(e, v, ranks) for e, v in (involved[k] for k in sorted(involved)))
        preferred = tuple(c["event"] for c in claims if c["rank"] == "preferred")
        standing = [c for c in claims if c["rank"] != "deprecated"]
        settled = bool(preferred) or len(standing) <= 1
        by = preferred or tuple(c["event"] for c in claims if c["rank"] == "deprecated") if settled else ()
        found.append(Conflict(subject, fact, claims, settled, tuple(by)))
    return found


def unsettled_events(events: Iterable[Event], ranks: Mapping[str, tuple[str, str]]) -> set[str]:
    """``conflicting_events(find_conflicts(...))`` without building the conflicts' claims."""
    out: set[str] = set()
    for (_, fact), items in _groups(events):
        involved = _involved(fact, items)
        if not involved:
            continue
        found = [_rank(ranks, k) for k in involved]
        if "preferred" in found or sum(r != "deprecated" for r in found) <= 1:
            continue  # settled
        out.update(involved)
    return out


def conflicting_events(conflicts: Sequence[Conflict]) -> set[str]:
    """Event ids that take part in an unsettled conflict."""
    return {c["event"] for conflict in conflicts if not conflict.settled for c in conflict.claims}


def rivals(claim: Event, events: Iterable[Event]) -> set[str]:
    """The ids of the claims among ``events`` that disagree with ``claim`` (as :func:`find_conflicts` pairs them).

    What a claim ranked preferred outranks: the conflicts it takes part in
    are settled in its favour.
    """
    mine = {fact: items[0] for (_, fact), items in _groups([claim])}
    out: set[str] = set()
    for (subject, fact), items in _groups(events):
        if subject != claim.subject or fact not in mine:
            continue
        out.update(e.event_id for e, v in items
                   if e.event_id != claim.event_id and _disagree(fact, mine[fact], (e, v)))
    return out
