"""`chronicle timeline` writes the page to a file or standard output, with the filters of as-of."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

Run = Callable[..., Result]


def _marks(page: str) -> list[str]:
    return re.findall(r'data-event="([^"]+)"', page)


def test_writes_the_page_with_one_mark_per_event(run: Run, corpus: Path, tmp_path: Path) -> None:
    assert run("ingest", str(corpus)).exit_code == 0
    out = tmp_path / "timeline.html"
    result = run("timeline", "--as-of", "2026-06", "-o", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert sorted(_marks(page)) == ["test-doc:qwen-downloads", "test-doc:r1-release"]
    assert 'data-lane="deepseek"' in page and 'data-lane="alibaba"' in page
    assert run("timeline", "--as-of", "2026-06").output == page  # standard output: the same bytes


def test_cutoff_and_projection_filters(run: Run, corpus: Path) -> None:
    assert run("ingest", str(corpus)).exit_code == 0
    # The download figure is dated only by the article (2026-01-21): a count as of that day, not before.
    page = run("timeline", "--as-of", "2025-06").output
    assert 'data-event="test-doc:qwen-downloads"' not in page
    later = run("timeline", "--as-of", "2026-06").output
    assert re.search(r'data-event="test-doc:qwen-downloads"[^>]*data-status="happened"', later)
    models = run("timeline", "--as-of", "2026-06", "--projection", "models", "--country", "CN", "--open").output
    assert _marks(models) == ["test-doc:r1-release"]
    by_type = run("timeline", "--lanes", "type").output
    assert 'data-lane="downloads"' in by_type and 'data-lane="model_release"' in by_type


def test_open_without_models_is_an_error_with_a_hint(run: Run, corpus: Path) -> None:
    assert run("ingest", str(corpus)).exit_code == 0
    result = run("timeline", "--open")
    assert result.exit_code == 1
    assert "Error: --open filters models, not timeline events" in result.output


def test_dated_only_leaves_out_context_dates(run: Run, corpus: Path) -> None:
    assert run("ingest", str(corpus)).exit_code == 0
    # The download figure has no date of its own (a context date); the release does.
    assert _marks(run("timeline", "--as-of", "2026-06", "--dated-only").output) == ["test-doc:r1-release"]
