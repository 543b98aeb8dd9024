"""The strict EDTF subset chronicle reads and writes.

Supported: ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, sub-year groupings
``YYYY-21`` … ``YYYY-24`` (seasons) and ``YYYY-33`` … ``YYYY-41`` (quarters,
thirds, halves), each optionally followed by one qualifier ``~`` (approximate),
``?`` (uncertain) or ``%`` (both); and intervals ``A/B`` whose ends are such
dates or ``..`` (open).

Qualifier bounds: ``?`` says the stated period may be wrong, not that it is
wider, so its bounds stay those of the period; ``~`` and ``%`` say "about",
so the bounds reach one unit of the date's own precision further on each side
(a day, a month, a quarter, a year).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from chronicle.fuzzydate.calendar import (
    SUBYEAR,
    UNIT_MONTHS,
    month_end,
    month_end_shifted,
    month_start_shifted,
)
from chronicle.fuzzydate.model import FuzzyDate, Precision, Qualifier
from chronicle.fuzzydate.problems import cannot_read

POINT = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?([~?%])?")

_QUALIFIERS = {
    None: Qualifier.NONE,
    "~": Qualifier.APPROXIMATE,
    "?": Qualifier.UNCERTAIN,
    "%": Qualifier.APPROXIMATE_UNCERTAIN,
}
_WIDENED = frozenset({Qualifier.APPROXIMATE, Qualifier.APPROXIMATE_UNCERTAIN})
_ONE_DAY = timedelta(days=1)

Point = tuple[date, date, Precision, Qualifier]


def parse_edtf(edtf: str, text: str | None = None) -> FuzzyDate:
    """Read a string in chronicle's strict EDTF subset; ``text`` defaults to the string.

    Raises ``FuzzyDateError`` for anything outside the subset.
    """
    words = edtf if text is None else text
    m = POINT.fullmatch(edtf)
    if m is not None:
        lo, hi, precision, qualifier = point(m, words)
        return FuzzyDate(words, edtf, lo, hi, precision, qualifier)
    if edtf.count("/") == 1:
        return _interval(edtf, words)
    raise cannot_read(words)


def point(m: re.Match[str], words: str) -> Point:
    """Bounds, precision and qualifier of one matched EDTF date."""
    year_s, mid, day_s, mark = m.groups()
    qualifier = _QUALIFIERS[mark]
    if mid is not None and day_s is None and not (1 <= int(mid) <= 12 or int(mid) in SUBYEAR):
        raise cannot_read(words, "month must be 01-12 (or a season/quarter code 21-24, 33-41)")
    try:
        year = int(year_s)
        if mid is None:
            lo, hi, precision = date(year, 1, 1), date(year, 12, 31), Precision.YEAR
        else:
            code = int(mid)
            if day_s is not None:
                lo = hi = date(year, code, int(day_s))
                precision = Precision.DAY
            elif 1 <= code <= 12:
                lo, hi, precision = date(year, code, 1), month_end(year, code), Precision.MONTH
            else:
                first, last, precision = SUBYEAR[code]
                lo, hi = date(year, first, 1), month_end(year, last)
        if qualifier in _WIDENED:
            if precision is Precision.DAY:
                lo, hi = lo - _ONE_DAY, hi + _ONE_DAY
            else:
                unit = UNIT_MONTHS[precision]
                lo, hi = month_start_shifted(lo, -unit), month_end_shifted(hi, unit)
    except (ValueError, OverflowError):
        raise cannot_read(words, _calendar_reason(year_s, mid, day_s)) from None
    return lo, hi, precision, qualifier


def _calendar_reason(year_s: str, mid: str | None, day_s: str | None) -> str:
    if int(year_s) == 0:
        return "year must be 0001-9999"
    if day_s is not None and mid is not None:
        if not 1 <= int(mid) <= 12:
            return "month must be 01-12"
        return f"day {day_s} is not in {year_s}-{mid}"
    return "it reaches past the calendar's range"


def _interval(edtf: str, words: str) -> FuzzyDate:
    start_s, end_s = edtf.split("/")
    start = _end(start_s, words)
    end = _end(end_s, words)
    lo = start[0] if start else None
    hi = end[1] if end else None
    if lo is not None and hi is not None and lo > hi:
        raise cannot_read(words, "the interval ends before it starts")
    if start and end:
        precision = Precision.DAY_RANGE
    elif start or end:
        precision = Precision.BOUND
    else:
        precision = Precision.UNKNOWN
    marks = {q for q in (start[3] if start else None, end[3] if end else None) if q}
    return FuzzyDate(words, edtf, lo, hi, precision, _merge(marks))


def _end(part: str, words: str) -> Point | None:
    if part == "..":
        return None
    m = POINT.fullmatch(part)
    if m is None:
        raise cannot_read(words, f"interval end {part!r} is not a date or '..'")
    return point(m, words)


def _merge(marks: set[Qualifier]) -> Qualifier:
    approx = bool(marks & _WIDENED)
    uncertain = bool(marks & {Qualifier.UNCERTAIN, Qualifier.APPROXIMATE_UNCERTAIN})
    if approx and uncertain:
        return Qualifier.APPROXIMATE_UNCERTAIN
    if approx:
        return Qualifier.APPROXIMATE
    return Qualifier.UNCERTAIN if uncertain else Qualifier.NONE
