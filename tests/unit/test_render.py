from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from chronicle.render import csv_cell, dumps, printable, render_rows

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


# -- hostile text ----------------------------------------------------------------------------------

ESC, BEL, ST = "\x1b", "\x07", "\x1b\\"
SEQUENCES = {
    "window title (OSC 0, BEL)": f"{ESC}]0;pwned{BEL}",
    "clipboard write (OSC 52, ST)": f"{ESC}]52;c;Y2FsYw=={ST}",
    "hyperlink (OSC 8)": f"{ESC}]8;;https://evil.example/{ST}",
    "DCS": f"{ESC}P1$r0m{ST}",
    "SOS": f"{ESC}Xhidden{ST}",
    "PM": f"{ESC}^hidden{ST}",
    "APC": f"{ESC}_hidden{ST}",
    "CSI colour": f"{ESC}[31;1m",
    "CSI cursor": f"{ESC}[2J{ESC}[H",
    "8-bit CSI": "\x9b31m",
    "8-bit OSC and ST": "\x9d0;pwned\x9c",
    "8-bit DCS": "\x90q\x9c",
    "8-bit SOS, PM, APC": "\x98a\x9c\x9eb\x9c\x9fc\x9c",
    "reset (ESC c)": f"{ESC}c",
    "charset (ESC ( 0)": f"{ESC}(0",
    "C0": "\x00\x01\x07\x08\x0b\x0c\r\x1f",
    "DEL and C1": "\x7f\x80\x85\x8d\x9a",
}


@pytest.mark.parametrize("sequence", list(SEQUENCES.values()), ids=list(SEQUENCES))
def test_printable_strips_every_escape_sequence_and_control(sequence: str) -> None:
    assert printable(f"before {sequence}after") == "before after"


def test_printable_keeps_newline_tab_and_text() -> None:
    text = "DeepSeek-R1 \u201creleased\u201d\tin\nJanuary \u2014 \u6df1\u5ea6\u6c42\u7d22 \U0001f600"
    assert printable(text) == text
    # an unterminated string swallows its line at most, never the lines after it
    assert printable(f"{ESC}]0;never ends\nnext line") == "\nnext line"
    # ESC and the byte after it are one sequence, as a terminal reads them; a last ESC goes alone
    assert printable(f"a{ESC}bc{ESC}") == "ac"


@pytest.mark.parametrize("value, shown", [
    ("=HYPERLINK(\"http://evil\",\"x\")", "'=HYPERLINK(\"http://evil\",\"x\")"),
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    ("+1+1", "'+1+1"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("-", "'-"),
    (f"{ESC}[0m=1+1", "'=1+1"),  # stripped first, then neutralised
    ("\r=1+1", "'=1+1"),
    # a cell that is wholly a number stays a number
    ("-3.5", "-3.5"), (-3.5, "-3.5"), ("+1e6", "+1e6"), ("-17%", "-17%"), ("-.5", "-.5"), ("-0", "-0"),
    ("plain", "plain"), ("a=b", "a=b"), ("2025-01-20", "2025-01-20"),
])
def test_csv_cells_never_start_a_formula(value: object, shown: str) -> None:
    assert csv_cell(value) == shown


def test_raw_csv_cells_are_exact() -> None:
    for value in ("=cmd|' /C calc'!A0", f"{ESC}]0;t{BEL}x", "-3.5", "\x9bq"):
        assert csv_cell(value, raw=True) == value
    rows = [{"name": "=1+1", "n": -3.5, "q": f"{ESC}[31mred"}]
    assert render_rows(rows, ["name", "n", "q"], "csv") == "name,n,q\n'=1+1,-3.5,red\n"
    assert render_rows(rows, ["name", "n", "q"], "csv", raw_csv=True) == f"name,n,q\n=1+1,-3.5,{ESC}[31mred\n"


def test_a_raw_carriage_return_stays_inside_its_cell() -> None:
    rows = [{"a": "x\ry", "b": "z"}, {"a": "plain", "b": 1}]
    text = render_rows(rows, ["a", "b"], "csv", raw_csv=True)
    assert text == 'a,b\n"x\ry","z"\nplain,1\n'
    assert list(csv.reader(io.StringIO(text, newline=""))) == [["a", "b"], ["x\ry", "z"], ["plain", "1"]]


def test_tables_and_markdown_are_printable_with_their_widths_right() -> None:
    rows = [{"title": f"{ESC}]0;pwned{BEL}Title\x9b2J", "n": 1}]
    assert render_rows(rows, ["title", "n"], "table") == "title    n\n-------  ---\nTitle    1\n"
    assert render_rows(rows, ["title", "n"], "markdown").splitlines()[2] == "| Title   | 1   |"


def test_json_escapes_every_control_and_keeps_the_value() -> None:
    value = f"{ESC}]52;c;x{BEL}\x9b31m\x7f\x85\u2028ok"
    for text in (dumps({"v": value}), dumps({"v": value}, indent=None), render_rows([{"v": value}], ["v"], "ndjson")):
        assert not any("\x00" <= c <= "\x1f" or "\x7f" <= c <= "\x9f" for c in text.replace("\n", ""))
        assert json.loads(text)["v"] == value
