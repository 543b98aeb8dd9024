"""Score `chronicle extract` on the seed corpus against the curated events.

    python benchmarks/evaluate_extract.py [--documents ../shared/seeds] [--json OUT.json] [--misses]

For each curated document: extract its text with the document's date (or
window) from the curated header, match drafts to curated events (same type,
same subject, overlapping date bounds, one to one) and print precision,
recall over dated curated events and over all, and how often the matched
pairs have the same date bounds. The figures also go to a JSON file.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from chronicle.extract.evaluate import evaluate
from chronicle.render import render_rows

REPO = Path(__file__).resolve().parents[1]
COLUMNS = ["document", "drafts", "curated", "curated_dated", "matched", "precision", "recall_dated",
           "recall_all", "date_accuracy"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    shared = Path(os.environ.get("CHRONICLE_SHARED", REPO.parent / "shared"))
    parser.add_argument("--documents", type=Path, default=shared / "seeds")
    parser.add_argument("--events", type=Path, default=REPO / "events")
    parser.add_argument("--json", type=Path, default=Path("extract-evaluation.json"))
    parser.add_argument("--misses", action="store_true", help="list unmatched curated events and wrong dates")
    args = parser.parse_args()
    scores = evaluate(args.events, args.documents)
    rows = [s.to_dict() for s in scores]
    print(render_rows(rows, COLUMNS, "table"), end="")
    if args.misses:
        for s in scores[:-1]:
            for miss in s.misses:
                print(f"missed  {s.document}: {miss}")
            for wrong in s.wrong_dates:
                print(f"date    {s.document}: {wrong}")
    args.json.write_text(json.dumps({"schema": "chronicle.extract-evaluation/1", "documents": rows},
                                    indent=2, sort_keys=True) + "\n")
    print(f"written to {args.json}")


if __name__ == "__main__":
    main()
