"""Property-based fuzzing of events files through ingest into a real SQLite store.

Each example starts from a valid events file and mutates it: a field replaced
by a wrong type, a huge or non-finite number, unicode and control characters,
SQL in strings, YAML anchors and aliases, deep nesting, broken YAML, bytes
that are not UTF-8. Whatever the file, ingest may only raise a ChronicleError,
and a failed ingest appends nothing.
"""

from __future__ import annotations

import copy
import hashlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import figures
from chronicle import database
from chronicle.cli import main
from chronicle.errors import ChronicleError
from chronicle.ingest import ingest
from chronicle.store import Store
from chronicle.verify import verify
from tests_support import ENTITIES, TEXT

SCALE = 10 if os.environ.get("CHRONICLE_SLOW") == "1" else 1
SHA = hashlib.sha256(TEXT.encode()).hexdigest()
SKELETON: dict[str, Any] = {
    "document": {
        "id": "fuzz-doc", "title": "A fuzzed article", "publisher": "Fuzz", "url": "https://example.org/f",
        "published": "2026-01-21", "kind": "news", "text": "doc.txt", "sha256": SHA,
    },
    "events": [
        {"id": "r1-release", "type": "model_release", "subject": "deepseek-r1", "entities": ["deepseek"],
         "when": {"text": "2025-01", "edtf": "2025-01"}, "facts": {"openness": "open-weight"},
         "quote": "DeepSeek released R1 in January 2025"},
        {"id": "qwen-downloads", "type": "downloads", "subject": "qwen",
         "facts": {"downloads": {"value": 700000000, "unit": "count", "op": ">"}},
         "quote": "Qwen passed 700 million downloads", "offsets": [54, 87], "certainty": "reported"},
    ],
}
PATHS = [
    (), ("document",), ("events",), ("extra",),
    *[("document", k) for k in (*SKELETON["document"], "extra")],
    *[("events", i, k) for i in (0, 1) for k in
      ("id", "type", "subject", "entities", "when", "certainty", "facts", "quote", "status",
       "confidence", "offsets", "note", "extra")],
    ("events", 0), ("events", 1), ("events", 0, "when", "text"), ("events", 0, "when", "edtf"),
    ("events", 0, "entities", 0), ("events", 0, "facts", "openness"), ("events", 1, "facts", "downloads"),
    ("events", 1, "facts", "downloads", "value"), ("events", 1, "facts", "downloads", "unit"),
    ("events", 1, "facts", "downloads", "op"), ("events", 1, "offsets", 0), ("events", 1, "facts", "params_b"),
]
HOSTILE = [
    "'; DROP TABLE events; --", "\" OR 1=1 --", "x') UNION SELECT * FROM events --", "%", "_", "\\", "*",
    "\x00", "\x1b[31m", "\u202e", "\ud800", "\U0001f600", "é" * 3, "𝓤𝓷𝓲", "\r\n", "a" * 5000, "", " ",
    "2025-13", "../..", "NaN", "-0", "1e400", "null", "~", "0x1F", "Robert'); DROP TABLE documents;--",
]
leaves = st.one_of(
    st.none(), st.booleans(),
    st.integers(), st.sampled_from([10**400, -(10**400), 2**63, -(2**63) - 1, 2**53 + 1]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30), st.sampled_from(HOSTILE),
)
values = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=8), st.integers(), st.booleans()), inner, max_size=4),
    ),
    max_leaves=12,
)
DELETE = object()
mutations = st.lists(st.tuples(st.sampled_from(PATHS), st.one_of(values, st.just(DELETE))), min_size=1, max_size=3)
RAW_BREAKS = [
    "key: [unclosed", "{{", "- - -\n  : :", "\t- tab", "&a [*a, *a]", "*nowhere", "!!python/object:os.system x",
    "? [complex, key]\n: value", "<<: {merge: 1}", "[" * 2000 + "]" * 2000, "--- \n--- \n", "%YAML 9.9\n---",
    "a: &x {b: *x}", "\"\\ud800\"", "\"\\x00\"", "'''", "@reserved", "`tick", "!!binary AAAA", "!!int 1e400",
    "123" * 2000, "!!float nan", "!!timestamp 2025-13-45", "!!set {a, b}", "!!omap [a: 1]",
]


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return None if value is DELETE else value
    target = doc
    for key in path[:-1]:
        try:
            target = target[key]
        except (KeyError, IndexError, TypeError):
            return doc
    try:
        if value is DELETE:
            del target[path[-1]]
        elif isinstance(target, list) and isinstance(path[-1], int) and path[-1] >= len(target):
            target.append(value)
        else:
            target[path[-1]] = value
    except (KeyError, IndexError, TypeError):
        pass
    return doc


@st.composite
def events_files(draw: st.DrawFn) -> bytes:
    doc = copy.deepcopy(SKELETON)
    for path, value in draw(mutations):
        doc = _set(doc, path, value)
    try:
        text = yaml.safe_dump(doc, allow_unicode=draw(st.booleans()), sort_keys=False)
    except (yaml.YAMLError, ValueError):
        text = repr(doc)
    if draw(st.integers(0, 3)) == 0:
        lines = text.splitlines()
        at = draw(st.integers(0, len(lines)))
        lines.insert(at, draw(st.sampled_from(RAW_BREAKS)))
        text = "\n".join(lines)
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 15)) == 0:
        data = data[: draw(st.integers(0, len(data)))] + draw(st.sampled_from([b"\xff\xfe", b"\xc3", b"\x80", b"\x00"]))
    return data


@pytest.fixture
def fuzz_folder(tmp_path: Path, sqlite_template: Path) -> Iterator[tuple[Path, Store]]:
    """A folder with the document's text and entities, and one store for every example."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "doc.txt").write_text(TEXT, encoding="utf-8")
    (folder / "entities.yaml").write_text(ENTITIES, encoding="utf-8")
    db = tmp_path / "store.db"
    shutil.copy(sqlite_template, db)
    store = Store(database.create_engine(database.resolve_url(str(db))))
    yield folder, store
    store.close()


FUZZ = settings(
    max_examples=2000 * SCALE, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)


def test_the_skeleton_is_a_valid_events_file(fuzz_folder: tuple[Path, Store]) -> None:
    folder, store = fuzz_folder
    (folder / "fuzz.yaml").write_text(yaml.safe_dump(SKELETON))
    assert ingest(store, [folder]).appended == 2


@FUZZ
@given(data=events_files())
def test_any_events_file_gives_a_clean_error_or_a_whole_append(fuzz_folder: tuple[Path, Store], data: bytes) -> None:
    folder, store = fuzz_folder
    figures.add("fuzz examples: events files (sqlite)")
    (folder / "fuzz.yaml").write_bytes(data)
    before = store.head()
    try:
        report = ingest(store, [folder])
    except ChronicleError:
        assert store.head() == before, "a failed ingest appended events"
        return
    assert store.head() == before + report.appended
    if report.appended:
        assert verify(store).ok


@settings(max_examples=150 * SCALE, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large])
@given(data=events_files())
def test_the_command_line_never_shows_a_traceback(fuzz_folder: tuple[Path, Store], data: bytes) -> None:
    folder, store = fuzz_folder
    url = store.url
    figures.add("fuzz examples: chronicle ingest command (sqlite)")
    (folder / "fuzz.yaml").write_bytes(data)
    result = CliRunner().invoke(main, ["--db", url, "ingest", str(folder)])
    assert result.exit_code in (0, 1), (result.output, result.exception)
    assert "Traceback" not in result.output
    if result.exit_code == 1:
        assert "Error: " in result.output


TEXT_FIELDS = [("document", "title"), ("document", "publisher"), ("document", "url"), ("events", 0, "id"),
               ("events", 0, "subject"), ("events", 0, "when", "text"), ("events", 0, "facts", "openness"),
               ("events", 1, "facts", "downloads", "value"), ("events", 1, "note"), ("document", "text")]


def test_hostile_values_on_each_backend_are_kept_verbatim_or_refused_cleanly(store_url: str, tmp_path: Path) -> None:
    """The same hostile values on PostgreSQL too, which refuses what SQLite keeps (a NUL in text)."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "doc.txt").write_text(TEXT, encoding="utf-8")
    (folder / "entities.yaml").write_text(ENTITIES, encoding="utf-8")
    store = Store(database.create_engine(store_url))
    tried = 0
    for n, path in enumerate(TEXT_FIELDS):
        for m, value in enumerate([*HOSTILE, 10**400, float("nan"), 2**63]):
            doc = copy.deepcopy(SKELETON)
            doc["document"]["id"] = f"h-{n}-{m}"
            doc = _set(doc, path, value)
            (folder / "fuzz.yaml").write_bytes(
                yaml.safe_dump(doc, allow_unicode=True).encode("utf-8", "surrogatepass"))
            before = store.head()
            tried += 1
            try:
                report = ingest(store, [folder])
            except ChronicleError:
                assert store.head() == before
                continue
            assert store.head() == before + report.appended
            if path == ("document", "title") and report.appended:
                assert store.document(f"h-{n}-{m}").title == str(value).strip()
    assert verify(store).ok
    store.close()
    figures.add(f"fuzz examples: hostile field values ({figures.backend_of(store_url)})", tried)
