"""People-facing renderings of answers: the as-of report, diffs, conflicts, talent.

Programs get JSON (``render.dumps`` of the answer itself); people get these
tables. Everything goes through ``render.render_rows`` so the bytes are
deterministic, and lines outside a table through ``render.printable``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from chronicle.projections import STATUS_MARK
from chronicle.projections.values import display, hedged
from chronicle.render import printable, render_rows

LEGEND = "● happened   ◐ possibly happened (date too vague to know)   ○ expected (forecast)   ⚠ sources disagree"
HEADERS = {
    "mark": "", "name": "model", "subject_name": "subject", "first_release": "first release",
    "from_org": "from", "to_org": "to", "sources": "src", "org_name": "org",
}
SHOWN = {
    "models": ["mark", "name", "org_name", "country", "first_release", "openness", "parameters", "benchmarks", "sources"],
    "orgs": ["mark", "name", "country", "funding", "valuation", "ipo", "revenue", "users", "sources"],
    "metrics": ["mark", "subject_name", "metric", "value", "context", "when", "document"],
    "talent": ["mark", "period", "person", "from_org", "to_org", "role", "when", "document"],
    "timeline": ["mark", "when", "type", "subject_name", "certainty", "summary", "document"],
}


#: Table cells longer than this are cut (JSON, CSV and --explain keep everything).
CELL_WIDTH = 48


def _fit(text: str, width: int | None) -> str:
    return text if width is None or len(text) <= width else text[: width - 1] + "…"


def _display_row(row: dict[str, Any], columns: Sequence[str], width: int | None = CELL_WIDTH) -> dict[str, Any]:
    out = {}
    for c in columns:
        if c == "mark":
            out[c] = STATUS_MARK.get(row.get("status", ""), "?") + ("⚠" if row.get("conflict") else "")
        elif c == "first_release" and row.get(c) is None:
            # No source dates a release: a listing or other claims only, or a release they say was delayed.
            withheld = row.get("not_released")
            out[c] = f"not released ({display(withheld)})" if withheld else "release date unknown"
        elif c in row.get("stances", {}):
            out[c] = _fit(hedged(display(row.get(c)), row["stances"][c]), width)  # "$100M (claimed)"
        elif c == "when" and row.get("as_of"):
            out[c] = f"as of {row['as_of']}"  # a state's undated or "by ..." claim: see chronicle.reading
        else:
            out[c] = _fit(display(row.get(c)), width)
    return out


def _section(title: str, name: str, rows: list[dict[str, Any]], fmt: str, explain: bool,
             notes: Mapping[str, Sequence[str]]) -> str:
    columns = SHOWN.get(name, ["mark", "id"])
    heading = f"## {title}\n\n" if fmt == "markdown" else f"{title}\n{'=' * len(title)}\n"
    if not rows:
        return heading + "(none)\n"
    headers = HEADERS if name == "models" else {**HEADERS, "name": "name"}
    body = render_rows([_display_row(r, columns) for r in rows], columns, fmt, headers=headers)
    if explain:
        lines = []
        for r in rows:
            label = r.get("name") or r.get("subject_name") or r["id"]
            for e in r["evidence"]:
                lines.append(f"  {label}: \u201c{e['quote']}\u201d \u2014 {e['document']}")
                lines.extend(f"    {line}" for line in notes.get(e["event"], ()))
        body += ("\n" if fmt == "markdown" else "") + "\n".join(lines) + "\n"
    return heading + body


#: How each kind of correction reads under an answer, and the log command that lists them.
CORRECTED = {
    "retracted": ("retracted", "event_retracted"),
    "superseded": ("corrected", "event_superseded"),
    "deprecated": ("deprecated", "claim_ranked"),
    "outranked": ("outranked by a preferred claim", "claim_ranked"),
}


def corrections_text(entries: Iterable[Mapping[str, Any]]) -> str:
    """The lines under an answer: how many of its claims each kind of correction touched, and where to look."""
    counts: dict[str, int] = {}
    for entry in entries:
        counts[entry["correction"]] = counts.get(entry["correction"], 0) + 1
    lines = []
    for kind, (words, log_type) in CORRECTED.items():
        n = counts.get(kind, 0)
        if n:
            lines.append(f"{n} claim{'s' if n != 1 else ''} {words}; `chronicle log --type {log_type}`\n")
    return "".join(lines)


def as_of_text(answer: dict[str, Any], fmt: str, explain: bool = False,
               notes: Mapping[str, Sequence[str]] | None = None) -> str:
    """The as-of report: Chinese open models first, then the rest, each row marked by status.

    With ``explain``, the quotes behind each row, and under each the lines ``notes`` has for its
    event (how its date is read, the annotator's note: see ``queries.explanations``).
    """
    notes = notes or {}
    basis = answer["basis"]
    head = (f"As of {basis['cutoff']} ({basis['cutoff_text']}), "
            f"known at {basis['known_at'] or 'any time'}, store seq {basis['store_seq']}")
    parts = [("# " if fmt == "markdown" else "") + head + "\n", LEGEND + "\n"]
    for name, proj in answer["projections"].items():
        rows = proj["rows"]
        if name == "models":
            chinese_open = [r for r in rows if r.get("country") == "CN" and r.get("open")]
            others = [r for r in rows if r not in chinese_open]
            parts.append(_section("Chinese open models", name, chinese_open, fmt, explain, notes))
            parts.append(_section("Other models", name, others, fmt, explain, notes))
        else:
            parts.append(_section(proj["title"], name, rows, fmt, explain, notes))
    footer = corrections_text(answer.get("corrections", ()))
    if footer:
        parts.append(footer)
    return printable("\n".join(parts))


def as_of_csv(answer: dict[str, Any], raw_csv: bool = False) -> str:
    """One projection: its own columns; several: long form (projection, id, field, value)."""
    projections = answer["projections"]
    if len(projections) == 1:
        [(name, proj)] = projections.items()
        columns = ["id", "status", "conflict", *proj["columns"], "sources"]
        rows = [{c: display(r.get(c)) if c not in ("id", "status", "conflict", "sources") else r.get(c)
                 for c in columns} for r in proj["rows"]]
        return render_rows(rows, columns, "csv", raw_csv=raw_csv)
    long = [
        {"projection": name, "id": r["id"], "status": r["status"], "field": c, "value": display(r.get(c))}
        for name, proj in projections.items() for r in proj["rows"] for c in proj["columns"]
        if r.get(c) not in (None, "", [])
    ]
    return render_rows(long, ["projection", "id", "status", "field", "value"], "csv", raw_csv=raw_csv)


def diff_text(answer: dict[str, Any], fmt: str, raw_csv: bool = False) -> str:
    basis = answer["basis"]
    a, b = basis["from"], basis["to"]
    if a["cutoff"] == b["cutoff"]:
        head = f"Knowledge at {a['cutoff_text']}: known at {a['known_at']} → known at {b['known_at']}"
    else:
        head = f"From {a['cutoff']} ({a['cutoff_text']}) to {b['cutoff']} ({b['cutoff_text']})"
    rows = [
        {
            "projection": c["projection"], "change": c["change"], "row": c["label"],
            "field": c.get("field", ""),
            "old → new": (f"{hedged(display(c.get('old')), c.get('old_stance', ''))} → "
                          f"{hedged(display(c.get('new')), c.get('new_stance', ''))}") if c["change"] == "changed" else "",
            "documents": ", ".join(c["documents"]),
        }
        for c in answer["changes"]
    ]
    columns = ["projection", "change", "row", "field", "old → new", "documents"]
    if fmt == "csv":
        return render_rows(rows, columns, "csv", raw_csv=raw_csv)
    rows = [{k: _fit(v, CELL_WIDTH * 2 if k == "old → new" else CELL_WIDTH) for k, v in r.items()} for r in rows]
    return printable(head) + "\n" + render_rows(rows, columns, fmt)


def conflicts_text(answer: dict[str, Any], fmt: str, raw_csv: bool = False) -> str:
    rows = [
        {"subject": c["subject"], "fact": c["fact"], "value": claim["display"], "when": claim["when"],
         "document": claim["document"], "quote": claim["quote"],
         "rank": claim["rank"] + (" (settled)" if c["settled"] else "")}
        for c in answer["conflicts"] for claim in c["claims"]
    ]
    if fmt != "csv":
        rows = [{k: _fit(str(v), CELL_WIDTH + 12) for k, v in r.items()} for r in rows]
    return render_rows(rows, ["subject", "fact", "value", "when", "document", "rank", "quote"], fmt, raw_csv=raw_csv)


def talent_text(answer: dict[str, Any], fmt: str, raw_csv: bool = False) -> str:
    rows = [r | {"period": p["period"]} for p in answer["periods"] for r in p["rows"]]
    columns = SHOWN["talent"]
    return render_rows([_display_row(r, columns) for r in rows], columns, fmt, headers=HEADERS, raw_csv=raw_csv)
