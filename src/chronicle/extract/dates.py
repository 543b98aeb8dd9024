"""Temporal expressions: find the words, read them with ``chronicle.fuzzydate``.

The finder only proposes spans; ``fuzzydate.parse`` decides what they mean,
with the publication date (or window) and the tense of the claim, exactly as
the validator will read them back. Words it cannot read are dropped, never
guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from chronicle.errors import FuzzyDateError
from chronicle.fuzzydate import FuzzyDate, parse

_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
          r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)")
_YEAR = r"(?:19|20)\d{2}"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_NUM = (r"(?:\d{1,2}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
        r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty)")
_PART = r"(?:early|mid|late)"

# Core date words, most specific first; the alternation order is the priority.
_CORE = re.compile(
    "|".join([
        rf"{_NUM}\s+days?\s+(?:before|after)\s+(?:the\s+)?(?:Chinese|Lunar)\s+New\s+Year(?:\s+{_YEAR})?",
        rf"(?:the\s+)?(?:Chinese|Lunar)\s+New\s+Year(?:\s+{_YEAR})?|Spring\s+Festival(?:\s+{_YEAR})?",
        rf"{_PART}[\s-]+{_MONTH}(?:,?\s+{_YEAR})?",
        rf"(?:the\s+)?(?:end|start|beginning)\s+of\s+(?:{_MONTH}\s+)?{_YEAR}",
        rf"{_PART}[\s-]+{_YEAR}|year-end\s+{_YEAR}",
        rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}",
        rf"{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}",
        rf"{_MONTH},?\s+(?:of\s+)?{_YEAR}",
        rf"(?:Q[1-4]|H[12])\s*-?\s*{_YEAR}|{_YEAR}\s*-?\s*(?:Q[1-4]|H[12])",
        rf"(?:first|second|third|fourth)\s+(?:quarter|half)\s+of\s+{_YEAR}",
        rf"(?:spring|summer|autumn|fall|winter)\s+(?:of\s+)?{_YEAR}",
        rf"{_MONTH}\s+{_DAY}",
        rf"(?<![$€¥\d.,])\b{_YEAR}\b(?![\d%]|\.\d|,\d)",
        r"(?:last|this|next|previous)\s+(?:year|quarter|month|week)",
        r"(?:yesterday|tomorrow)",
        # A bare month needs a preposition before it ("in December"): "May"
        # and "March" are words too.
        rf"\b(?:in|by|since|on|until)\s+{_MONTH}(?![\w-]|\.?,?\s+\d)",
    ]),
    re.I,
)
# Idioms the date parser does not read, and the phrase each means: the words
# stay verbatim in `when.text`, the reading goes in `when.edtf`.
_IDIOMS = re.compile(
    rf"\b(?P<part>early|mid|late)(?:\s+in|\s+of)\s+(?:the\s+year\s+)?(?P<y1>{_YEAR})\b"
    rf"|\b(?:kick(?:ed|s)?\s+off|start(?:ed|s)?|beg[ai]n(?:s)?)\s+(?P<y2>{_YEAR})\b",
    re.I,
)
# Two coordinated years ("in 2025 and 2026", "during 2024 and 2025") span both.
_YEAR_PAIR = re.compile(rf"\b(?:(?:in|during)\s+)?(?P<a>{_YEAR})\s+(?:and|or|to|through)\s+(?P<b>{_YEAR})\b(?![\d%])", re.I)
# Words that date a claim from an earlier dated one ("Shortly thereafter",
# "Within days"), and how far past that anchor each reaches, in months; 0
# means the anchor's calendar year ("later in the year").
ANCHORED = re.compile(
    r"\b(?P<near>within\s+(?:(?:a\s+few|several)\s+)?(?:days|weeks|hours)|days\s+later|weeks\s+later)\b(?!\s+of\b)"
    r"|\b(?P<soon>shortly\s+(?:thereafter|afterwards?|after\s+that)|soon\s+(?:thereafter|afterwards?|after\s+that)"
    r"|months\s+later|a\s+few\s+months\s+later)\b"
    r"|\b(?P<year>later\s+(?:in\s+the|that)\s+year|later\s+(?:in|that)\s+(?:19|20)\d{2})\b",
    re.I,
)
# Words that may stand before the core and change its reading.
_OPERATORS = re.compile(r"(?:\b(?:in|on|during|by|since|before|after|around|circa|about|approximately)\s+(?:the\s+)?)$", re.I)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A temporal expression: its verbatim words, offsets and reading."""

    start: int
    end: int
    text: str
    reading: FuzzyDate


def find_dates(text: str, start: int, end: int, *, published: FuzzyDate | date | None,
               future: bool = False) -> list[DateMention]:
    """The readable temporal expressions in ``text[start:end]``, in order."""
    found: list[DateMention] = []
    for m in _IDIOMS.finditer(text, start, end):
        phrase = f"{(m['part'] or 'early').lower()} {m['y1'] or m['y2']}"
        try:
            reading = parse(phrase, published=published, future=future)
        except FuzzyDateError:
            continue
        found.append(DateMention(m.start(), m.end(), m.group(0), replace(reading, text=m.group(0))))
    for m in _YEAR_PAIR.finditer(text, start, end):
        first, last = int(m["a"]), int(m["b"])
        if last <= first or last - first > 10:
            continue
        reading = parse(f"{first}/{last}")
        found.append(DateMention(m.start(), m.end(), m.group(0), replace(reading, text=m.group(0))))
    for m in _CORE.finditer(text, start, end):
        if any(f.start <= m.start() < f.end for f in found):
            continue
        core = m.group(0)
        if _is_bare_word(core, m.start(), text):
            continue
        mention = _read(text, m.start(), m.end(), start, published, future)
        if mention is not None:
            found.append(mention)
    return sorted(found, key=lambda d: d.start)


def _is_bare_word(core: str, at: int, text: str) -> bool:
    # "this year" etc. are fine; a lower-case month abbreviation is not a month.
    return core[:1].islower() and core.split()[0].lower().rstrip(".") in {
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "may", "march",
    }


def _read(text: str, start: int, end: int, floor: int, published: FuzzyDate | date | None,
          future: bool) -> DateMention | None:
    # Try the operator before the core first ("by September 2024"), then the core alone.
    before = _OPERATORS.search(text, max(floor, start - 20), start)
    candidates = [before.start()] if before is not None else []
    candidates.append(start)
    for begin in candidates:
        words = text[begin:end]
        try:
            reading = parse(words, published=published, future=future)
        except FuzzyDateError:
            continue
        return DateMention(begin, end, words, reading)
    return None


def find_anchored(text: str, start: int, end: int, anchor: FuzzyDate) -> DateMention | None:
    """Words dated from an earlier claim ("Shortly thereafter"), read from ``anchor`` on.

    The reading runs from the anchor's first month to one month past its last
    for "within days", three months past it for "shortly thereafter", and is
    the anchor's year for "later in the year"; an open anchor reads nothing.
    """
    m = ANCHORED.search(text, start, end)
    if m is None or anchor.earliest is None or anchor.latest is None:
        return None
    first = anchor.earliest
    if m["year"]:
        if first.year != anchor.latest.year:
            return None
        edtf = str(first.year)
    else:
        months = 1 if m["near"] else 3
        index = anchor.latest.year * 12 + anchor.latest.month - 1 + months
        edtf = f"{first.year:04d}-{first.month:02d}/{index // 12:04d}-{index % 12 + 1:02d}"
    reading = parse(edtf)
    return DateMention(m.start(), m.end(), m.group(0), replace(reading, text=m.group(0)))


def latest_past_date(mentions: list[DateMention], today: date) -> FuzzyDate | None:
    """The mention that starts latest, among those that started by ``today``."""
    past = [m.reading for m in mentions if m.reading.earliest is not None and m.reading.earliest <= today]
    if not past:
        return None
    return max(past, key=lambda r: (r.earliest, r.latest or date.max))
