"""The gazetteer and proposals for unknown names."""

from __future__ import annotations

from chronicle.events import Entity
from chronicle.extract.entities import Gazetteer, propose

ENTITIES = [
    Entity("deepseek", "org", "DeepSeek", ("DeepSeek AI",), "CN"),
    Entity("deepseek-r1", "model", "DeepSeek-R1", ("R1", "DeepSeek R1"), org="deepseek"),
    Entity("openai", "org", "OpenAI", (), "US"),
    Entity("openai-o1", "model", "OpenAI o1", ("o1", "OpenAI's o1"), org="openai"),
    Entity("benchmark-capital", "org", "Benchmark Capital", ("Benchmark",), "US"),
    Entity("united-states", "country", "United States", ("US", "U.S.")),
    Entity("kimi", "model-family", "Kimi", (), org="openai"),
]


def _found(text: str) -> list[tuple[str, str]]:
    return [(m.slug, text[m.start:m.end]) for m in Gazetteer(ENTITIES).find(text, 0, len(text))]


def test_names_match_across_case_hyphens_and_possessives_longest_first() -> None:
    assert _found("Deepseek-r1 matched OpenAI's o1; DeepSeek R1 and DeepSeek's R1 too.") == [
        ("deepseek-r1", "Deepseek-r1"), ("openai-o1", "OpenAI's o1"),
        ("deepseek-r1", "DeepSeek R1"), ("deepseek-r1", "DeepSeek's R1")]


def test_common_words_and_short_capitals_match_only_as_written() -> None:
    assert _found("It topped agent benchmarks in the us, then raised from Benchmark in the US.") == [
        ("benchmark-capital", "Benchmark"), ("united-states", "US")]


def test_unknown_names_with_org_model_or_person_cues_are_proposed() -> None:
    text = "Acme Robotics said CEO Jane Doe; Kimi K3 beat Nova-2."
    gazetteer = Gazetteer(ENTITIES)
    known = gazetteer.find(text, 0, len(text))
    found = {p.slug: (p.kind, p.family) for p, _ in propose(text, 0, len(text), gazetteer.entities, known)}
    assert found == {"acme-robotics": ("org", None), "jane-doe": ("person", None),
                     "kimi-k3": ("model", "kimi"), "nova-2": ("model", None)}
