"""A document's frame bounds its undated occurrences below (truth rule 2), never its states."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

Run = Callable[..., Result]

RELEASE = '''  - id: v3-release
    type: model_release
    subject: deepseek-r1
    quote: "DeepSeek released R1"
'''


def _frame(corpus: Path, frame: str | None, extra: str = RELEASE) -> None:
    path = corpus / "test-doc.yaml"
    text = path.read_text(encoding="utf-8")
    if frame is not None:
        text = text.replace("  kind: news\n", f"  kind: news\n  frame: {frame}\n")
    text = text.replace("events:\n", "events:\n" + extra)
    path.write_text(text, encoding="utf-8")


def _when(run: Run, event_id: str) -> dict[str, object]:
    record = json.loads(run("show", event_id, "--format", "json").output)
    return {"stored": record["event"]["when"], "reading": record["reading"]}


def test_an_undated_occurrence_is_not_before_the_frame(run: Run, corpus: Path) -> None:
    _frame(corpus, '"2025"')
    assert run("ingest", str(corpus)).exit_code == 0
    when = _when(run, "test-doc:v3-release")
    assert when["stored"] == {"text": "", "edtf": "2025-01-01/2026-01-21", "earliest": "2025-01-01",  # type: ignore[comparison-overlap]
                              "latest": "2026-01-21", "precision": "context", "qualifier": "none",
                              "anchor": "publication"}
    assert when["reading"]["reason"] == (  # type: ignore[index]
        "undated in its source: not before 2025-01-01 (the start of the frame its document states), "
        "by 2026-01-21 (its source's date)")
    timeline = lambda cutoff: [r["id"] for r in json.loads(  # noqa: E731
        run("as-of", cutoff, "--projection", "timeline", "--format", "json").output)["projections"]["timeline"]["rows"]]
    assert "test-doc:v3-release" not in timeline("2024-12")
    assert "test-doc:v3-release" in timeline("2025-01")
    # A state in the same document is untouched by the frame: as of the source's date.
    downloads = _when(run, "test-doc:qwen-downloads")
    assert downloads["stored"]["edtf"] == "../2026-01-21"  # type: ignore[index]
    assert downloads["reading"]["as_of"] == "2026-01-21"  # type: ignore[index]


def test_without_a_frame_an_undated_occurrence_has_no_lower_bound(run: Run, corpus: Path) -> None:
    _frame(corpus, None)
    assert run("ingest", str(corpus)).exit_code == 0
    assert _when(run, "test-doc:v3-release")["stored"]["edtf"] == "../2026-01-21"  # type: ignore[index]


def test_a_frame_without_a_start_is_refused(run: Run, corpus: Path) -> None:
    _frame(corpus, '"by 2025"')
    result = run("ingest", str(corpus))
    assert result.exit_code == 1
    assert "document.frame: a frame needs a start (e.g. 2025 for 'milestones in 2025')" in result.output
