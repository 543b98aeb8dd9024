"""The general rules of the extractor, each on sentences written for the test,
and two short articles in the style of the corpus with exact expectations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chronicle.events import Entity
from chronicle.extract.classify import stance
from chronicle.extract.dates import find_anchored, find_dates
from chronicle.extract.draft import Options, extract_file
from chronicle.fuzzydate import parse

ENTITIES = [
    Entity("china", "country", "China", ("Chinese",)),
    Entity("zeta", "org", "Zeta", (), "CN"),
    Entity("lumo", "product", "Lumo", ("Lumo app", "Lumo chatbot"), org="zeta"),
    Entity("orbit", "org", "Orbit", (), "CN"),
    Entity("orbit-m2", "model", "Orbit-M2", ("M2",), org="orbit"),
    Entity("orbit-m3", "model", "Orbit-M3", ("M3",), org="orbit"),
    Entity("orbit-x1", "model", "Orbit-X1", ("X1",), org="orbit"),
    Entity("gamma", "model-family", "Gamma", ("Gamma models",), org="zeta"),
    Entity("tradeview", "product", "TradeView", (), org="tradeco"),
    Entity("tradeco", "org", "TradeCo", (), "US"),
    Entity("state-bureau", "agency", "State Bureau", ()),
]


def drafted(tmp_path: Path, text: str, published: str) -> list[tuple[Any, ...]]:
    path = tmp_path / "article.txt"
    path.write_text(text, encoding="utf-8")
    draft = extract_file(path, ENTITIES, Options(published=published, doc_id="own"))
    return [(e["type"], e["subject"], e["when"].get("edtf"), e["certainty"]) for e in draft.events]


# --- dates ---------------------------------------------------------------------------------------

def test_two_coordinated_years_span_both() -> None:
    text = "The series led the charts in 2023 and 2024 on every platform."
    [mention] = find_dates(text, 0, len(text), published=parse("2025-03-01"))
    assert (mention.text, mention.reading.edtf) == ("in 2023 and 2024", "2023/2024")


@pytest.mark.parametrize(("words", "anchor", "edtf"), [
    ("Shortly thereafter, the rival answered.", "2025-03", "2025-03/2025-06"),
    ("Within weeks, the rival answered.", "2025-03-14", "2025-03/2025-04"),
    ("A second model followed later in the year.", "2025-37", "2025"),
])
def test_anchored_words_read_from_the_earlier_date(words: str, anchor: str, edtf: str) -> None:
    mention = find_anchored(words, 0, len(words), parse(anchor))
    assert mention is not None and mention.reading.edtf == edtf


def test_anchored_words_need_a_closed_anchor_and_a_bare_phrase() -> None:
    assert find_anchored("Shortly thereafter it grew.", 0, 27, parse("2025-03/..")) is None
    assert find_anchored("Within days of its launch it grew.", 0, 34, parse("2025-03")) is None


def test_anchored_words_take_the_previous_sentence_or_the_release_it_names(tmp_path: Path) -> None:
    text = ("Orbit released Orbit-M2 in February 2025. Shortly thereafter, Zeta unveiled its Gamma models.\n\n"
            "Orbit-M2 drew wide notice. Within days, the Lumo app lost its top place in the App Store.\n")
    assert drafted(tmp_path, text, "2025-12-01") == [
        ("model_release", "orbit-m2", "2025-02", "reported"),
        ("model_release", "gamma", "2025-02/2025-05", "reported"),
        ("app_ranking", "lumo", "2025-02/2025-03", "reported"),
    ]


def test_a_date_in_a_later_coordinated_clause_dates_only_that_clause(tmp_path: Path) -> None:
    text = "Zeta's Lumo chatbot reached 50 million monthly active users, and in March they partnered with Orbit.\n"
    assert drafted(tmp_path, text, "2025-12-01") == [
        ("user_count", "lumo", None, "reported"),
        ("partnership", "zeta", "2025-03", "reported"),
    ]


def test_a_carried_date_reaches_neither_a_relative_clause_nor_a_bare_statement(tmp_path: Path) -> None:
    text = ("Zeta began 2025 in a hurry.\n"
            "The company launched Orbit-M3, a model that outperformed Orbit-M2 on coding benchmarks.\n"
            "These models covered text and images.\n")
    events = drafted(tmp_path, text, "2025-12-01")
    assert ("model_release", "orbit-m3", "2025-37", "reported") in events
    assert ("benchmark_claim", "orbit-m3", None, "reported") in events
    assert not [e for e in events if e[0] == "other" and e[2] is not None and e[1] != "zeta"]


def test_a_restated_release_is_one_event_and_dates_its_license(tmp_path: Path) -> None:
    text = ("Orbit released Orbit-M3 in May 2025.\n\n"
            "The release of Orbit-M3 surprised many. Orbit-M3 was released under an MIT license.\n")
    assert drafted(tmp_path, text, "2025-12-01") == [
        ("model_release", "orbit-m3", "2025-05", "reported"),
        ("license", "orbit-m3", "2025-05", "reported"),
    ]


# --- what is a claim, and about whom ----------------------------------------------------------

def test_headings_and_bare_links_make_no_events(tmp_path: Path) -> None:
    text = ("Zeta and Orbit in 2025\n\nOrbit raised $50 million in June 2025.\n\n"
            "Link: [Zeta and Orbit in 2025](https://example.com/2025)\n")
    assert drafted(tmp_path, text, "2025-12-01") == [("funding", "orbit", "2025-06", "reported")]


def test_a_release_of_generic_models_is_the_actors_release(tmp_path: Path) -> None:
    text = "Zeta and Orbit were both releasing open models as early as 2023.\nThe State Bureau released a draft policy.\n"
    events = drafted(tmp_path, text, "2025-12-01")
    assert events[:2] == [("model_release", "zeta", "2023", "reported"), ("model_release", "orbit", "2023", "reported")]
    assert all(e[0] != "model_release" for e in events[2:])


def test_reported_speech_is_about_its_complement(tmp_path: Path) -> None:
    text = "The State Bureau reported that Chinese developers now publish the most papers on AI safety.\n"
    assert drafted(tmp_path, text, "2025-12-01") == [("research_output", "china", None, "reported")]


def test_models_named_as_alternatives_stand_for_their_org(tmp_path: Path) -> None:
    text = "Orbit is expected to release a successor, possibly called Orbit-X1 or Orbit-M3, in 2026.\n"
    assert drafted(tmp_path, text, "2025-12-01") == [("model_announcement", "orbit", "2026", "forecast")]


def test_the_app_is_the_one_app_of_the_org_in_question_not_the_one_it_displaced(tmp_path: Path) -> None:
    text = ("Zeta grew fast in 2025.\n"
            "Its chatbot application overtook TradeView as the most downloaded free app in the App Store.\n")
    assert ("app_ranking", "lumo", "2025", "reported") in drafted(tmp_path, text, "2025-12-01")


def test_a_university_study_is_not_a_license(tmp_path: Path) -> None:
    text = "A recent MIT study found that Chinese models now account for 22% of global downloads.\n"
    assert drafted(tmp_path, text, "2025-12-01") == [("usage_share", "china", None, "reported")]


# --- two short articles ----------------------------------------------------------------------

FUNDING_ARTICLE = """## Zeta Raises Funds Ahead of Listing

Zeta raised $300 million in a Series C round led by Orbit in April 2025, at a $4 billion valuation.
The company listed on the Hong Kong stock exchange in September 2025, with shares rising 80% on the first day.
In June, Zeta cut the price of its Lumo API to $0.20 per million input tokens.
Zeta plans to double its data center capacity by 2027.
Lumo is popular with students.
"""

RELEASE_ARTICLE = """Gamma Models Lead the Charts

Zeta's Gamma models were the most downloaded open family in 2024 and 2025, according to platform data.
Orbit launched Orbit-M3 on January 12, 2026, a 400 billion parameter model that outperformed Orbit-M2 on coding benchmarks.
Within days, the Lumo app overtook TradeView to reach first place in the App Store.
The State Bureau reported that Chinese developers now publish the most papers on AI safety.
"""


def test_a_funding_and_listing_article(tmp_path: Path) -> None:
    path = tmp_path / "funding.txt"
    path.write_text(FUNDING_ARTICLE, encoding="utf-8")
    draft = extract_file(path, ENTITIES, Options(published="2025-11-20", doc_id="funding"))
    assert [(e["type"], e["subject"], e["when"], e["certainty"], e.get("facts")) for e in draft.events] == [
        ("funding", "zeta", {"text": "in April 2025", "edtf": "2025-04"}, "reported",
         {"amount": {"value": 300000000, "unit": "USD"}}),
        ("valuation", "zeta", {"text": "in April 2025", "edtf": "2025-04"}, "reported",
         {"valuation": {"value": 4000000000, "unit": "USD"}}),
        ("ipo", "zeta", {"text": "in September 2025", "edtf": "2025-09"}, "reported",
         {"change": {"value": 80, "unit": "percent"}, "exchange": "Hong Kong"}),
        ("market_reaction", "zeta", {"text": "in September 2025", "edtf": "2025-09"}, "reported", None),
        ("price", "lumo", {"text": "In June", "edtf": "2025-06"}, "reported",
         {"price_input": {"value": 0.2, "unit": "USD/Mtok"}}),
        ("infrastructure", "zeta", {"text": "by 2027", "edtf": "../2027"}, "forecast", None),
    ]


def test_a_release_and_ranking_article(tmp_path: Path) -> None:
    path = tmp_path / "release.txt"
    path.write_text(RELEASE_ARTICLE, encoding="utf-8")
    draft = extract_file(path, ENTITIES, Options(published="2026-03-10", doc_id="release"))
    assert [(e["type"], e["subject"], e["when"], e["certainty"], e.get("facts")) for e in draft.events] == [
        ("downloads", "gamma", {"text": "in 2024 and 2025", "edtf": "2024/2025"}, "reported",
         {"rank": {"value": 1, "unit": "rank"}, "metric": "downloads"}),
        ("benchmark_claim", "orbit-m3", {"text": "on January 12, 2026", "edtf": "2026-01-12"}, "reported",
         {"outperformed_model": ["orbit-m2"]}),
        ("model_release", "orbit-m3", {"text": "on January 12, 2026", "edtf": "2026-01-12"}, "reported",
         {"parameters": {"value": 400000000000, "unit": "params"}}),
        ("app_ranking", "lumo", {"text": "Within days", "edtf": "2026-01/2026-02"}, "reported", None),
        ("research_output", "china", {"text": ""}, "reported", None),
    ]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Technical issues with Huawei's Ascend chips delayed DeepSeek's next-generation R2 model.", "delayed"),
    ("The model reportedly surpassed the anticipated performance levels of GPT-5.", "reportedly"),
    ("Moonshot claims Kimi K2 beats GPT-4.1 on coding.", "claimed"),
    ("Alibaba plans to open-source the model next quarter.", "anticipated"),
    ("The company denied reports of a new funding round.", "denied"),
    ("DeepSeek released R1 in January 2025.", "asserted"),
])
def test_a_sentence_gives_its_claims_a_stance(sentence: str, expected: str) -> None:
    assert stance(sentence) == expected
