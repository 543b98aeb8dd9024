"""English date phrases, turned into EDTF (or into a relative form to resolve).

Each phrase maps onto the EDTF subset, so a phrase's value is exactly the value
of the EDTF string it prints; that is what makes the canonical form round-trip.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from arrow.locales import EnglishLocale

from chronicle.fuzzydate import relative
from chronicle.fuzzydate.calendar import chinese_new_year, month_end
from chronicle.fuzzydate.model import Anchor
from chronicle.fuzzydate.problems import cannot_read
from chronicle.fuzzydate.relative import RelativeForm, YearForm


@dataclass(frozen=True, slots=True)
class Base:
    """A phrase without its operator: an EDTF string, or a form still to anchor."""

    edtf: str | None = None
    relative: RelativeForm | None = None
    anchor: Anchor = Anchor.ABSOLUTE


# Month and weekday names (full and abbreviated) come from arrow's English locale.
_LOCALE = EnglishLocale()
MONTHS: dict[str, int] = {
    name.lower(): number
    for number in range(1, 13)
    for name in (_LOCALE.month_names[number], _LOCALE.month_abbreviations[number])
}
MONTHS["sept"] = 9
WEEKDAYS: dict[str, int] = {
    name.lower(): number - 1  # Monday is 0, as in date.weekday()
    for number in range(1, 8)
    for name in (_LOCALE.day_names[number], _LOCALE.day_abbreviations[number])
}

_UNITS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
NUMBERS: dict[str, int] = {"a": 1, "an": 1, "twenty": 20, "thirty": 30}
NUMBERS.update({word: i for i, word in enumerate(_UNITS, start=1)})
NUMBERS.update({f"twenty{sep}{word}": 20 + i for i, word in enumerate(_UNITS[:9], start=1) for sep in "- "})

ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
SEASONS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}
# early/mid/late of a year are EDTF's thirds 37-39; "the end of" a year is its
# last third, the same as "late", and "the start of" its first.
THIRDS = {
    "early": 37, "start of": 37, "beginning of": 37,
    "mid": 38, "mid-year": 38, "midyear": 38,
    "late": 39, "end of": 39, "year-end": 39, "end-": 39,
}
# early/mid/late of a month are its first ten days, the next ten, and the rest.
MONTH_PARTS = {37: (1, 10), 38: (11, 20), 39: (21, 31)}

_M = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_Y = r"(\d{4})"
_D = r"(\d{1,2})(?:st|nd|rd|th)?"
_THIRD = "(" + "|".join(sorted((re.escape(k) for k in THIRDS), key=len, reverse=True)) + ")"
_HOLIDAY = r"(?:the\s+)?(?:chinese new year|lunar new year|spring festival)"
NUMBER = r"(\d{1,3}|an?|[a-z]+(?:[- ][a-z]+)?)"


def number(word: str, text: str) -> int:
    """A count written in digits or as a word from one to thirty."""
    if word.isdigit():
        return int(word)
    if word in NUMBERS:
        return NUMBERS[word]
    raise cannot_read(text, f"{word!r} is not a number chronicle reads (digits, or one to thirty)")


Handler = Callable[[re.Match[str], str], Base]
_RULES: list[tuple[re.Pattern[str], Handler]] = []


def rule(pattern: str) -> Callable[[Handler], Handler]:
    """Register a phrase pattern (matched against the whole normalized phrase)."""

    def register(handler: Handler) -> Handler:
        _RULES.append((re.compile(pattern), handler))
        return handler

    return register


def read_base(phrase: str, text: str) -> Base:
    """The date a normalized phrase names, or a clear error naming ``text``."""
    for pattern, handler in _RULES:
        m = pattern.fullmatch(phrase)
        if m is not None:
            return handler(m, text)
    raise cannot_read(text)


def _maybe_year(year: str | None, form: YearForm) -> Base:
    if year is None:
        return Base(relative=relative.in_year(form))
    return Base(edtf=form(int(year)))


def _code(year: str | None, code: int) -> Base:
    return _maybe_year(year, lambda y: f"{y:04d}-{code}")


@rule(r"(last|previous|this|next)\s+(year|quarter|month|week)")
def _last_next(m: re.Match[str], text: str) -> Base:
    offset = {"last": -1, "previous": -1, "this": 0, "next": 1}[m[1]]
    forms = {
        "year": relative.years_away,
        "quarter": relative.quarters_away,
        "month": relative.months_away,
        "week": relative.weeks_away,
    }
    return Base(relative=forms[m[2]](offset))


@rule(rf"{_M}\s+{_D}(?:,?\s+{_Y})?")
def _month_day_year(m: re.Match[str], text: str) -> Base:
    month, day = MONTHS[m[1]], int(m[2])
    return _maybe_year(m[3], lambda y: f"{y:04d}-{month:02d}-{day:02d}")


@rule(rf"{_D}\s+(?:of\s+)?{_M}(?:,?\s+{_Y})?")
def _day_month_year(m: re.Match[str], text: str) -> Base:
    day, month = int(m[1]), MONTHS[m[2]]
    return _maybe_year(m[3], lambda y: f"{y:04d}-{month:02d}-{day:02d}")


@rule(rf"{_M}(?:,?\s+(?:of\s+)?{_Y})?")
def _month_year(m: re.Match[str], text: str) -> Base:
    month = MONTHS[m[1]]
    return _maybe_year(m[2], lambda y: f"{y:04d}-{month:02d}")


# Numbered parts of a year, by their letter: the part's name, how many a year
# has, and the EDTF code just before the first (Q1 is 33, H1 is 40).
_PARTS = {"q": ("quarter", 4, 32), "h": ("half", 2, 39)}
_ORDINAL_WORDS = ["first", "second", "third", "fourth"]


def _numbered_part(letter: str, index: int, year: str | None, text: str, *, spelled: bool = False) -> Base:
    name, count, before_first = _PARTS[letter]
    if not 1 <= index <= count:
        if spelled:
            words = _ORDINAL_WORDS[:count]
            raise cannot_read(text, f"{name} must be {', '.join(words[:-1])} or {words[-1]}")
        raise cannot_read(text, f"{name} must be 1-{count}" if count > 2 else f"{name} must be 1 or 2")
    return _code(year, before_first + index)


@rule(rf"([qh])(\d+)(?:[\s-]*{_Y})?")
def _letter_year(m: re.Match[str], text: str) -> Base:
    return _numbered_part(m[1], int(m[2]), m[3], text)


@rule(rf"{_Y}[\s-]*([qh])(\d+)")
def _year_letter(m: re.Match[str], text: str) -> Base:
    return _numbered_part(m[2], int(m[3]), m[1], text)


@rule(rf"(\w+)\s+(quarter|half)(?:\s+of)?(?:\s+{_Y})?")
def _ordinal_part(m: re.Match[str], text: str) -> Base:
    letter = "q" if m[2] == "quarter" else "h"
    return _numbered_part(letter, ORDINALS.get(m[1], 0), m[3], text, spelled=True)


@rule(rf"{_THIRD}[\s-]*{_M}(?:,?\s+{_Y})?")
def _part_of_month(m: re.Match[str], text: str) -> Base:
    month = MONTHS[m[2]]
    first, last = MONTH_PARTS[THIRDS[m[1]]]

    def form(y: int) -> str:
        end = min(last, month_end(y, month).day)
        return f"{y:04d}-{month:02d}-{first:02d}/{y:04d}-{month:02d}-{end:02d}"

    return _maybe_year(m[3], form)


@rule(rf"{_THIRD}[\s-]*{_Y}?")
def _part_of_year(m: re.Match[str], text: str) -> Base:
    if m[2] is None and m[1] not in ("year-end", "mid-year", "midyear"):
        raise cannot_read(text, f"{m[1]!r} of what? give a year or a month")
    return _code(m[2], THIRDS[m[1]])


@rule(rf"(spring|summer|autumn|fall|winter)(?:\s+of)?(?:,?\s+{_Y})?")
def _season(m: re.Match[str], text: str) -> Base:
    return _code(m[2], SEASONS[m[1]])


@rule(r"(yesterday|today|tomorrow)")
def _day_word(m: re.Match[str], text: str) -> Base:
    return Base(relative=relative.days_away({"yesterday": -1, "today": 0, "tomorrow": 1}[m[1]]))


@rule("(" + "|".join(WEEKDAYS) + ")")
def _weekday(m: re.Match[str], text: str) -> Base:
    return Base(relative=relative.weekday(WEEKDAYS[m[1]]))


@rule(rf"{_HOLIDAY}(?:\s+{_Y})?")
def _holiday(m: re.Match[str], text: str) -> Base:
    return _holiday_offset(0, m[1], text)


@rule(rf"{NUMBER}\s+days?\s+(before|after)\s+{_HOLIDAY}(?:\s+{_Y})?")
def _days_from_holiday(m: re.Match[str], text: str) -> Base:
    days = number(m[1], text) * (-1 if m[2] == "before" else 1)
    return _holiday_offset(days, m[3], text)


def _holiday_offset(days: int, year: str | None, text: str) -> Base:
    if year is None:
        return Base(relative=relative.chinese_new_year_offset(days), anchor=Anchor.HOLIDAY)
    day = chinese_new_year(int(year)) + timedelta(days=days)
    return Base(edtf=day.isoformat(), anchor=Anchor.HOLIDAY)
