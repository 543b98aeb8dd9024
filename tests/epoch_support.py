"""Small hand-made snapshots of Epoch AI's Notable AI Models, in the newer column names."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from pathlib import Path

from chronicle.events import Entity

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CHRONICLE_SHARED", REPO.parent / "shared"))  # as in tests/conftest.py
EPOCH_CSV = SHARED / "data" / "epoch" / "notable_ai_models-2025-03.csv"

# The newer header: "Country (of organization)" renamed, "Open model weights?" and
# "Numerical format" added, "Training compute estimation method" dropped; columns reordered.
HEADER = ("Model,Domain,Organization,Country (of organization),Publication date,Link,Parameters,"
          "Training compute (FLOP),Model accessibility,Open model weights?,Numerical format,Base model,"
          "Confidence,Parameters notes\n")
R1 = ('DeepSeek-R1,Language,DeepSeek,China,2025-01-20,https://api-docs.deepseek.com/news/news250120,'
      '6.71e+11,5.17e+24,Open weights (unrestricted),Yes,FP8,DeepSeek-V3,Confident,"671B total,\n37B active"\n')
V3 = ("DeepSeek-V3,Language,DeepSeek,China,2024-12-24,https://arxiv.org/abs/2412.19437,671000000000.0,"
      "3.4078e+24,Open weights (restricted use),,FP8,,Confident,\n")
KIMI = "Kimi k1.5,Language,Moonshot,China,2025-01-22,,,,API access,No,,,Likely,\n"
JOINT = ('Joint-LM 13B,"Language,Vision","Tsinghua University,Example Lab","China,United States of America",'
         '2024-06-01,,1.3E10,,,,,"Qwen2-72B,InternViT-6B",,"notes, with ""quotes"""\n')


def snapshot(folder: Path, name: str, *rows: str, header: str = HEADER) -> Path:
    path = folder / name
    path.write_text(header + "".join(rows), encoding="utf-8")
    return path


# -- small files made of the real snapshot's rows ------------------------------------------

#: The newer header's names for the real snapshot's columns, where they were renamed.
RENAMED = {"Country (of organization)": "Country (from Organization)"}


def real_records(count: int) -> tuple[list[str], list[list[str]]]:
    """The real snapshot's header and its first ``count`` records (callers skip when it is absent)."""
    with EPOCH_CSV.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        return header, [next(reader) for _ in range(count)]


def real_snapshot(folder: Path, name: str, header: list[str], records: Sequence[list[str]],
                  *, newer: bool = False) -> Path:
    """A CSV file of ``records`` (cells in ``header``'s order); with ``newer``, in the newer
    header's columns and order, as later snapshots are: renamed columns moved over, added ones
    empty, dropped ones gone."""
    columns = next(csv.reader([HEADER])) if newer else header
    where = {column: header.index(RENAMED.get(column, column)) for column in columns
             if RENAMED.get(column, column) in header}
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([[record[where[c]] if c in where else "" for c in columns] for record in records])
    path = folder / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


CURATED = [
    Entity("deepseek", "org", "DeepSeek", ("DeepSeek AI",), country="CN"),
    Entity("deepseek-r1", "model", "DeepSeek-R1", ("R1", "DeepSeek R1"), org="deepseek"),
    Entity("deepseek-v3", "model", "DeepSeek-V3", ("V3", "DeepSeek V3"), org="deepseek"),
    Entity("moonshot", "org", "Moonshot AI", ("Moonshot",), country="CN"),
    Entity("tsinghua", "org", "Tsinghua University", ("Tsinghua",), country="CN"),
]
