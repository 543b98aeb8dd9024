"""The domain: documents, entities, events and the type registry.

Plain frozen dataclasses. This module imports nothing from the database or
YAML layers; it knows only the fuzzy date type.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from chronicle.fuzzydate import FuzzyDate

CERTAINTIES = ("reported", "forecast", "opinion")
DOCUMENT_KINDS = ("news", "primary", "database")
ENTITY_KINDS = ("org", "model", "model-family", "person", "product", "chip", "country", "agency")

#: Event types, each with the version of its payload schema.
EVENT_TYPES: dict[str, int] = {
    name: 1
    for name in (
        "model_release", "model_announcement", "benchmark_claim", "license", "funding",
        "valuation", "revenue", "ipo", "downloads", "usage_share", "user_count",
        "market_reaction", "talent_move", "chip_hardware", "infrastructure", "policy",
        "partnership", "product_launch", "app_ranking", "research_output", "price",
        "training_cost", "other",
        # corrections: history is never edited, it is amended by new events
        "event_retracted", "event_superseded", "claim_ranked",
    )
}
CORRECTION_TYPES = frozenset({"event_retracted", "event_superseded", "claim_ranked"})

#: How the source stands behind a claim. ``asserted`` (the default) is said
#: as fact; ``reportedly`` passes on what others report; ``claimed`` is the
#: subject's own claim; ``anticipated`` is planned or expected; ``delayed``
#: and ``denied`` negate the claim: a delayed or denied release is no release.
STANCES = ("asserted", "reportedly", "claimed", "anticipated", "delayed", "denied")
ASSERTED = "asserted"
#: Stances that say the thing did not happen (yet): such a claim holds as of its source's date.
NEGATING = frozenset({"delayed", "denied"})
RANKS = ("preferred", "normal", "deprecated")


@dataclass(frozen=True, slots=True)
class FactSpec:
    """What one named fact holds.

    ``kind`` is ``quantity`` (value + unit + op), ``text``, ``entity`` (a slug),
    ``entities`` (a list of slugs), ``list`` (a list of strings), ``flag``
    (true/false) or ``number``. ``units`` limits the units of a quantity.
    ``series`` marks facts that change over time (downloads, valuation): two
    different values are a conflict only when their dates overlap.
    """

    kind: str
    units: tuple[str, ...] = ()
    series: bool = False


MONEY = ("USD", "CNY", "EUR")
UNITS = frozenset(MONEY + ("count", "percent", "params", "tokens", "FLOP", "USD/Mtok", "CNY/Mtok",
                           "ratio", "rank", "years", "GW", "MW", "FLOP/s"))
QUANTITY_OPS = ("=", "<", "<=", ">", ">=", "~")

FACTS: dict[str, FactSpec] = {
    # money
    "amount": FactSpec("quantity", MONEY),
    "valuation": FactSpec("quantity", MONEY, series=True),
    "revenue": FactSpec("quantity", MONEY, series=True),
    "training_cost": FactSpec("quantity", MONEY),
    "market_value_change": FactSpec("quantity", MONEY),
    "investment": FactSpec("quantity", MONEY),
    # prices
    "price_input": FactSpec("quantity", ("USD/Mtok", "CNY/Mtok"), series=True),
    "price_output": FactSpec("quantity", ("USD/Mtok", "CNY/Mtok"), series=True),
    "price": FactSpec("quantity", MONEY + ("USD/Mtok", "CNY/Mtok"), series=True),
    "price_ratio": FactSpec("quantity", ("ratio",)),
    # model facts
    "parameters": FactSpec("quantity", ("params",)),
    "active_parameters": FactSpec("quantity", ("params",)),
    "training_tokens": FactSpec("quantity", ("tokens",)),
    "training_compute": FactSpec("quantity", ("FLOP",)),
    "context_length": FactSpec("quantity", ("tokens",)),
    "license": FactSpec("text"),
    "openness": FactSpec("text"),
    "open_weights": FactSpec("flag"),
    "modalities": FactSpec("list"),
    "architecture": FactSpec("text"),
    "base_model": FactSpec("entity"),
    "base_models": FactSpec("entities"),  # when a source names several (a merge, an adapter)
    "matched_model": FactSpec("entities"),
    "outperformed_model": FactSpec("entities"),
    "benchmark": FactSpec("text"),
    "score": FactSpec("quantity", ("percent", "count", "rank")),
    # adoption
    "downloads": FactSpec("quantity", ("count",), series=True),
    "derivatives": FactSpec("quantity", ("count",), series=True),
    "users": FactSpec("quantity", ("count",), series=True),
    "share": FactSpec("quantity", ("percent",), series=True),
    "rank": FactSpec("quantity", ("rank",), series=True),
    "count": FactSpec("quantity", ("count",)),
    "change": FactSpec("quantity", ("percent",)),
    "multiple": FactSpec("quantity", ("ratio",)),
    "capacity": FactSpec("quantity", ("GW", "MW", "count")),
    "compute_performance": FactSpec("quantity", ("FLOP/s",)),
    # people and organisations
    "person": FactSpec("entity"),
    "from_org": FactSpec("entity"),
    "to_org": FactSpec("entity"),
    "role": FactSpec("text"),
    "partner": FactSpec("entities"),
    "investors": FactSpec("entities"),
    "organizations": FactSpec("entities"),  # every org a source credits, e.g. a database row's
    "countries": FactSpec("list"),  # ISO 3166 alpha-2 codes where known, else the source's word
    "exchange": FactSpec("text"),
    # context of a number
    "platform": FactSpec("text"),
    "market": FactSpec("text"),
    "scope": FactSpec("text"),
    "metric": FactSpec("text"),
    "product": FactSpec("text"),
    "status": FactSpec("text"),
    # a database row's own words about itself
    "accessibility": FactSpec("text"),  # the source's accessibility category, verbatim
    "confidence": FactSpec("text"),  # the source's confidence in its row
    "link": FactSpec("text"),  # the primary source the row cites
    # corrections
    "target": FactSpec("text"),
    "reason": FactSpec("text"),
    "rank_value": FactSpec("text"),
    "replacement": FactSpec("text"),
}

#: Facts a type cannot do without. Adoption claims may come without a number
#: ("the most downloaded series"); a valuation or revenue claim may not.
REQUIRED_FACTS: dict[str, tuple[str, ...]] = {
    "valuation": ("valuation",),
    "revenue": ("revenue",),
    "training_cost": ("training_cost",),
    "event_retracted": ("target", "reason"),
    "event_superseded": ("target", "replacement", "reason"),
    "claim_ranked": ("target", "rank_value", "reason"),
}


#: Upcasters turn the facts of an old payload version into the next version's;
#: they run when events are read, so stored rows are never rewritten.
Upcaster = Callable[[dict[str, Any]], dict[str, Any]]
UPCASTERS: dict[tuple[str, int], Upcaster] = {}


def upcast(event_type: str, version: int, facts: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """Bring ``facts`` from ``version`` up to the type's current payload version."""
    while (event_type, version) in UPCASTERS:
        facts = UPCASTERS[(event_type, version)](facts)
        version += 1
    return facts, version


@dataclass(frozen=True, slots=True)
class Entity:
    slug: str
    kind: str
    name: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    org: str | None = None
    family: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "slug": self.slug, "kind": self.kind, "name": self.name,
            "aliases": list(self.aliases), "country": self.country,
            "org": self.org, "family": self.family,
        }


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    title: str
    publisher: str | None
    url: str | None
    published: FuzzyDate | None
    window: FuzzyDate | None
    sha256: str | None
    text_name: str | None
    kind: str = "news"
    #: The period the document says its claims belong to ("China's AI milestones in 2025"):
    #: an undated occurrence in it happened no earlier than the frame's start.
    frame: FuzzyDate | None = None

    @property
    def dated(self) -> FuzzyDate:
        """The publication date, or the derived window of an undated document."""
        if self.published is not None:
            return self.published
        assert self.window is not None, "a document without a date carries a window"
        return self.window

    @property
    def known_from(self) -> date | None:
        """The first day by which the document was surely public (knowledge time)."""
        return self.dated.latest

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "title": self.title, "publisher": self.publisher, "url": self.url,
            "published": self.published.to_dict() if self.published else None,
            "window": self.window.to_dict() if self.window else None,
            "sha256": self.sha256, "text": self.text_name, "kind": self.kind,
            "frame": self.frame.to_dict() if self.frame else None,
        }


def web_url(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) address, else None.

    The only addresses chronicle accepts for a document and ever writes as a
    link: never ``javascript:``, ``data:``, ``file:`` or a relative link, and
    nothing with a space or a control character in it.
    """
    if not url:
        return None
    text = url.strip()
    try:
        parts = urlsplit(text)
    except ValueError:  # an unbalanced [ in the host
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    if any(c.isspace() or c <= "\x1f" or "\x7f" <= c <= "\x9f" for c in text):
        return None
    return text


@dataclass(frozen=True, slots=True)
class Evidence:
    document: str
    quote: str
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"document": self.document, "quote": self.quote, "start": self.start, "end": self.end}


def event_id(document_id: str, local_id: str) -> str:
    """Event ids are deterministic: the same file always yields the same ids."""
    return f"{document_id}:{local_id}"


@dataclass(frozen=True, slots=True)
class Event:
    """One dated claim from one document.

    ``seq``, ``stream_version`` and ``recorded_at`` are given by the store when
    the event is appended; they are ``None`` on an event not yet stored.
    """

    event_id: str
    type: str
    subject: str
    when: FuzzyDate
    certainty: str
    evidence: Evidence
    facts: Mapping[str, Any] = field(default_factory=dict)
    entities: tuple[str, ...] = ()
    schema_version: int = 1
    seq: int | None = None
    stream_version: int | None = None
    recorded_at: datetime | None = None
    #: How the source stands behind the claim (one of ``STANCES``).
    stance: str = ASSERTED
    #: The annotator's note on the event (not a claim of the source).
    note: str | None = None

    @property
    def document(self) -> str:
        return self.evidence.document

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "event_id": self.event_id,
            "type": self.type,
            "subject": self.subject,
            "stream_version": self.stream_version,
            "entities": list(self.entities),
            "when": self.when.to_dict(),
            "certainty": self.certainty,
            "facts": dict(self.facts),
            "document": self.evidence.document,
            "quote": self.evidence.quote,
            "offsets": [self.evidence.start, self.evidence.end] if self.evidence.start is not None else None,
            "schema_version": self.schema_version,
            "recorded_at": self.recorded_at.isoformat() if self.recorded_at else None,
            "stance": self.stance,
            "note": self.note,
        }


# -- stored rows -----------------------------------------------------------------
#
# The store rebuilds millions of events from rows it wrote itself. A frozen
# dataclass's __init__ sets each field through object.__setattr__ and, with
# keywords, matches twelve names per call (3 µs an event). The builders below
# fill a plain class with the very same slots by ordinary attribute stores,
# then make the object what it is by assigning its __class__ (Python allows
# that between classes of one layout): under 0.5 µs, and the result is an
# Event in every respect, frozen like any other. They check nothing: only for
# values read back from the store.


class _EventSlots:
    __slots__ = Event.__slots__


class _EvidenceSlots:
    __slots__ = Evidence.__slots__


def stored_event(
    event_id: str, type: str, subject: str, when: FuzzyDate, certainty: str, evidence: Evidence,
    facts: Mapping[str, Any], entities: tuple[str, ...], schema_version: int, seq: int | None,
    stream_version: int | None, recorded_at: datetime | None, stance: str = ASSERTED, note: str | None = None,
) -> Event:
    """``Event(...)`` with every field given, for a stored row."""
    event: Any = _EventSlots()
    event.event_id = event_id
    event.type = type
    event.subject = subject
    event.when = when
    event.certainty = certainty
    event.evidence = evidence
    event.facts = facts
    event.entities = entities
    event.schema_version = schema_version
    event.seq = seq
    event.stream_version = stream_version
    event.recorded_at = recorded_at
    event.stance = stance
    event.note = note
    event.__class__ = Event
    return event  # type: ignore[no-any-return]


def stored_evidence(document: str, quote: str, start: int | None, end: int | None) -> Evidence:
    """``Evidence(...)`` with every field given, for a stored row."""
    evidence: Any = _EvidenceSlots()
    evidence.document = document
    evidence.quote = quote
    evidence.start = start
    evidence.end = end
    evidence.__class__ = Evidence
    return evidence  # type: ignore[no-any-return]
