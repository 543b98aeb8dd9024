"""A generated corpus of valid events files, and chronicle run as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests_support import ENTITIES

SLOW = os.environ.get("CHRONICLE_SLOW") == "1"
SUBJECTS = ("deepseek-r1", "qwen", "deepseek", "alibaba")


def events_file(doc_id: str, count: int, *, prefix: str = "e") -> str:
    """A valid events file for document ``doc_id`` with ``count`` events."""
    lines = [
        "document:",
        f"  id: {doc_id}",
        f"  title: Generated {doc_id}",
        "  publisher: Generator",
        "  published: 2026-01-21",
        "events:",
    ]
    for n in range(count):
        lines += [
            f"  - id: {prefix}-{n:04d}",
            "    type: model_release",
            f"    subject: {SUBJECTS[n % len(SUBJECTS)]}",
            f'    when: {{edtf: "2025-{n % 12 + 1:02d}"}}',
            f'    quote: "claim {n} of {doc_id}"',
        ]
    return "\n".join(lines) + "\n"


def write_corpus(folder: Path, documents: int, per_document: int, *, name: str = "gen") -> dict[str, int]:
    """entities.yaml and ``documents`` events files; returns events expected per document."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "entities.yaml").write_text(ENTITIES, encoding="utf-8")
    expected = {}
    for d in range(documents):
        doc_id = f"{name}-{d:03d}"
        (folder / f"{doc_id}.yaml").write_text(events_file(doc_id, per_document), encoding="utf-8")
        expected[doc_id] = per_document
    return expected


def chronicle_cmd(db: str, *args: str) -> list[str]:
    """The argv that runs chronicle's command line in a fresh interpreter."""
    return [sys.executable, "-m", "chronicle", "--db", db, *args]


def run_chronicle(db: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(chronicle_cmd(db, *args), capture_output=True, text=True, timeout=timeout, check=False)
