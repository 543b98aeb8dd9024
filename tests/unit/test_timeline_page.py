"""The timeline page: one mark per event with its interval, nothing fetched, hostile text inert."""

from __future__ import annotations

import json
import re
from datetime import date
from html.parser import HTMLParser
from typing import Any

from builders import doc, event

from chronicle.conflicts import find_conflicts
from chronicle.events import Entity
from chronicle.events import web_url as safe_url
from chronicle.page import timeline_html
from chronicle.page.layout import Placed, pack
from chronicle.projections import Basis, Context, State
from chronicle.projections.series import Timeline

HOSTILE_TITLE = "<script>alert(1)</script>"
HOSTILE_QUOTE = '"><img src=x onerror=alert(2)>'
ENTITIES = {
    "deepseek": Entity("deepseek", "org", "DeepSeek", country="CN"),
    "deepseek-r1": Entity("deepseek-r1", "model", "DeepSeek-R1", org="deepseek"),
    "china": Entity("china", "country", "China"),
}
DOCS = {
    "doc-a": doc("doc-a", title=HOSTILE_TITLE),
    "doc-b": doc("doc-b", published="2025-12-15", url="javascript:alert(3)"),
}
EVENTS = [
    event("day", when="2025-01-20", quote=HOSTILE_QUOTE),
    event("month", document="doc-b", when="2025-03"),  # a release date the other source contradicts
    event("third", subject="deepseek", type="funding", when="2025-38"),
    event("bound", subject="china", type="other", when="../2024-09"),
    event("context", subject="china", type="usage_share", when="../2026-01-21", facts={
        "share": {"value": 30, "unit": "percent", "op": "~"}}),
    event("forecast", subject="deepseek", type="infrastructure", when="2026", certainty="forecast"),
    event("since", subject="deepseek", type="other", when="2025-03/.."),
]


def answer(cutoff: date = date(2026, 6, 30)) -> dict[str, Any]:
    """What queries.timeline returns, built from events in memory."""
    ctx = Context(ENTITIES, DOCS)
    basis = Basis(cutoff, cutoff.isoformat(), None, len(EVENTS))
    for i, e in enumerate(EVENTS, 1):
        object.__setattr__(e, "seq", i)
    state = State(Timeline())
    state.apply(EVENTS, ctx)
    conflicts = [c.to_dict() for c in find_conflicts(EVENTS, {}) if not c.settled]
    in_conflict = {c["event"] for conflict in conflicts for c in conflict["claims"]}
    rows = state.rows(basis, ctx)
    for row in rows:
        entity = ENTITIES[row["subject"]]
        row["org"] = entity.slug if entity.kind == "org" else entity.org
        row["org_name"] = ctx.name_of(row["org"]) if row["org"] else None
        row["conflict"] = row["id"] in in_conflict
    return {"schema": "chronicle.timeline/1", "basis": basis.to_dict({"timeline": 1}) | {"projection": "timeline"},
            "rows": rows, "documents": {k: d.to_dict() for k, d in DOCS.items()}, "conflicts": conflicts,
            "names": {c["subject"]: ctx.name_of(c["subject"]) for c in conflicts}}


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text outside scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def parsed(page: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = Elements()
    parser.feed(page)
    return parser.tags


def test_one_element_per_event_with_its_interval() -> None:
    data = answer()
    marks = [a for _, a in parsed(timeline_html(data)) if "data-event" in a]
    assert sorted(a["data-event"] or "" for a in marks) == sorted(r["id"] for r in data["rows"])
    assert len(marks) == len(EVENTS)
    by_id = {a["data-event"]: a for a in marks}
    for row in data["rows"]:
        mark = by_id[row["id"]]
        assert (mark["data-earliest"], mark["data-latest"]) == (row["earliest"] or "..", row["latest"] or "..")
        assert (mark["data-precision"], mark["data-status"], mark["data-type"]) == (
            row["precision"], row["status"], row["type"])


def test_vagueness_is_drawn_as_spans_points_and_open_bounds() -> None:
    page = timeline_html(answer())
    day = re.search(r'<g [^>]*data-event="doc-a:day"[^>]*>.*?</g>', page, re.S)
    month = re.search(r'<g [^>]*data-event="doc-b:month"[^>]*>.*?</g>', page, re.S)
    bound = re.search(r'<g [^>]*data-event="doc-a:bound"[^>]*>.*?</g>', page, re.S)
    forecast = re.search(r'<g class="([^"]*)"[^>]*data-event="doc-a:forecast"', page)
    assert day and "<circle" in day.group(0) and "<rect" not in day.group(0)
    assert month and '<rect class="shape"' in month.group(0)
    assert bound and 'mask="url(#fade-in)"' in bound.group(0) and 'class="arrow"' in bound.group(0)
    assert forecast and {"c-forecast", "s-expected"} <= set(forecast.group(1).split())
    assert 'class="cutoff"' in page


def test_possibly_happened_at_the_cutoff_is_hatched() -> None:
    page = timeline_html(answer(date(2025, 6, 30)))  # mid-2025 (May-August) straddles the cutoff
    third = re.search(r'<g [^>]*data-event="doc-a:third"[^>]*>.*?</g>', page, re.S)
    assert third and 'data-status="possibly"' in third.group(0) and 'class="hatch"' in third.group(0)


def test_conflicts_are_marked_with_both_sources() -> None:
    data = answer()
    page = timeline_html(data)
    assert [c["fact"] for c in data["conflicts"]] == ["release date"]
    for event_id in ("doc-a:day", "doc-b:month"):
        assert re.search(rf'<g class="[^"]*\bconflict\b[^"]*" data-event="{event_id}"', page)
    table = page.split('<table class="conflicts">', 1)[1].split("</table>", 1)[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in table and "Title of doc-b" in table


def test_no_external_reference_but_source_links() -> None:
    tags = parsed(timeline_html(answer()))
    assert not [a for _, a in tags if a.get("src")]
    hrefs = {a["href"] for _, a in tags if a.get("href")}
    assert hrefs == {"https://example.org/doc-a"}  # doc-b's javascript: url is shown without a link
    assert not [t for t, a in tags if t in ("link", "iframe", "object", "embed", "img")]


def test_hostile_text_is_escaped_everywhere() -> None:
    page = timeline_html(answer())
    assert HOSTILE_TITLE not in page
    assert "<img" not in page and HOSTILE_QUOTE not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;" in page
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", page, re.S)
    assert len(scripts) == 2  # the data block and our own script, nothing injected
    blob = scripts[0]
    assert "<" not in blob and ">" not in blob
    data = json.loads(blob)
    assert data["documents"]["doc-a"]["title"] == HOSTILE_TITLE
    assert data["events"]["doc-a:day"]["quote"] == HOSTILE_QUOTE
    assert data["documents"]["doc-b"]["url"] is None


def test_the_same_answer_gives_the_same_bytes() -> None:
    assert timeline_html(answer()) == timeline_html(answer())
    assert timeline_html(answer(), lanes_by="type") == timeline_html(answer(), lanes_by="type")


def test_lanes_by_org_and_by_type() -> None:
    by_org = [a["data-lane"] for _, a in parsed(timeline_html(answer())) if "data-lane" in a]
    assert by_org == ["deepseek", "other"]  # the busiest first, "other" last
    by_type = {a["data-lane"] for _, a in parsed(timeline_html(answer(), lanes_by="type")) if "data-lane" in a}
    assert by_type == {e.type for e in EVENTS}


def test_packing_keeps_labels_from_overlapping() -> None:
    def placed(x0: float, x1: float, label: str, id_: str) -> Placed:
        return Placed({"id": id_}, x0, x1, False, False, False, label, x1 + 5, "start")

    events = [placed(0, 10, "a" * 20, "a"), placed(50, 60, "b", "b"), placed(200, 210, "c", "c")]
    assert pack(events) == 2
    assert [e.sub for e in events] == [0, 1, 0]
    rows: dict[int, list[tuple[float, float]]] = {}
    for e in events:
        rows.setdefault(e.sub, []).append(e.extent)
    for extents in rows.values():
        extents.sort()
        assert all(a[1] <= b[0] for a, b in zip(extents, extents[1:]))


def test_only_http_links() -> None:
    assert safe_url("https://example.org/x") == "https://example.org/x"
    assert safe_url("http://example.org") == "http://example.org"
    for bad in ("javascript:alert(1)", "data:text/html,x", "//example.org", "/local", "", None, "ftp://x.org/f"):
        assert safe_url(bad) is None


def test_web_urls_are_absolute_http_without_space_or_control() -> None:
    assert safe_url(" HTTPS://example.org/a?b=c#d ") == "HTTPS://example.org/a?b=c#d"
    for bad in ("java\tscript:alert(1)", " javascript:alert(1)", "JavaScript:alert(1)", "https://exa mple.org/",
                "https://example.org/\x1b]0;x\x07", "https://example.org/\x9b", "http://[::1", "https://",
                "mailto:a@example.org", "vbscript:x"):
        assert safe_url(bad) is None, bad


def test_an_empty_answer_is_still_a_page() -> None:
    data = answer() | {"rows": [], "conflicts": [], "documents": {}}
    page = timeline_html(data)
    assert "0 events in 0 lanes" in page and 'data-event="' not in page
