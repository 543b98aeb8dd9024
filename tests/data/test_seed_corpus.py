"""The seed corpus in events/: it validates against the texts, ingests once, and
its quotes are the documents' own words.

The texts live beside the repository (../shared/seeds, or $CHRONICLE_SHARED);
without them these tests skip.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from chronicle.events import FACTS
from chronicle.ingest import collect_files, ingest, load_and_validate
from chronicle.store import open_store

REPO = Path(__file__).resolve().parents[2]
EVENTS = REPO / "events"
EVENT_FILES = sorted(p for p in EVENTS.glob("*.yaml") if p.name != "entities.yaml")


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _entities() -> dict[str, dict[str, Any]]:
    return {e["slug"]: e for e in _load(EVENTS / "entities.yaml")["entities"]}


def test_one_events_file_per_seed(seeds_dir: Path) -> None:
    texts = {_load(p)["document"]["text"] for p in EVENT_FILES}
    assert texts == {p.name for p in seeds_dir.glob("*.txt")}
    for path in EVENT_FILES:
        assert path.stem == _load(path)["document"]["id"]


def test_every_file_validates_with_its_text(seeds_dir: Path) -> None:
    _, files = load_and_validate(collect_files([EVENTS]), {}, [seeds_dir])
    assert len(files) == len(EVENT_FILES)
    assert all(f.text_found for f in files), "a text was not found: its quotes went unchecked"


@pytest.mark.parametrize("path", EVENT_FILES, ids=lambda p: p.stem)
def test_quotes_are_verbatim_and_short(path: Path, seeds_dir: Path) -> None:
    data = _load(path)
    raw = (seeds_dir / data["document"]["text"]).read_bytes()
    assert hashlib.sha256(raw).hexdigest() == data["document"]["sha256"]
    text = raw.decode("utf-8")
    for event in data["events"]:
        quote = event["quote"]
        assert quote in text, f"{event['id']}: quote not in the text: {quote!r}"
        assert len(quote.split()) <= 25, f"{event['id']}: {len(quote.split())} words"
        when_text = (event.get("when") or {}).get("text") or ""
        assert not when_text or when_text in text, f"{event['id']}: when.text not in the text: {when_text!r}"


def _document_end(document: dict[str, Any]) -> str:
    """The last day a document can speak of: its publication date, or the end of its window."""
    return str(document["published"]) if document.get("published") else str(document["window"]).split("/")[-1]


@pytest.mark.parametrize("path", EVENT_FILES, ids=lambda p: p.stem)
def test_dated_words_carry_an_explicit_reading(path: Path) -> None:
    data = _load(path)
    for event in data["events"]:
        when = event.get("when") or {}
        if when.get("text"):
            assert when.get("edtf"), f"{event['id']}: dated words without an edtf reading"
        elif when.get("edtf"):
            # No words date it, but the document's frame would misdate it: open
            # before, by the source's own date, and the note says why.
            assert data["document"].get("frame"), f"{event['id']}: a context date takes no edtf"
            assert when["edtf"] == f"../{_document_end(data['document'])}", event["id"]
            assert event.get("note"), f"{event['id']}: say in a note why the frame does not date it"


def test_entities_are_complete() -> None:
    entities = _entities()
    for slug, e in entities.items():
        assert re.fullmatch(r"[a-z0-9][a-z0-9.-]*", slug), slug
        if e["kind"] == "org":
            assert re.fullmatch(r"[A-Z]{2}", e.get("country") or ""), f"{slug}: an org needs its country"
        if e["kind"] == "model":
            assert entities[e["org"]]["kind"] == "org", slug
            assert entities[e["family"]]["kind"] == "model-family", slug
        if e["kind"] == "model-family":
            assert entities[e["org"]]["kind"] == "org", slug
    used: set[str] = set()
    for path in EVENT_FILES:
        for event in _load(path)["events"]:
            used.update([event["subject"], *(event.get("entities") or [])])
            for name, value in (event.get("facts") or {}).items():
                if FACTS[name].kind == "entity":
                    used.add(value)
                elif FACTS[name].kind == "entities":
                    used.update(value)
    assert used <= set(entities), sorted(used - set(entities))


def test_aliases_the_texts_use() -> None:
    entities = _entities()
    assert "Z.ai" in entities["zhipu"]["aliases"]
    assert "R1" in entities["deepseek-r1"]["aliases"]
    assert "Qwen 2.5-Max" in entities["qwen2.5-max"]["aliases"]


def test_ingest_twice_appends_nothing(tmp_path: Path, seeds_dir: Path) -> None:
    store = open_store(str(tmp_path / "seeds.db"))
    total = sum(len(_load(p)["events"]) for p in EVENT_FILES)
    first = ingest(store, [EVENTS], documents_dirs=[seeds_dir])
    assert (first.appended, first.present, first.refused) == (total, 0, 0)
    second = ingest(store, [EVENTS], documents_dirs=[seeds_dir])
    assert (second.appended, second.present, second.refused) == (0, total, 0)
    assert second.entities_added == second.entities_changed == 0


def test_disagreements_stay_separate_claims() -> None:
    """What R1 was said to match differs by source; each source keeps its own claim."""
    matched: dict[str, list[str]] = {}
    for path in EVENT_FILES:
        data = _load(path)
        for event in data["events"]:
            if event["subject"] == "deepseek-r1" and "matched_model" in (event.get("facts") or {}):
                matched[data["document"]["id"]] = event["facts"]["matched_model"]
    assert matched["aisupremacy-china-ai-milestones-2025"] == ["openai-o1"]
    assert matched["deepseekai-chinese-ai-rising"] == ["gpt-4o"]


def test_counts_per_document_and_type_are_printed(tmp_path: Path, seeds_dir: Path) -> None:
    from click.testing import CliRunner

    from chronicle.cli import main

    db = str(tmp_path / "seeds.db")
    runner = CliRunner()
    assert runner.invoke(main, ["--db", db, "ingest", str(EVENTS), "--documents", str(seeds_dir)]).exit_code == 0
    out = runner.invoke(main, ["--db", db, "sources", "--counts", "--format", "csv"]).output.splitlines()
    rows = [line.split(",") for line in out[1:]]
    total = sum(len(_load(p)["events"]) for p in EVENT_FILES)
    assert rows[-1] == ["(all)", "(all)", str(total)]
    for path in EVENT_FILES:
        per_type = [int(r[2]) for r in rows if r[0] == path.stem]
        assert sum(per_type) == len(_load(path)["events"])
    assert any(r[:2] == ["(all)", "model_release"] for r in rows)


def test_the_frames_the_documents_state() -> None:
    """A frame only where a title or an opening states one; the Deepseek.ai article states none."""
    frames = {_load(p)["document"]["id"]: _load(p)["document"].get("frame") for p in EVENT_FILES}
    assert frames == {
        "aisupremacy-china-ai-milestones-2025": "2025",                     # "China's AI Milestones in 2025"
        "vfuturemedia-chinese-open-models-2025": "2025",                    # "In 2025, Chinese open-source AI models ..."
        "chinese-open-source-models-next-wave": "since January 2025",       # "The momentum began in January 2025 ..."
        "deepseekai-chinese-ai-rising": None,
    }


#: Every claim the texts hedge or negate, and how; all the others are asserted.
STANCES = {
    "aisupremacy-china-ai-milestones-2025": {
        "silicon-valley-startups-build-on-chinese-models": "reportedly",    # "are reportedly building"
        "manus-arr": "claimed",                                             # "Manus claimed $100 million ARR"
        "huawei-supercluster-524-eflops": "anticipated",                    # "is projected to reach"
    },
    "vfuturemedia-chinese-open-models-2025": {
        "v3.2-speciale-vs-gpt-5": "reportedly",                             # "reportedly surpassed ... GPT-5"
        "v3.2-speciale-olympiads": "reportedly",                            # the same "reportedly"
        "china-usage-share": "reportedly",                                  # "according to ... industry reports"
        "deepseek-next-generation-2026": "anticipated",                     # "is expected to release"
        "alibaba-qwen-integration-2026": "anticipated",                     # "Alibaba plans"
        "performance-gap-2026": "anticipated",                              # "are likely to further narrow"
        "specialized-domains-2026": "anticipated",                          # "Looking ahead to 2026"
    },
    "deepseekai-chinese-ai-rising": {
        "r2-delayed-by-ascend": "delayed",                                  # "delayed DeepSeek’s next-generation R2 model"
        "qwen2.5-max-benchmarks": "claimed",                                # "claimed benchmark superiority"
        "research-papers-lead": "reportedly",                               # "The 2025 Stanford AI Index reported"
        "ai-patents-share": "reportedly",                                   # the same report
        "cloudmatrix-384-unveiled": "reportedly",                           # "said to surpass Nvidia’s NVL72"
        "huawei-semiconductor-independence-2028": "anticipated",            # "Huawei aims for"
    },
    "chinese-open-source-models-next-wave": {
        "qwen-600m-downloads": "claimed",                                   # "Alibaba reported" its own downloads
        "redefine-innovation-hubs": "anticipated",                          # "they will ... redefine"
        "open-source-momentum-continues": "anticipated",                    # "is expected to continue"
        "qwen-derivative-share": "reportedly",                              # "According to ATOM"
        "llama-derivative-share": "reportedly",                             # the same sentence
        "kimi-k2.5-top-on-openclaw": "reportedly",                          # "the team reported that"
        "casado-startups-chinese-models": "reportedly",                     # "Martin Casado ... estimates"
    },
}


def _quoted_words(note: str) -> list[str]:
    """The pieces of a note's double-quoted words, split at '...'."""
    return [piece.strip(" .,:;") for quoted in re.findall(r'"([^"]+)"', note) for piece in quoted.split("...")]


@pytest.mark.parametrize("path", EVENT_FILES, ids=lambda p: p.stem)
def test_the_stances_the_texts_give(path: Path, seeds_dir: Path) -> None:
    data = _load(path)
    text = (seeds_dir / data["document"]["text"]).read_text(encoding="utf-8")
    given = {e["id"]: e["stance"] for e in data["events"] if e.get("stance", "asserted") != "asserted"}
    assert given == STANCES[data["document"]["id"]]
    for event in data["events"]:
        if event["id"] in given:
            # The note names the words of the text that hedge or negate the claim.
            words = [w for w in _quoted_words(event.get("note") or "") if len(w.split()) >= 2]
            assert any(w in text for w in words), f"{event['id']}: the note quotes no words of the text"


@pytest.mark.parametrize("path", EVENT_FILES, ids=lambda p: p.stem)
def test_what_is_anticipated_is_a_forecast(path: Path) -> None:
    """A planned or expected claim has not happened: certainty forecast, never "happened"; and the reverse."""
    for event in _load(path)["events"]:
        anticipated = event.get("stance") == "anticipated"
        assert anticipated == (event.get("certainty") == "forecast"), event["id"]
