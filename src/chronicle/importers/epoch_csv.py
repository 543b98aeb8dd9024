"""Epoch AI's "Notable AI Models" CSV: headers through aliases, records with their lines.

Snapshots of the dataset differ in their columns: some were renamed
("Country (from Organization)" became "Country (of organization)"), some
added ("Open model weights?"), some dropped. Each column chronicle reads has
a canonical name and the headers it has gone by; headers are compared
without case, spaces or punctuation, and columns chronicle does not read are
ignored. A file without the columns that make it this dataset is refused.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from chronicle.errors import Problem
from chronicle.importers.matching import name_key

#: Canonical column -> the headers it has had, newest first.
COLUMNS: dict[str, tuple[str, ...]] = {
    "model": ("Model", "System"),
    "organization": ("Organization", "Organisation"),
    "country": ("Country (of organization)", "Country (from Organization)", "Country"),
    "publication_date": ("Publication date",),
    "link": ("Link",),
    "parameters": ("Parameters",),
    "training_compute": ("Training compute (FLOP)",),
    "accessibility": ("Model accessibility",),
    "open_weights": ("Open model weights?",),
    "base_model": ("Base model",),
    "confidence": ("Confidence",),
}
#: The columns without which a file is not this dataset.
REQUIRED = ("model", "organization", "publication_date")

_HEADER_TO_COLUMN = {name_key(header): column for column, headers in COLUMNS.items() for header in headers}


@dataclass(frozen=True)
class Record:
    """One CSV record: the line it starts on and its cells by canonical column ('' when absent)."""

    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass(frozen=True)
class Table:
    columns: dict[str, str]  # canonical column -> the header the file uses
    records: list[Record]


def map_headers(file: str, header: list[str]) -> tuple[dict[str, int], dict[str, str], list[Problem]]:
    """Canonical column -> position, and -> header text; problems for duplicates and missing columns."""
    positions: dict[str, int] = {}
    names: dict[str, str] = {}
    problems: list[Problem] = []
    for index, text in enumerate(header):
        column = _HEADER_TO_COLUMN.get(name_key(text))
        if column is None:
            continue
        if column in positions:
            problems.append(Problem(file, 1, "header", f"{text!r} and {names[column]!r} are both the {column} column"))
            continue
        positions[column], names[column] = index, text
    missing = [COLUMNS[c][0] for c in REQUIRED if c not in positions]
    if missing:
        found = ", ".join(repr(h) for h in header[:8]) + (", ..." if len(header) > 8 else "")
        problems.append(Problem(
            file, 1, "header",
            f"not Epoch AI's Notable AI Models data: no {', '.join(repr(m) for m in missing)} column "
            f"(columns found: {found or 'none'})",
        ))
    return positions, names, problems


class _Broken(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """CSV records with the line each starts on (quoted newlines span several lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        for fields in reader:
            yield start, fields
            start = reader.line_num + 1
    except csv.Error as exc:
        raise _Broken(start, str(exc)) from exc


def read_table(file: str, data: bytes) -> tuple[Table | None, list[Problem]]:
    """Parse the CSV bytes; every problem found is returned, with its line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [Problem(file, 0, "file", f"not UTF-8 text (byte {exc.start}); is it a CSV file?")]
    records = _records(text)
    problems: list[Problem] = []
    try:
        first = next(records, None)
        if first is None:
            return None, [Problem(file, 1, "file", "empty: no header row")]
        header = first[1]
        positions, names, problems = map_headers(file, header)
        if problems:
            return None, problems
        rows: list[Record] = []
        for line, fields in records:
            if not fields:
                continue  # a blank line
            if len(fields) != len(header):
                problems.append(Problem(file, line, "row", f"{len(fields)} cells; the header has {len(header)}"))
                continue
            rows.append(Record(line, {column: fields[index].strip() for column, index in positions.items()}))
    except _Broken as exc:
        # The reader stops at the first broken record (e.g. a quote never closed).
        problems.append(Problem(file, exc.line, "row", f"not readable as CSV: {exc.message}"))
        return None, problems
    return Table(names, rows), problems
