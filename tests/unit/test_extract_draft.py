"""A whole draft from a small article written for the test, with exact expectations."""

from __future__ import annotations

from pathlib import Path

import pytest

from chronicle.errors import ChronicleError
from chronicle.events import Entity
from chronicle.extract.draft import Options, extract_file

ARTICLE = (
    "Acme Robotics raised $120 million from Benchmark Capital in March 2025.\n"
    "DeepSeek released DeepSeek-V4 on April 2, 2025, an open-weight model with 1 trillion parameters.\n"
    "Chinese models now account for 18.5% of global downloads.\n"
    "Moonshot AI is expected to release Kimi K3 in the second half of 2026.\n"
)
ENTITIES = [
    Entity("china", "country", "China", ("Chinese",)),
    Entity("deepseek", "org", "DeepSeek", (), "CN"),
    Entity("deepseek-v4", "model", "DeepSeek-V4", ("V4",), org="deepseek"),
    Entity("moonshot", "org", "Moonshot AI", ("Moonshot",), "CN"),
    Entity("kimi", "model-family", "Kimi", (), org="moonshot"),
    Entity("benchmark-capital", "org", "Benchmark Capital", ("Benchmark",), "US"),
]


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_each_claim_becomes_a_draft_with_its_type_subject_date_and_facts(article: Path) -> None:
    draft = extract_file(article, ENTITIES, Options(published="2025-06-01", doc_id="own"))
    summary = [(e["type"], e["subject"], e["when"], e["certainty"], e.get("facts")) for e in draft.events]
    assert summary == [
        ("funding", "acme-robotics", {"text": "in March 2025", "edtf": "2025-03"}, "reported",
         {"amount": {"value": 120000000, "unit": "USD"}}),
        ("model_release", "deepseek-v4", {"text": "on April 2, 2025", "edtf": "2025-04-02"}, "reported",
         {"parameters": {"value": 1000000000000, "unit": "params"}, "openness": "open-weight"}),
        ("usage_share", "china", {"text": ""}, "reported",
         {"share": {"value": 18.5, "unit": "percent"}, "metric": "downloads"}),
        ("model_announcement", "kimi-k3", {"text": "in the second half of 2026", "edtf": "2026-41"}, "forecast", None),
    ]
    assert [(p.slug, p.kind) for p in draft.proposals] == [("acme-robotics", "org"), ("kimi-k3", "model")]
    for event in draft.events:
        start, end = event["offsets"]
        assert ARTICLE[start:end] == event["quote"]
        assert len(event["quote"].split()) <= 25
        assert event["status"] == "draft" and 0 < event["confidence"] <= 1
    assert draft.document["published"] == "2025-06-01"


def test_long_sentences_are_quoted_in_at_most_25_words_around_the_claim(tmp_path: Path) -> None:
    filler = " ".join(["and then some more words about nothing"] * 6)
    text = f"In a long story {filler}, DeepSeek released DeepSeek-V4 in May 2025 {filler}.\n"
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    event = extract_file(path, ENTITIES, Options(published="2025-06-01")).events[0]
    assert len(event["quote"].split()) <= 25
    assert "released DeepSeek-V4" in event["quote"]
    assert text[event["offsets"][0]:event["offsets"][1]] == event["quote"]


def test_an_undated_text_says_so_and_takes_a_window_from_its_latest_past_date(tmp_path: Path) -> None:
    path = tmp_path / "undated.txt"
    path.write_text("DeepSeek released DeepSeek-V4 in mid-2025. It will grow by 2030.\n", encoding="utf-8")
    from datetime import date

    draft = extract_file(path, ENTITIES, Options(today=date(2026, 11, 23)))
    assert draft.document["published"] is None
    assert draft.document["window"] == "2025-38/2026-11-23"
    assert "no publication date" in draft.notes[0]


def test_front_matter_gives_title_and_date_and_offsets_count_from_the_file_start(tmp_path: Path) -> None:
    path = tmp_path / "fm.txt"
    text = '---\ntitle: "A title"\npublishedAt: "2025-07-01"\n---\nDeepSeek released DeepSeek-V4 in June.\n'
    path.write_text(text, encoding="utf-8")
    draft = extract_file(path, ENTITIES)
    assert (draft.document["title"], draft.document["published"], draft.document["id"]) == ("A title", "2025-07-01", "a-title")
    event = draft.events[0]
    assert event["when"] == {"text": "in June", "edtf": "2025-06"}
    assert text[event["offsets"][0]:event["offsets"][1]] == event["quote"]


@pytest.mark.parametrize("content, message", [
    (b"", "is empty"),
    (b"  \n\t\n", "is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "is a binary file, not text"),
    (b"caf\xe9 au lait", "is not UTF-8 text (byte 3)"),
])
def test_unusable_inputs_are_refused_with_the_file_named(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ChronicleError) as info:
        extract_file(path, ENTITIES)
    assert info.value.message == f"{path}: {message}"


def test_a_draft_carries_the_stance_its_sentence_gives(tmp_path: Path) -> None:
    path = tmp_path / "hedged.txt"
    path.write_text("Technical issues delayed DeepSeek-V4 in May 2025.\n"
                    "DeepSeek reportedly raised $50 million in March 2025.\n"
                    "DeepSeek released DeepSeek-V4 on April 2, 2025.\n", encoding="utf-8")
    draft = extract_file(path, ENTITIES, Options(published="2025-06-01", doc_id="own"))
    assert [(e["type"], e.get("stance")) for e in draft.events] == [
        ("other", "delayed"), ("funding", "reportedly"), ("model_release", None)]
