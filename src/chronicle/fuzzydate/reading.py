"""``parse``: the one entry point from words to a FuzzyDate."""

from __future__ import annotations

from datetime import date

from chronicle.fuzzydate.edtf_subset import POINT, parse_edtf, point
from chronicle.fuzzydate.model import FuzzyDate
from chronicle.fuzzydate.problems import cannot_read


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
    after it). Raises ``FuzzyDateError`` rather than guess.
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
    return parse_edtf(cleaned, text)
