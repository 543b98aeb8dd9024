"""``parse``: the one entry point from words to a FuzzyDate.

Reading goes: plain ISO/EDTF (the fast path), else a normalized English
phrase, which is an optional operator ("by", "around", "within a month of")
around a base date. Every result is produced by printing EDTF and reading it
back, so a value always equals the reading of its own canonical string.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache

import arrow

from chronicle.errors import FuzzyDateError
from chronicle.fuzzydate.edtf_subset import POINT, parse_edtf, point
from chronicle.fuzzydate.model import Anchor, FuzzyDate, Qualifier
from chronicle.fuzzydate.phrases import NUMBER, number, read_base
from chronicle.fuzzydate.problems import cannot_read
from chronicle.fuzzydate.relative import NoMatch, RelativeForm

_EDTF_CHARS = re.compile(r"[\d./~?%-]+")
_LEADING = re.compile(r"(?:(?:in|on|during|the)\s+)+")
# Trailing sentence punctuation, but not the '..' of an open interval end.
_TRAILING = re.compile(r"(?<![/.])[.,;:!]+$")
_WITHIN = re.compile(rf"within\s+{NUMBER}\s+(day|week|month|year)s?\s+of\s+(.+)")
_OPERATOR = re.compile(r"(by|before|after|since|around|circa|about|approximately|c\.|ca\.)\s+(.+)")
_ONE_DAY = timedelta(days=1)


def parse(
    text: str,
    *,
    published: FuzzyDate | date | str | None = None,
    future: bool = False,
) -> FuzzyDate:
    """Read ISO, EDTF or English date words into a FuzzyDate.

    Relative words ("in December", "last year", "on Tuesday") are resolved
    against ``published``; past tense by default (the latest match at or
    before publication), ``future=True`` for forecasts (the next match at or
    after it). A ``published`` window (an undated document) resolves them at
    both of its ends and returns the union. Raises ``FuzzyDateError`` rather
    than guess.
    """
    if not isinstance(text, str):
        raise cannot_read(repr(text), "a date must be text")
    cleaned = text.strip()
    # Fast path: plain ISO/EDTF dates are most of what chronicle reads.
    m = POINT.fullmatch(cleaned)
    if m is not None:
        lo, hi, precision, qualifier = point(m, text)
        return FuzzyDate(text, cleaned, lo, hi, precision, qualifier)
    if not cleaned:
        raise cannot_read(text, "it is empty")
    if published is None:
        return _parse_absolute(text)
    return _read(_normalize(cleaned), text, _Context(published, future))


@lru_cache(maxsize=4096)
def _parse_absolute(text: str) -> FuzzyDate:
    # Values are immutable, so a phrase read without a publication date can be
    # shared; relative words raise here and are never cached.
    return _read(_normalize(text.strip()), text, _Context(None, False))


def _normalize(cleaned: str) -> str:
    phrase = " ".join(cleaned.lower().replace("\u2013", "-").replace("\u2014", "-").split())
    return _TRAILING.sub("", phrase)


@dataclass(frozen=True, slots=True)
class _Context:
    published: FuzzyDate | date | str | None
    future: bool

    def window(self, text: str) -> tuple[date | None, date | None]:
        """The publication day, or the ends of an undated document's window."""
        published = self.published
        if published is None:
            raise cannot_read(text, "relative words need a publication date")
        if isinstance(published, str):
            published = parse(published)
        if isinstance(published, datetime):
            published = published.date()
        if isinstance(published, date):
            return published, published
        if published.earliest is None and published.latest is None:
            raise cannot_read(text, "relative words need a publication date, and it is unknown")
        return published.earliest, published.latest


def _read(phrase: str, text: str, ctx: _Context) -> FuzzyDate:
    lead = _LEADING.match(phrase)
    if lead is not None:
        phrase = phrase[lead.end():]
    if _EDTF_CHARS.fullmatch(phrase):
        return parse_edtf(phrase, text)
    m = _WITHIN.fullmatch(phrase)
    if m is not None:
        return _within(number(m[1], text), m[2], _read(m[3], text, ctx), text)
    m = _OPERATOR.fullmatch(phrase)
    if m is not None:
        return _operator(m[1], _read(m[2], text, ctx), text)
    base = read_base(phrase, text)
    if base.edtf is not None:
        return _anchored(parse_edtf(base.edtf, text), base.anchor)
    assert base.relative is not None
    anchor = Anchor.HOLIDAY if base.anchor is Anchor.HOLIDAY else Anchor.PUBLICATION
    return _anchored(parse_edtf(_resolve(base.relative, text, ctx), text), anchor)


@contextmanager
def _within_calendar(text: str) -> Iterator[None]:
    """Turn date arithmetic that falls off the calendar (before year 1, after
    9999) into the usual refusal; chronicle's own errors pass through."""
    try:
        yield
    except FuzzyDateError:
        raise
    except (OverflowError, ValueError):
        raise cannot_read(text, "it reaches past the calendar's range") from None


def _anchored(x: FuzzyDate, anchor: Anchor) -> FuzzyDate:
    return x if x.anchor is anchor else replace(x, anchor=anchor)


def _resolve(form: RelativeForm, text: str, ctx: _Context) -> str:
    """The EDTF of a relative form at the publication date, or the union over a window."""
    lo, hi = ctx.window(text)
    try:
        with _within_calendar(text):
            first = form(lo, ctx.future) if lo is not None else None
            last = first if hi == lo else form(hi, ctx.future) if hi is not None else None
    except NoMatch:
        raise cannot_read(text, "no such date near the publication date") from None
    if first is not None and first == last:
        return first
    start = _start_part(first) if first is not None else ".."
    end = _end_part(last) if last is not None else ".."
    return f"{start}/{end}"


def _start_part(edtf: str) -> str:
    return edtf.split("/")[0]


def _end_part(edtf: str) -> str:
    return edtf.split("/")[-1]


def _operator(word: str, x: FuzzyDate, text: str) -> FuzzyDate:
    with _within_calendar(text):
        edtf = _bounded(word, x, text) if word in ("by", "since", "before", "after") else _approximately(x, text)
    return _anchored(parse_edtf(edtf, text), x.anchor)


def _bounded(word: str, x: FuzzyDate, text: str) -> str:
    """The EDTF of 'by/since/before/after X'.

    by X: no later than X's end; since X: from X's start on. before/after X
    exclude X itself, so they are written with the day just outside X, as a
    full date: "before March 2025" is ../2025-02-28, "after March 2025" is
    2025-04-01/..
    """
    if word == "by":
        end = _end_part(x.edtf)
        if end == "..":
            raise cannot_read(text, "'by' needs a date with an end")
        return f"../{end}"
    if word == "since":
        start = _start_part(x.edtf)
        if start == "..":
            raise cannot_read(text, "'since' needs a date with a start")
        return f"{start}/.."
    if word == "before":
        if x.earliest is None:
            raise cannot_read(text, "'before' needs a date with a start")
        return f"../{(x.earliest - _ONE_DAY).isoformat()}"
    if x.latest is None:
        raise cannot_read(text, "'after' needs a date with an end")
    return f"{(x.latest + _ONE_DAY).isoformat()}/.."


def _approximately(x: FuzzyDate, text: str) -> str:
    if "/" in x.edtf:
        raise cannot_read(text, "'around' needs a single date, not a range")
    if x.qualifier is Qualifier.NONE:
        return x.edtf + "~"
    if x.qualifier is Qualifier.UNCERTAIN:
        return x.edtf[:-1] + "%"
    return x.edtf


def _within(count: int, unit: str, x: FuzzyDate, text: str) -> FuzzyDate:
    """X's bounds widened by ``count`` units on each side, as a day interval.

    The end is widened from the day after it, so that a month-end stays a
    month-end ("within a month of June" reaches July 31, not July 30).
    """
    shift = _SHIFTS[unit]
    with _within_calendar(text):
        start = ".." if x.earliest is None else shift(x.earliest, -count).isoformat()
        end = ".." if x.latest is None else (shift(x.latest + _ONE_DAY, count) - _ONE_DAY).isoformat()
    return _anchored(parse_edtf(f"{start}/{end}", text), x.anchor)


# Calendar shifts by arrow: a month from March 31 is April 30, not an error.
_SHIFTS: dict[str, Callable[[date, int], date]] = {
    "day": lambda d, n: d + timedelta(days=n),
    "week": lambda d, n: d + timedelta(weeks=n),
    "month": lambda d, n: arrow.Arrow.fromdate(d).shift(months=n).date(),
    "year": lambda d, n: arrow.Arrow.fromdate(d).shift(years=n).date(),
}
