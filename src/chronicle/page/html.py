"""The timeline page: one self-contained HTML file from a timeline answer.

Nothing is fetched: style, script and data are inline, and a Content Security
Policy forbids any network access and any script but our own (allowed by its
hash). The only external URLs are the sources' links, and only http(s) ones.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from datetime import date
from typing import Any

from chronicle.events import web_url
from chronicle.page.assets import CSS, SCRIPT
from chronicle.page.layout import lanes as lay_out_lanes
from chronicle.page.layout import scale_for, ticks
from chronicle.page.svg import chart, esc, legend
from chronicle.render import dumps


def _script_json(value: Any) -> str:
    """JSON that cannot end its <script> element or open a comment, with no raw control character."""
    text = dumps(value, indent=None)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _published(doc: Mapping[str, Any]) -> str | None:
    published = doc.get("published") or {}
    if published.get("edtf"):
        return str(published["edtf"])
    window = doc.get("window") or {}
    return f"undated (between {window['earliest']} and {window['latest']})" if window.get("latest") else "undated"


def _documents(answer: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        key: {"title": d.get("title") or key, "publisher": d.get("publisher"), "published": _published(d),
              "url": web_url(d.get("url"))}
        for key, d in sorted(answer["documents"].items())
    }


def _interval(row: Mapping[str, Any]) -> str:
    return f"{row.get('earliest') or 'open'} … {row.get('latest') or 'open'}"


def _data(answer: Mapping[str, Any], documents: Mapping[str, Any]) -> dict[str, Any]:
    by_event: dict[str, list[dict[str, Any]]] = {}
    for conflict in answer["conflicts"]:
        for claim in conflict["claims"]:
            by_event.setdefault(claim["event"], []).append(conflict)
    events = {}
    for r in answer["rows"]:
        events[r["id"]] = {
            "id": r["id"], "type": r["type"], "subject": r.get("subject_name") or r["subject"],
            "status": r["status"], "certainty": r["certainty"], "when": r.get("when") or "",
            "when_text": r.get("when_text") or "", "precision": r["precision"], "interval": _interval(r),
            "summary": r.get("summary") or "", "quote": " … ".join(e["quote"] for e in r.get("evidence", ())),
            "document": r["document"],
            "conflicts": [{"fact": c["fact"], "claims": [
                {k: claim[k] for k in ("event", "display", "document", "quote", "when")} for claim in c["claims"]]}
                for c in by_event.get(r["id"], ())],
        }
    return {"events": events, "documents": documents}


def _source(doc: Mapping[str, Any]) -> str:
    title = esc(doc["title"])
    link = f'<a href="{esc(doc["url"])}" rel="noopener noreferrer">{title}</a>' if doc["url"] else title
    more = ", ".join(esc(v) for v in (doc["publisher"], doc["published"]) if v)
    return f"{link} ({more})" if more else link


def _conflicts(answer: Mapping[str, Any], documents: Mapping[str, Any]) -> str:
    if not answer["conflicts"]:
        return "<p>No sources disagree on the events shown.</p>"
    names = answer.get("names", {})
    out = ['<table class="conflicts"><tr><th>subject</th><th>fact</th><th>claim</th><th>date</th>'
           '<th>quote</th><th>source</th></tr>']
    for c in answer["conflicts"]:
        claims = c["claims"]
        for i, claim in enumerate(claims):
            head = (f'<td rowspan="{len(claims)}">{esc(names.get(c["subject"], c["subject"]))}</td>'
                    f'<td rowspan="{len(claims)}">{esc(c["fact"])}</td>') if i == 0 else ""
            out.append(f'<tr>{head}<td>{esc(claim["display"])}</td><td>{esc(claim["when"])}</td>'
                       f'<td>“{esc(claim["quote"])}”</td><td>{_source(documents[claim["document"]])}</td></tr>')
    out.append("</table>")
    return "\n".join(out)


def _event_list(answer: Mapping[str, Any], documents: Mapping[str, Any]) -> str:
    items = []
    for r in answer["rows"]:
        quote = " … ".join(e["quote"] for e in r.get("evidence", ()))
        flag = ' <span class="warn">sources disagree</span>' if r.get("conflict") else ""
        items.append(f'<li><b>{esc(r.get("subject_name") or r["subject"])}</b> — {esc(r["type"])}, '
                     f'{esc(r["status"])} ({esc(r["certainty"])}); “{esc(r.get("when_text"))}” = '
                     f'{esc(r.get("when"))} [{esc(_interval(r))}]{flag}'
                     f'<blockquote>“{esc(quote)}”</blockquote>{_source(documents[r["document"]])}</li>')
    return "<ol class=\"events\">\n" + "\n".join(items) + "\n</ol>"


def timeline_html(answer: Mapping[str, Any], *, lanes_by: str = "org") -> str:
    """The whole page for a ``queries.timeline`` answer; the same answer always gives the same bytes."""
    basis = answer["basis"]
    cutoff = date.fromisoformat(basis["cutoff"])
    rows = answer["rows"]
    scale = scale_for(rows, cutoff)
    lanes = lay_out_lanes(rows, scale, lanes_by)
    documents = _documents(answer)
    script_hash = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    csp = (f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
           f"script-src 'sha256-{script_hash}'; base-uri 'none'; form-action 'none'")
    known = f", known at {basis['known_at']}" if basis.get("known_at") else ""
    cutoff_label = f"cutoff: as of {basis['cutoff_text']} ({basis['cutoff']})"
    possibly = sum(r["status"] == "possibly" for r in rows)
    expected = sum(r["status"] == "expected" for r in rows)
    title = f"chronicle timeline as of {basis['cutoff_text']}"
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{esc(csp)}">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{esc(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{esc(title)}</h1>",
        f'<p class="basis">{len(rows)} events in {len(lanes)} lanes ({possibly} possibly happened, '
        f'{expected} expected); {len(answer["conflicts"])} disagreements between sources. '
        f'Cutoff {esc(basis["cutoff"])}{esc(known)}; store sequence {esc(basis["store_seq"])}; '
        f'projection {esc(basis.get("projection", "timeline"))}. Hover or click an event for its source.</p>',
        legend(cutoff_label),
        f'<div class="chart">{chart(lanes, ticks(scale), scale, cutoff, documents)}</div>',
        '<aside id="details" hidden><button id="details-close" class="close" type="button" '
        'aria-label="close">×</button><div id="details-body"></div></aside>',
        "<h2>Sources that disagree</h2>",
        _conflicts(answer, documents),
        f"<details><summary>All {len(rows)} events as a list</summary>",
        _event_list(answer, documents),
        "</details>",
        f'<script type="application/json" id="tl-data">{_script_json(_data(answer, documents))}</script>',
        f"<script>{SCRIPT}</script>",
        "</body>",
        "</html>",
        "",
    ])
