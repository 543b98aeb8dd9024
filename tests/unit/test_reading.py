"""How answers read a claim's date (chronicle.reading): states hold as of their source's date."""

from __future__ import annotations

from datetime import date

import pytest

from chronicle.events import EVENT_TYPES
from chronicle.fuzzydate import context_date, parse
from chronicle.reading import STATE_TYPES, as_of, explain, floor_of, read_date, start_of

PUBLISHED = parse("2026-01-21")
UNDATED = context_date(PUBLISHED)


def test_the_state_types_are_event_types() -> None:
    assert STATE_TYPES <= set(EVENT_TYPES)
    assert "model_release" not in STATE_TYPES and "funding" not in STATE_TYPES


@pytest.mark.parametrize("kind", sorted(STATE_TYPES))
def test_an_undated_state_holds_as_of_its_source_date(kind: str) -> None:
    read = read_date(kind, UNDATED)
    assert (read.earliest, read.latest, read.edtf) == (date(2026, 1, 21), date(2026, 1, 21), "2026-01-21")
    assert (read.text, read.precision, read.anchor) == (UNDATED.text, UNDATED.precision, UNDATED.anchor)
    assert as_of(read) == date(2026, 1, 21)


def test_a_state_by_a_date_holds_as_of_that_date() -> None:
    by = parse("by September 2024")
    read = read_date("downloads", by)
    assert (read.earliest, read.latest, read.text) == (date(2024, 9, 30), date(2024, 9, 30), "by September 2024")
    assert as_of(read) == date(2024, 9, 30)


@pytest.mark.parametrize("kind", ["model_release", "funding", "ipo", "talent_move", "partnership", "other"])
def test_an_undated_occurrence_is_left_as_stored(kind: str) -> None:
    assert read_date(kind, UNDATED) is UNDATED
    assert as_of(UNDATED) is None


@pytest.mark.parametrize("text", ["in January 2025", "2025", "mid-2025", "since March 2025"])
def test_a_date_with_a_start_is_never_read_otherwise(text: str) -> None:
    when = parse(text)
    assert read_date("downloads", when) is when
    assert start_of("downloads", when.earliest, when.latest) == when.earliest
    assert as_of(when) is None


def test_start_of_is_the_rule_on_bare_bounds() -> None:
    assert start_of("price", None, date(2025, 3, 1)) == date(2025, 3, 1)
    assert start_of("model_release", None, date(2025, 3, 1)) is None
    assert start_of("price", None, None) is None


@pytest.mark.parametrize("stance", ["delayed", "denied"])
def test_a_negated_occurrence_holds_as_of_its_source_date(stance: str) -> None:
    read = read_date("model_release", UNDATED, stance)
    assert (read.earliest, read.latest) == (date(2026, 1, 21), date(2026, 1, 21))
    assert start_of("model_release", None, date(2026, 1, 21), stance) == date(2026, 1, 21)


@pytest.mark.parametrize("stance", ["asserted", "reportedly", "claimed", "anticipated"])
def test_other_stances_leave_an_occurrence_as_stored(stance: str) -> None:
    assert read_date("model_release", UNDATED, stance) is UNDATED


# -- rule 2 (b, c): starts bound undated occurrences ---------------------------------------------

JULY = date(2025, 7, 11)


def test_a_start_bounds_an_undated_occurrence_from_below() -> None:
    read = read_date("model_release", UNDATED, floor=JULY)
    assert (read.earliest, read.latest, read.edtf) == (JULY, date(2026, 1, 21), "2025-07-11/2026-01-21")
    assert read.text == UNDATED.text and as_of(read) is None


def test_a_start_after_the_source_date_leaves_the_claim_as_of_its_source_date() -> None:
    read = read_date("funding", UNDATED, floor=date(2026, 6, 1))
    assert (read.earliest, read.latest) == (date(2026, 1, 21), date(2026, 1, 21))
    assert as_of(read) == date(2026, 1, 21)


@pytest.mark.parametrize(("kind", "stance", "certainty"), [
    ("downloads", "asserted", "reported"),  # a state: as of its source's date already
    ("model_release", "delayed", "reported"),  # negated: as of its source's date already
    ("model_release", "asserted", "forecast"),  # a forecast is no occurrence yet
])
def test_a_start_bounds_only_reported_occurrences(kind: str, stance: str, certainty: str) -> None:
    assert read_date(kind, UNDATED, stance, certainty, floor=JULY) == read_date(kind, UNDATED, stance, certainty)


def test_a_dated_claim_is_never_moved_by_a_start() -> None:
    dated = parse("2025-03")
    assert read_date("model_release", dated, floor=JULY) is dated


def test_an_undated_opinion_holds_as_of_its_source_date() -> None:
    read = read_date("other", UNDATED, certainty="opinion")
    assert as_of(read) == date(2026, 1, 21)
    assert explain("other", UNDATED, certainty="opinion")["reason"] == (
        "an opinion holds as of its source's date (2026-01-21), not before")


def test_the_latest_start_among_subject_and_named_entities_wins() -> None:
    floors = {"kimi-k2": date(2025, 7, 11), "gpt-5": date(2025, 8, 7), "moonshot": date(2023, 3, 1)}
    assert floor_of(floors, "kimi-k2", ("moonshot", "gpt-5")) == (date(2025, 8, 7), "gpt-5")
    assert floor_of(floors, "kimi-k2", ()) == (date(2025, 7, 11), "kimi-k2")
    assert floor_of(floors, "qwen3", ("alibaba",)) is None


def test_explain_names_the_bound_and_whose_start_it_is() -> None:
    found = explain("model_release", UNDATED, floor=(JULY, "kimi-k2"))
    assert found["floor"] == {"day": "2025-07-11", "entity": "kimi-k2"}
    assert found["reason"] == ("an occurrence by 2026-01-21: not before 2025-07-11 (the first dated release or "
                               "launch of 'kimi-k2' the store knows); possibly happened between the two")
    unbounded = explain("model_release", UNDATED)
    assert unbounded["floor"] is None and "no earlier bound is known" in unbounded["reason"]
