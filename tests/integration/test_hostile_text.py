"""Hostile text through ingest and every command that shows it.

Titles, publishers, quotes, entity names, aliases and text facts come from
events files, so they may carry what a terminal acts on (OSC window titles,
clipboard writes and hyperlinks, DCS, CSI in its 7-bit and 8-bit forms, any
control character) or what a spreadsheet runs (a cell starting =, +, -, @).
Whatever they carry: people's formats (tables, Markdown, plain lines, the
HTML page, errors) show no control character but newline and tab; no CSV
cell starts a formula unless --raw-csv asks for the stored text; JSON gives
back every string exactly; and only http(s) addresses ever become links.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import figures
from builders import doc, event
from chronicle import database
from chronicle.cli import main
from chronicle.export import timelinejs
from chronicle.page import timeline_html
from chronicle.queries import timeline
from chronicle.store import Store
from epoch_support import HEADER, R1, snapshot

SCALE = 10 if os.environ.get("CHRONICLE_SLOW") == "1" else 1
ESC, BEL, ST = "\x1b", "\x07", "\x1b\\"
#: What the probe sent, and more of the same kind.
PIECES = [
    f"{ESC}]0;pwned{BEL}", f"{ESC}]52;c;Y2FsYw=={BEL}", f"{ESC}]8;;https://evil.example/{ST}link{ESC}]8;;{ST}",
    f"{ESC}P1$r0m{ST}", f"{ESC}_apc{ST}", f"{ESC}^pm{ST}", f"{ESC}Xsos{ST}", f"{ESC}[2J{ESC}[H", f"{ESC}[31;1m",
    f"{ESC}c", f"{ESC}(0", "\x9b31m", "\x9d0;pwned\x9c", "\x90q\x9c", "\x98a\x9c", "\x9eb\x9c", "\x9fc\x9c",
    "=HYPERLINK(\"http://evil.example\",\"x\")", "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "-3.5",
    "\t", "\r", "\r\n", "\u202e", "\u2066", "DeepSeek", "模型", " ",
]
#: Every C0 and C1 control, DEL, and the characters that start a formula.
ALPHABET = [chr(c) for c in (*range(0x01, 0x20), *range(0x7f, 0xa0))] + list("=+-@ aZ9;[]")
SAFE_URL = "https://example.org/hostile"
#: Only newline and tab may reach a person; C1 and DEL never, even JSON-encoded.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?%?")
HREF = re.compile(r"""href=\\?["']([^"'\\]*)""")


@dataclass(frozen=True)
class Texts:
    """One hostile string for every field a person reads."""

    title: str
    publisher: str
    model: str
    alias: str
    org: str
    person: str
    quote: str
    other_quote: str
    license: str
    role: str
    platform: str


def _strings(alphabet: list[str]) -> st.SearchStrategy[str]:
    piece = st.one_of(st.sampled_from(PIECES), st.text(alphabet=alphabet, min_size=1, max_size=4))
    return st.lists(piece, min_size=1, max_size=5).map("".join).filter(
        lambda s: bool(s.strip()) and len(s.split()) <= 20)


hostile_texts = st.builds(Texts, *[_strings(ALPHABET)] * 11)

# -- the corpus --------------------------------------------------------------------------------------


def _write_yaml(path: Path, data: dict[str, Any]) -> bool:
    """Whether YAML carries ``data`` exactly (allow_unicode=False: PyYAML then writes every
    control and non-ASCII character escaped, and reads each back as it was)."""
    text = yaml.safe_dump(data, allow_unicode=False, sort_keys=False, width=1 << 16)
    path.write_text(text, encoding="ascii")
    return bool(yaml.safe_load(text) == data)


def write_corpus(folder: Path, t: Texts) -> Path | None:
    """An entities file and two documents whose every person-read field is hostile (None if YAML cannot say it)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = _write_yaml(folder / "entities.yaml", {"entities": [
        {"slug": "lab", "kind": "org", "name": t.org, "aliases": [t.alias], "country": "CN"},
        {"slug": "lab-two", "kind": "org", "name": "Lab Two", "country": "CN"},
        {"slug": "m1", "kind": "model", "name": t.model, "aliases": [t.alias], "org": "lab"},
        {"slug": "p1", "kind": "person", "name": t.person},
    ]})
    written &= _write_yaml(folder / "hostile.yaml", {
        "document": {"id": "hostile", "title": t.title, "publisher": t.publisher, "url": SAFE_URL,
                     "published": "2026-01-21", "kind": "news"},
        "events": [
            {"id": "release", "type": "model_release", "subject": "m1", "entities": ["lab"],
             "when": {"text": "March 2025", "edtf": "2025-03"},
             "facts": {"openness": "open-weight", "license": t.license}, "quote": t.quote},
            {"id": "move", "type": "talent_move", "subject": "p1", "when": {"text": "May 2025", "edtf": "2025-05"},
             "facts": {"person": "p1", "from_org": "lab", "to_org": "lab-two", "role": t.role}, "quote": t.quote},
            {"id": "downloads", "type": "downloads", "subject": "m1", "when": {"text": "June 2025", "edtf": "2025-06"},
             "facts": {"downloads": {"value": 1000, "unit": "count", "op": "="}, "platform": t.platform},
             "quote": t.quote},
        ],
    })
    # A second source that disagrees on the licence and the downloads: conflicts quote both.
    written &= _write_yaml(folder / "rival.yaml", {
        "document": {"id": "rival", "title": "A rival source", "publisher": t.publisher, "url": None,
                     "published": "2026-01-22", "kind": "news"},
        "events": [
            {"id": "licence", "type": "license", "subject": "m1", "when": {"text": "March 2025", "edtf": "2025-03"},
             "facts": {"license": "MIT"}, "quote": t.other_quote},
            {"id": "downloads", "type": "downloads", "subject": "m1", "when": {"text": "June 2025", "edtf": "2025-06"},
             "facts": {"downloads": {"value": 2000, "unit": "count", "op": "="}, "platform": t.platform},
             "quote": t.other_quote},
        ],
    })
    return folder if written else None


# -- what may reach whom -------------------------------------------------------------------------------


def human(text: str, what: str) -> None:
    """A person's output: no control character but newline and tab."""
    found = CONTROL.search(text)
    assert found is None, f"{what}: raw {found.group()!r} in {text!r}"


def csv_cells(text: str, what: str) -> list[list[str]]:
    """A CSV whose cells start no formula and hold no control character but newline and tab."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    for row in rows:
        for value in row:
            human(value, what)
            assert not value.startswith(FORMULA_START) or NUMBER.fullmatch(value), f"{what}: formula cell {value!r}"
    return rows


def hrefs_are_web(text: str, what: str) -> None:
    for link in HREF.findall(text):
        assert link.startswith(("https://", "http://")), f"{what}: link {link!r}"


class Chronicle:
    """The CLI on one store; every call is checked for tracebacks."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.runner = CliRunner()
        self.calls = 0

    def __call__(self, *args: str, code: int | tuple[int, ...] = 0) -> Result:
        result = self.runner.invoke(main, ["--db", self.url, *args])
        self.calls += 1
        assert result.exit_code in ((code,) if isinstance(code, int) else code), (args, result.output,
                                                                                 result.exception)
        assert "Traceback" not in result.output
        return result


HUMAN = [
    ("show", "hostile:release"), ("show", "hostile:move"), ("log",), ("sources",), ("sources", "--counts"),
    ("entities",), ("as-of", "2026", "--explain"), ("as-of", "2026", "--projection", "models", "--explain"),
    ("diff", "2024", "2026"), ("talent",), ("conflicts", "--all", "--as-of", "2026"), ("when", "March 2025"),
]
PROJECTIONS = [("export", "projection", name, "--as-of", "2026")
               for name in ("models", "orgs", "metrics", "talent", "timeline")]
CSV = [
    ("log",), ("sources",), ("entities",), ("as-of", "2026"), ("as-of", "2026", "--projection", "models"),
    ("as-of", "2026", "--projection", "talent"), ("diff", "2024", "2026"), ("talent",),
    ("conflicts", "--all", "--as-of", "2026"), ("export", "events"), *PROJECTIONS,
]
JSON = [
    ("show", "hostile:release"), ("log",), ("sources",), ("entities",), ("as-of", "2026"), ("diff", "2024", "2026"),
    ("talent",), ("conflicts", "--all", "--as-of", "2026"), *PROJECTIONS,
]


def check_every_output(run: Chronicle, t: Texts) -> None:
    """Every command, every format: what a person sees, what a spreadsheet reads, what a program gets."""
    for args in HUMAN:
        formats = ("table", "markdown") if args[0] not in ("show", "when", "log") else ("table",)
        for fmt in formats:
            result = run(*args, "--format", fmt)
            human(result.output, f"{' '.join(args)} --format {fmt}")
    for args in CSV:
        result = run(*args, "--format", "csv")
        csv_cells(result.stdout, f"{' '.join(args)} --format csv")
    page = run("timeline").stdout
    human(page, "timeline")
    hrefs_are_web(page, "timeline")
    for slide in _json(run("export", "timelinejs").stdout)["events"]:
        hrefs_are_web(slide["text"]["text"], "export timelinejs")
    errors = [("show", "hostile:" + t.quote[:20]), ("as-of", t.quote), ("when", t.quote), ("log", "--since", t.role),
              ("diff", "2025", "2026", t.title)]
    for args in errors:
        human(run(*args, code=(1, 2)).output, f"{args[0]} error")

    # JSON, NDJSON and raw CSV give the stored text back exactly, and JSON has no raw control either.
    for args in JSON:
        _json(run(*args, "--format", "json").stdout)
    for line in run("log", "--format", "ndjson").stdout.splitlines():
        _json(line)
    shown = _json(run("show", "hostile:release", "--format", "json").stdout)
    assert (shown["document"]["title"], shown["document"]["publisher"]) == (t.title.strip(), t.publisher)
    assert (shown["event"]["quote"], shown["event"]["facts"]["license"]) == (t.quote, t.license)
    names = {e["slug"]: e for e in _json(run("entities", "--format", "json").stdout)["entities"]}
    assert (names["m1"]["name"], names["m1"]["aliases"], names["lab"]["name"]) == (t.model.strip(), [t.alias],
                                                                                   t.org.strip())
    lines = [_json(line) for line in run("export", "events").stdout.splitlines()]
    assert {e["quote"] for e in lines} == {t.quote, t.other_quote}
    assert [e["facts"]["role"] for e in lines if e["type"] == "talent_move"] == [t.role]
    talent = _json(run("export", "projection", "talent", "--as-of", "2026").stdout)
    assert [r.get("role") for r in talent["rows"]] == [t.role]
    quotes = {c["quote"] for k in _json(run("conflicts", "--all", "--as-of", "2026", "--format", "json").stdout)
              ["conflicts"] for c in k["claims"]}
    assert quotes == {t.quote, t.other_quote}
    # (the bytes: Result.stdout turns CRLF into LF)
    raw = run("entities", "--format", "csv", "--raw-csv").stdout_bytes.decode()
    assert [t.model.strip(), t.alias] in [[r[2], r[6]] for r in csv.reader(io.StringIO(raw, newline=""))]
    raw = run("export", "events", "--format", "csv", "--raw-csv").stdout_bytes.decode()
    assert {r["quote"] for r in csv.DictReader(io.StringIO(raw, newline=""))} == {t.quote, t.other_quote}


def _json(text: str) -> Any:
    human(text.replace("\n", ""), "JSON")
    return json.loads(text)


# -- the fuzz ------------------------------------------------------------------------------------------


@pytest.fixture
def fresh_store(tmp_path: Path, sqlite_template: Path) -> Callable[[], tuple[str, Path]]:
    """For each example a new migrated SQLite store (copied from the template) and a folder of its own."""
    made = iter(range(1 << 30))

    def new() -> tuple[str, Path]:
        n = next(made)
        db = tmp_path / f"store-{n}.db"
        shutil.copy(sqlite_template, db)
        return database.resolve_url(str(db)), tmp_path / f"corpus-{n}"

    return new


@settings(max_examples=20 * SCALE, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(texts=hostile_texts)
def test_hostile_text_reaches_no_terminal_spreadsheet_or_link(fresh_store: Callable[[], tuple[str, Path]],
                                                               texts: Texts) -> None:
    url, place = fresh_store()
    folder = write_corpus(place, texts)
    assume(folder is not None)
    run = Chronicle(url)
    ingested = run("ingest", str(folder))
    human(ingested.output, "ingest")
    check_every_output(run, texts)
    figures.add("fuzz examples: hostile text through every command (sqlite)")
    figures.add("fuzz: command runs on hostile text (sqlite)", run.calls)


# -- the probe's findings, one by one, on each backend ---------------------------------------------------

PROBE = Texts(
    title=f"{ESC}]0;pwned{BEL}Window title", publisher=f"{ESC}]52;c;Y2FsYw=={BEL}Clipboard",
    model=f"{ESC}]8;;https://evil.example/{ST}Linked{ESC}]8;;{ST}", alias="\x9b2J\x9b31mred",
    org=f"{ESC}P1$r0m{ST}Lab", person="=HYPERLINK(\"http://evil.example\",\"click\")",
    quote="=cmd|' /C calc'!A0 quoted", other_quote="@SUM(A1) and more", license="+1+1 licence",
    role="-2+3 role", platform="\x9d0;pwned\x9cplatform\tend",
)


@pytest.fixture
def probed(store_url: str, tmp_path: Path) -> Iterator[Chronicle]:
    run = Chronicle(store_url)
    folder = write_corpus(tmp_path / "corpus", PROBE)
    assert folder is not None
    run("ingest", str(folder))
    yield run


def test_the_probe_strings_pass_every_check(probed: Chronicle) -> None:
    check_every_output(probed, PROBE)
    figures.add(f"hostile text: command runs on the probe's strings ({figures.backend_of(probed.url)})",
                probed.calls)


def test_show_sources_entities_strip_escape_sequences(probed: Chronicle) -> None:
    lines = probed("show", "hostile:release").stdout.splitlines()
    at = lines[0].index("value")
    shown = {line[:at].strip(): line[at:] for line in lines[2:]}
    assert (shown["title"], shown["publisher"], shown["quote"]) == ("Window title", "Clipboard", PROBE.quote)
    assert "Lab" in probed("entities", "--format", "markdown").stdout
    table = probed("sources").stdout
    assert table.splitlines()[2].endswith("Window title")
    names = [r[2] for r in csv.reader(io.StringIO(probed("entities", "--format", "csv").stdout))]
    assert {"Linked", "Lab", "'=HYPERLINK(\"http://evil.example\",\"click\")"} <= set(names)


def test_csv_cells_are_neutralised_and_raw_csv_keeps_them(probed: Chronicle) -> None:
    rows = list(csv.DictReader(io.StringIO(probed("export", "events", "--format", "csv").stdout)))
    assert {r["quote"] for r in rows} == {"'=cmd|' /C calc'!A0 quoted", "'@SUM(A1) and more"}
    raw = list(csv.DictReader(io.StringIO(probed("export", "events", "--format", "csv", "--raw-csv").stdout)))
    assert {r["quote"] for r in raw} == {PROBE.quote, PROBE.other_quote}
    talent = list(csv.DictReader(io.StringIO(probed("export", "projection", "talent", "--as-of", "2026",
                                                    "--format", "csv").stdout)))
    assert [r["role"] for r in talent] == ["'-2+3 role"]


def test_negative_numbers_stay_numbers_in_csv(store: Store) -> None:
    """A cell that is wholly a number (-3.5, -17%) is a value, not a formula: it is left as it is."""
    store.append([event("share", type="usage_share", subject="deepseek",
                        facts={"share": {"value": -17, "unit": "percent", "op": "="}}),
                  event("downloads", type="downloads", facts={"downloads": {"value": -3.5, "unit": "count", "op": "="}}),
                  event("price", type="price", facts={"price": {"value": -2, "unit": "USD/Mtok", "op": "="}})],
                 document=doc())
    run = Chronicle(store.url)
    for args in (("as-of", "2026", "--projection", "metrics"), ("export", "projection", "metrics", "--as-of", "2026")):
        rows = list(csv.DictReader(io.StringIO(run(*args, "--format", "csv").stdout)))
        assert {r["metric"]: r["value"] for r in rows} == {"share": "-17%", "downloads": "-3.5",
                                                          "price": "'-2 USD/Mtok"}, args


def test_errors_quote_hostile_values_printably(probed: Chronicle) -> None:
    result = probed("show", f"{ESC}]0;pwned{BEL}x\x9b2J", code=1)
    assert result.stderr.startswith("Error: ") and CONTROL.search(result.stderr) is None
    extra = probed("sources", f"{ESC}]0;t{BEL}extra", code=2)
    assert "extra" in extra.stderr and CONTROL.search(extra.stderr) is None


def test_a_stored_non_http_url_is_never_a_link(store: Store) -> None:
    """A store written before the validator checked urls may hold any; it is shown as text."""
    store.append([event("a")], document=doc(url="javascript:alert(document.domain)"))
    store.append([event("b", document="doc-b")], document=doc("doc-b"))
    slides = {s["unique_id"]: s["text"]["text"] for s in timelinejs(store)["events"]}
    assert "href" not in slides["doc-a:a"] and "javascript" not in slides["doc-a:a"]
    assert "Title of doc-a" in slides["doc-a:a"]
    assert '<a href="https://example.org/doc-b">Title of doc-b</a>' in slides["doc-b:b"]
    page = timeline_html(timeline(store, "2026"))
    assert "javascript:" not in page
    hrefs_are_web(page, "timeline page")


def test_epoch_links_and_names_are_only_text(store_url: str, tmp_path: Path) -> None:
    """A database row's link is a fact (plain text), never a link; its names are shown printably."""
    hostile = (f"{ESC}]0;pwned{BEL}Model,Language,=cmd|' /C calc'!A0,China,2025-01-21,"
               "javascript:alert(document.domain),,,Open weights (unrestricted),Yes,,,Confident,\n")
    run = Chronicle(store_url)
    run("import", "epoch", str(snapshot(tmp_path, "hostile.csv", R1, hostile, header=HEADER)))
    stored = [_json(line) for line in run("export", "events").stdout.splitlines()]
    assert "javascript:alert(document.domain)" in [e["facts"].get("link") for e in stored]
    human(run("entities").stdout, "entities")
    csv_cells(run("entities", "--format", "csv").stdout, "entities csv")
    csv_cells(run("export", "events", "--format", "csv").stdout, "export events csv")
    human(run("as-of", "2026", "--projection", "models", "--explain").stdout, "as-of")
    page = run("timeline").stdout
    human(page, "timeline")
    hrefs_are_web(page, "timeline")
    assert 'href="javascript' not in page
    slides = json.loads(run("export", "timelinejs").stdout)["events"]
    for slide in slides:
        hrefs_are_web(slide["text"]["text"], "export timelinejs")
    # a later snapshot without the row names it among the rows removed
    later = run("import", "epoch", str(snapshot(tmp_path, "later.csv", R1, header=HEADER)), "--snapshot-date",
                "2025-02-01", "--complete").stdout
    human(later, "import epoch")
    assert "removed 1 of the 2 rows stored: Model\n" in later
