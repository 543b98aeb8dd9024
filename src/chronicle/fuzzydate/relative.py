"""Dates that only mean something against a publication date (or a holiday).

A relative form is a function of an anchor day and a tense: given the day a
document was published and whether the words are a forecast, it returns the
EDTF string they denote. Past tense (the default) picks the latest match at
or before the anchor; future tense the next match at or after it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import arrow

from chronicle.errors import FuzzyDateError
from chronicle.fuzzydate.calendar import CNY_FIRST, CNY_LAST, chinese_new_year
from chronicle.fuzzydate.edtf_subset import parse_edtf

RelativeForm = Callable[[date, bool], str]
YearForm = Callable[[int], str]


class NoMatch(Exception):
    """A relative form has no match near its anchor (e.g. 'February 29')."""


def in_year(form: YearForm) -> RelativeForm:
    """A year-less form ("in December", "in the summer"), read against an anchor.

    "Latest match at or before" means the occurrence that had begun by the
    anchor day; "next match at or after" the one that has not yet ended.
    """

    def resolve(anchor: date, future: bool) -> str:
        # datetime's calendar runs from year 1 to 9999.
        years = range(max(anchor.year - 1, 1), min(anchor.year + 1, 9999) + 1)
        for year in years if future else reversed(years):
            try:
                x = parse_edtf(form(year))
            except FuzzyDateError:
                continue  # e.g. February 29 in a common year
            assert x.earliest is not None and x.latest is not None
            if (x.latest >= anchor) if future else (x.earliest <= anchor):
                return x.edtf
        raise NoMatch

    return resolve


def years_away(offset: int) -> RelativeForm:
    """'last year' (-1), 'this year' (0), 'next year' (+1)."""
    return lambda anchor, future: f"{anchor.year + offset:04d}"


def quarters_away(offset: int) -> RelativeForm:
    """'last quarter', 'this quarter', 'next quarter', as EDTF quarter codes 33-36."""

    def resolve(anchor: date, future: bool) -> str:
        year, index = divmod(anchor.year * 4 + (anchor.month - 1) // 3 + offset, 4)
        return f"{year:04d}-{33 + index}"

    return resolve


def months_away(offset: int) -> RelativeForm:
    """'last month', 'this month', 'next month'."""
    return lambda anchor, future: arrow.Arrow.fromdate(anchor).shift(months=offset).format("YYYY-MM")


def weeks_away(offset: int) -> RelativeForm:
    """'last week' and kin: whole Monday-Sunday weeks, as a day interval."""

    def resolve(anchor: date, future: bool) -> str:
        monday = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=offset)
        return f"{monday.isoformat()}/{(monday + timedelta(days=6)).isoformat()}"

    return resolve


def days_away(offset: int) -> RelativeForm:
    """'yesterday', 'today', 'tomorrow'."""
    return lambda anchor, future: (anchor + timedelta(days=offset)).isoformat()


def weekday(number: int) -> RelativeForm:
    """'on Tuesday': the latest Tuesday on or before the anchor (future: next on or after)."""

    def resolve(anchor: date, future: bool) -> str:
        # arrow's weekday shift moves forward to the next such day, or stays put
        # when the anchor already is one; starting six days earlier makes that
        # the latest one on or before the anchor.
        start = anchor if future else anchor - timedelta(days=6)
        return arrow.Arrow.fromdate(start).shift(weekday=number).date().isoformat()

    return resolve


def chinese_new_year_offset(days: int) -> RelativeForm:
    """'N days before/after Chinese New Year' with no year: the holiday nearest
    the anchor in the text's tense (latest at or before, or next at or after)."""

    def resolve(anchor: date, future: bool) -> str:
        return (_chinese_new_year_near(anchor, future) + timedelta(days=days)).isoformat()

    return resolve


def _chinese_new_year_near(anchor: date, future: bool) -> date:
    year = anchor.year
    if CNY_FIRST <= year <= CNY_LAST:
        holiday = chinese_new_year(year)
        if (holiday >= anchor) if future else (holiday <= anchor):
            return holiday
    return chinese_new_year(year + 1 if future else year - 1)
