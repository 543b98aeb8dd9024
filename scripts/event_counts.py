"""Count the events of events files, per document and per type.

Validates the files first (quotes are checked when the texts are found), so
the counts are those of what `chronicle ingest` would append.

    python scripts/event_counts.py events/ --documents ../shared/seeds
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from tabulate import tabulate

from chronicle.errors import ChronicleError
from chronicle.ingest import collect_files, load_and_validate


def counts(paths: list[Path], documents: list[Path]) -> tuple[list[list[object]], list[list[object]]]:
    """Rows per document (events, reported, forecast, opinion) and per type (one column a document)."""
    _, files = load_and_validate(collect_files(paths), {}, documents)
    files = sorted(files, key=lambda f: f.document.id)
    per_doc = []
    per_type: dict[str, Counter[str]] = {}
    for f in files:
        certainty = Counter(e.certainty for e in f.events)
        per_doc.append([f.document.id, len(f.events), certainty["reported"], certainty["forecast"],
                        certainty["opinion"], "yes" if f.text_found else "NO"])
        for e in f.events:
            per_type.setdefault(e.type, Counter())[f.document.id] += 1
    total = ["total", sum(r[1] for r in per_doc), *(sum(r[i] for r in per_doc) for i in (2, 3, 4)), ""]
    type_rows = [[t, *(c[f.document.id] or "" for f in files), sum(c.values())] for t, c in sorted(per_type.items())]
    return per_doc + [total], type_rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path, help="events files or folders")
    parser.add_argument("--documents", action="append", type=Path, default=[], help="folder of the documents' texts")
    args = parser.parse_args(argv)
    try:
        per_doc, per_type = counts(args.paths, args.documents)
    except ChronicleError as exc:
        print(f"Error: {exc.message}", file=sys.stderr)
        return 1
    print(tabulate(per_doc, headers=["document", "events", "reported", "forecast", "opinion", "quotes checked"]))
    print()
    docs = [r[0] for r in per_doc[:-1]]
    print(tabulate(per_type, headers=["type", *(f"[{i}]" for i in range(1, len(docs) + 1)), "total"]))
    print()
    for i, doc in enumerate(docs, 1):
        print(f"[{i}] {doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
