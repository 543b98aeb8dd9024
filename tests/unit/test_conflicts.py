"""Which claims disagree: a change over time is a series, a disagreement needs overlapping times.

Claims are compared at the dates an answer reads (``chronicle.reading``): a
state the text does not date holds as of its source's date.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from builders import event
from chronicle.conflicts import find_conflicts, rival_facts, unsettled_events
from chronicle.events import Event
from chronicle.fuzzydate import context_date, parse
from chronicle.reading import read_date


def read(item: Event) -> Event:
    """The claim as an answer reads it."""
    return replace(item, when=read_date(item.type, item.when))


def undated(item: Event, published: str) -> Event:
    """The claim as validation stores it when the text gives no date: open up to its source's date."""
    return replace(item, when=context_date(parse(published)))


def share(local: str, document: str, when: str, value: float, **context: Any) -> Event:
    return event(local, document=document, subject="china", type="usage_share", when=when,
                 facts={"share": {"value": value, "unit": "percent"}, "metric": "usage", **context})


def conflicts(*events: Event) -> list[tuple[str, str, list[str]]]:
    claims = [read(e) for e in events]
    found = find_conflicts(claims, {})
    assert {c["event"] for f in found for c in f.claims} == unsettled_events(claims, {})
    return [(c.subject, c.fact, [claim["event"] for claim in c.claims]) for c in found]


def test_a_dated_share_and_an_undated_later_one_are_a_series() -> None:
    # "1.2% in late 2024" and "now nearly 30%" in an article of 2026-01-21.
    late = undated(share("b", "late", "2025", 30), "2026-01-21")
    assert conflicts(share("a", "early", "2024-39", 1.2), late) == []
    # Stored, the undated claim is open before its source's date and would overlap late 2024.
    assert [c.fact for c in find_conflicts([share("a", "early", "2024-39", 1.2), late], {})] == ["share"]


def test_values_at_the_same_time_disagree() -> None:
    assert conflicts(share("a", "early", "2024-39", 1.2), share("b", "rival", "2024-39", 5)) == [
        ("china", "share", ["early:a", "rival:b"])]


def test_an_undated_share_disagrees_with_another_value_for_its_source_date() -> None:
    late = undated(share("b", "late", "2025", 30), "2026-01-21")
    assert conflicts(share("a", "early", "2026-01", 12), late) == [("china", "share", ["early:a", "late:b"])]
    # Two undated values from documents of different days: a series.
    assert conflicts(undated(share("a", "rival", "2025", 12), "2025-03-01"), late) == []


def test_a_series_value_measuring_another_thing_is_no_rival() -> None:
    assert conflicts(share("a", "early", "2024-39", 1.2, platform="OpenRouter"),
                     share("b", "rival", "2024-39", 5, platform="Hugging Face")) == []


def test_a_fact_that_does_not_change_disagrees_whatever_the_dates() -> None:
    # What a model matched holds for the model: an undated claim still disagrees with a dated one.
    a = event("a", document="early", subject="deepseek-r1", type="benchmark_claim", when="2025-01-20",
              facts={"matched_model": ["openai-o1"]})
    b = undated(event("b", document="late", subject="deepseek-r1", type="benchmark_claim",
                      facts={"matched_model": ["gpt-4o"]}), "2026-11-23")
    assert conflicts(a, b) == [("deepseek-r1", "matched_model", ["early:a", "late:b"])]


def test_an_openness_read_from_a_licence_disagrees_with_a_stated_one() -> None:
    stated = event("a", document="early", subject="m1", facts={"openness": "closed"})
    licensed = event("b", document="late", subject="m1", type="license", facts={"license": "Apache 2.0"})
    agrees = event("c", document="rival", subject="m1", type="license", facts={"license": "Apache 2.0"})
    unknown = event("d", document="rival", subject="m2", type="license", facts={"license": "our own terms"})
    other = event("e", document="late", subject="m2", facts={"openness": "closed"})
    flagged = event("f", document="late", subject="m3", facts={"open_weights": False})
    word = event("g", document="rival", subject="m3", facts={"openness": "open-weight"})
    assert conflicts(stated, licensed, agrees, unknown, other, flagged, word) == [
        ("m1", "openness", ["early:a", "late:b", "rival:c"]),
        ("m3", "openness", ["late:f", "rival:g"]),
    ]


def test_the_facts_an_openness_may_be_disputed_over() -> None:
    assert rival_facts(["license", "metric"]) == {"license", "openness", "open_weights"}
    assert rival_facts(["open_weights"]) == {"license", "openness", "open_weights"}
    assert rival_facts(["share", "platform", "reason"]) == {"share"}


def test_a_count_on_a_platform_is_not_a_rival_of_one_that_names_none() -> None:
    from chronicle.conflicts import find_conflicts

    from builders import event

    global_share = event("global", document="doc-a", subject="china", type="usage_share", when="2024-39",
                         facts={"share": {"value": 1.2, "unit": "percent"}, "scope": "global AI usage"})
    platform = event("platform", document="doc-b", subject="china", type="usage_share", when="2024-39",
                     facts={"share": {"value": 0, "unit": "percent", "op": "~"}, "platform": "OpenRouter"})
    also_platform = event("other", document="doc-c", subject="china", type="usage_share", when="2024-39",
                          facts={"share": {"value": 9, "unit": "percent"}, "platform": "OpenRouter"})
    assert find_conflicts([global_share, platform], {}) == []
    found = find_conflicts([global_share, platform, also_platform], {})
    assert [sorted(c["event"] for c in conflict.to_dict()["claims"]) for conflict in found] == [
        ["doc-b:platform", "doc-c:other"]]
