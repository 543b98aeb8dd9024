"""Calendar facts the parser relies on: sub-year codes, month ends, holidays."""

from __future__ import annotations

from calendar import monthrange
from datetime import date

from chronicle.errors import FuzzyDateError
from chronicle.fuzzydate.model import Precision

# EDTF sub-year groupings, as (first month, last month, precision).
#
# Seasons 21-24 use the month ranges of the `edtf` package (the reference
# implementation chronicle is tested against): spring Mar-May, summer Jun-Aug,
# autumn Sep-Nov, and winter only December of the *same* year, so that a
# season never reaches into the next year. Thirds 37-39 (early/mid/late) are
# Jan-Apr, May-Aug, Sep-Dec.
SUBYEAR: dict[int, tuple[int, int, Precision]] = {
    21: (3, 5, Precision.SEASON),
    22: (6, 8, Precision.SEASON),
    23: (9, 11, Precision.SEASON),
    24: (12, 12, Precision.SEASON),
    33: (1, 3, Precision.QUARTER),
    34: (4, 6, Precision.QUARTER),
    35: (7, 9, Precision.QUARTER),
    36: (10, 12, Precision.QUARTER),
    37: (1, 4, Precision.THIRD),
    38: (5, 8, Precision.THIRD),
    39: (9, 12, Precision.THIRD),
    40: (1, 6, Precision.HALF),
    41: (7, 12, Precision.HALF),
}

# How far "approximately" reaches on each side, in months, for each grouping:
# one unit of the grouping itself (a season counts as three months even when,
# like winter, it covers fewer).
UNIT_MONTHS: dict[Precision, int] = {
    Precision.YEAR: 12,
    Precision.MONTH: 1,
    Precision.QUARTER: 3,
    Precision.THIRD: 4,
    Precision.HALF: 6,
    Precision.SEASON: 3,
}

# Chinese New Year (the first day of the first lunar month) as observed in
# mainland China. A table rather than a lunisolar computation: it is short,
# checkable against any almanac, and cannot be subtly wrong for one year.
_CHINESE_NEW_YEAR: dict[int, date] = {
    2015: date(2015, 2, 19),
    2016: date(2016, 2, 8),
    2017: date(2017, 1, 28),
    2018: date(2018, 2, 16),
    2019: date(2019, 2, 5),
    2020: date(2020, 1, 25),
    2021: date(2021, 2, 12),
    2022: date(2022, 2, 1),
    2023: date(2023, 1, 22),
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
    2029: date(2029, 2, 13),
    2030: date(2030, 2, 3),
    2031: date(2031, 1, 23),
    2032: date(2032, 2, 11),
    2033: date(2033, 1, 31),
    2034: date(2034, 2, 19),
    2035: date(2035, 2, 8),
}
CNY_FIRST, CNY_LAST = min(_CHINESE_NEW_YEAR), max(_CHINESE_NEW_YEAR)


def chinese_new_year(year: int) -> date:
    """The Gregorian date of Chinese New Year in ``year`` (2015-2035 only)."""
    try:
        return _CHINESE_NEW_YEAR[year]
    except KeyError:
        raise FuzzyDateError(
            f"cannot date Chinese New Year {year}: chronicle knows it only for {CNY_FIRST}-{CNY_LAST}",
            "give the date itself, e.g. 2025-01-20",
        ) from None


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, monthrange(year, month)[1])


def month_start_shifted(day: date, months: int) -> date:
    """The first day of the month ``months`` away from ``day``'s month."""
    y, m = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(y, m + 1, 1)


def month_end_shifted(day: date, months: int) -> date:
    """The last day of the month ``months`` away from ``day``'s month."""
    y, m = divmod(day.year * 12 + day.month - 1 + months, 12)
    return month_end(y, m + 1)
