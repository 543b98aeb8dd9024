"""The one output path: tables, JSON, CSV, NDJSON and Markdown.

Every command renders through these functions so that the same data always
prints the same bytes: keys sorted, dates in ISO form, rows in the order the
caller gives (callers sort deterministically).

Text in the store comes from events files and databases, so it may carry what
a terminal or a spreadsheet would act on. People's formats (table, Markdown,
plain lines) show it through ``printable``; CSV cells go through ``csv_cell``
(controls stripped, formulas neutralised) unless raw cells are asked for; JSON
keeps every value exact and escapes every control character.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any

from tabulate import tabulate

FORMATS = ("table", "json", "csv", "ndjson", "markdown")

#: Escape sequences, in their 7-bit (ESC-introduced) and 8-bit (C1) forms: a CSI
#: with its parameter, intermediate and final bytes; an OSC, DCS, SOS, PM or APC
#: with its string up to its terminator (BEL or ST) or the first control
#: character, so an unterminated one never swallows a following line; any other
#: ESC with its intermediate and final bytes.
_ESCAPE_SEQUENCE = re.compile(
    "(?:\x1b\\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"
    "|(?:\x1b[\\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x00-\x1f\x7f-\x9f]*(?:\x07|\x1b\\\\|\x9c)?"
    "|\x1b[\x20-\x2f]*[\x30-\x7e]?"
)
#: Every C0 and C1 control character and DEL, but newline and tab.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: What the JSON encoder leaves raw (it escapes only C0): DEL and C1.
_RAW_IN_JSON = re.compile("[\x7f-\x9f]")
#: First characters that make a spreadsheet read a cell as a formula (OWASP's list).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: A cell that is wholly one decimal number (``-3.5``, ``+1e6``, ``-17%``) is a value that a
#: spreadsheet reads as a number, never as a formula: it is left as it is.
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?%?")


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if hasattr(value, "to_dict"):
        return value.to_dict()
    raise TypeError(f"cannot render {type(value).__name__} as JSON")


def _escape_raw(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def dumps(obj: Any, *, indent: int | None = 2) -> str:
    """Deterministic JSON: sorted keys, UTF-8 text, ISO dates, no raw control character.

    The encoder escapes C0 controls (ESC is ``\\u001b``) but writes DEL and C1
    (``\\x9b`` is a CSI to a terminal) as they are; they are escaped here. Outside
    strings JSON is ASCII, so this changes no value: a reader gets each string exactly.
    """
    if indent is None:
        text = json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_default)
    else:
        text = json.dumps(obj, sort_keys=True, ensure_ascii=False, indent=indent, default=_default)
    return _RAW_IN_JSON.sub(_escape_raw, text) if _RAW_IN_JSON.search(text) else text


def cell(value: Any) -> str:
    """How one value prints inside a table or CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return ", ".join(cell(v) for v in value)
    if isinstance(value, dict):
        return dumps(value, indent=None)
    return str(value)


def printable(text: str) -> str:
    """``text`` without escape sequences and control characters (newline and tab stay).

    The one sanitiser of everything chronicle prints for people, so that a
    title or quote can never retitle a window, write the clipboard, draw a
    link or move the cursor.
    """
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))


def csv_cell(value: Any, raw: bool = False) -> str:
    """How one value prints in a CSV cell.

    Unless ``raw``, control characters and escape sequences are stripped and a
    cell a spreadsheet would run as a formula (first character ``=``, ``+``,
    ``-``, ``@``, tab or CR) gets a leading ``'``, as OWASP recommends; a cell
    that is wholly a number (``-3.5``, ``-17%``) stays a number.
    """
    text = cell(value)
    if raw:
        return text
    text = printable(text)
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_lines(rows: Iterable[Sequence[Any]], raw: bool = False) -> Iterator[str]:
    """Rows as CSV text, one row a chunk (streams: a large export is never held whole).

    Every CSV chronicle writes goes through here, so every cell goes through ``csv_cell``.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    # The csv module quotes a cell holding "\n" but not one holding a lone "\r"
    # (with "\n" as the line end), which a reader then takes for a line end. Only
    # a raw cell can hold one; its row is written with every cell quoted.
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for row in rows:
        cells = [csv_cell(v, raw) for v in row]
        (quoted if raw and any("\r" in c for c in cells) else writer).writerow(cells)
        yield out.getvalue()
        out.seek(0)
        out.truncate()


def render_rows(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    fmt: str,
    *,
    headers: Mapping[str, str] | None = None,
    raw_csv: bool = False,
) -> str:
    """Render rows of dicts in one of FORMATS; table/csv/markdown show ``columns``.

    JSON and NDJSON print each row whole (every key), so that programs get all
    the data while people get a readable selection. Table and Markdown cells
    are ``printable``; CSV cells are ``csv_cell`` (exact with ``raw_csv``).
    """
    if fmt == "json":
        return dumps(list(rows)) + "\n"
    if fmt == "ndjson":
        return "".join(dumps(dict(r), indent=None) + "\n" for r in rows)
    titles = [(headers or {}).get(c, c) for c in columns]
    if fmt == "csv":
        return "".join(csv_lines([titles, *([r.get(c) for c in columns] for r in rows)], raw_csv))
    titles = [printable(t) for t in titles]
    matrix = [[printable(cell(r.get(c))) for c in columns] for r in rows]
    if fmt == "markdown":
        return str(tabulate(matrix, headers=titles, tablefmt="github", disable_numparse=True)) + "\n"
    if fmt == "table":
        if not matrix:
            return "(no rows)\n"
        return str(tabulate(matrix, headers=titles, tablefmt="simple", disable_numparse=True)) + "\n"
    raise ValueError(f"unknown format {fmt!r}")


def ndjson_lines(objs: Iterable[Mapping[str, Any]]) -> Iterable[str]:
    """Stream objects as NDJSON lines, one at a time (for large exports)."""
    for obj in objs:
        yield dumps(dict(obj), indent=None) + "\n"
