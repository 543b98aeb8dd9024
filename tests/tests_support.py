"""A small corpus on disk, shared by the CLI and packaging tests."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import click

TEXT = "Hello. DeepSeek released R1 in January 2025, it said. Qwen passed 700 million downloads.\n"
ENTITIES = """\
entities:
  - slug: deepseek
    kind: org
    name: DeepSeek
    country: CN
  - slug: deepseek-r1
    kind: model
    name: DeepSeek-R1
    aliases: [R1]
    org: deepseek
  - slug: alibaba
    kind: org
    name: Alibaba
    country: CN
  - slug: qwen
    kind: model-family
    name: Qwen
    org: alibaba
"""
EVENTS = """\
document:
  id: test-doc
  title: A test article
  publisher: Test Publisher
  url: https://example.org/a
  published: 2026-01-21
  kind: news
  text: doc.txt
  sha256: {sha}
events:
  - id: r1-release
    type: model_release
    subject: deepseek-r1
    entities: [deepseek]
    when: {{text: "in January 2025", edtf: "2025-01"}}
    facts:
      openness: open-weight
    quote: "DeepSeek released R1 in January 2025"
  - id: qwen-downloads
    type: downloads
    subject: qwen
    facts:
      downloads: {{value: 700000000, unit: count, op: ">"}}
    quote: "Qwen passed 700 million downloads"
"""



def copy_corpus(folder: Path) -> Path:
    """Write one document's text, its events file and entities.yaml into ``folder``."""
    folder.mkdir(parents=True)
    (folder / "doc.txt").write_text(TEXT, encoding="utf-8")
    (folder / "entities.yaml").write_text(ENTITIES, encoding="utf-8")
    sha = hashlib.sha256(TEXT.encode()).hexdigest()
    (folder / "test-doc.yaml").write_text(EVENTS.format(sha=sha), encoding="utf-8")
    return folder


def command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command and group under ``group``, as the words that name it (``()``: the group itself)."""
    found = [prefix]
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            found.extend(command_paths(command, prefix + (name,)))
        else:
            found.append(prefix + (name,))
    return found


def command_at(group: click.Group, path: tuple[str, ...]) -> click.Command:
    """The command the words ``path`` name under ``group``."""
    command: click.Command = group
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return command


GENERATOR = Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py"


def benchmark_corpus(events: int, seed: int, out: Path) -> Path:
    """A corpus from the benchmarks' generator (late archives and all), written to ``out``.

    Skips the calling test when the generator is not in this tree.
    """
    import importlib.util
    import sys

    import pytest

    if not GENERATOR.exists():
        pytest.skip("the benchmarks' generator is not in this tree")
    name = "chronicle_bench_generate"
    module = sys.modules.get(name)
    if module is None:
        spec = importlib.util.spec_from_file_location(name, GENERATOR)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # its dataclasses look their module up
        spec.loader.exec_module(module)
    return Path(module.generate(events, seed=seed, out=out))


#: Two truth rules in a few events (DESIGN, "What an answer may say"): a model
#: open only by its licence, a stated openness that an open licence from
#: another source contradicts, and series of a share and a valuation whose
#: undated values hold on their source's date, beside one real disagreement
#: (two shares for late 2024).
TRUTH_ENTITIES = """\
entities:
  - {slug: truth-lab, kind: org, name: Truth Lab, country: CN}
  - {slug: truth-licensed, kind: model, name: Truth Licensed, org: truth-lab}
  - {slug: truth-disputed, kind: model, name: Truth Disputed, org: truth-lab}
"""
TRUTH_DOCUMENTS = {
    "truth-early": ("2024-12-20", """\
  - id: licensed-release
    type: model_release
    subject: truth-licensed
    when: {edtf: "2024-06"}
    quote: "Truth Licensed was released in June 2024"
  - id: share-late-2024
    type: usage_share
    subject: truth-lab
    when: {text: "in late 2024", edtf: "2024-39"}
    facts:
      share: {value: 1.2, unit: percent}
      metric: usage
    quote: "a 1.2% share of usage in late 2024"
  - id: valuation-mid-2024
    type: valuation
    subject: truth-lab
    when: {edtf: "2024-06"}
    facts:
      valuation: {value: 1000000000, unit: USD}
    quote: "valued at $1 billion in June 2024"
"""),
    "truth-late": ("2026-01-21", """\
  - id: licensed-licence
    type: license
    subject: truth-licensed
    when: {text: ""}
    facts:
      license: Apache-2.0
    quote: "Truth Licensed is under the Apache 2.0 licence"
  - id: disputed-release
    type: model_release
    subject: truth-disputed
    when: {edtf: "2025-02"}
    facts:
      openness: closed
    quote: "Truth Disputed, a closed model, came out in February 2025"
  - id: share-now
    type: usage_share
    subject: truth-lab
    when: {text: ""}
    facts:
      share: {value: 30, unit: percent, op: "~"}
      metric: usage
    quote: "now nearly 30% of usage"
  - id: valuation-now
    type: valuation
    subject: truth-lab
    when: {text: ""}
    facts:
      valuation: {value: 5000000000, unit: USD}
    quote: "now valued at $5 billion"
"""),
    "truth-rival": ("2025-03-01", """\
  - id: share-late-2024
    type: usage_share
    subject: truth-lab
    when: {text: "in late 2024", edtf: "2024-39"}
    facts:
      share: {value: 5, unit: percent}
      metric: usage
    quote: "5% of usage in late 2024"
  - id: disputed-licence
    type: license
    subject: truth-disputed
    when: {edtf: "2025-02"}
    facts:
      license: MIT
    quote: "Truth Disputed's weights are under MIT"
"""),
}


def truth_corpus(folder: Path) -> Path:
    """Write the truth-rule events (entities and three documents) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "entities.yaml").write_text(TRUTH_ENTITIES, encoding="utf-8")
    for doc_id, (published, events) in TRUTH_DOCUMENTS.items():
        head = (f"document:\n  id: {doc_id}\n  title: About Truth Lab ({doc_id})\n  publisher: Test Publisher\n"
                f"  published: {published}\n  kind: news\nevents:\n")
        (folder / f"{doc_id}.yaml").write_text(head + events, encoding="utf-8")
    return folder


def free_port() -> int:
    """A TCP port free on 127.0.0.1 just now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """`chronicle serve` on a store, in its own process on a free port, asked over real HTTP."""

    def __init__(self, db: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen([sys.executable, "-m", "chronicle", "--db", db, "serve", "--port", str(self.port)],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     env=os.environ | {"PYTHONUNBUFFERED": "1"})
        deadline = time.monotonic() + 30
        while True:
            try:
                self.get("/health")
                return
            except (urllib.error.URLError, ConnectionError):
                assert self.proc.poll() is None, self.proc.communicate()[1]
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.1)

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], Any]:
        request = urllib.request.Request(self.base + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                body = response.read()
                return response.status, dict(response.headers), json.loads(body) if body else None
        except urllib.error.HTTPError as exc:
            body = exc.read()
            return exc.code, dict(exc.headers), json.loads(body) if body else None

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.communicate(timeout=30)
