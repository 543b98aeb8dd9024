"""Assemble a draft events file: the header, the events, the proposals.

Every event carries ``status: draft``, a confidence, its quote (at most 25
words, verbatim) and the quote's offsets into the whole file, so that the
validator checks it against the text exactly as it checks curated files.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from chronicle.errors import ChronicleError
from chronicle.events import Entity
from chronicle.extract.classify import Cue, certainty, classify, stance
from chronicle.extract.dates import DateMention, find_anchored, find_dates, latest_past_date
from chronicle.extract.entities import Gazetteer, Mention, Proposal, propose, slugify
from chronicle.extract.facts import AGENT_TYPES, MANY_SUBJECTS, SUBJECT_KINDS, facts_for, nearest_before, subjects
from chronicle.extract.numbers import Quantity, find_quantities
from chronicle.extract.sentences import Sentence, split_sentences
from chronicle.extract.source import Source, read_source
from chronicle.fuzzydate import FuzzyDate, parse

MAX_QUOTE_WORDS = 25
MAX_TYPES_PER_SENTENCE = 3
# A dateline such as "Posted on December 15, 2025" states the publication date.
_DATELINE = re.compile(r"\b(?:Posted|Published|Updated)\s+(?:on\s+)?([A-Z][a-z]+\.? \d{1,2},? \d{4}|\d{4}-\d{2}-\d{2})")
_BENCHMARK_NOUNS = re.compile(r"\bbenchmarks?\b|\bleaderboards?\b|\bscores?\b", re.I)
_BENCHMARK_WORDS = re.compile(r"\boutperform|\bsurpass|\bmatch|\bbeat|\bexceed|\bparity|\brival|\bnearing\b"
                              r"|\bcompar(?:ed|able)\b|\bversus\b|\bvs\.?|\bthan\b|\blike\b", re.I)


@dataclass
class Draft:
    """A drafted events file: header, events, proposed entities and header notes."""

    document: dict[str, Any]
    events: list[dict[str, Any]]
    proposals: list[Proposal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Options:
    published: str | None = None
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    doc_id: str | None = None
    window: str | None = None
    today: date | None = None


def extract_file(path: Path, entities: Sequence[Entity], options: Options = Options()) -> Draft:
    """Read the article at ``path`` and draft its events."""
    return extract(read_source(path), entities, options)


def extract(source: Source, entities: Sequence[Entity], options: Options = Options()) -> Draft:
    """Draft the events of ``source`` with the known ``entities``."""
    gazetteer = Gazetteer(entities)
    sentences = split_sentences(source.text, source.body_start)
    if not sentences:
        raise ChronicleError(f"{source.name}: has no sentences to read", "give a file that holds the article's text")
    notes: list[str] = []
    published_text = options.published or _published_from(source)
    if published_text is not None:
        try:
            dated = parse(published_text)
        except ChronicleError as exc:
            raise ChronicleError(f"--published: {exc.message}", "give a date such as 2025-12-15") from None
        if dated.latest is None:
            raise ChronicleError(f"--published: {published_text!r} has no end date", "give a date such as 2025-12-15")
        window_text = None
    else:
        window_text, why = _window(source, sentences, options)
        dated = parse(window_text)
        notes.append(why)
    document = _header(source, options, published_text, window_text)
    events: list[dict[str, Any]] = []
    proposals: dict[str, Proposal] = {}
    ctx = _Context()
    for sentence in sentences:
        if sentence.paragraph != ctx.paragraph:
            ctx = _Context(paragraph=sentence.paragraph, named=ctx.named, released=ctx.released)
        for event, new in _events_of(source.text, sentence, gazetteer, dated, ctx):
            events.append(event)
            proposals.update({p.slug: p for p in new})
    events = _deduplicated(events)
    used = {e["subject"] for e in events} | {s for e in events for s in e.get("entities", [])}
    kept = [p for slug, p in sorted(proposals.items()) if slug in used]
    return Draft(document, _with_ids(events), kept, notes)


def _published_from(source: Source) -> str | None:
    for key in ("publishedAt", "published", "date"):
        if source.meta.get(key):
            return source.meta[key]
    m = _DATELINE.search(source.text, source.body_start)
    return m[1] if m else None


def _window(source: Source, sentences: Sequence[Sentence], options: Options) -> tuple[str, str]:
    today = options.today or date.today()
    if options.window:
        return options.window, f"The text gives no publication date; window {options.window} as given."
    mentions: list[DateMention] = []
    for s in sentences:
        if certainty(s.text) == "forecast":
            continue  # a goal ("by 2028") says nothing about when the text was written
        mentions.extend(find_dates(source.text, s.start, s.end, published=None))
    latest = latest_past_date(mentions, today)
    if latest is None:
        return (f"../{today.isoformat()}",
                f"The text gives no publication date and names no past date: window open until today, {today}.")
    start = latest.edtf.split("/")[0].rstrip("~?%")
    if start == ".." or not start:
        start = latest.earliest.isoformat() if latest.earliest else ".."
    return (f"{start}/{today.isoformat()}",
            f"The text gives no publication date: window from the latest past date it names "
            f"({latest.text!r}) to today, {today}.")


def _header(source: Source, options: Options, published: str | None, window: str | None) -> dict[str, Any]:
    title = options.title or source.meta.get("title") or _first_line(source)
    doc_id = options.doc_id or slugify(title)[:80].strip("-.") or slugify(Path(source.name).stem)
    header: dict[str, Any] = {
        "id": doc_id, "title": title, "publisher": options.publisher, "url": options.url,
        "published": published,
    }
    if window is not None:
        header["window"] = window
    header.update({"kind": "news", "text": source.name, "sha256": source.sha256})
    return header


def _first_line(source: Source) -> str:
    for line in source.text[source.body_start:].splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return f"[untitled: {' '.join(line.split()[:10])}]" if len(line.split()) > 14 else line
    return f"[untitled: {source.name}]"  # pragma: no cover - empty texts are refused earlier


_PRONOUN = re.compile(r"\b(?:it|its|they|their|the company|the firm|the startup|the lab)\b", re.I)
_CONTINUES = re.compile(r"(?:This|These|That|It|Its|They|Their|The (?:company|firm|startup|lab|move|release))\b")
_TOPIC_KINDS = ("model", "product", "org", "model-family")
# A relative or participial clause ("..., both models that outperformed ...")
# makes its own claim: a date carried over from another sentence does not reach it.
_RELATIVE = re.compile(r"\b(?:that|which|who|whose)\b|,\s+\w+ing\b", re.I)
# A new coordinated clause with its own subject or time ("..., and in December
# they ..."): a date inside it dates that clause, not the ones before it.
_CLAUSE_BREAK = re.compile(
    r"(?:,\s*(?:and|but|while|whereas)|;)\s+(?=(?:in|on|by|during|since|later|then|they|it|he|she|we|its|their)\b)",
    re.I)
# An app or chatbot named only by a definite or possessive description ("the
# app", "its consumer-facing chatbot application").
_OWN_PRODUCT = re.compile(r"\b(?:the|its|their)\s+(?:[\w-]+\s+){0,2}(?:app|application|chatbot)\b", re.I)
# A release whose object is a generic model noun ("released updates",
# "launched an open model") is a release by the actor even when no model is named.
_GENERIC_RELEASE = re.compile(
    r"\b(?:releas|launch|introduc|unveil|ship)\w*\s+(?:[\w-]+\s+){0,3}?(?:models?|updates|versions|weights|LLMs?)\b", re.I)
# Reported speech: the claim is in the complement ("X reported that Chinese
# institutions lead ..."), not about the one who reports it.
_REPORTED = re.compile(r"\b(?:reported|found|finding|showed|shows|concluded|said|says|noted)\s+that\b", re.I)
# Names given as alternatives ("branded as R2 or V4") are not yet a model:
# the claim is about the org behind them.
_ALTERNATIVES = re.compile(r"\bor\b")
_COUNTERPART = re.compile(
    r"\b(?:supplant\w*|overt(?:ook|ake|akes|aking)|replac\w+|dethron\w+|compared\s+(?:to|with)|versus|vs\.?|than"
    r"|ahead\s+of)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$", re.I)
_RELEASE_WORD = re.compile(r"\breleas\w*|\blaunch\w*|\bdebut\w*", re.I)


@dataclass
class _Context:
    """What the sentences before this one tell about it."""

    topic: Mention | None = None  # what "it" / "the company" refers to
    lead: DateMention | None = None  # the date of a lead-in ending in a colon
    last: DateMention | None = None  # the date of the previous sentence
    paragraph: int = -1
    named: tuple[str, ...] = ()  # the entities the previous sentence named
    released: dict[str, FuzzyDate] = field(default_factory=dict)  # dated releases so far, by model and org


def _is_list_item(text: str, sentence: Sentence) -> bool:
    line_start = text.rfind("\n", 0, sentence.start) + 1
    return text[line_start:sentence.start].strip() in ("-", "*", "•", "–")


_LINK = re.compile(r"\[[^\]]*\]\([^)]*\)|https?://\S+|www\.\S+")


def _is_heading(text: str, sentence: Sentence) -> bool:
    """A line of its own, short and without closing punctuation, that is not a list item; or a bare link."""
    if len(_LINK.sub(" ", sentence.text).replace("*", " ").split()) <= 2 and _LINK.search(sentence.text):
        return True
    line_start = text.rfind("\n", 0, sentence.start) + 1
    line_end = text.find("\n", sentence.end)
    line = text[line_start:len(text) if line_end < 0 else line_end]
    if line.strip().strip("#* ") != sentence.text.strip("#* ") or _is_list_item(text, sentence):
        return False
    return len(sentence.text.split()) <= 12 and sentence.text.rstrip("*_ ")[-1:] not in ".!?:;\"”’)"


def _events_of(text: str, sentence: Sentence, gazetteer: Gazetteer, dated: FuzzyDate,
               ctx: _Context) -> list[tuple[dict[str, Any], list[Proposal]]]:
    cert = certainty(sentence.text)
    future = cert == "forecast"
    dates = find_dates(text, sentence.start, sentence.end, published=dated, future=future)
    own_dates = list(dates)
    found = [m for m in gazetteer.find(text, sentence.start, sentence.end)
             if all(m.end <= d.start or m.start >= d.end for d in dates)]
    new = propose(text, sentence.start, sentence.end, gazetteer.entities, found, [(d.start, d.end) for d in dates])
    # A proposed name that holds a known one ("Kimi K3" holds "Kimi") replaces it.
    found = [m for m in found if not any(p.start <= m.start and m.end <= p.end for _, p in new)]
    mentions = sorted(found + [m for _, m in new], key=lambda m: m.start)
    mentions = _with_owners(mentions, gazetteer)
    pronoun = _PRONOUN.search(sentence.text)
    if pronoun is not None and ctx.topic is not None:
        at = sentence.start + pronoun.start()
        if not any(m.start < at for m in mentions):
            mentions = sorted([Mention(ctx.topic.slug, ctx.topic.kind, at, sentence.start + pronoun.end(),
                                       ctx.topic.proposed), *mentions], key=lambda m: m.start)
    product = _own_product(sentence, mentions, ctx.topic, gazetteer)
    if product is not None:
        mentions = sorted([product, *mentions], key=lambda m: m.start)
    # A lead-in ending in a colon dates the list items under it.
    item = _is_list_item(text, sentence)
    inherited = carried = False
    if not dates and item and ctx.lead is not None:
        dates = _reread(text, ctx.lead, sentence, dated, future)
    # Words dated from an earlier claim ("Shortly thereafter", "Within days")
    # read from the previous sentence's date, or from the release the
    # previous sentence names when the document dated it.
    if not dates:
        anchor = ctx.last.reading if ctx.last is not None else next(
            (ctx.released[slug] for slug in ctx.named if slug in ctx.released), None)
        anchored = find_anchored(text, sentence.start, sentence.end, anchor) if anchor is not None else None
        if anchored is not None:
            dates = own_dates = [anchored]
            carried = True
    # A sentence that restates the release of a model the document already
    # dated ("R1 was released under ...") takes that release's date.
    if not dates and _RELEASE_WORD.search(sentence.text):
        known = next((ctx.released[m.slug] for m in found if m.kind == "model" and m.slug in ctx.released), None)
        if known is not None:
            dates = own_dates = [DateMention(sentence.start, sentence.start, known.text, known)]
            carried = True
    # A sentence that opens by pointing back ("This included ...", "The
    # company launched ...") continues the previous one, and takes its date.
    if not dates and not item and ctx.last is not None and _CONTINUES.match(sentence.text):
        dates = _reread(text, ctx.last, sentence, dated, future)
        inherited = carried = True
    if not item:
        ctx.lead = dates[0] if dates and sentence.text.rstrip().endswith(":") else None
    ctx.last = own_dates[0] if own_dates else None
    ctx.named = tuple(dict.fromkeys(m.slug for m in mentions))
    previous = ctx.topic
    topic = min((m for m in found if m.kind in _TOPIC_KINDS), key=lambda m: _TOPIC_KINDS.index(m.kind), default=None)
    if topic is not None:
        ctx.topic = topic
    if not mentions and previous is None:
        return []
    if _is_heading(text, sentence):
        return []  # a heading names the topic of what follows; the claims are in the body
    quantities = find_quantities(text, sentence.start, sentence.end)
    cues = _filtered(classify(sentence.text), mentions, cert, sentence.text)
    if not cues and (dates or cert != "reported"):
        cues = [Cue("other", 0, 0)]
    relative = _RELATIVE.search(sentence.text)
    out: list[tuple[dict[str, Any], list[Proposal]]] = []
    for cue in cues[:MAX_TYPES_PER_SENTENCE]:
        usable: Sequence[DateMention] = dates
        # Dates carried from another sentence or claim date the main clause only.
        if (inherited and cue.type == "other") or (carried and relative is not None and cue.start > relative.start()):
            usable = []
        for subject, facts, at in _claims(cue, sentence, mentions, quantities, previous, _apps(gazetteer)):
            event = _event(text, sentence, cue, cert, subject, mentions, _governing(text, sentence, usable, at),
                           facts, at)
            used = {event["subject"], *event.get("entities", [])}
            out.append((event, [p for p, m in new if m.slug in used]))
            if event["type"] == "model_release" and event["when"].get("edtf"):
                reading = next(d.reading for d in dates if d.text == event["when"]["text"])
                owner = gazetteer.entities.get(subject.slug)
                for slug in (subject.slug, owner.org if owner is not None else None):
                    if slug:
                        ctx.released.setdefault(slug, reading)
    return out


def _governing(text: str, sentence: Sentence, dates: Sequence[DateMention], at: int) -> list[DateMention]:
    """The dates that can govern a claim at ``at``: those of its clause or of the clauses before it."""
    breaks = [sentence.start + m.end() for m in _CLAUSE_BREAK.finditer(sentence.text)]
    clause_end = next((b for b in breaks if b > at), sentence.end)
    return [d for d in dates if d.start < clause_end or d.start == d.end]


def _apps(gazetteer: Gazetteer) -> dict[str, str]:
    """The org that owns exactly one app or chatbot, and that app."""
    owned: dict[str, list[str]] = {}
    for e in gazetteer.entities.values():
        if e.kind == "product" and e.org and re.search(r"\b(?:app|application|chatbot)\b", " ".join((e.name, *e.aliases)), re.I):
            owned.setdefault(e.org, []).append(e.slug)
    return {org: slugs[0] for org, slugs in owned.items() if len(slugs) == 1}


def _own_product(sentence: Sentence, mentions: Sequence[Mention], topic: Mention | None,
                 gazetteer: Gazetteer) -> Mention | None:
    """"The app" or "its chatbot application": the one app the org in question owns."""
    m = _OWN_PRODUCT.search(sentence.text)
    if m is None:
        return None
    at = sentence.start + m.start()
    if any(x.kind == "product" and not x.implied for x in mentions):
        return None
    owners = [x.slug for x in mentions if x.kind == "org" and x.start <= at]
    if topic is not None:
        owners.append(topic.slug)
        topic_entity = gazetteer.entities.get(topic.slug)
        if topic_entity is not None and topic_entity.org:
            owners.append(topic_entity.org)
    for owner in owners:
        apps = [e for e in gazetteer.entities.values() if e.kind == "product" and e.org == owner
                and re.search(r"\b(?:app|application|chatbot)\b", " ".join((e.name, *e.aliases)), re.I)]
        if len(apps) == 1:
            return Mention(apps[0].slug, "product", at, sentence.start + m.end())
    return None


def _reread(text: str, mention: DateMention, sentence: Sentence, dated: FuzzyDate, future: bool) -> list[DateMention]:
    """An earlier sentence's date words, read in this sentence's tense."""
    if mention.start == mention.end:  # itself carried over: keep its reading
        return [DateMention(sentence.start, sentence.start, mention.text, mention.reading)]
    again = find_dates(text, mention.start, mention.end, published=dated, future=future)
    return [DateMention(sentence.start, sentence.start, d.text, d.reading) for d in again[:1]]


def _without_counterparts(sentence: Sentence, mentions: Sequence[Mention], kind: str) -> Sequence[Mention]:
    """Drop the names a displacing or comparing verb takes as its object ("supplanted ChatGPT",
    "compared to OpenAI's o1"): they are what the subject is measured against."""
    kept = [m for m in mentions
            if not _COUNTERPART.search(sentence.text[max(0, m.start - sentence.start - 30):m.start - sentence.start])]
    wanted = SUBJECT_KINDS.get(kind, ())
    return kept if any(m.kind in wanted for m in kept) else mentions


def _app_of(subject: Mention, apps: dict[str, str]) -> Mention:
    """An app ranking is about an app: an org with one app stands for that app."""
    if subject.kind == "org" and subject.slug in apps:
        return Mention(apps[subject.slug], "product", subject.start, subject.end, subject.proposed, implied=True)
    return subject


def _claims(cue: Cue, sentence: Sentence, mentions: Sequence[Mention],
            quantities: Sequence[Quantity], topic: Mention | None,
            apps: dict[str, str] | None = None) -> list[tuple[Mention, dict[str, Any], int]]:
    """(subject, facts, where) for each claim a cue makes in the sentence."""
    cue_at = sentence.start + cue.start
    if cue.type == "usage_share":
        # One share per percentage, about the name just before it ("Qwen ...
        # over 40%, up from Llama's approximately 15%").
        claims: list[tuple[Mention, dict[str, Any], int]] = []
        for q in [q for q in quantities if q.kind == "percent"][:3]:
            subject = nearest_before(mentions, q.start, SUBJECT_KINDS["usage_share"])
            facts = facts_for("usage_share", sentence.text, sentence.start, q.start - sentence.start, [q],
                              subject, mentions) if subject else None
            if subject is not None and facts is not None and all(c[0].slug != subject.slug for c in claims):
                claims.append((subject, facts, q.start))
        return claims
    stop = None
    if cue.type in MANY_SUBJECTS:
        bench = _BENCHMARK_WORDS.search(sentence.text)
        stop = sentence.start + bench.start() if bench else None
    elif cue.type in AGENT_TYPES and cue.end > cue.start:
        stop = cue_at
    claims = []
    reported = _REPORTED.search(sentence.text)
    if reported is not None and cue.start >= reported.end():
        said = [m for m in mentions if m.start >= sentence.start + reported.end()]
        if any(m.kind in SUBJECT_KINDS.get(cue.type, ()) for m in said):
            mentions = said
    if cue.type not in ("benchmark_claim", "usage_share"):
        mentions = _without_counterparts(sentence, mentions, cue.type)
    found = subjects(cue.type, mentions, stop)
    if cue.type == "app_ranking":
        found = [_app_of(m, apps or {}) for m in found]
    if cue.type in ("model_release", "model_announcement"):
        found = _alternatives_to_org(sentence, found, mentions)
    if not found and topic is not None and topic.kind in SUBJECT_KINDS.get(cue.type, ()):
        # No name of the right kind: the claim goes on about the previous topic.
        found = [Mention(topic.slug, topic.kind, sentence.start, sentence.start, topic.proposed, implied=True)]
    for index, subject in enumerate(found):
        facts = facts_for(cue.type, sentence.text, sentence.start, cue.start, quantities, subject, mentions, index)
        if facts is not None:
            claims.append((subject, facts, cue_at if cue.end > cue.start else subject.start))
    return claims


def _alternatives_to_org(sentence: Sentence, found: list[Mention], mentions: Sequence[Mention]) -> list[Mention]:
    """Models named only as alternatives ("R2 or V4") stand for their org's next model."""
    models = [m for m in found if m.kind == "model"]
    if len(models) < 2:
        return found
    between = [sentence.text[a.end - sentence.start:b.start - sentence.start] for a, b in zip(models, models[1:])]
    if not all(_ALTERNATIVES.search(gap) and " and " not in gap for gap in between):
        return found
    orgs = [m for m in mentions if m.kind == "org" and m.start <= models[0].start]
    if not orgs:
        return found
    return [Mention(orgs[-1].slug, "org", orgs[-1].start, orgs[-1].end, orgs[-1].proposed, implied=True)]


def _with_owners(mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """Add the org behind each named model or product ("ByteDance's Doubao" names ByteDance too)."""
    out = list(mentions)
    present = {m.slug for m in mentions}
    for m in mentions:
        entity = gazetteer.entities.get(m.slug)
        owner = entity.org if entity is not None else None
        if owner and owner not in present and owner in gazetteer.entities:
            out.append(Mention(owner, gazetteer.entities[owner].kind, m.start, m.end, implied=True))
            present.add(owner)
    return sorted(out, key=lambda m: (m.start, m.implied))


def _filtered(cues: list[Cue], mentions: Sequence[Mention], cert: str, sentence: str) -> list[Cue]:
    kinds = {m.kind for m in mentions}
    types = {c.type for c in cues}
    kept: list[Cue] = []
    for cue in cues:
        kind = cue.type
        if kind == "user_count" and "downloads" in types:
            continue
        if kind == "benchmark_claim" and len({m.slug for m in mentions if m.kind in ("model", "model-family", "product")}) < 2 \
                and not _BENCHMARK_NOUNS.search(sentence):
            continue
        if kind == "model_release" and cert == "forecast":
            cue = Cue("model_announcement", cue.start, cue.end)
        if kind == "model_release" and not kinds & {"model", "model-family", "product"} \
                and not _GENERIC_RELEASE.search(sentence):
            continue
        if kind == "downloads" and "app_ranking" in types:
            continue
        if kind == "product_launch" and "model_release" in types and "product" not in kinds:
            continue
        kept.append(cue)
    if "product_launch" in {c.type for c in kept}:
        kept = [c for c in kept if c.type != "model_release" or "model" in kinds]
    return kept


def _event(text: str, sentence: Sentence, cue: Cue, cert: str, subject: Mention, mentions: Sequence[Mention],
           dates: Sequence[DateMention], facts: dict[str, Any], at: int) -> dict[str, Any]:
    anchor_start = sentence.start + cue.start if cue.end > cue.start else subject.start
    anchor_end = sentence.start + cue.end if cue.end > cue.start else subject.end
    date = _nearest_date(dates, at)
    q_start, q_end = _quote_span(text, sentence, min(anchor_start, subject.start), max(anchor_end, subject.end))
    others = [m.slug for m in mentions if m.slug != subject.slug and not m.implied]
    confidence = 0.35 + (0.2 if date else 0) + (0.15 if cue.type != "other" else 0) \
        + (0.1 if facts else 0) - (0.15 if subject.proposed else 0)
    event: dict[str, Any] = {
        "type": cue.type, "subject": subject.slug,
        "entities": list(dict.fromkeys(others)),
        "when": {"text": date.text, "edtf": date.reading.edtf} if date else {"text": ""},
        "certainty": cert,
    }
    hedge = stance(sentence.text)
    if hedge != "asserted":
        event["stance"] = hedge  # a reviewer checks it with the rest of the draft
    if facts:
        event["facts"] = facts
    event.update({
        "quote": text[q_start:q_end], "offsets": [q_start, q_end],
        "status": "draft", "confidence": round(min(max(confidence, 0.05), 0.95), 2),
    })
    if not event["entities"]:
        del event["entities"]
    return event


def _nearest_date(dates: Sequence[DateMention], at: int) -> DateMention | None:
    if not dates:
        return None
    return min(dates, key=lambda d: abs(d.start - at))


def _quote_span(text: str, sentence: Sentence, focus_start: int, focus_end: int) -> tuple[int, int]:
    """The sentence, or the window of at most 25 of its words around the focus."""
    words = [(sentence.start + m.start(), sentence.start + m.end()) for m in re.finditer(r"\S+", sentence.text)]
    if len(words) <= MAX_QUOTE_WORDS:
        return sentence.start, sentence.end
    first = next((i for i, (a, b) in enumerate(words) if b > focus_start), 0)
    last = next((i for i, (a, b) in reversed(list(enumerate(words))) if a < focus_end), first)
    if last - first + 1 > MAX_QUOTE_WORDS:
        last = first + MAX_QUOTE_WORDS - 1
    spare = MAX_QUOTE_WORDS - (last - first + 1)
    before = min(first, spare // 3)
    first -= before
    last = min(len(words) - 1, last + spare - before)
    first = max(0, min(first, last - MAX_QUOTE_WORDS + 1))
    start, end = words[first][0], words[last][1]
    while end > start and text[end - 1] in ",;:—–(":
        end -= 1
    return start, end


def _deduplicated(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # A headline or summary restating a claim of the body is the same claim:
    # keep the first of each type, subject, date and facts.
    seen: set[tuple[Any, ...]] = set()
    kept = []
    for e in events:
        key: tuple[Any, ...] = (e["type"], e["subject"], e["when"].get("edtf"), repr(e.get("facts")), e["quote"])
        if e["type"] == "model_release" and e["when"].get("edtf"):
            # A release restated later with the same date is the same release.
            key = (e["type"], e["subject"], e["when"]["edtf"])
        if key in seen:
            continue
        seen.add(key)
        kept.append(e)
    return kept


def _with_ids(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    counts: dict[str, int] = {}
    out = []
    for e in events:
        base = f"{e['subject']}-{e['type'].replace('_', '-')}"
        counts[base] = counts.get(base, 0) + 1
        local = base if counts[base] == 1 else f"{base}-{counts[base]}"
        out.append({"id": local, **e})
    return out
