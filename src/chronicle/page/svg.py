"""The timeline drawn as SVG: axis, lanes, one group per event, the cutoff line, and the legend.

Every piece of text from events or documents goes through ``esc``; the only
references inside the SVG are to its own gradients and patterns (``url(#...)``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from html import escape
from typing import Any

from chronicle.page.layout import (
    AXIS_HEIGHT,
    LANE_PAD,
    PLOT_LEFT,
    PLOT_RIGHT,
    ROW_HEIGHT,
    Lane,
    Placed,
    Scale,
    Tick,
)
from chronicle.render import printable

WIDTH = PLOT_RIGHT + 40
BAR = 9


def esc(value: Any) -> str:
    """Text for the page: HTML-escaped, and ``printable`` (the page may be printed to a terminal)."""
    return escape(printable("" if value is None else str(value)), quote=True)


DEFS = """<defs>
<linearGradient id="ramp-up" x1="0" x2="1" y1="0" y2="0"><stop offset="0" stop-color="#fff" stop-opacity="0.05"/><stop offset="1" stop-color="#fff" stop-opacity="1"/></linearGradient>
<linearGradient id="ramp-down" x1="0" x2="1" y1="0" y2="0"><stop offset="0" stop-color="#fff" stop-opacity="1"/><stop offset="1" stop-color="#fff" stop-opacity="0.05"/></linearGradient>
<mask id="fade-in" maskContentUnits="objectBoundingBox"><rect width="1" height="1" fill="url(#ramp-up)"/></mask>
<mask id="fade-out" maskContentUnits="objectBoundingBox"><rect width="1" height="1" fill="url(#ramp-down)"/></mask>
<pattern id="hatch" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="5" height="5" fill="#fff" fill-opacity="0.15"/><line x1="0" y1="0" x2="0" y2="5" stroke="#fff" stroke-width="2.4"/></pattern>
</defs>"""


def _axis(ticks: Sequence[Tick], height: float) -> list[str]:
    out = ['<g class="axis">']
    for t in ticks:
        if t.kind == "year":
            out.append(f'<line class="grid-year" x1="{t.x}" x2="{t.x}" y1="14" y2="{height}"/>')
            out.append(f'<text class="year" x="{t.x + 3}" y="14">{esc(t.label)}</text>')
            # again at the foot: a tall chart is read far below its head
            out.append(f'<text class="year" x="{t.x + 3}" y="{height + 4}">{esc(t.label)}</text>')
        elif t.kind == "quarter":
            out.append(f'<line class="grid-quarter" x1="{t.x}" x2="{t.x}" y1="22" y2="{height}"/>')
            if t.label:
                out.append(f'<text class="quarter" x="{t.x + 2}" y="30">{esc(t.label)}</text>')
        else:
            out.append(f'<line class="tick-month" x1="{t.x}" x2="{t.x}" y1="{AXIS_HEIGHT - 8}" y2="{AXIS_HEIGHT - 2}"/>')
            if t.label:
                out.append(f'<text class="month" x="{t.x + 1}" y="{AXIS_HEIGHT - 10}">{esc(t.label)}</text>')
    out.append(f'<line class="axis-line" x1="{PLOT_LEFT}" x2="{PLOT_RIGHT}" y1="{AXIS_HEIGHT - 2}" y2="{AXIS_HEIGHT - 2}"/>')
    out.append("</g>")
    return out


def _title(p: Placed, docs: Mapping[str, Mapping[str, Any]]) -> str:
    """The native tooltip: what the event is, without any script."""
    r = p.row
    doc = docs.get(r["document"], {})
    lines = [f"{r.get('subject_name') or r['subject']} — {r['type']} ({r['status']}, {r['certainty']})",
             f"dated by: “{r.get('when_text') or ''}” = {r.get('when') or ''}"]
    lines += [f"“{e['quote']}”" for e in r.get("evidence", ())]
    lines.append(f"source: {doc.get('title') or r['document']}")
    if r.get("conflict"):
        lines.append("sources disagree on this claim")
    return esc("\n".join(lines))


def mark(p: Placed, y: float, docs: Mapping[str, Mapping[str, Any]]) -> str:
    """One event: a point or a span styled by precision, status, certainty and conflict."""
    r = p.row
    classes = ["ev", f"p-{r['precision']}", f"s-{r['status']}", f"c-{r['certainty']}"]
    if r.get("conflict"):
        classes.append("conflict")
    mid = y + ROW_HEIGHT / 2
    attrs = (f'class="{esc(" ".join(classes))}" data-event="{esc(r["id"])}" '
             f'data-earliest="{esc(r.get("earliest") or "..")}" data-latest="{esc(r.get("latest") or "..")}" '
             f'data-precision="{esc(r["precision"])}" data-status="{esc(r["status"])}" data-type="{esc(r["type"])}" '
             f'tabindex="0"')
    parts = [f"<g {attrs}><title>{_title(p, docs)}</title>"]
    if p.point:
        parts.append(f'<circle class="shape" cx="{p.x0}" cy="{mid}" r="4.5"/>')
    else:
        x, w = p.x0, max(p.x1 - p.x0, 2.0)
        fill = ' mask="url(#fade-in)"' if p.open_start else ' mask="url(#fade-out)"' if p.open_end else ""
        parts.append(f'<rect class="shape" x="{x}" y="{mid - BAR / 2}" width="{round(w, 1)}" height="{BAR}" rx="2"{fill}/>')
        if r["status"] == "possibly":
            parts.append(f'<rect class="hatch" x="{x}" y="{mid - BAR / 2}" width="{round(w, 1)}" height="{BAR}" rx="2"/>')
        if p.open_start:
            parts.append(f'<path class="arrow" d="M{x + 7} {mid - 5} L{x} {mid} L{x + 7} {mid + 5}"/>')
            parts.append(f'<line class="bound-end" x1="{p.x1}" x2="{p.x1}" y1="{mid - 6}" y2="{mid + 6}"/>')
        if p.open_end:
            parts.append(f'<path class="arrow" d="M{p.x1 - 7} {mid - 5} L{p.x1} {mid} L{p.x1 - 7} {mid + 5}"/>')
            parts.append(f'<line class="bound-end" x1="{x}" x2="{x}" y1="{mid - 6}" y2="{mid + 6}"/>')
    if r.get("conflict"):
        cx = p.x1 if p.label_anchor == "start" else p.x0
        cx += 0 if p.point else (3 if p.label_anchor == "start" else -3)
        parts.append(f'<path class="conflict-mark" d="M{cx} {mid - 6} L{cx + 4} {mid} L{cx} {mid + 6} L{cx - 4} {mid} Z"/>')
    parts.append(f'<text class="label" x="{p.label_x + (4 if r.get("conflict") and p.label_anchor == "start" else 0)}" '
                 f'y="{mid + 4}" text-anchor="{p.label_anchor}">{esc(p.label)}</text></g>')
    return "".join(parts)


def chart(lanes: Sequence[Lane], ticks: Sequence[Tick], scale: Scale, cutoff: date,
          docs: Mapping[str, Mapping[str, Any]]) -> str:
    height = (lanes[-1].y + lanes[-1].height if lanes else AXIS_HEIGHT) + 22
    out = [f'<svg id="timeline" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
           f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="timeline">', DEFS]
    cx = scale.x(cutoff) if scale.start <= cutoff < scale.end else None
    if cx is not None:
        out.append(f'<rect class="after-cutoff" x="{cx}" y="{AXIS_HEIGHT}" width="{PLOT_RIGHT - cx}" height="{height - AXIS_HEIGHT}"/>')
    out += _axis(ticks, height - 18)
    for i, lane in enumerate(lanes):
        out.append(f'<g class="lane" data-lane="{esc(lane.key)}">')
        out.append(f'<rect class="lane-bg lane-{i % 2}" x="0" y="{lane.y}" width="{WIDTH}" height="{lane.height}"/>')
        out.append(f'<text class="lane-name" x="8" y="{lane.y + LANE_PAD + 12}">{esc(lane.name)}</text>')
        out.append(f'<text class="lane-count" x="8" y="{lane.y + LANE_PAD + 25}">{len(lane.events)} '
                   f'event{"s" if len(lane.events) != 1 else ""}</text>')
        for p in sorted(lane.events, key=lambda e: (e.sub, e.x0, e.row["id"])):
            out.append(mark(p, lane.y + LANE_PAD + p.sub * ROW_HEIGHT, docs))
        out.append("</g>")
    if cx is not None:
        out.append(f'<line class="cutoff" x1="{cx}" x2="{cx}" y1="{AXIS_HEIGHT - 4}" y2="{height - 18}"/>')
    out.append("</svg>")
    return "\n".join(out)


def legend(cutoff_label: str) -> str:
    """Samples drawn with the same classes as the chart, so the legend cannot drift from it."""
    items: list[tuple[str, str]] = [
        ('<circle class="shape" cx="10" cy="9" r="4.5"/>', "day: a point"),
        ('<rect class="shape" x="2" y="4.5" width="30" height="9" rx="2"/>', "days / month"),
        ('<rect class="shape" x="2" y="4.5" width="30" height="9" rx="2"/>', "quarter"),
        ('<rect class="shape" x="2" y="4.5" width="30" height="9" rx="2"/>', "third / half of a year"),
        ('<rect class="shape" x="2" y="4.5" width="30" height="9" rx="2"/>', "year"),
        ('<rect class="shape" x="2" y="4.5" width="30" height="9" rx="2" mask="url(#fade-in)"/>'
         '<path class="arrow" d="M9 4 L2 9 L9 14"/><line class="bound-end" x1="32" x2="32" y1="3" y2="15"/>',
         "open bound: by …"),
        ('<rect class="shape" x="2" y="4.5" width="30" height="9" rx="2" mask="url(#fade-in)"/>'
         '<path class="arrow" d="M9 4 L2 9 L9 14"/><line class="bound-end" x1="32" x2="32" y1="3" y2="15"/>',
         "undated: by the source's date"),
    ]
    classes = ["p-day", "p-month", "p-quarter", "p-third", "p-year", "p-bound", "p-context"]
    status: list[tuple[str, str, str]] = [
        ("sample s-happened c-reported p-month", '<rect class="shape" x="2" y="4.5" width="30" height="9" rx="2"/>',
         "happened, reported"),
        ("sample s-happened c-opinion p-month", '<rect class="shape" x="2" y="4.5" width="30" height="9" rx="2"/>',
         "opinion"),
        ("sample s-possibly c-reported p-month", '<rect class="shape" x="2" y="4.5" width="30" height="9" rx="2"/>'
         '<rect class="hatch" x="2" y="4.5" width="30" height="9" rx="2"/>', "possibly happened by the cutoff"),
        ("sample s-expected c-forecast p-month", '<rect class="shape" x="2" y="4.5" width="30" height="9" rx="2"/>',
         "forecast (expected)"),
        ("sample conflict c-reported p-month s-happened", '<rect class="shape" x="2" y="4.5" width="30" height="9" rx="2"/>'
         '<path class="conflict-mark" d="M35 3 L39 9 L35 15 L31 9 Z"/>', "sources disagree"),
        ("", '<line class="cutoff" x1="17" x2="17" y1="0" y2="18"/>', esc(cutoff_label)),
    ]
    cells = []
    for cls, (shape, text) in zip(classes, items):
        cells.append(f'<span class="key"><svg width="44" height="18" aria-hidden="true"><g class="sample s-happened '
                     f'c-reported {cls}">{shape}</g></svg>{esc(text)}</span>')
    cells.append("<br>")
    for cls, shape, text in status:
        cells.append(f'<span class="key"><svg width="44" height="18" aria-hidden="true"><g class="{cls}">{shape}'
                     f'</g></svg>{text}</span>')
    return '<div class="legend">' + "".join(cells) + "</div>"
