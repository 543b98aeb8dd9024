"""A real consumer: the TimelineJS export rendered by the real TimelineJS in headless Chromium.

TimelineJS comes from the npm registry (`.ci/run` installs it into .ci/js);
Chromium is Debian's package. Without either, the test skips and says why.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from chronicle.cli import main

REPO = Path(__file__).resolve().parents[2]
DIST = REPO / ".ci" / "js" / "node_modules" / "@knight-lab" / "timelinejs" / "dist"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--allow-file-access-from-files"]

PAGE = """<!doctype html>
<html><head><meta charset="utf-8">
<script>
  window.__errors = [];
  window.onerror = function (message, source, line) { window.__errors.push(String(message) + " @" + line); };
  window.addEventListener("unhandledrejection", function (e) { window.__errors.push("rejection: " + e.reason); });
  var consoleError = console.error;
  console.error = function () { window.__errors.push(Array.prototype.join.call(arguments, " ")); consoleError.apply(console, arguments); };
</script>
<link rel="stylesheet" href="@CSS@">
<script src="@JS@"></script>
</head><body>
<div id="timeline-embed" style="width: 1000px; height: 600px"></div>
<pre id="result">pending</pre>
<script>
  var data = @DATA@;
  function report() {
    var slides = document.querySelectorAll(".tl-slide").length;
    var titles = document.querySelectorAll(".tl-slide-titleslide").length;
    document.getElementById("result").textContent =
      "RESULT " + JSON.stringify({slides: slides, titles: titles, errors: window.__errors});
  }
  try {
    var timeline = new TL.Timeline("timeline-embed", data, {hash_bookmark: false});
  } catch (e) { window.__errors.push("constructor: " + e); }
  setTimeout(report, 4000);
</script>
</body></html>
"""


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("Chromium is not installed (apt-get install chromium)")


def test_timelinejs_renders_one_slide_per_event(tmp_path: Path) -> None:
    if not (DIST / "js" / "timeline.js").is_file():
        pytest.skip(f"TimelineJS is not installed at {DIST} (.ci/run installs it from npm)")
    browser = _chromium()
    db = str(tmp_path / "store.db")
    runner = CliRunner()
    assert runner.invoke(main, ["--db", db, "ingest", str(REPO / "events")]).exit_code == 0
    exported = runner.invoke(main, ["--db", db, "export", "timelinejs"], catch_exceptions=False).stdout
    events = len(json.loads(exported)["events"])
    # Inline JSON in a <script>: "</" must not close the element early.
    page = (PAGE.replace("@CSS@", (DIST / "css" / "timeline.css").as_uri())
            .replace("@JS@", (DIST / "js" / "timeline.js").as_uri())
            .replace("@DATA@", exported.replace("</", "<\\/")))
    html = tmp_path / "timeline.html"
    html.write_text(page, encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        try:
            done = subprocess.run([browser, *FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=15000",
                                   "--dump-dom", html.as_uri()], capture_output=True, text=True, timeout=120)
        except (OSError, subprocess.TimeoutExpired) as exc:
            pytest.skip(f"Chromium could not run here: {exc}")
    if "RESULT" not in done.stdout:
        if done.returncode != 0:
            pytest.skip(f"Chromium could not run here (exit {done.returncode}): {done.stderr.strip()[-300:]}")
        pytest.fail(f"the page never reported: {done.stdout[-500:]}")
    result = json.loads(done.stdout.split("RESULT ", 1)[1].split("</pre>", 1)[0].replace("&quot;", '"')
                        .replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))
    assert result["errors"] == []
    assert result["titles"] == 1
    assert result["slides"] - result["titles"] == events
