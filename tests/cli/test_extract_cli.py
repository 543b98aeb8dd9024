"""`chronicle extract` through the command line: output, validation, errors."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from chronicle.cli import main

ARTICLE = (
    "Acme Robotics raised $120 million from Benchmark Capital in March 2025.\n"
    "DeepSeek released DeepSeek-R1 on April 2, 2025, an open-weight model.\n"
)


@pytest.fixture
def folder(tmp_path: Path, repo: Path) -> Path:
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    shutil.copy(repo / "events" / "entities.yaml", tmp_path / "entities.yaml")
    return tmp_path


def _run(folder: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--db", str(folder / "store.db"), *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_draft_and_its_proposals_validate_and_ingest_after_review(folder: Path) -> None:
    out = folder / "draft.yaml"
    code, _, err = _run(folder, "extract", str(folder / "article.txt"), "--published", "2025-06-01",
                        "--doc-id", "acme", "--entities", str(folder / "entities.yaml"), "-o", str(out))
    assert code == 0, err
    assert err == f"drafted 2 event(s) from article.txt: {out}, {folder / 'draft.entities.yaml'}\n"
    files = [str(out), str(folder / "draft.entities.yaml"), str(folder / "entities.yaml")]
    code, text, err = _run(folder, "ingest", "--dry-run", *files)
    assert code == 0, err
    assert text.endswith("valid: 1 file(s), 2 event(s); nothing appended\n")
    code, _, err = _run(folder, "ingest", *files)
    assert code == 1 and "review them and remove `status: draft`" in err
    out.write_text("".join(line for line in out.read_text().splitlines(keepends=True)
                           if line.strip() != "status: draft"))
    code, text, err = _run(folder, "ingest", *files)
    assert code == 0, err
    assert "appended 2, already present 0, refused 0" in text


def test_without_output_the_draft_goes_to_stdout(folder: Path) -> None:
    code, text, err = _run(folder, "extract", str(folder / "article.txt"), "--published", "2025-06-01",
                           "--entities", str(folder / "entities.yaml"))
    assert code == 0, err
    assert "document:\n  id: acme-robotics-raised-120-million-from-benchmark-capital-in-march-2025\n" in text
    assert "# 1 proposed entity (acme-robotics) and 1 event(s) about them are left out; write with -o" in text
    assert "events:\n  - id: deepseek-r1-model-release\n" in text
    assert sorted(p.name for p in folder.iterdir()) == ["article.txt", "entities.yaml"]


def test_a_draft_from_hostile_text_escapes_every_control(folder: Path) -> None:
    """The draft goes to a terminal and back through YAML: no control character raw (YAML refuses C1)."""
    article = folder / "hostile.txt"
    article.write_text("Acme \x1b]0;pwned\x07News \x9b2J today\n"
                       "DeepSeek released DeepSeek-R1 \x9b31m on April 2, 2025, an open-weight model.\n")
    code, text, err = _run(folder, "extract", str(article), "--published", "2025-06-01",
                           "--entities", str(folder / "entities.yaml"))
    assert code == 0, err
    assert re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", text) is None
    draft = yaml.safe_load(text)
    assert draft["document"]["title"] == "Acme \x1b]0;pwned\x07News \x9b2J today"
    assert draft["events"][0]["quote"] == "DeepSeek released DeepSeek-R1 \x9b31m on April 2, 2025, an open-weight model."


@pytest.mark.parametrize("content, message", [
    (b"", "is empty"),
    (b"\x00\x01\x02binary", "is a binary file, not text"),
    (b"\xff\xfe broken", "is not UTF-8 text (byte 0)"),
])
def test_bad_input_is_refused_and_writes_nothing(folder: Path, content: bytes, message: str) -> None:
    bad = folder / "bad.txt"
    bad.write_bytes(content)
    code, _, err = _run(folder, "extract", str(bad), "--entities", str(folder / "entities.yaml"),
                        "-o", str(folder / "out.yaml"))
    assert code == 1
    assert err.splitlines()[0] == f"Error: {bad}: {message}"
    assert not (folder / "out.yaml").exists() and not (folder / "out.entities.yaml").exists()


def test_a_missing_file_is_refused(folder: Path) -> None:
    code, _, err = _run(folder, "extract", str(folder / "nope.txt"), "--entities", str(folder / "entities.yaml"))
    assert code == 1
    assert err == f"Error: {folder / 'nope.txt'}: no such file\nHint: give the path of a plain-text article\n"
