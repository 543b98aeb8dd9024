"""The page's own style sheet and script, inlined into every page."""

from __future__ import annotations

CSS = """
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:16px 20px;color:#1f2933;background:#fff}
h1{font-size:20px;margin:0 0 4px}
.basis{color:#52606d;margin:0 0 10px}
.legend{margin:6px 0 10px;line-height:22px}
.legend .key{display:inline-block;margin-right:18px;white-space:nowrap}
.legend svg{vertical-align:middle;margin-right:4px}
.chart{overflow-x:auto}
#timeline{font-family:system-ui,"DejaVu Sans",sans-serif;display:block}
.year{font-size:13px;font-weight:700;fill:#1f2933}
.quarter{font-size:10px;fill:#52606d}
.month{font-size:9px;fill:#9aa5b1}
.grid-year{stroke:#9aa5b1;stroke-width:1}
.grid-quarter{stroke:#e4e7eb;stroke-width:1}
.tick-month,.axis-line{stroke:#9aa5b1}
.lane-0{fill:#f7f9fb}.lane-1{fill:#fff}
.lane-bg{stroke:#e4e7eb;stroke-width:.5}
.lane-name{font-size:12px;font-weight:600;fill:#1f2933}
.lane-count{font-size:10px;fill:#7b8794}
.after-cutoff{fill:#fdf2e9;opacity:.6}
.cutoff{stroke:#c2410c;stroke-width:2;stroke-dasharray:6 3}
.label{font-size:10.5px;fill:#323f4b}
.ev{cursor:pointer}
.ev:hover .label,.ev:focus .label,.ev.selected .label{font-weight:700;fill:#000}
.ev:focus{outline:none}
.ev.selected .shape{stroke:#000;stroke-width:1.5}
.c-reported{color:#2563eb}.c-opinion{color:#7c3aed}.c-forecast{color:#d97706}
.shape{fill:currentColor;stroke:currentColor;stroke-width:.6}
.p-day-range .shape,.p-month .shape{fill-opacity:.9}
.p-quarter .shape{fill-opacity:.65}
.p-third .shape,.p-half .shape,.p-season .shape{fill-opacity:.45}
.p-year .shape{fill-opacity:.25}
.p-bound .shape{fill-opacity:.8;stroke:none}
.p-context .shape{fill-opacity:.35;stroke:none}
.p-day .shape{fill-opacity:1;stroke:#fff;stroke-width:1}
.c-forecast .shape{fill-opacity:.18;stroke-width:1.4;stroke-dasharray:4 2}
.hatch{fill:url(#hatch);stroke:none}
.arrow{fill:none;stroke:currentColor;stroke-width:1.6}
.bound-end{stroke:currentColor;stroke-width:2}
.p-context .bound-end{stroke-dasharray:2 2}
.conflict-mark{fill:#dc2626;stroke:#fff;stroke-width:.8}
.conflict .shape{stroke:#dc2626;stroke-width:1.2}
#details{position:fixed;right:16px;bottom:16px;width:420px;max-height:60vh;overflow:auto;background:#fff;border:1px solid #9aa5b1;border-radius:6px;box-shadow:0 4px 16px rgba(0,0,0,.15);padding:10px 12px;font-size:13px}
#details[hidden]{display:none}
#details h2{font-size:15px;margin:0 0 6px}
#details blockquote,.events blockquote{margin:4px 0;padding-left:8px;border-left:3px solid #cbd2d9;color:#323f4b}
#details .close{float:right;border:0;background:none;font-size:16px;cursor:pointer}
.warn{color:#b91c1c;font-weight:600}
table.conflicts{border-collapse:collapse;margin:6px 0 16px}
table.conflicts td,table.conflicts th{border:1px solid #e4e7eb;padding:3px 6px;vertical-align:top;text-align:left}
.events li{margin:4px 0}
"""

#: The details panel: reads the event data from the page's JSON block and
#: writes only text nodes, so nothing from the data is ever parsed as HTML.
SCRIPT = """(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("tl-data").textContent);
  var panel = document.getElementById("details");
  var body = document.getElementById("details-body");
  var selected = null;
  function add(parent, tag, text, cls) {
    var el = document.createElement(tag);
    if (text !== undefined && text !== null) { el.textContent = text; }
    if (cls) { el.className = cls; }
    parent.appendChild(el);
    return el;
  }
  function source(parent, doc) {
    var p = add(parent, "div", "Source: ");
    if (doc.url) { var a = add(p, "a", doc.title); a.href = doc.url; a.rel = "noopener noreferrer"; }
    else { add(p, "span", doc.title); }
    var more = [doc.publisher, doc.published].filter(Boolean).join(", ");
    if (more) { add(p, "span", " (" + more + ")"); }
  }
  function show(g, keep) {
    var ev = data.events[g.getAttribute("data-event")];
    if (!ev) { return; }
    if (keep) {
      if (selected) { selected.classList.remove("selected"); }
      selected = g; g.classList.add("selected");
    } else if (selected) { return; }
    body.textContent = "";
    add(body, "h2", ev.subject + " \\u2014 " + ev.type);
    add(body, "div", "Status at the cutoff: " + ev.status + " (" + ev.certainty + ")");
    add(body, "div", "Dated by: \\u201c" + ev.when_text + "\\u201d \\u2192 " + ev.when + " (" + ev.precision + ": " + ev.interval + ")");
    if (ev.summary) { add(body, "div", ev.summary); }
    add(body, "blockquote", "\\u201c" + ev.quote + "\\u201d");
    source(body, data.documents[ev.document]);
    ev.conflicts.forEach(function (c) {
      add(body, "div", "Sources disagree on " + c.fact + ":", "warn");
      c.claims.forEach(function (claim) {
        add(body, "div", claim.display + " (" + claim.when + ")" + (claim.event === ev.id ? " \\u2190 this event" : ""));
        add(body, "blockquote", "\\u201c" + claim.quote + "\\u201d");
        source(body, data.documents[claim.document]);
      });
    });
    panel.hidden = false;
  }
  var marks = document.querySelectorAll("#timeline [data-event]");
  Array.prototype.forEach.call(marks, function (g) {
    g.addEventListener("mouseenter", function () { show(g, false); });
    g.addEventListener("click", function () { show(g, true); });
    g.addEventListener("keydown", function (e) { if (e.key === "Enter") { show(g, true); } });
  });
  document.getElementById("details-close").addEventListener("click", function () {
    if (selected) { selected.classList.remove("selected"); selected = null; }
    panel.hidden = true;
  });
  document.documentElement.setAttribute("data-ready", String(marks.length));
})();"""
