"""YAML events files to raw records, keeping the line of every value.

The loader records, for each mapping it builds, the line of the mapping and of
each of its keys, so that validation can say ``file:line: field: message``.
YAML's implicit dates and numbers are kept as the text the analyst wrote
where chronicle needs text (dates), so ``2025`` and ``2025-01-20`` arrive as
strings, not as an int and a date.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from chronicle.errors import Problem

# The C parser is several times faster on large files; PyYAML built without
# libyaml falls back to the pure-Python one.
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Located(dict[str, Any]):
    """A mapping that knows its own line and the line of each key (1-based)."""

    line: int
    lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


class _Loader(_BaseLoader):  # type: ignore[misc]
    pass


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Located:
    loader.flatten_mapping(node)
    mapping = Located()
    mapping.line = node.start_mark.line + 1
    mapping.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = key_node.start_mark.line + 1
    return mapping


def _construct_timestamp_as_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    # Dates are fuzzy-date text for chronicle; YAML must not turn them into datetimes.
    return str(loader.construct_scalar(node))


def _number_constructor(name: str) -> Any:
    base = getattr(yaml.SafeLoader, f"construct_yaml_{name}")

    def construct(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
        # PyYAML lets int()/float() raise a bare ValueError (``!!int 1e400``,
        # an integer of more than 4300 digits): make it a located YAML error.
        try:
            return base(loader, node)
        except ValueError:
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {node.value[:40]!r} as a number", node.start_mark
            ) from None

    return construct


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:int", _number_constructor("int"))
_Loader.add_constructor("tag:yaml.org,2002:float", _number_constructor("float"))
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)


class _Fallback(Exception):
    """The document uses what the quick builder leaves to PyYAML (aliases, merges, tags)."""


class _QuickLoader(_BaseLoader):  # type: ignore[misc]
    """libyaml's parser, with the tags of plain scalars kept per text.

    Resolving a plain scalar's tag runs a handful of regular expressions, and
    an events file repeats its plain values (types, subjects, certainties)
    many times: the tag depends on the text alone (the loader has no path
    resolvers), so it is looked up once.
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is _SCALAR:
            if implicit[0]:
                tag = _PLAIN_TAGS.get(value)
                if tag is None:
                    if len(_PLAIN_TAGS) > 100_000:
                        _PLAIN_TAGS.clear()
                    tag = _PLAIN_TAGS[value] = super().resolve(kind, value, implicit)
                return tag
            return _STR
        return _MAP if kind is yaml.MappingNode else _SEQ

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


assert not _QuickLoader.yaml_path_resolvers
_PLAIN_TAGS: dict[str, str] = {}
_SCALAR = yaml.ScalarNode
_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_SPECIAL_KEYS = ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")
_CONSTRUCTORS: dict[Any, Any] = _Loader.yaml_constructors


def _build(loader: Any, node: Any, seen: set[int]) -> Any:
    """The value of a node, as ``_Loader`` constructs it, for plain documents.

    PyYAML's constructor keeps state per node and calls several methods per
    value; events files are trees of mappings, lists and scalars, built here
    directly. Anything else (an alias that shares a node, a merge key, an
    explicit tag) raises :class:`_Fallback`, and the file is loaded by
    ``_Loader`` itself.
    """
    kind = type(node)
    if kind is yaml.ScalarNode:
        if node.tag == _STR:
            return node.value
        constructor = _CONSTRUCTORS.get(node.tag)
        if constructor is None:
            raise _Fallback()
        return constructor(loader, node)
    if id(node) in seen:
        raise _Fallback()
    seen.add(id(node))
    if kind is yaml.MappingNode and node.tag == _MAP:
        mapping = Located()
        mapping.line = node.start_mark.line + 1
        lines = mapping.lines = {}
        for key_node, value_node in node.value:
            if type(key_node) is not yaml.ScalarNode or key_node.tag in _SPECIAL_KEYS:
                raise _Fallback()
            key = _build(loader, key_node, seen)
            if not isinstance(key, str):
                key = str(key)
            mapping[key] = _build(loader, value_node, seen)
            lines[key] = key_node.start_mark.line + 1
        return mapping
    if kind is yaml.SequenceNode and node.tag == _SEQ:
        return [_build(loader, item, seen) for item in node.value]
    raise _Fallback()


def _load(text: str) -> Any:
    loader = _QuickLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        try:
            return _build(loader, node, set())
        except _Fallback:
            pass
    finally:
        loader.dispose()
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader


def load_yaml(path: Path) -> tuple[Any, list[Problem]]:
    """Parse one YAML file; a syntax error becomes a Problem with its line."""
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(name, 0, "file", f"cannot read: {exc.strerror or exc}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(name, 0, "file", f"not UTF-8 text (byte {exc.start}); save it as UTF-8")]
    try:
        data = _load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        return None, [Problem(name, line, "yaml", f"{exc.problem or exc.context or 'cannot parse'}")]
    except yaml.YAMLError as exc:
        return None, [Problem(name, 0, "yaml", str(exc).splitlines()[0])]
    except RecursionError:
        return None, [Problem(name, 0, "yaml", "nested too deeply")]
    # A NUL can only reach a value through the text itself or an escape
    # (\0, \x00, \u0000, ...), which starts with a backslash: most files
    # have neither, and need no walk over every value.
    nul = _find_nul(data) if "\\" in text or "\x00" in text else None
    if nul is not None:
        return None, [Problem(name, nul, "yaml", "text with a NUL character (\\0), which a store cannot keep")]
    return data, []


def _find_nul(value: Any, line: int = 0, seen: set[int] | None = None) -> int | None:
    """The line of a string holding a NUL (PostgreSQL text cannot), if any.

    YAML's ``"\\0"`` escape makes one; aliases can make cycles, hence ``seen``.
    """
    seen = set() if seen is None else seen
    if isinstance(value, str):
        return line if "\x00" in value else None
    if id(value) in seen or not isinstance(value, (dict, list, tuple, set)):
        return None
    seen.add(id(value))
    if isinstance(value, dict):
        for key, item in value.items():
            at = line_of(value, key, line)
            found = _find_nul(key, at, seen)
            found = found if found is not None else _find_nul(item, at, seen)
            if found is not None:
                return found
        return None
    for item in value:
        found = _find_nul(item, line, seen)
        if found is not None:
            return found
    return None


def line_of(value: Any, key: str | None = None, default: int = 0) -> int:
    """The line of a mapping (or of one of its keys), when it came from a file."""
    if isinstance(value, Located):
        return value.line_of(key) if key is not None else value.line
    return default
