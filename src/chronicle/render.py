"""The one output path: tables, JSON, CSV, NDJSON and Markdown.

Every command renders through these functions so that the same data always
prints the same bytes: keys sorted, dates in ISO form, rows in the order the
caller gives (callers sort deterministically).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any

from tabulate import tabulate

FORMATS = ("table", "json", "csv", "ndjson", "markdown")


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


def dumps(obj: Any, *, indent: int | None = 2) -> str:
    """Deterministic JSON: sorted keys, UTF-8 text, ISO dates."""
    if indent is None:
        return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_default)
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, indent=indent, default=_default)


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


def render_rows(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    fmt: str,
    *,
    headers: Mapping[str, str] | None = None,
) -> str:
    """Render rows of dicts in one of FORMATS; table/csv/markdown show ``columns``.

    JSON and NDJSON print each row whole (every key), so that programs get all
    the data while people get a readable selection.
    """
    if fmt == "json":
        return dumps(list(rows)) + "\n"
    if fmt == "ndjson":
        return "".join(dumps(dict(r), indent=None) + "\n" for r in rows)
    titles = [(headers or {}).get(c, c) for c in columns]
    matrix = [[cell(r.get(c)) for c in columns] for r in rows]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(titles)
        writer.writerows(matrix)
        return out.getvalue()
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
