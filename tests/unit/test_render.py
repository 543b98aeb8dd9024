from __future__ import annotations

from datetime import date

from chronicle.render import dumps, render_rows

ROWS = [
    {"id": "b", "when": date(2025, 1, 20), "n": 3.0, "tags": ["x", "y"], "extra": {"z": 1, "a": 2}},
    {"id": "a", "when": None, "n": 0.5, "tags": [], "extra": None},
]


def test_json_is_sorted_and_iso() -> None:
    assert dumps({"b": date(2025, 1, 2), "a": [1]}) == '{\n  "a": [\n    1\n  ],\n  "b": "2025-01-02"\n}'


def test_csv_prints_selected_columns_in_order() -> None:
    assert render_rows(ROWS, ["id", "when", "n", "tags"], "csv") == (
        "id,when,n,tags\nb,2025-01-20,3,\"x, y\"\na,,0.5,\n"
    )


def test_ndjson_prints_whole_rows_one_per_line() -> None:
    out = render_rows(ROWS, ["id"], "ndjson").splitlines()
    assert out[0] == '{"extra":{"a":2,"z":1},"id":"b","n":3.0,"tags":["x","y"],"when":"2025-01-20"}'
    assert len(out) == 2


def test_markdown_and_table() -> None:
    md = render_rows(ROWS, ["id", "n"], "markdown")
    assert md.splitlines()[0] == "| id   | n   |"
    assert render_rows([], ["id"], "table") == "(no rows)\n"
