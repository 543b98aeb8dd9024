"""Raw records from events files to domain objects, collecting every problem.

Validation never stops at the first problem: it reports each one as
``file:line: field: message`` so that a person can fix a file in one pass.
A file with any problem yields no events at all.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from chronicle.errors import FuzzyDateError, Problem
from chronicle.eventfiles import line_of
from chronicle.events import (
    ASSERTED,
    CERTAINTIES,
    CORRECTION_TYPES,
    DOCUMENT_KINDS,
    ENTITY_KINDS,
    EVENT_TYPES,
    FACTS,
    NEGATING,
    QUANTITY_OPS,
    REQUIRED_FACTS,
    STANCES,
    UNITS,
    Document,
    Entity,
    Event,
    Evidence,
    event_id,
    web_url,
)
from chronicle.fuzzydate import FuzzyDate, Precision, context_date, framed_date, parse, parse_edtf
from chronicle.reading import STATE_TYPES

SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]{0,199}$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
MAX_QUOTE_WORDS = 25
EVENT_KEYS = {"id", "type", "subject", "entities", "when", "certainty", "stance", "facts", "quote",
              "status", "confidence", "offsets", "note"}
DOCUMENT_KEYS = {"id", "title", "publisher", "url", "published", "window", "kind", "text", "sha256", "frame"}
ENTITY_KEYS = {"slug", "kind", "name", "aliases", "country", "org", "family"}
STATUSES = ("draft", "reviewed")


@dataclass(frozen=True)
class EventsFile:
    """A validated events file: its document and its events, ready to append."""

    path: Path
    document: Document
    events: tuple[Event, ...]
    drafts: tuple[str, ...] = ()
    text_found: bool = False


class _Problems:
    def __init__(self, path: Path) -> None:
        self.name = str(path)
        self.items: list[Problem] = []

    def add(self, line: int, field: str, message: str) -> None:
        self.items.append(Problem(self.name, line, field, message))


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_finite(value: int | float) -> bool:
    # An integer too large for a float (10**400) is not a usable quantity and
    # would make math.isfinite raise OverflowError.
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _clean_number(value: int | float) -> int | float:
    # 6000000.0 and 6000000 are one value: store the integer form so that the
    # same fact always serialises (and hashes) the same way.
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def text_search_dirs(events_path: Path, documents_dirs: Sequence[Path]) -> list[Path]:
    """Where a document's text may be: beside its events file, the given
    folders, $CHRONICLE_DOCUMENTS, and ``../shared/seeds`` for the seed corpus."""
    dirs = [events_path.parent, *documents_dirs]
    dirs += [Path(p) for p in os.environ.get("CHRONICLE_DOCUMENTS", "").split(os.pathsep) if p]
    dirs += [events_path.resolve().parent.parent.parent / "shared" / "seeds", Path.cwd().parent / "shared" / "seeds"]
    return dirs


def find_text(events_path: Path, name: str, documents_dirs: Sequence[Path]) -> Path | None:
    if not name or Path(name).name != name:
        return None
    for folder in text_search_dirs(events_path, documents_dirs):
        candidate = folder / name
        try:
            if candidate.is_file():
                return candidate
        except OSError:  # a name the file system cannot hold (too long, ...)
            return None
    return None


# -- entities ---------------------------------------------------------------------


def validate_entities(path: Path, data: Any, known: Mapping[str, Entity]) -> tuple[list[Entity], list[Problem]]:
    """Check an entities file; ``known`` are entities already in the store."""
    p = _Problems(path)
    if not isinstance(data, Mapping) or not isinstance(data.get("entities"), list):
        p.add(line_of(data), "entities", "expected a mapping with an `entities:` list")
        return [], p.items
    raw_items = data["entities"]
    slugs_here: dict[str, int] = {}
    for item in raw_items:
        if isinstance(item, Mapping) and isinstance(item.get("slug"), str):
            if item["slug"] in slugs_here:
                p.add(line_of(item, "slug"), "slug", f"duplicate slug {item['slug']!r} (first on line {slugs_here[item['slug']]})")
            else:
                slugs_here[item["slug"]] = line_of(item, "slug")
    all_slugs = set(known) | set(slugs_here)
    found: list[Entity] = []
    for item in raw_items:
        if not isinstance(item, Mapping):
            p.add(line_of(data, "entities"), "entities", "each entity must be a mapping")
            continue
        line = line_of(item)
        for key in sorted(set(item) - ENTITY_KEYS):
            p.add(line_of(item, key), key, f"unknown field (allowed: {', '.join(sorted(ENTITY_KEYS))})")
        slug, kind, name = item.get("slug"), item.get("kind"), item.get("name")
        ok = True
        if not isinstance(slug, str) or not SLUG.match(slug):
            p.add(line_of(item, "slug"), "slug", f"{slug!r} is not a slug (lowercase letters, digits, . _ -)")
            ok = False
        if kind not in ENTITY_KINDS:
            p.add(line_of(item, "kind"), "kind", f"{kind!r} is not one of {', '.join(ENTITY_KINDS)}")
            ok = False
        if not isinstance(name, str) or not name.strip():
            p.add(line_of(item, "name"), "name", "a display name is required")
            ok = False
        aliases = item.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            p.add(line_of(item, "aliases"), "aliases", "must be a list of names")
            ok = False
        country = item.get("country")
        if country is not None and (not isinstance(country, str) or not re.fullmatch(r"[A-Z]{2}", country)):
            p.add(line_of(item, "country"), "country", f"{country!r} is not an ISO 3166 two-letter code such as CN")
            ok = False
        refs: dict[str, str | None] = {}
        for ref in ("org", "family"):
            value = item.get(ref)
            if value is not None and (not isinstance(value, str) or value not in all_slugs):
                p.add(line_of(item, ref), ref, f"unknown entity {value!r}")
                ok = False
            refs[ref] = value
        if ok:
            assert isinstance(slug, str) and isinstance(kind, str) and isinstance(name, str)
            found.append(Entity(slug=slug, kind=kind, name=name.strip(), aliases=tuple(aliases),
                                country=country, org=refs["org"], family=refs["family"]))
        del line
    return found, p.items


# -- events files -----------------------------------------------------------------


def _read_date(p: _Problems, owner: Any, key: str) -> FuzzyDate | None:
    value = owner.get(key)
    if value is None:
        return None
    try:
        return parse(str(value))
    except FuzzyDateError as exc:
        p.add(line_of(owner, key), key, exc.message)
        return None


def _validate_document(p: _Problems, path: Path, raw: Any, documents_dirs: Sequence[Path]) -> tuple[Document | None, str | None]:
    if not isinstance(raw, Mapping):
        p.add(line_of(raw), "document", "expected a `document:` mapping (id, title, published, ...)")
        return None, None
    for key in sorted(set(raw) - DOCUMENT_KEYS):
        p.add(line_of(raw, key), f"document.{key}", f"unknown field (allowed: {', '.join(sorted(DOCUMENT_KEYS))})")
    start = len(p.items)
    doc_id, title = raw.get("id"), raw.get("title")
    if not isinstance(doc_id, str) or not SLUG.match(doc_id):
        p.add(line_of(raw, "id"), "document.id", f"{doc_id!r} is not a slug (lowercase letters, digits, . _ -)")
    if not isinstance(title, str) or not title.strip():
        p.add(line_of(raw, "title"), "document.title", "a title is required")
    for key in ("publisher", "url", "text"):
        if raw.get(key) is not None and not isinstance(raw.get(key), str):
            p.add(line_of(raw, key), f"document.{key}", "must be text or null")
    url = raw.get("url")
    if isinstance(url, str) and web_url(url) is None:
        # Only http(s) addresses: a url is written as a link (TimelineJS, the
        # timeline page), and javascript:, data: or file: links must never be.
        p.add(line_of(raw, "url"), "document.url",
              f"{url!r} is not an http(s) address: give the https:// link, or null when the text gives none")
    kind = raw.get("kind", "news")
    if kind not in DOCUMENT_KINDS:
        p.add(line_of(raw, "kind"), "document.kind", f"{kind!r} is not one of {', '.join(DOCUMENT_KINDS)}")
    published = _read_date(p, raw, "published")
    window = _read_date(p, raw, "window")
    if raw.get("published") is None and raw.get("window") is None:
        p.add(line_of(raw), "document.published",
              "an undated document needs a `window:` (EDTF interval from the latest date it mentions to when it was added)")
    if window is not None and window.latest is None:
        p.add(line_of(raw, "window"), "document.window", "the window must have an end date")
    if published is not None and published.latest is None:
        p.add(line_of(raw, "published"), "document.published", "the publication date must have an end")
    frame = _read_date(p, raw, "frame")
    if frame is not None and frame.earliest is None:
        p.add(line_of(raw, "frame"), "document.frame", "a frame needs a start (e.g. 2025 for 'milestones in 2025')")
    sha = raw.get("sha256")
    if sha is not None and (not isinstance(sha, str) or not SHA256.match(sha)):
        p.add(line_of(raw, "sha256"), "document.sha256", "must be 64 lowercase hex digits")
        sha = None
    text: str | None = None
    name = raw.get("text")
    if isinstance(name, str):
        found = find_text(path, name, documents_dirs)
        if found is not None:
            data = found.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            if sha is not None and digest != sha:
                p.add(line_of(raw, "sha256"), "document.sha256", f"does not match {found} (its sha256 is {digest})")
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                p.add(line_of(raw, "text"), "document.text", f"{found} is not UTF-8 text")
    if len(p.items) > start:
        return None, text
    assert isinstance(doc_id, str) and isinstance(title, str)
    return Document(
        id=doc_id, title=title.strip(), publisher=raw.get("publisher"), url=raw.get("url"),
        published=published, window=window if published is None else None, sha256=sha,
        text_name=name, kind=kind, frame=frame,
    ), text


def _validate_when(p: _Problems, item: Mapping[str, Any], dated: FuzzyDate, forecast: bool) -> FuzzyDate | None:
    raw = item.get("when")
    line = line_of(item, "when")
    if raw is None:
        return _undated(dated)
    if isinstance(raw, str):
        raw = {"text": raw}
    if not isinstance(raw, Mapping):
        p.add(line, "when", "expected a mapping with `text` (and optionally `edtf`)")
        return None
    for key in sorted(set(raw) - {"text", "edtf"}):
        p.add(line_of(raw, key, line), f"when.{key}", "unknown field (allowed: text, edtf)")
    text = raw.get("text") or ""
    edtf = raw.get("edtf")
    if not isinstance(text, str) or (edtf is not None and not isinstance(edtf, str)):
        p.add(line, "when", "`text` and `edtf` must be text")
        return None
    # A corpus repeats its dates: each (text, edtf, document date, forecast)
    # is read once, problems included (their lines are this item's own).
    key = (text, edtf, dated, forecast)
    found = _WHENS.get(key)
    if found is None:
        if len(_WHENS) > 50_000:
            _WHENS.clear()
        found = _WHENS[key] = _read_when(text, edtf, dated, forecast)
    when, problem = found
    if problem is not None:
        field, message = problem
        p.add(line_of(raw, field, line), f"when.{field}", message)
    return when


_WHENS: dict[tuple[str, str | None, FuzzyDate, bool], tuple[FuzzyDate | None, tuple[str, str] | None]] = {}
_UNDATED: dict[FuzzyDate, FuzzyDate] = {}


def _undated(dated: FuzzyDate) -> FuzzyDate:
    """The date of a claim the text does not date, one object per document date."""
    when = _UNDATED.get(dated)
    if when is None:
        if len(_UNDATED) > 10_000:
            _UNDATED.clear()
        when = _UNDATED[dated] = context_date(dated)
    return when


def _read_when(
    text: str, edtf: str | None, dated: FuzzyDate, forecast: bool
) -> tuple[FuzzyDate | None, tuple[str, str] | None]:
    """A claim's date from its text and EDTF, or the field and message of the problem."""
    reading: FuzzyDate | None = None
    if text.strip():
        try:
            reading = parse(text, published=dated, future=forecast)
        except FuzzyDateError as exc:
            if edtf is None:
                return None, ("text", exc.message + " (give `edtf` with the reading)")
    if edtf is None:
        return (reading if reading is not None else _undated(dated)), None
    try:
        stated = replace(parse_edtf(edtf), text=text)
    except FuzzyDateError as exc:
        return None, ("edtf", exc.message)
    if reading is not None:
        if (reading.earliest, reading.latest, reading.precision) != (stated.earliest, stated.latest, stated.precision):
            return None, ("edtf", f"{edtf!r} disagrees with the text {text!r}, which reads as {reading.edtf!r}")
        return replace(stated, anchor=reading.anchor), None
    return stated, None


def check_fact(name: str, value: Any, known: Mapping[str, Entity] | set[str]) -> tuple[Any, str | None]:
    """The value of fact ``name`` as stored, and None; or None and what is wrong with it (``known``: entity slugs)."""
    spec = FACTS[name]
    if spec.kind == "quantity":
        if not isinstance(value, Mapping) or "value" not in value or "unit" not in value:
            return None, "expected {value: N, unit: U} (op optional)"
        extra = set(value) - {"value", "unit", "op"}
        if extra:
            return None, f"unknown key {sorted(extra)[0]!r} (allowed: value, unit, op)"
        number, unit, op = value["value"], value["unit"], value.get("op", "=")
        if not _is_number(number) or not _is_finite(number):
            return None, f"value {number!r} is not a finite number (write 6000000 or 6.0e6, not 6e6)"
        if not isinstance(unit, str) or unit not in UNITS or (spec.units and unit not in spec.units):
            return None, f"unit {unit!r} does not fit; use one of {', '.join(spec.units or sorted(UNITS))}"
        if op not in QUANTITY_OPS:
            return None, f"op {op!r} is not one of {' '.join(QUANTITY_OPS)}"
        return {"value": _clean_number(number), "unit": unit, "op": op}, None
    if spec.kind == "text":
        return (value, None) if isinstance(value, str) and value.strip() else (None, "expected text")
    if spec.kind == "flag":
        return (value, None) if isinstance(value, bool) else (None, "expected true or false")
    if spec.kind == "number":
        return (_clean_number(value), None) if _is_number(value) and _is_finite(value) else (None, "expected a number")
    if spec.kind == "list":
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return value, None
        return None, "expected a list of text"
    if spec.kind == "entity":
        if isinstance(value, str) and value in known:
            return value, None
        return None, f"unknown entity {value!r} (add it to entities.yaml)"
    if spec.kind == "entities":
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not values:
            return None, "expected a list of entity slugs"
        for v in values:
            if not isinstance(v, str) or v not in known:
                return None, f"unknown entity {v!r} (add it to entities.yaml)"
        return sorted(values) if len(values) > 1 else values, None
    raise AssertionError(f"fact kind {spec.kind}")  # pragma: no cover


def _validate_event(
    p: _Problems, item: Any, document: Document, text: str | None, entities: Mapping[str, Entity] | set[str]
) -> tuple[Event | None, bool]:
    if not isinstance(item, Mapping):
        p.add(line_of(item), "events", "each event must be a mapping")
        return None, False
    start = len(p.items)
    for key in sorted(set(item) - EVENT_KEYS):
        p.add(line_of(item, key), key, f"unknown field (allowed: {', '.join(sorted(EVENT_KEYS))})")
    local, kind, subject = item.get("id"), item.get("type"), item.get("subject")
    if not isinstance(local, str) or not SLUG.match(local):
        p.add(line_of(item, "id"), "id", f"{local!r} is not a local id (lowercase letters, digits, . _ -)")
    if not isinstance(kind, str):
        # A list or mapping here cannot even be looked up among the types.
        p.add(line_of(item, "type"), "type", f"{kind!r} is not an event type; see docs/events-format.md for the types")
    elif kind in CORRECTION_TYPES:
        p.add(line_of(item, "type"), "type", f"{kind} events are appended by `chronicle retract`/`rank`, not written in files")
    elif kind not in EVENT_TYPES:
        p.add(line_of(item, "type"), "type", f"unknown type {kind!r}; see docs/events-format.md for the types")
    if not isinstance(subject, str) or subject not in entities:
        p.add(line_of(item, "subject"), "subject", f"unknown entity {subject!r} (add it to entities.yaml)")
    others = item.get("entities") or []
    if not isinstance(others, list):
        p.add(line_of(item, "entities"), "entities", "must be a list of entity slugs")
        others = []
    for slug in others:
        if not isinstance(slug, str) or slug not in entities:
            p.add(line_of(item, "entities"), "entities", f"unknown entity {slug!r} (add it to entities.yaml)")
    certainty = item.get("certainty", "reported")
    if certainty not in CERTAINTIES:
        p.add(line_of(item, "certainty"), "certainty", f"{certainty!r} is not one of {', '.join(CERTAINTIES)}")
    stance = item.get("stance", ASSERTED)
    if stance not in STANCES:
        p.add(line_of(item, "stance"), "stance", f"{stance!r} is not one of {', '.join(STANCES)}")
    when = _validate_when(p, item, document.dated, certainty == "forecast")
    facts_raw = item.get("facts") or {}
    facts: dict[str, Any] = {}
    if not isinstance(facts_raw, Mapping):
        p.add(line_of(item, "facts"), "facts", "must be a mapping of fact names to values")
    else:
        for name, value in facts_raw.items():
            line = line_of(facts_raw, name)
            if name not in FACTS:
                p.add(line, f"facts.{name}", "unknown fact; see FACTS in chronicle.events for the names")
                continue
            clean, error = check_fact(name, value, entities)
            if error:
                p.add(line, f"facts.{name}", error)
            else:
                facts[name] = clean
        for name in REQUIRED_FACTS.get(kind, ()) if isinstance(kind, str) else ():
            if name not in facts_raw:
                p.add(line_of(item, "facts"), f"facts.{name}", f"a {kind} event needs this fact")
    quote = item.get("quote")
    start_at = end_at = None
    if not isinstance(quote, str) or not quote.strip():
        p.add(line_of(item), "quote", "missing: give the words of the document that carry the claim")
    else:
        words = len(quote.split())
        if words > MAX_QUOTE_WORDS:
            p.add(line_of(item, "quote"), "quote", f"{words} words; a quote is at most {MAX_QUOTE_WORDS}")
        offsets = item.get("offsets")
        if offsets is not None:
            if (not isinstance(offsets, list) or len(offsets) != 2
                    or not all(isinstance(o, int) and not isinstance(o, bool) and o >= 0 for o in offsets)):
                p.add(line_of(item, "offsets"), "offsets", "expected [start, end] character offsets")
            else:
                start_at, end_at = offsets
        if text is not None:
            if start_at is not None:
                if text[start_at:end_at] != quote:
                    p.add(line_of(item, "offsets"), "offsets", f"text[{start_at}:{end_at}] is not the quote")
            else:
                found = text.find(quote)
                if found < 0:
                    p.add(line_of(item, "quote"), "quote", f"not a verbatim substring of {document.text_name}")
                else:
                    start_at, end_at = found, found + len(quote)
    status = item.get("status", "reviewed")
    if status not in STATUSES:
        p.add(line_of(item, "status"), "status", f"{status!r} is not one of {', '.join(STATUSES)}")
    confidence = item.get("confidence")
    if confidence is not None and (not _is_number(confidence) or not 0 <= confidence <= 1):
        p.add(line_of(item, "confidence"), "confidence", "must be a number from 0 to 1")
    note = item.get("note")
    if note is not None and not isinstance(note, str):
        p.add(line_of(item, "note"), "note", "must be text")
    if len(p.items) > start or when is None:
        return None, False
    assert isinstance(local, str) and isinstance(kind, str) and isinstance(subject, str) and isinstance(quote, str)
    if (document.frame is not None and when.precision is Precision.CONTEXT and when.earliest is None
            and kind not in STATE_TYPES and stance not in NEGATING):
        # Truth rule 2: an undated occurrence happened no earlier than the frame its document states.
        when = framed_date(document.dated, document.frame)
    return Event(
        event_id=event_id(document.id, local),
        type=kind,
        subject=subject,
        when=when,
        certainty=certainty,
        evidence=Evidence(document.id, quote, start_at, end_at),
        facts=facts,
        entities=tuple(dict.fromkeys(others)),
        schema_version=EVENT_TYPES[kind],
        stance=stance,
        note=note.strip() or None if isinstance(note, str) else None,
    ), status == "draft"


def validate_events_file(
    path: Path, data: Any, entities: Mapping[str, Entity] | set[str], documents_dirs: Sequence[Path] = ()
) -> tuple[EventsFile | None, list[Problem]]:
    """Check one parsed events file against the known entities."""
    p = _Problems(path)
    if not isinstance(data, Mapping):
        p.add(line_of(data), "file", "expected a mapping with `document:` and `events:`")
        return None, p.items
    for key in sorted(set(data) - {"document", "events"}):
        p.add(line_of(data, key), key, "unknown top-level field (allowed: document, events)")
    document, text = _validate_document(p, path, data.get("document"), documents_dirs)
    raw_events = data.get("events")
    if not isinstance(raw_events, list):
        p.add(line_of(data, "events"), "events", "expected a list of events")
        return None, p.items
    if document is None:
        return None, p.items
    seen: dict[str, int] = {}
    events: list[Event] = []
    drafts: list[str] = []
    for item in raw_events:
        if isinstance(item, Mapping) and isinstance(item.get("id"), str):
            if item["id"] in seen:
                p.add(line_of(item, "id"), "id", f"duplicate local id {item['id']!r} (first on line {seen[item['id']]})")
                continue
            seen[item["id"]] = line_of(item, "id")
        event, draft = _validate_event(p, item, document, text, entities)
        if event is not None:
            events.append(event)
            if draft:
                drafts.append(event.event_id)
    if p.items:
        return None, p.items
    return EventsFile(path, document, tuple(events), tuple(drafts), text is not None), []
