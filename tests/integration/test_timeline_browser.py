"""The seed corpus's timeline page in a real browser: it renders, runs without errors, shows every event.

Headless Chromium (Debian's ``chromium``; ``.ci/run`` installs it when missing)
loads the page from a file with networking of its own turned off. The page's
script marks the <html> element with the number of events it wired up, so a
script that failed part-way is visible in the dumped DOM; console messages
(errors, refused scripts) are read from the browser's log.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from chronicle.cli import main

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]

pytestmark = pytest.mark.skipif(
    not os.access(CHROMIUM, os.X_OK),
    reason=f"{CHROMIUM} not found: install Debian's chromium package (.ci/run does) to run the browser test",
)


def chromium(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()],
                          capture_output=True, text=True, timeout=120, check=True)


class Marks(HTMLParser):
    """Counts the event elements inside the timeline's <svg>."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.events = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "svg":
            self.inside = found.get("id") == "timeline"
        elif self.inside:
            self.events += "data-event" in found

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self.inside = False


@pytest.fixture(scope="module")
def seed_page(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> tuple[Path, int]:
    folder = tmp_path_factory.mktemp("timeline")
    db = str(folder / "seeds.db")
    runner = CliRunner()
    result = runner.invoke(main, ["--db", db, "ingest", str(REPO / "events"), "--documents", str(seeds_dir)])
    assert result.exit_code == 0, result.output
    page = folder / "timeline.html"
    result = runner.invoke(main, ["--db", db, "timeline", "--as-of", "2026-06", "-o", str(page)])
    assert result.exit_code == 0, result.output
    events = int(re.search(r"(\d+) events", result.output).group(1))  # type: ignore[union-attr]
    return page, events


def test_the_page_runs_without_errors_and_shows_every_event(seed_page: tuple[Path, int], tmp_path: Path) -> None:
    page, events = seed_page
    assert events >= 150
    run = chromium(page, tmp_path / "profile", "--enable-logging=stderr", "--v=0", "--dump-dom")
    console = [line for line in run.stderr.splitlines() if ":CONSOLE" in line]
    assert console == [], "\n".join(console)
    marks = Marks()
    marks.feed(run.stdout)
    assert marks.events == events
    assert f'data-ready="{events}"' in run.stdout  # the script ran to its end


def test_the_page_renders_to_a_png(seed_page: tuple[Path, int], tmp_path: Path) -> None:
    page, _ = seed_page
    height = int(float(re.search(r'<svg id="timeline"[^>]* height="([\d.]+)"', page.read_text()).group(1)))  # type: ignore[union-attr]
    png = tmp_path / "timeline.png"
    chromium(page, tmp_path / "profile", f"--screenshot={png}", f"--window-size=1640,{height + 170}")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 50_000
    if os.environ.get("CHRONICLE_UPDATE_DOCS"):  # refresh the picture the README shows
        shutil.copyfile(png, REPO / "docs" / "timeline-seed.png")
