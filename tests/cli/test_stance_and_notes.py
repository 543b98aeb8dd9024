"""Stances and notes in events files: validated, stored, and shown by `show` and `as-of --explain`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

Run = Callable[..., Result]

HEDGED = '    quote: "Qwen passed 700 million downloads"\n'
WITH_STANCE = HEDGED + '    stance: reportedly\n    note: "A count the article passes on from others."\n'


def _edit(corpus: Path, old: str, new: str) -> None:
    path = corpus / "test-doc.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_show_prints_the_stance_the_note_and_the_reading(run: Run, corpus: Path) -> None:
    _edit(corpus, HEDGED, WITH_STANCE)
    assert run("ingest", str(corpus)).exit_code == 0
    lines = run("show", "test-doc:qwen-downloads").output.splitlines()
    fields = {line.split(None, 1)[0]: line.split(None, 1)[1] for line in lines[2:] if len(line.split(None, 1)) == 2}
    assert fields["stance"] == "reportedly"
    assert fields["note"] == "A count the article passes on from others."
    assert fields["reading"] == ("2026-01-21 – 2026-01-21: a claim about a state holds as of its source's date "
                                 "(2026-01-21), not before")
    record = json.loads(run("show", "test-doc:qwen-downloads", "--format", "json").output)
    assert (record["event"]["stance"], record["event"]["note"]) == ("reportedly", "A count the article passes on from others.")
    assert (record["reading"]["as_of"], record["reading"]["earliest"]) == ("2026-01-21", "2026-01-21")
    plain = json.loads(run("show", "test-doc:r1-release", "--format", "json").output)
    assert (plain["event"]["stance"], plain["event"]["note"], plain["reading"]["reason"]) == (
        "asserted", None, "read as stored")


def test_explain_prints_the_note_under_its_quote(run: Run, corpus: Path) -> None:
    _edit(corpus, HEDGED, WITH_STANCE)
    assert run("ingest", str(corpus)).exit_code == 0
    lines = run("as-of", "2026-06", "--projection", "metrics", "--explain").output.splitlines()
    at = lines.index("  Qwen: \u201cQwen passed 700 million downloads\u201d \u2014 test-doc")
    assert lines[at + 1:at + 3] == [
        "    read: a claim about a state holds as of its source's date (2026-01-21), not before",
        "    note: A count the article passes on from others."]
    plain = run("as-of", "2026-06", "--projection", "metrics").output
    assert "note:" not in plain and "read:" not in plain


def test_an_unknown_stance_is_refused_naming_file_line_and_field(run: Run, corpus: Path) -> None:
    _edit(corpus, HEDGED, HEDGED + "    stance: rumoured\n")
    result = run("ingest", str(corpus))
    assert result.exit_code == 1
    assert any(line.endswith("test-doc.yaml:25: stance: 'rumoured' is not one of asserted, reportedly, claimed, "
                             "anticipated, delayed, denied") for line in result.output.splitlines()), result.output
    assert run("log", "--format", "ndjson").output == ""


def test_certain_leaves_hedged_claims_out(run: Run, corpus: Path) -> None:
    _edit(corpus, HEDGED, WITH_STANCE)
    assert run("ingest", str(corpus)).exit_code == 0

    def metrics(*flags: str) -> list[str]:
        answer = json.loads(run("as-of", "2026-06", "--projection", "metrics", "--format", "json", *flags).output)
        return [r["id"] for r in answer["projections"]["metrics"]["rows"]]

    assert metrics() == ["test-doc:qwen-downloads#downloads"]
    assert metrics("--certain") == []


def test_cells_say_the_stance_in_words(run: Run, corpus: Path) -> None:
    _edit(corpus, HEDGED, WITH_STANCE)
    _edit(corpus, "    facts:\n      openness: open-weight\n",
          "    facts:\n      openness: open-weight\n      outperformed_model: [qwen]\n")
    _edit(corpus, '    quote: "DeepSeek released R1 in January 2025"\n',
          '    quote: "DeepSeek released R1 in January 2025"\n  - id: r1-beats\n    type: benchmark_claim\n'
          '    subject: deepseek-r1\n    stance: claimed\n    facts:\n      outperformed_model: [qwen]\n'
          '    quote: "DeepSeek released R1"\n')
    assert run("ingest", str(corpus)).exit_code == 0
    answer = json.loads(run("as-of", "2026-06", "--format", "json").output)["projections"]
    [metric] = answer["metrics"]["rows"]
    assert (metric["value"], metric["stance"]) == ("reportedly >700M", "reportedly")
    [model] = answer["models"]["rows"]
    assert sorted(model["benchmarks"]) == ["beats qwen", "beats qwen (claimed)"]
    timeline = json.loads(run("as-of", "2026-06", "--projection", "timeline", "--format", "json").output)
    summaries = {r["id"]: r["summary"] for r in timeline["projections"]["timeline"]["rows"]}
    assert summaries["test-doc:qwen-downloads"].startswith("reportedly downloads")
    table = run("as-of", "2026-06", "--projection", "metrics").output
    assert "reportedly >700M" in table


def test_a_model_whose_release_was_delayed_says_so_where_its_row_shows(run: Run, corpus: Path) -> None:
    _edit(corpus, '    quote: "DeepSeek released R1 in January 2025"\n',
          '    quote: "DeepSeek released R1 in January 2025"\n    stance: delayed\n')
    assert run("ingest", str(corpus)).exit_code == 0
    answer = json.loads(run("as-of", "2026-06", "--projection", "models", "--format", "json").output)
    [row] = answer["projections"]["models"]["rows"]
    assert (row["id"], row.get("first_release")) == ("deepseek-r1", None)  # a delayed release is no release
    assert row["not_released"] == "delayed"
    assert row["cells"]["not_released"]["evidence"][0]["quote"] == "DeepSeek released R1 in January 2025"
    line = next(x for x in run("as-of", "2026-06", "--projection", "models").output.splitlines() if "DeepSeek-R1" in x)
    assert "not released (delayed)" in line
    assert json.loads(run("as-of", "2024-12", "--projection", "models", "--format", "json").output)[
        "projections"]["models"]["rows"] == []  # the delay is dated January 2025
