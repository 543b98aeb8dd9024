"""Every JSON document a command prints names its schema, and validates against it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from chronicle import schemas
from chronicle.cli import main

REPO = Path(__file__).resolve().parents[2]

Invoke = Callable[..., str]


@pytest.fixture(scope="module")
def chronicle(tmp_path_factory: pytest.TempPathFactory) -> Invoke:
    """chronicle on a store holding the repository's events (ingested once for the module)."""
    db = str(tmp_path_factory.mktemp("schemas") / "store.db")

    def invoke(*args: str) -> str:
        result = CliRunner().invoke(main, ["--db", db, *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.stdout

    invoke("ingest", str(REPO / "events"), "--format", "json")
    return invoke


def _valid(document: Any, name: str) -> None:
    jsonschema.validate(document, schemas.load(name), cls=jsonschema.Draft202012Validator)


def test_every_schema_file_is_a_valid_json_schema() -> None:
    assert len(schemas.names()) >= 20
    for name in schemas.names():
        jsonschema.Draft202012Validator.check_schema(schemas.load(name))


COMMANDS = [
    ("as-of", ["as-of", "2025-06"]),
    ("as-of", ["as-of", "2025-12", "--projection", "timeline", "--known-at", "2025-12-31"]),
    ("diff", ["diff", "2025-01", "2025-12"]),
    ("diff", ["diff", "2025-12", "--known-between", "2025-06", "2026-01"]),
    ("conflicts", ["conflicts", "--all"]),
    ("talent", ["talent", "--by", "half"]),
    ("log", ["log", "--type", "model_release"]),
    ("event", ["show", "aisupremacy-china-ai-milestones-2025:r1-release"]),
    ("ingest", ["ingest", str(REPO / "events")]),
    ("ingest", ["ingest", str(REPO / "events"), "--dry-run"]),
    ("sources", ["sources"]),
    ("source-counts", ["sources", "--counts"]),
    ("entities", ["entities", "--kind", "org"]),
    ("verify", ["verify"]),
    ("verify", ["verify", "--deep"]),
    ("migrations", ["db", "history"]),
    ("when", ["when", "mid-2025"]),
    ("export-projection", ["export", "projection", "models", "--as-of", "2025-06"]),
    ("projections-status", ["projections", "status"]),
]


#: Schemas past their first version.
VERSIONS = {"verify": 2, "as-of": 2}


@pytest.mark.parametrize(("name", "args"), COMMANDS, ids=[" ".join(a[:2]) for _, a in COMMANDS])
def test_json_output_names_its_schema_and_validates(chronicle: Invoke, name: str, args: list[str]) -> None:
    document = json.loads(chronicle(*args, "--format", "json"))
    assert document["schema"] == f"chronicle.{name}/{VERSIONS.get(name, 1)}"
    _valid(document, name)
    if name not in ("migrations", "when"):
        basis = document["basis"]
        seqs = [basis["from"]["store_seq"], basis["to"]["store_seq"]] if name == "diff" else [basis["store_seq"]]
        assert all(seq > 0 for seq in seqs)


def test_timelinejs_export_validates(chronicle: Invoke) -> None:
    document = json.loads(chronicle("export", "timelinejs"))
    assert document["schema"] == "chronicle.timelinejs/1"
    _valid(document, "timelinejs")


@pytest.mark.parametrize("args", [["log", "--format", "ndjson"], ["export", "events"]], ids=" ".join)
def test_every_ndjson_line_is_an_event_record(chronicle: Invoke, args: list[str]) -> None:
    lines = chronicle(*args).splitlines()
    assert lines
    for line in lines:
        _valid(json.loads(line), "event-record")


def test_every_schema_is_documented() -> None:
    text = (REPO / "docs" / "json.md").read_text()
    for name in schemas.names():
        assert f"{name}.schema.json" in text, f"docs/json.md does not mention {name}.schema.json"
