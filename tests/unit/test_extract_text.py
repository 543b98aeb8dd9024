"""Extraction stages on plain strings: sentences, dates, numbers, classification."""

from __future__ import annotations

from chronicle.extract.classify import certainty, classify
from chronicle.extract.dates import find_dates
from chronicle.extract.numbers import find_quantities
from chronicle.extract.sentences import split_sentences


def test_sentences_carry_offsets_into_the_whole_text() -> None:
    text = "---\ntitle: x\n---\n## A heading\nThe U.S. lab grew. It raised $5 million! Then?\n\nNext paragraph."
    body = text.index("## A")
    sentences = split_sentences(text, body)
    assert [s.text for s in sentences] == ["A heading", "The U.S. lab grew.", "It raised $5 million!", "Then?",
                                           "Next paragraph."]
    assert all(text[s.start:s.end] == s.text for s in sentences)
    assert [s.paragraph for s in sentences] == [0, 0, 0, 0, 1]


def _dates(text: str, published: str = "2026-01-21", future: bool = False) -> list[tuple[str, str]]:
    return [(d.text, d.reading.edtf) for d in find_dates(text, 0, len(text), published=published, future=future)]


def test_dates_keep_their_operator_and_resolve_relative_words_against_publication() -> None:
    text = "By September 2024 it had 600 million downloads; in December it launched, and in late 2024 it grew."
    assert _dates(text) == [("By September 2024", "../2024-09"), ("in December", "2025-12"), ("in late 2024", "2024-39")]


def test_forecasts_resolve_forward() -> None:
    assert _dates("It will ship in March.", future=True) == [("in March", "2026-03")]
    assert _dates("It shipped in March.") == [("in March", "2025-03")]


def test_holiday_anchor_and_idioms_the_parser_does_not_read() -> None:
    assert _dates("Nine days before Chinese New Year, the lab released R1.", "2026-01-21") == [
        ("Nine days before Chinese New Year", "2025-01-20")]
    assert _dates("Early in 2025, Qwen was released. The company kicked off 2025 by launching V3.") == [
        ("Early in 2025", "2025-37"), ("kicked off 2025", "2025-37")]


def test_numbers_and_counts_are_not_dates() -> None:
    assert _dates("It costs $2025 and 2025% more, for 2,025 users.") == []
    assert _dates("Investors may march on.") == []


def _facts(text: str) -> list[tuple[str, dict[str, object]]]:
    return [(q.kind, q.fact()) for q in find_quantities(text, 0, len(text))]


def test_quantities_with_units_and_comparisons() -> None:
    assert _facts("raised $75 million at a $500 million valuation, under $6M to train") == [
        ("money", {"value": 75000000, "unit": "USD"}),
        ("money", {"value": 500000000, "unit": "USD"}),
        ("money", {"value": 6000000, "unit": "USD", "op": "<"}),
    ]
    assert _facts("charges $0.55 per million input tokens") == [
        ("price", {"value": 0.55, "unit": "USD/Mtok"})]
    assert _facts("over 400 million downloads and 140,000 derivative models") == [
        ("downloads", {"value": 400000000, "unit": "count", "op": ">"}),
        ("derivatives", {"value": 140000, "unit": "count"}),
    ]
    assert _facts("a 671B model with 37B active parameters; one trillion parameters") == [
        ("params", {"value": 671000000000, "unit": "params"}),
        ("params", {"value": 37000000000, "unit": "params"}),
        ("params", {"value": 1000000000000, "unit": "params"}),
    ]
    assert _facts("nearly 30% of usage, 35-40% of the market") == [
        ("percent", {"value": 30, "unit": "percent", "op": "~"}),
        ("percent", {"value": 35, "unit": "percent", "op": ">="}),
    ]


def test_types_and_certainty_come_from_general_cues() -> None:
    assert [c.type for c in classify("Acme raised $10 million in a Series A round.")] == ["funding"]
    assert "ipo" in [c.type for c in classify("Two chipmakers went public in Shanghai.")]
    assert "ipo" not in [c.type for c in classify("Huawei went public with its chip roadmap.")]
    assert "talent_move" in [c.type for c in classify("A senior researcher joined ByteDance.")]
    assert certainty("The lab is expected to release a new model.") == "forecast"
    assert certainty("It was arguably the defining event of the year.") == "opinion"
    assert certainty("The lab released a new model.") == "reported"
