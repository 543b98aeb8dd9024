"""Property-based fuzzing of date texts: only FuzzyDateError may come out.

The strategies mix free text with fragments of the forms chronicle reads
(ISO, EDTF, English words), so that most examples get deep into the readers
instead of being rejected at the first character.
"""

from __future__ import annotations

import os
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import figures
from chronicle.errors import FuzzyDateError
from chronicle.fuzzydate import parse, parse_cutoff, parse_edtf

SCALE = 10 if os.environ.get("CHRONICLE_SLOW") == "1" else 1
FRAGMENTS = [
    "2025", "0000", "9999", "99999999999999999999", "-2025", "2025-", "-01", "-12", "-13", "-00", "-31", "-29",
    "-02-30", "-21", "-24", "-33", "-41", "-99", "~", "?", "%", "/", "..", "X", "XX", "Q", "Q0", "Q3", "Q5",
    "H1", "H3", " ", "  ", "\t", "\n", "\x00", "\u200b", "\ud800", "\U0001f600", "٢٠٢٥", "early", "mid", "late",
    "by", "before", "after", "since", "around", "within a month of", "last", "next", "year", "week", "month",
    "in", "on", "Tuesday", "December", "January 20,", "20 January", "Jan", "summer", "Chinese New Year",
    "nine days before", "days", "'; DROP TABLE events; --", "\\", '"', "{", "[", "e9", "1e400", "-0", "+1",
]
date_texts = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(FRAGMENTS), max_size=8).map("".join),
    st.lists(st.sampled_from(FRAGMENTS), max_size=6).map(" ".join),
    st.from_regex(r"-?\d{1,12}(-\d{1,3}){0,2}[~?%]?(/(\.\.|-?\d{1,6}(-\d{1,2})?)?)?", fullmatch=True),
)
published = st.one_of(st.none(), st.dates(), st.sampled_from(["2026-01-21", "2025", "2025-Q2", "../2025-06"]))
FUZZ = settings(max_examples=1000 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(text=date_texts, published=published, future=st.booleans())
def test_parse_raises_only_fuzzy_date_errors(text: str, published: date | str | None, future: bool) -> None:
    figures.add("fuzz examples: date texts")
    try:
        when = parse(text, published=published, future=future)
    except FuzzyDateError:
        return
    if when.earliest is not None and when.latest is not None:
        assert when.earliest <= when.latest


@FUZZ
@given(text=date_texts)
def test_parse_edtf_raises_only_fuzzy_date_errors(text: str) -> None:
    figures.add("fuzz examples: date texts")
    try:
        parse_edtf(text)
    except FuzzyDateError:
        pass


@FUZZ
@given(text=date_texts)
def test_parse_cutoff_raises_only_fuzzy_date_errors(text: str) -> None:
    figures.add("fuzz examples: date texts")
    try:
        parse_cutoff(text, today=date(2026, 1, 21))
    except FuzzyDateError:
        pass
