"""YAML events files to raw records, keeping the line of every value.

The loader records, for each mapping it builds, the line of the mapping and of
each of its keys, so that validation can say ``file:line: field: message``.
YAML's implicit dates and numbers are kept as the text the analyst wrote
where chronicle needs text (dates), so ``2025`` and ``2025-01-20`` arrive as
strings, not as an int and a date.
"""

from __future__ import annotations

import re
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


def _duplicate(key: str, first: int, key_node: yaml.Node) -> yaml.constructor.ConstructorError:
    """The error for a key a mapping already holds: YAML would keep the last value without a word."""
    return yaml.constructor.ConstructorError(
        None, None, f"duplicate key {key!r} (first on line {first}); keep one", key_node.start_mark)


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Located:
    # Keys a merge (<<: *base) brings may be given again: that is what a merge is for.
    # flatten_mapping puts them first, before the mapping's own pairs.
    own = sum(1 for key_node, _ in node.value if key_node.tag != "tag:yaml.org,2002:merge")
    loader.flatten_mapping(node)
    merged = len(node.value) - own
    mapping = Located()
    mapping.line = node.start_mark.line + 1
    mapping.lines = {}
    given: set[str] = set()
    for at, (key_node, value_node) in enumerate(node.value):
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if at >= merged:
            if key in given:
                raise _duplicate(key, mapping.lines[key], key_node)
            given.add(key)
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
            if key in lines:
                raise _duplicate(key, lines[key], key_node)
            mapping[key] = _build(loader, value_node, seen)
            lines[key] = key_node.start_mark.line + 1
        return mapping
    if kind is yaml.SequenceNode and node.tag == _SEQ:
        return [_build(loader, item, seen) for item in node.value]
    raise _Fallback()


# -- the plain-file reader ----------------------------------------------------------
#
# Most events files are written in a small part of YAML: block mappings and
# sequences, one value per line (plain, or quoted without escapes), and flow
# lists and mappings of such values on one line. ``_read_plain`` reads that
# part line by line, several times faster than libyaml hands nodes to
# Python, and gives what ``_Loader`` gives (values, types, lines). Anything
# else, and anything it is unsure of (tabs, escapes, multi-line scalars,
# anchors, tags, odd keys, text libyaml would refuse), raises
# :class:`_Fallback`, and the file goes to libyaml as before: the reader
# only ever accepts what it reads exactly as YAML does, errors included.

# Characters outside YAML's printable set, its other line breaks (\r, \x85,
# \u2028, \u2029), tabs and the byte-order mark: left to libyaml.
_UNREAD = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_.-]*):(?: +|$)")
# A plain value in block context: it does not start with an indicator (a
# leading '-' only before a digit or '.') and holds no ': ' or ' #'.
_PLAIN = re.compile(r"(?:[^-?:,\[\]{}#&*!|>'\"%@` ]|-[0-9.])(?:[^:#]|:(?! |$)|(?<! )#)*")
# One item of a one-line flow collection: quoted without escapes or plain
# of letters, digits and a few safe punctuation marks.
_FLOW_ITEM = re.compile(r' *(?:"([^"\\]*)"|\'([^\']*)\'|([A-Za-z0-9_.+/][A-Za-z0-9_.+/ -]*?|-[0-9.][A-Za-z0-9_.+/ -]*?)) *(,|$)')
# A pair of a one-line flow mapping: a key and such an item, or an empty flow sequence.
_FLOW_PAIR = re.compile(r' *([A-Za-z_][A-Za-z0-9_.-]*): +(?:"([^"\\]*)"|\'([^\']*)\'|([A-Za-z0-9_.+/][A-Za-z0-9_.+/ -]*?|-[0-9.][A-Za-z0-9_.+/ -]*?)|(\[ *\])) *(,|$)')
_PLAIN_VALUES: dict[str, Any] = {}
_IMMUTABLE = (str, int, float, bool, type(None))
_RESOLVER: Any = yaml.resolver.Resolver()
_CONSTRUCTING: list[Any] = []


def _plain_value(text: str) -> Any:
    """A plain scalar as ``_Loader`` constructs it (tag resolved from the text alone)."""
    try:
        return _PLAIN_VALUES[text]
    except KeyError:
        pass
    tag = _PLAIN_TAGS.get(text)
    if tag is None:
        tag = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))
    if tag == _STR:
        value: Any = text
    else:
        constructor = _CONSTRUCTORS.get(tag)
        if constructor is None:
            raise _Fallback()
        try:
            # The scalar constructors read nothing but their node: one loader serves them all.
            if not _CONSTRUCTING:
                _CONSTRUCTING.append(_Loader(""))
            value = constructor(_CONSTRUCTING[0], yaml.ScalarNode(tag, text))
        except Exception:  # noqa: BLE001 - libyaml's path tells the error and its line
            raise _Fallback() from None
        if not isinstance(value, _IMMUTABLE):
            raise _Fallback()
    if len(_PLAIN_VALUES) > 100_000:
        _PLAIN_VALUES.clear()
    _PLAIN_VALUES[text] = value
    return value


def _key(text: str) -> str:
    key = _plain_value(text)
    if type(key) is not str:  # true:, null:, 1: ... are not text keys
        raise _Fallback()
    return key


def _scalar(rest: str) -> Any:
    """The value that ends a line (``rest``: the text after ``key: `` or ``- ``)."""
    first = rest[0]
    if first == '"' or first == "'":
        end = rest.find(first, 1)
        if end < 0:
            raise _Fallback()
        value = rest[1:end]
        if first == '"' and "\\" in value:
            raise _Fallback()
        after = rest[end + 1:]
        if after and not (after.isspace() or after.lstrip(" ").startswith("#") and after[0] == " "):
            raise _Fallback()
        return value
    if first == "[" or first == "{":
        return _flow(rest)
    cut = rest.find(" #")
    if cut >= 0:
        rest = rest[:cut]
    rest = rest.rstrip(" ")
    if _PLAIN.fullmatch(rest) is None:
        raise _Fallback()
    return _plain_value(rest)


def _flow(rest: str) -> Any:
    rest = rest.rstrip(" ")
    if "#" in rest:
        raise _Fallback()
    opener, closer = rest[0], "]" if rest[0] == "[" else "}"
    if rest[-1] != closer:
        raise _Fallback()
    inner = rest[1:-1]
    if not inner.strip(" "):
        return [] if opener == "[" else _FlowMapping()
    pattern = _FLOW_ITEM if opener == "[" else _FLOW_PAIR
    items: list[tuple[Any, ...]] = []
    at = 0
    while True:
        found = pattern.match(inner, at)
        if found is None:
            raise _Fallback()
        items.append(found.groups())
        at = found.end()
        if found.group(pattern.groups) != ",":  # the end of the text
            break
    if opener == "[":
        return [d if d is not None else s if s is not None else _plain_value(p) for d, s, p, _ in items]
    mapping = _FlowMapping()
    for k, d, s, p, empty, _ in items:
        key = _key(k)
        if key in mapping:
            raise _Fallback()  # a duplicate key: libyaml's path names it
        mapping[key] = d if d is not None else s if s is not None else [] if empty is not None else _plain_value(p)
    return mapping


class _FlowMapping(dict[str, Any]):
    """A one-line ``{...}`` value, made Located once its line is known."""


def _read_plain(text: str) -> Any:
    """``text`` as ``_Loader`` reads it, or :class:`_Fallback` (see above)."""
    if _UNREAD.search(text) is not None:
        raise _Fallback()
    lines: list[list[Any]] = []
    for number, line in enumerate(text.split("\n"), 1):
        content = line.lstrip(" ")
        if not content or content[0] == "#":
            continue
        lines.append([number, len(line) - len(content), content.rstrip(" ")])
    if not lines:
        return None
    if lines[0][1] != 0:
        raise _Fallback()
    lines.append([0, -1, ""])  # the end: less indented than anything
    value, at = _block(lines, 0)
    if at != len(lines) - 1:
        raise _Fallback()
    return value


def _block(lines: list[list[Any]], at: int) -> tuple[Any, int]:
    """The block collection starting at line ``at`` and the index of the line after it."""
    content = lines[at][2]
    if content[0] == "-" and (len(content) == 1 or content[1] == " "):
        return _sequence(lines, at)
    return _mapping(lines, at)


def _value(rest: str, number: int) -> Any:
    """The value ending a line (after ``key: `` or ``- ``), on line ``number``."""
    first = rest[0]
    if first == '"':
        end = rest.find('"', 1)
        if end == len(rest) - 1 and "\\" not in rest:
            return rest[1:end]
    elif first == "[" or first == "{":
        value = _scalar(rest)
        if type(value) is _FlowMapping:
            mapping = Located(value)
            mapping.line = number
            mapping.lines = dict.fromkeys(value, number)
            return mapping
        return value
    else:
        value = _LINE_VALUES.get(rest, _MISSING)
        if value is not _MISSING:
            return value
        if first != "'":
            value = _scalar(rest)
            if len(_LINE_VALUES) > 100_000:
                _LINE_VALUES.clear()
            _LINE_VALUES[rest] = value
            return value
    return _scalar(rest)


#: The value of a plain scalar, by the text after its key (comments and spaces included).
_LINE_VALUES: dict[str, Any] = {}
#: Keys found to be text.
_TEXT_KEYS: set[str] = set()
_MISSING = object()


def _mapping(lines: list[list[Any]], at: int) -> tuple[Located, int]:
    mapping = Located()
    column = lines[at][1]
    mapping.line = lines[at][0]
    keys = mapping.lines = {}
    match_key, text_keys = _KEY.match, _TEXT_KEYS
    while True:
        number, col, content = lines[at]
        if col != column:
            if col > column:
                raise _Fallback()
            return mapping, at
        found = match_key(content)
        if found is None:
            raise _Fallback()
        key = found.group(1)
        if key not in text_keys:
            _key(key)
            if len(text_keys) > 10_000:
                text_keys.clear()
            text_keys.add(key)
        rest = content[found.end():]
        at += 1
        if rest and rest[0] != "#":
            value = _value(rest, number)
        elif lines[at][1] > column:
            value, at = _block(lines, at)
        elif lines[at][1] == column and lines[at][2][0] == "-":
            raise _Fallback()  # a sequence at the key's own indentation
        else:
            value = None
        if key in keys:
            raise _Fallback()  # a duplicate key: libyaml's path names it
        mapping[key] = value
        keys[key] = number


def _sequence(lines: list[list[Any]], at: int) -> tuple[list[Any], int]:
    items: list[Any] = []
    column = lines[at][1]
    while True:
        line = lines[at]
        number, col, content = line
        if col != column or content[0] != "-" or (len(content) > 1 and content[1] != " "):
            if col > column:
                raise _Fallback()
            return items, at
        rest = content[1:].lstrip(" ")
        if not rest or rest[0] == "#":
            raise _Fallback()  # the item's value on the lines below
        if rest[0] == "-" and (len(rest) == 1 or rest[1] == " ") or _KEY.match(rest):
            # A collection starting on the item's own line: read from there.
            line[1], line[2] = col + len(content) - len(rest), rest
            value, at = _block(lines, at)
        else:
            value = _value(rest, number)
            at += 1
        items.append(value)


def _load(text: str) -> Any:
    try:
        return _read_plain(text)
    except (_Fallback, RecursionError):
        pass
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
