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
