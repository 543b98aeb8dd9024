"""The line reader for plain events files reads exactly what libyaml reads, or leaves the file to it.

Texts are put together from lines of the forms events files use and of
many they must not be mistaken for (escapes, multi-line scalars, anchors,
tags, odd keys and indentation, broken YAML). Whenever the line reader
accepts a text, libyaml must give the same values, of the same types, with
the same lines; whenever libyaml refuses a text, the line reader must not
accept it.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chronicle import eventfiles
from chronicle.errors import Problem
from chronicle.eventfiles import Located, _Fallback, _read_plain

SCALE = 10 if os.environ.get("CHRONICLE_SLOW") == "1" else 1
KEYS = ["id", "type", "subject", "facts", "when", "text", "edtf", "a.b", "_x", "on", "null", "yes", "1", "x y",
        "<<", "? k", '"q"', "k ", "K-9", "~"]
VALUES = [
    "", "plain text", '"quoted"', '"with \\" escape"', '"a # b"', '"open', "'single'", "'it''s'", "'open",
    "a: b", "a:", "a:b", "a #c", "a#b", "12:30", "0x1F", "012", "-5", "-x", "- x", "-", ".inf", ".NaN", "1e400",
    "1.5e3", "6.0e6", "1_000", "yes", "No", "~", "null", "true", "2019-01-01", "2019-01-01 10:00:00", "[a, b]",
    "[a, [b]]", "[]", "[ ]", "{}", "{a: 1}", "{a: [1]}", "{a: []}", "{a: [ ], b: c}", "{a: x,b: []}",
    "{a: [],}", "{a: []x}", "{a: [] ]}", "{a: 1, a: 2}", "{edtf: \"2019\"}", "[a,]", "[a, , b]",
    '["x, y", z]', "['s', -3, 4.5]", "[a b, c]", "[a:b]", "[a #c]", "&a x", "*a", "!!str 1", "!!int x", "|", ">",
    "x  # c", "http://x.y/z", "?", "% x", "@x", "`x", "é ü 中文", "x\u2028y", "x\x85y", "x\ty", "x\ry", "\ufeffx",
    "x\x00y", "x\x7fy", '"x" "y"', '"x"#c', '"x" # c', "{a: b", "[a, b", "a, b", "[a, b] c", "{a: {b: c}}", "!x",
    "#c", "# comment", "'a' b", "12", "-0", "+1", "0b101", "1:20:30", "=", "\\", "'\"'", "\"'\"",
]


def _line(indent: int, dash: str, key: str | None, value: str) -> str:
    if key is None:
        return " " * indent + dash + value
    return " " * indent + dash + key + ":" + (" " + value if value else "")


lines = st.one_of(
    st.builds(_line, st.sampled_from([0, 0, 2, 2, 4, 4, 6, 1, 3, 8]), st.sampled_from(["", "", "- ", "-  ", "-"]),
              st.one_of(st.none(), st.sampled_from(KEYS)), st.sampled_from(VALUES)),
    st.sampled_from(["", "   ", "# comment", "  # indented comment", "---", "...", "%YAML 1.1", "  - - x"]),
    st.text(alphabet=" -:#'\"[]{},&*!|>abc1\t\n", max_size=12),
)
line_texts = st.lists(lines, max_size=14).map("\n".join)


def _render(node: Any, indent: int, step: int, out: list[str]) -> None:
    pad = " " * indent
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str):
                out.append(f"{pad}{key}: {value}" if value else f"{pad}{key}:")
            else:
                out.append(f"{pad}{key}:")
                _render(value, indent + step, step, out)
        return
    for item in node:
        if isinstance(item, str):
            out.append(f"{pad}- {item}")
            continue
        inner: list[str] = []
        _render(item, indent + 2, step, inner)
        if inner:
            # The item's first line on the dash's own line.
            out.append(pad + "- " + inner[0][indent + 2:])
            out.extend(inner[1:])


# Mostly what the line reader takes, so that most documents get through it.
SAFE_KEYS = ["id", "type", "subject", "facts", "when", "text", "a.b", "_x", "K-9", "yes", "null"]
SAFE_VALUES = ["plain text", '"quoted"', '"a # b"', "'single'", "a:b", "a #c", "12:30", "0x1F", "012", "-5", ".inf",
               "1e400", "6.0e6", "yes", "~", "2019-01-01", "[a, b]", "[]", "{}", "{a: 1, a: 2}", "['s', -3, 4.5]",
               "x  # c", "http://x.y/z", "é ü 中文", '"x" # c', "[a b, c]", "", "12", "1:20:30", "a#b"]
keys = st.one_of(st.sampled_from(SAFE_KEYS), st.sampled_from(SAFE_KEYS), st.sampled_from(KEYS))
values = st.one_of(st.sampled_from(SAFE_VALUES), st.sampled_from(SAFE_VALUES), st.sampled_from(VALUES))
trees = st.recursive(
    values,
    lambda children: st.one_of(st.lists(children, min_size=1, max_size=4),
                               st.dictionaries(keys, children, min_size=1, max_size=4)),
    max_leaves=14,
)


def _document(tree: Any, step: int, noise: list[tuple[int, str]]) -> str:
    out: list[str] = []
    _render(tree if isinstance(tree, dict) else {"top": tree}, 0, step, out)
    for at, line in noise:  # comments, blank lines and the odd broken line
        out.insert(at % (len(out) + 1), line)
    return "\n".join(out) + "\n"


documents = st.builds(_document, trees, st.sampled_from([2, 2, 4, 1, 3]),
                      st.lists(st.tuples(st.integers(0, 30), lines), max_size=1))
texts = st.one_of(line_texts, documents)
FUZZ = settings(max_examples=3000 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _libyaml(text: str) -> Any:
    """``text`` as the loader reads it without the line reader."""
    loader = eventfiles._QuickLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        try:
            return eventfiles._build(loader, node, set())
        except eventfiles._Fallback:
            pass
    finally:
        loader.dispose()
    return yaml.load(text, Loader=eventfiles._Loader)  # noqa: S506 - a safe loader


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, Located) or isinstance(b, Located):
        return (isinstance(a, Located) and isinstance(b, Located) and a.line == b.line and a.lines == b.lines
                and list(a) == list(b) and all(_same(a[k], b[k]) for k in a))
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def _check(text: str) -> bool:
    """Whether the line reader took ``text``; fails if it read it otherwise than libyaml."""
    try:
        quick = _read_plain(text)
    except (_Fallback, RecursionError):
        return False
    try:
        slow = _libyaml(text)
    except yaml.YAMLError as exc:
        pytest.fail(f"the line reader accepted what libyaml refuses ({exc}):\n{text}")
    assert _same(quick, slow), f"read differently:\n{text}\nline reader: {quick!r}\nlibyaml: {slow!r}"
    return True


@FUZZ
@given(text=texts)
def test_the_line_reader_reads_as_libyaml_does_or_not_at_all(text: str) -> None:
    _check(text)


def test_an_events_file_is_read_by_the_line_reader() -> None:
    text = (
        "document:\n  id: doc-1\n  title: \"A: title\"\n  published: 2019-01-01\n\n"
        "events:\n  # the claims\n  - id: e000\n    type: ipo\n    entities: [model-01923, 'x y']\n"
        "    when: {edtf: \"2019\", text: early 2019}\n    facts:\n      parameters: {value: 671000000000, unit: params}\n"
        "      share: 1.5   # about\n      flag: yes\n      none:\n    quote: \"claim 0 of document 0\"\n"
        "  -   id: e001\n      offsets: [0, -3]\n"
    )
    assert _check(text)
    data = _read_plain(text)
    assert data.lines == {"document": 1, "events": 6}
    assert data["events"][0].line == 8 and data["events"][0]["when"].line == 11
    assert data["events"][0]["facts"] == {"parameters": {"value": 671000000000, "unit": "params"}, "share": 1.5,
                                          "flag": True, "none": None}


@pytest.mark.parametrize("text", [
    "a:\n  b\n", "a: b\n  c\n", "a: \"x\\ty\"\n", "a: &x 1\nb: *x\n", "a: !!str 1\n", "a: |\n  x\n",
    "a:\n- x\n", "true: 1\n", "a:\tb\n", "a: b\r\n", "  a: 1\n", "---\na: 1\n", "a: [x, [y]]\n", "a: 'it''s'\n",
])
def test_what_the_line_reader_leaves_to_libyaml(text: str) -> None:
    with pytest.raises(_Fallback):
        _read_plain(text)


def test_an_entities_file_in_flow_style_is_read_by_the_line_reader() -> None:
    text = ("entities:\n  - {slug: org-00000, kind: org, name: Org 0, country: FR, aliases: []}\n"
            "  - {slug: model-1, kind: model, name: \"M: 1\", org: org-00000, aliases: [ ]}\n")
    assert _check(text)
    data = _read_plain(text)
    assert data["entities"][1] == {"slug": "model-1", "kind": "model", "name": "M: 1", "org": "org-00000",
                                   "aliases": []}
    assert data["entities"][1].line == 3


def test_the_benchmark_corpus_reads_the_same(repo: Path) -> None:
    folder = repo / "benchmarks" / "results" / "corpora" / "100000-seed7" / "events"
    paths = (sorted(folder.glob("doc-*.yaml"))[:50] + sorted(folder.glob("entities.yaml"))
             + sorted((repo / "events").glob("*.yaml")))
    if not paths:
        pytest.skip("no corpus")
    assert sum(_check(p.read_text(encoding="utf-8")) for p in paths) >= len(paths) // 2


DUPLICATES = [
    ("a: 1\nb: 2\na: 3\n", 3, "a", 1),
    ("events:\n  - id: x\n    when: 2025\n    when: 2026\n", 4, "when", 3),
    ("facts: {value: 1, unit: count, value: 2}\n", 1, "value", 1),
    ("a:\n  b: 1\n  c:\n    d: 1\n  b: 2\n", 5, "b", 2),
    ("a: &x 1\nb: *x\nb: 2\n", 3, "b", 2),
    ("a: !!str 1\na: 2\n", 2, "a", 1),
    ("1: a\n'1': b\n", 2, "1", 1),
]


@pytest.mark.parametrize(("text", "line", "key", "first"), DUPLICATES)
def test_a_key_given_twice_is_refused_by_every_reader(tmp_path: Path, text: str, line: int, key: str,
                                                      first: int) -> None:
    with pytest.raises(_Fallback):
        _read_plain(text)
    with pytest.raises(yaml.constructor.ConstructorError):
        _libyaml(text)
    path = tmp_path / "events.yaml"
    path.write_text(text, encoding="utf-8")
    assert eventfiles.load_yaml(path) == (None, [
        Problem(str(path), line, "yaml", f"duplicate key {key!r} (first on line {first}); keep one")])


def test_a_merge_may_give_its_keys_again(tmp_path: Path) -> None:
    path = tmp_path / "events.yaml"
    path.write_text("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  x: 3\n", encoding="utf-8")
    data, problems = eventfiles.load_yaml(path)
    assert (data["m"], problems) == ({"x": 3, "y": 2}, [])
