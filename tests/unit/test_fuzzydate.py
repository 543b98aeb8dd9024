"""Table tests: each date form chronicle reads, with its exact EDTF and bounds."""

from __future__ import annotations

from datetime import date

import pytest

from chronicle.errors import FuzzyDateError
from chronicle.fuzzydate import (
    Anchor,
    FuzzyDate,
    Precision,
    Qualifier,
    Status,
    chinese_new_year,
    context_date,
    parse,
    parse_cutoff,
    parse_edtf,
    status,
)

D = date
P = Precision


def reading(x: FuzzyDate) -> tuple[object, ...]:
    return (x.edtf, x.earliest, x.latest, x.precision, x.qualifier)


EDTF_ROWS = [
    ("2025", "2025", D(2025, 1, 1), D(2025, 12, 31), P.YEAR),
    ("2025-06", "2025-06", D(2025, 6, 1), D(2025, 6, 30), P.MONTH),
    ("2024-02", "2024-02", D(2024, 2, 1), D(2024, 2, 29), P.MONTH),
    ("2025-06-15", "2025-06-15", D(2025, 6, 15), D(2025, 6, 15), P.DAY),
    ("2025-21", "2025-21", D(2025, 3, 1), D(2025, 5, 31), P.SEASON),
    ("2025-22", "2025-22", D(2025, 6, 1), D(2025, 8, 31), P.SEASON),
    ("2025-23", "2025-23", D(2025, 9, 1), D(2025, 11, 30), P.SEASON),
    ("2025-24", "2025-24", D(2025, 12, 1), D(2025, 12, 31), P.SEASON),
    ("2025-33", "2025-33", D(2025, 1, 1), D(2025, 3, 31), P.QUARTER),
    ("2025-34", "2025-34", D(2025, 4, 1), D(2025, 6, 30), P.QUARTER),
    ("2025-35", "2025-35", D(2025, 7, 1), D(2025, 9, 30), P.QUARTER),
    ("2025-36", "2025-36", D(2025, 10, 1), D(2025, 12, 31), P.QUARTER),
    ("2025-37", "2025-37", D(2025, 1, 1), D(2025, 4, 30), P.THIRD),
    ("2025-38", "2025-38", D(2025, 5, 1), D(2025, 8, 31), P.THIRD),
    ("2025-39", "2025-39", D(2025, 9, 1), D(2025, 12, 31), P.THIRD),
    ("2025-40", "2025-40", D(2025, 1, 1), D(2025, 6, 30), P.HALF),
    ("2025-41", "2025-41", D(2025, 7, 1), D(2025, 12, 31), P.HALF),
    ("../2024-09", "../2024-09", None, D(2024, 9, 30), P.BOUND),
    ("2025-03/..", "2025-03/..", D(2025, 3, 1), None, P.BOUND),
    ("../..", "../..", None, None, P.UNKNOWN),
    ("2025-03-01/2025-03-10", "2025-03-01/2025-03-10", D(2025, 3, 1), D(2025, 3, 10), P.DAY_RANGE),
    ("2025-01/2025-35", "2025-01/2025-35", D(2025, 1, 1), D(2025, 9, 30), P.DAY_RANGE),
]


@pytest.mark.parametrize(("text", "edtf", "earliest", "latest", "precision"), EDTF_ROWS)
def test_iso_and_edtf_forms(text: str, edtf: str, earliest: date, latest: date, precision: Precision) -> None:
    x = parse(text)
    assert reading(x) == (edtf, earliest, latest, precision, Qualifier.NONE)
    assert x.text == text
    assert x.anchor is Anchor.ABSOLUTE
    assert parse_edtf(text) == x


QUALIFIED_ROWS = [
    # ~ reaches one unit of the date's own precision further on each side.
    ("2025-06~", D(2025, 5, 1), D(2025, 7, 31), P.MONTH, Qualifier.APPROXIMATE),
    ("2025~", D(2024, 1, 1), D(2026, 12, 31), P.YEAR, Qualifier.APPROXIMATE),
    ("2025-06-15~", D(2025, 6, 14), D(2025, 6, 16), P.DAY, Qualifier.APPROXIMATE),
    ("2025-35~", D(2025, 4, 1), D(2025, 12, 31), P.QUARTER, Qualifier.APPROXIMATE),
    ("2025-38~", D(2025, 1, 1), D(2025, 12, 31), P.THIRD, Qualifier.APPROXIMATE),
    ("2025-41~", D(2025, 1, 1), D(2026, 6, 30), P.HALF, Qualifier.APPROXIMATE),
    ("2025-24~", D(2025, 9, 1), D(2026, 3, 31), P.SEASON, Qualifier.APPROXIMATE),
    # ? keeps the stated period: it may be wrong, but it is not wider.
    ("2025-06?", D(2025, 6, 1), D(2025, 6, 30), P.MONTH, Qualifier.UNCERTAIN),
    ("2025-06%", D(2025, 5, 1), D(2025, 7, 31), P.MONTH, Qualifier.APPROXIMATE_UNCERTAIN),
    ("2025-06~/2025-09", D(2025, 5, 1), D(2025, 9, 30), P.DAY_RANGE, Qualifier.APPROXIMATE),
    ("2025-06~/2025-09?", D(2025, 5, 1), D(2025, 9, 30), P.DAY_RANGE, Qualifier.APPROXIMATE_UNCERTAIN),
    ("../2025?", None, D(2025, 12, 31), P.BOUND, Qualifier.UNCERTAIN),
]


@pytest.mark.parametrize(("text", "earliest", "latest", "precision", "qualifier"), QUALIFIED_ROWS)
def test_qualified_edtf(text: str, earliest: date, latest: date, precision: Precision, qualifier: Qualifier) -> None:
    assert reading(parse(text)) == (text, earliest, latest, precision, qualifier)


BAD_EDTF = [
    ("2025-13", "cannot read date '2025-13': month must be 01-12 (or a season/quarter code 21-24, 33-41)"),
    ("2025-02-30", "cannot read date '2025-02-30': day 30 is not in 2025-02"),
    ("2025-13-01", "cannot read date '2025-13-01': month must be 01-12"),
    ("0000", "cannot read date '0000': year must be 0001-9999"),
    ("", "cannot read date '': it is empty"),
    ("2025-06/2025-01", "cannot read date '2025-06/2025-01': the interval ends before it starts"),
    ("2025/2025-1", "cannot read date '2025/2025-1': interval end '2025-1' is not a date or '..'"),
]


@pytest.mark.parametrize(("text", "message"), BAD_EDTF)
def test_bad_edtf_is_refused_with_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(FuzzyDateError) as caught:
        parse(text)
    assert caught.value.message == message
    assert caught.value.hint is not None and "Q3 2025" in caught.value.hint


def test_parse_edtf_is_strict() -> None:
    with pytest.raises(FuzzyDateError):
        parse_edtf(" 2025")
    assert parse_edtf("2025", text="in 2025").text == "in 2025"


@pytest.mark.parametrize(
    ("text", "end"),
    [
        ("2025", D(2025, 12, 31)),
        ("2025-06", D(2025, 6, 30)),
        ("2024-02", D(2024, 2, 29)),
        ("2025-Q2", D(2025, 6, 30)),
        ("2025-q4", D(2025, 12, 31)),
        ("2025-06-15", D(2025, 6, 15)),
        (" today ", D(2026, 1, 21)),
    ],
)
def test_cutoffs_mean_the_end_of_their_period(text: str, end: date) -> None:
    assert parse_cutoff(text, today=D(2026, 1, 21)) == end


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2025-Q5", "cannot read cutoff '2025-Q5': quarter must be 1-4"),
        ("2025-13", "cannot read cutoff '2025-13': no such day"),
        ("June", "cannot read cutoff 'June'"),
    ],
)
def test_bad_cutoffs(text: str, message: str) -> None:
    with pytest.raises(FuzzyDateError) as caught:
        parse_cutoff(text)
    assert caught.value.message == message


@pytest.mark.parametrize(
    ("edtf", "cutoff", "expected"),
    [
        ("2025", "2025", Status.HAPPENED),
        ("2025", "2025-06", Status.POSSIBLY),
        ("2025", "2024", Status.NOT_YET),
        ("2025-38", "2025-Q2", Status.POSSIBLY),
        ("2025-38", "2025-08", Status.HAPPENED),
        ("../2024-09", "2024-06", Status.POSSIBLY),
        ("../2024-09", "2024-09", Status.HAPPENED),
        ("2025-03/..", "2030", Status.POSSIBLY),
        ("2025-03/..", "2025-02", Status.NOT_YET),
        ("2025-06-15", "2025-06-15", Status.HAPPENED),
        ("2025-06-15", "2025-06-14", Status.NOT_YET),
    ],
)
def test_status_against_a_cutoff(edtf: str, cutoff: str, expected: Status) -> None:
    assert status(parse(edtf), parse_cutoff(cutoff)) is expected


def test_context_date_is_open_up_to_publication() -> None:
    x = context_date(parse("2025-06"))
    assert x == FuzzyDate("", "../2025-06-30", None, D(2025, 6, 30), P.CONTEXT, anchor=Anchor.PUBLICATION)
    assert context_date(parse("2025-03/..")).edtf == "../.."
    assert reading(parse(x.edtf)) == (x.edtf, None, D(2025, 6, 30), P.BOUND, Qualifier.NONE)
    assert FuzzyDate.from_dict(x.to_dict()) == x


@pytest.mark.parametrize(
    ("edtf", "quarter"),
    [("2025-35", "2025-Q3"), ("2025-08", "2025-Q3"), ("2025-06-15", "2025-Q2"), ("2025-38", None),
     ("2025", None), ("../2025-03", None), ("2025-12/2026-01", None)],
)
def test_quarter_only_when_the_bounds_fit_one(edtf: str, quarter: str | None) -> None:
    assert parse(edtf).quarter() == quarter


def test_sort_key_orders_open_ends_outside_and_finer_first() -> None:
    texts = ["2025", "2025-01", "../2025-01", "2025-01/..", "2025-33", "2025-01-01", "../..", "2024"]
    ordered = [x.edtf for x in sorted((parse(t) for t in texts), key=FuzzyDate.sort_key)]
    assert ordered == ["../2025-01", "../..", "2024", "2025-01-01", "2025-01", "2025-33", "2025", "2025-01/.."]


def test_overlaps_and_contains() -> None:
    assert parse("2025-38").overlaps(parse("2025-35"))
    assert not parse("2025-33").overlaps(parse("2025-35"))
    assert parse("../2025-01").overlaps(parse("2020"))
    assert not parse("2025-03/..").overlaps(parse("2025-02"))
    assert parse("2025-06").contains(D(2025, 6, 30))
    assert not parse("2025-06").contains(D(2025, 7, 1))
    assert parse("../..").contains(D(1999, 1, 1))


def test_dict_round_trip() -> None:
    x = parse("2025-06~")
    assert x.to_dict() == {
        "text": "2025-06~",
        "edtf": "2025-06~",
        "earliest": "2025-05-01",
        "latest": "2025-07-31",
        "precision": "month",
        "qualifier": "approximate",
        "anchor": "absolute",
    }
    assert FuzzyDate.from_dict(x.to_dict()) == x
    with pytest.raises(FuzzyDateError):
        FuzzyDate.from_dict({"edtf": "2025"})


def test_chinese_new_year_table() -> None:
    assert chinese_new_year(2025) == D(2025, 1, 29)
    assert chinese_new_year(2015) == D(2015, 2, 19)
    assert chinese_new_year(2035) == D(2035, 2, 8)
    with pytest.raises(FuzzyDateError) as caught:
        chinese_new_year(2036)
    assert caught.value.message == "cannot date Chinese New Year 2036: chronicle knows it only for 2015-2035"


A = Qualifier.APPROXIMATE
N = Qualifier.NONE

# Every row of DESIGN.md's table and every phrase form chronicle reads.
PHRASE_ROWS = [
    ("January 20, 2025", "2025-01-20", D(2025, 1, 20), D(2025, 1, 20), P.DAY, N),
    ("January 20 2025", "2025-01-20", D(2025, 1, 20), D(2025, 1, 20), P.DAY, N),
    ("Jan 20th, 2025", "2025-01-20", D(2025, 1, 20), D(2025, 1, 20), P.DAY, N),
    ("20 January 2025", "2025-01-20", D(2025, 1, 20), D(2025, 1, 20), P.DAY, N),
    ("20th of Sept 2025", "2025-09-20", D(2025, 9, 20), D(2025, 9, 20), P.DAY, N),
    ("January 2025", "2025-01", D(2025, 1, 1), D(2025, 1, 31), P.MONTH, N),
    ("Jan 2025", "2025-01", D(2025, 1, 1), D(2025, 1, 31), P.MONTH, N),
    ("JAN. 2025", "2025-01", D(2025, 1, 1), D(2025, 1, 31), P.MONTH, N),
    ("in 2025.", "2025", D(2025, 1, 1), D(2025, 12, 31), P.YEAR, N),
    ("Q3 2025", "2025-35", D(2025, 7, 1), D(2025, 9, 30), P.QUARTER, N),
    ("q1-2025", "2025-33", D(2025, 1, 1), D(2025, 3, 31), P.QUARTER, N),
    ("2025-Q4", "2025-36", D(2025, 10, 1), D(2025, 12, 31), P.QUARTER, N),
    ("2025 Q2", "2025-34", D(2025, 4, 1), D(2025, 6, 30), P.QUARTER, N),
    ("the third quarter of 2025", "2025-35", D(2025, 7, 1), D(2025, 9, 30), P.QUARTER, N),
    ("during the 2nd quarter of 2025", "2025-34", D(2025, 4, 1), D(2025, 6, 30), P.QUARTER, N),
    ("H1 2025", "2025-40", D(2025, 1, 1), D(2025, 6, 30), P.HALF, N),
    ("2025 H2", "2025-41", D(2025, 7, 1), D(2025, 12, 31), P.HALF, N),
    ("first half of 2025", "2025-40", D(2025, 1, 1), D(2025, 6, 30), P.HALF, N),
    ("the second half of 2025", "2025-41", D(2025, 7, 1), D(2025, 12, 31), P.HALF, N),
    ("early 2025", "2025-37", D(2025, 1, 1), D(2025, 4, 30), P.THIRD, N),
    ("mid 2025", "2025-38", D(2025, 5, 1), D(2025, 8, 31), P.THIRD, N),
    ("mid-2025", "2025-38", D(2025, 5, 1), D(2025, 8, 31), P.THIRD, N),
    ("late 2025", "2025-39", D(2025, 9, 1), D(2025, 12, 31), P.THIRD, N),
    ("the end of 2025", "2025-39", D(2025, 9, 1), D(2025, 12, 31), P.THIRD, N),
    ("end of 2025", "2025-39", D(2025, 9, 1), D(2025, 12, 31), P.THIRD, N),
    ("year-end 2025", "2025-39", D(2025, 9, 1), D(2025, 12, 31), P.THIRD, N),
    ("end-2025", "2025-39", D(2025, 9, 1), D(2025, 12, 31), P.THIRD, N),
    ("the start of 2025", "2025-37", D(2025, 1, 1), D(2025, 4, 30), P.THIRD, N),
    ("mid-year 2025", "2025-38", D(2025, 5, 1), D(2025, 8, 31), P.THIRD, N),
    ("early March 2025", "2025-03-01/2025-03-10", D(2025, 3, 1), D(2025, 3, 10), P.DAY_RANGE, N),
    ("mid-March 2025", "2025-03-11/2025-03-20", D(2025, 3, 11), D(2025, 3, 20), P.DAY_RANGE, N),
    ("late March 2025", "2025-03-21/2025-03-31", D(2025, 3, 21), D(2025, 3, 31), P.DAY_RANGE, N),
    ("late February 2024", "2024-02-21/2024-02-29", D(2024, 2, 21), D(2024, 2, 29), P.DAY_RANGE, N),
    ("the end of March 2025", "2025-03-21/2025-03-31", D(2025, 3, 21), D(2025, 3, 31), P.DAY_RANGE, N),
    ("spring 2025", "2025-21", D(2025, 3, 1), D(2025, 5, 31), P.SEASON, N),
    ("the summer of 2025", "2025-22", D(2025, 6, 1), D(2025, 8, 31), P.SEASON, N),
    ("autumn 2025", "2025-23", D(2025, 9, 1), D(2025, 11, 30), P.SEASON, N),
    ("fall 2025", "2025-23", D(2025, 9, 1), D(2025, 11, 30), P.SEASON, N),
    ("winter 2025", "2025-24", D(2025, 12, 1), D(2025, 12, 31), P.SEASON, N),
    ("by September 2024", "../2024-09", None, D(2024, 9, 30), P.BOUND, N),
    ("by the end of 2025", "../2025-39", None, D(2025, 12, 31), P.BOUND, N),
    ("by early March 2025", "../2025-03-10", None, D(2025, 3, 10), P.BOUND, N),
    ("before March 2025", "../2025-02-28", None, D(2025, 2, 28), P.BOUND, N),
    ("before 2025", "../2024-12-31", None, D(2024, 12, 31), P.BOUND, N),
    ("since March 2025", "2025-03/..", D(2025, 3, 1), None, P.BOUND, N),
    ("since mid-2025", "2025-38/..", D(2025, 5, 1), None, P.BOUND, N),
    ("after March 2025", "2025-04-01/..", D(2025, 4, 1), None, P.BOUND, N),
    ("after January 20, 2025", "2025-01-21/..", D(2025, 1, 21), None, P.BOUND, N),
    ("around June 2025", "2025-06~", D(2025, 5, 1), D(2025, 7, 31), P.MONTH, A),
    ("circa 2025", "2025~", D(2024, 1, 1), D(2026, 12, 31), P.YEAR, A),
    ("about June 15, 2025", "2025-06-15~", D(2025, 6, 14), D(2025, 6, 16), P.DAY, A),
    ("around Q3 2025", "2025-35~", D(2025, 4, 1), D(2025, 12, 31), P.QUARTER, A),
    ("around 2025-06?", "2025-06%", D(2025, 5, 1), D(2025, 7, 31), P.MONTH, Qualifier.APPROXIMATE_UNCERTAIN),
    ("by around June 2025", "../2025-06~", None, D(2025, 7, 31), P.BOUND, A),
    ("within a month of June 2025", "2025-05-01/2025-07-31", D(2025, 5, 1), D(2025, 7, 31), P.DAY_RANGE, N),
    ("within a month of June 15, 2025", "2025-05-15/2025-07-15", D(2025, 5, 15), D(2025, 7, 15), P.DAY_RANGE, N),
    ("within a month of March 31, 2025", "2025-02-28/2025-04-30", D(2025, 2, 28), D(2025, 4, 30), P.DAY_RANGE, N),
    ("within two weeks of 2025-06-15", "2025-06-01/2025-06-29", D(2025, 6, 1), D(2025, 6, 29), P.DAY_RANGE, N),
    ("within a month of September 2024.", "2024-08-01/2024-10-31", D(2024, 8, 1), D(2024, 10, 31), P.DAY_RANGE, N),
    ("by 2024-09", "../2024-09", None, D(2024, 9, 30), P.BOUND, N),
]


@pytest.mark.parametrize(("text", "edtf", "earliest", "latest", "precision", "qualifier"), PHRASE_ROWS)
def test_english_phrases(
    text: str, edtf: str, earliest: date, latest: date, precision: Precision, qualifier: Qualifier
) -> None:
    x = parse(text)
    assert reading(x) == (edtf, earliest, latest, precision, qualifier)
    assert x.text == text
    assert x.anchor is Anchor.ABSOLUTE
    assert reading(parse(x.edtf)) == reading(x)


PUBLISHED = D(2026, 1, 21)  # a Wednesday, a month before Chinese New Year 2026 (Feb 17)

RELATIVE_ROWS = [
    # (text, future, edtf, earliest, latest, precision)
    ("in December", False, "2025-12", D(2025, 12, 1), D(2025, 12, 31), P.MONTH),
    ("in December", True, "2026-12", D(2026, 12, 1), D(2026, 12, 31), P.MONTH),
    ("in January", False, "2026-01", D(2026, 1, 1), D(2026, 1, 31), P.MONTH),
    ("in January", True, "2026-01", D(2026, 1, 1), D(2026, 1, 31), P.MONTH),
    ("on December 5", False, "2025-12-05", D(2025, 12, 5), D(2025, 12, 5), P.DAY),
    ("in late March", False, "2025-03-21/2025-03-31", D(2025, 3, 21), D(2025, 3, 31), P.DAY_RANGE),
    ("in the summer", False, "2025-22", D(2025, 6, 1), D(2025, 8, 31), P.SEASON),
    ("in Q1", False, "2026-33", D(2026, 1, 1), D(2026, 3, 31), P.QUARTER),
    ("in the fourth quarter", True, "2026-36", D(2026, 10, 1), D(2026, 12, 31), P.QUARTER),
    ("year-end", False, "2025-39", D(2025, 9, 1), D(2025, 12, 31), P.THIRD),
    ("last year", False, "2025", D(2025, 1, 1), D(2025, 12, 31), P.YEAR),
    ("this year", False, "2026", D(2026, 1, 1), D(2026, 12, 31), P.YEAR),
    ("next year", False, "2027", D(2027, 1, 1), D(2027, 12, 31), P.YEAR),
    ("last quarter", False, "2025-36", D(2025, 10, 1), D(2025, 12, 31), P.QUARTER),
    ("next quarter", False, "2026-34", D(2026, 4, 1), D(2026, 6, 30), P.QUARTER),
    ("last month", False, "2025-12", D(2025, 12, 1), D(2025, 12, 31), P.MONTH),
    ("next month", False, "2026-02", D(2026, 2, 1), D(2026, 2, 28), P.MONTH),
    ("last week", False, "2026-01-12/2026-01-18", D(2026, 1, 12), D(2026, 1, 18), P.DAY_RANGE),
    ("this week", False, "2026-01-19/2026-01-25", D(2026, 1, 19), D(2026, 1, 25), P.DAY_RANGE),
    ("yesterday", False, "2026-01-20", D(2026, 1, 20), D(2026, 1, 20), P.DAY),
    ("on Tuesday", False, "2026-01-20", D(2026, 1, 20), D(2026, 1, 20), P.DAY),
    ("on Tuesday", True, "2026-01-27", D(2026, 1, 27), D(2026, 1, 27), P.DAY),
    ("on Wednesday", False, "2026-01-21", D(2026, 1, 21), D(2026, 1, 21), P.DAY),
    ("on Wednesday", True, "2026-01-21", D(2026, 1, 21), D(2026, 1, 21), P.DAY),
    ("Thursday,", False, "2026-01-15", D(2026, 1, 15), D(2026, 1, 15), P.DAY),
    ("by last month", False, "../2025-12", None, D(2025, 12, 31), P.BOUND),
    ("since last year", False, "2025/..", D(2025, 1, 1), None, P.BOUND),
]


@pytest.mark.parametrize(("text", "future", "edtf", "earliest", "latest", "precision"), RELATIVE_ROWS)
def test_relative_words_against_a_publication_date(
    text: str, future: bool, edtf: str, earliest: date, latest: date, precision: Precision
) -> None:
    x = parse(text, published=PUBLISHED, future=future)
    assert reading(x) == (edtf, earliest, latest, precision, N)
    assert (x.text, x.anchor) == (text, Anchor.PUBLICATION)


@pytest.mark.parametrize("published", [PUBLISHED, "2026-01-21", "January 21, 2026", parse("2026-01-21")])
def test_published_may_be_a_date_a_string_or_a_fuzzy_date(published: FuzzyDate | date | str) -> None:
    assert parse("in December", published=published).edtf == "2025-12"


def test_absolute_words_ignore_the_publication_date() -> None:
    x = parse("mid-2025", published=PUBLISHED, future=True)
    assert (x.edtf, x.anchor) == ("2025-38", Anchor.ABSOLUTE)


def test_an_undated_document_resolves_relative_words_at_both_ends_of_its_window() -> None:
    window = parse("2025-03-01/2026-02-01")
    x = parse("in December", published=window)
    assert reading(x) == ("2024-12/2025-12", D(2024, 12, 1), D(2025, 12, 31), P.DAY_RANGE, N)
    assert x.anchor is Anchor.PUBLICATION
    same = parse("last year", published=parse("2025-06"))
    assert reading(same) == ("2024", D(2024, 1, 1), D(2024, 12, 31), P.YEAR, N)
    open_start = parse("last year", published=parse("../2025-06-15"))
    assert reading(open_start) == ("../2024", None, D(2024, 12, 31), P.BOUND, N)
    with pytest.raises(FuzzyDateError) as caught:
        parse("last year", published=parse("../.."))
    assert caught.value.message == "cannot read date 'last year': relative words need a publication date, and it is unknown"


HOLIDAY_ROWS = [
    # (text, published, future, edtf)
    ("nine days before Chinese New Year", PUBLISHED, False, "2025-01-20"),
    ("nine days before Chinese New Year", PUBLISHED, True, "2026-02-08"),
    ("9 days before Chinese New Year", D(2025, 1, 29), False, "2025-01-20"),
    ("twenty-one days after the Lunar New Year", PUBLISHED, False, "2025-02-19"),
    ("thirty days before Chinese New Year 2024", None, False, "2024-01-11"),
    ("a day after Spring Festival 2025", None, False, "2025-01-30"),
    ("on Chinese New Year 2026", None, False, "2026-02-17"),
    ("by Chinese New Year", PUBLISHED, True, "../2026-02-17"),
]


@pytest.mark.parametrize(("text", "published", "future", "edtf"), HOLIDAY_ROWS)
def test_holiday_anchors(text: str, published: date | None, future: bool, edtf: str) -> None:
    x = parse(text, published=published, future=future)
    assert x.edtf == edtf
    assert x.anchor is Anchor.HOLIDAY
    assert x.latest == date.fromisoformat(edtf.removeprefix("../"))


BAD_INPUT = [
    ("2025-13", "month must be 01-12 (or a season/quarter code 21-24, 33-41)"),
    ("Q5 2025", "quarter must be 1-4"),
    ("the fifth quarter of 2025", "quarter must be first, second, third or fourth"),
    ("H3 2025", "half must be 1 or 2"),
    ("the third half of 2025", "half must be first or second"),
    ("mid-20x5", "it is not a date form chronicle reads"),
    ("", "it is empty"),
    ("   ", "it is empty"),
    ("yesterday-ish", "it is not a date form chronicle reads"),
    ("February 30, 2025", "day 30 is not in 2025-02"),
    ("early", "'early' of what? give a year or a month"),
    ("around early March 2025", "'around' needs a single date, not a range"),
    ("by 2025/..", "'by' needs a date with an end"),
    ("after 2025/..", "'after' needs a date with an end"),
    ("since ../2025", "'since' needs a date with a start"),
    ("before ../2025", "'before' needs a date with a start"),
    ("forty days before Chinese New Year", "'forty' is not a number chronicle reads (digits, or one to thirty)"),
    ("in December", "relative words need a publication date"),
    ("June 2025?", "it is not a date form chronicle reads"),
    ("after 9999", "it reaches past the calendar's range"),
    ("before 0001-01-01", "it reaches past the calendar's range"),
    ("within a year of 9999", "it reaches past the calendar's range"),
    ("9999~", "it reaches past the calendar's range"),
]


@pytest.mark.parametrize(("text", "reason"), BAD_INPUT)
def test_bad_input_names_the_input_and_never_guesses(text: str, reason: str) -> None:
    with pytest.raises(FuzzyDateError) as caught:
        parse(text)
    assert caught.value.message == f"cannot read date {text!r}: {reason}"
    assert caught.value.hint is not None and caught.value.hint.startswith("accepted: 2025, 2025-06, 2025-06-15")


def test_chinese_new_year_outside_the_table_is_refused() -> None:
    with pytest.raises(FuzzyDateError) as caught:
        parse("nine days before Chinese New Year", published=D(2040, 5, 1))
    assert caught.value.message == "cannot date Chinese New Year 2039: chronicle knows it only for 2015-2035"


def test_non_text_is_refused() -> None:
    with pytest.raises(FuzzyDateError) as caught:
        parse(2025)  # type: ignore[arg-type]
    assert caught.value.message == "cannot read date '2025': a date must be text"
