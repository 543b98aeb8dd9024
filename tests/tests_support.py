"""A small corpus on disk, shared by the CLI and packaging tests."""

from __future__ import annotations

import hashlib
from pathlib import Path

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
