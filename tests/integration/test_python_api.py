"""The Python API: chronicle.open(url) and the commands' operations under their names."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import threading
from pathlib import Path

import chronicle
from chronicle.api import Chronicle

REPO = Path(__file__).resolve().parents[2]


def test_importing_chronicle_builds_nothing() -> None:
    code = "import sys, chronicle; print('chronicle.api' in sys.modules, 'sqlalchemy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_the_api_answers_as_the_commands_do(store_url: str, tmp_path: Path) -> None:
    with chronicle.open(store_url) as c:
        assert isinstance(c, Chronicle)
        report = c.ingest(REPO / "events")
        assert report.appended == c.head > 0
        assert c.ingest(REPO / "events").appended == 0

        answer = c.as_of("2025-06", projections=["models"], country="CN", open_only=True)
        assert answer["schema"] == "chronicle.as-of/2"
        assert answer["basis"]["store_seq"] == c.head
        assert all(r["country"] == "CN" for r in answer["projections"]["models"]["rows"])

        changes = c.diff("2025-01", "2025-12")
        assert changes["schema"] == "chronicle.diff/1" and changes["changes"]
        assert c.conflicts()["schema"] == "chronicle.conflicts/1"
        assert c.talent(by="year")["schema"] == "chronicle.talent/1"

        releases = c.log(types=["model_release"], since="2025-01", until="2025-06")
        assert releases and {e.type for e in releases} == {"model_release"}
        assert [e.seq for e in c.log(after=5, limit=3)] == [6, 7, 8]
        assert c.show(releases[0].event_id)["event"]["event_id"] == releases[0].event_id
        assert c.sources()["documents"] and c.sources(counts=True)["counts"]
        assert c.entities("org")["entities"]
        checked = c.verify()
        assert checked["ok"] and checked["derived"] is None
        deep = c.verify(deep=True, expect_head=checked["head"])
        assert deep["ok"] and deep["expected_head"] == checked["head"]
        assert {t["table"]: t["status"] for t in deep["derived"]}["rm_models"] == "same"

        lines = c.export("events", types=["model_release"]).splitlines()
        assert [json.loads(line)["event_id"] for line in lines] == [e.event_id for e in c.log(types=["model_release"])]
        rows = list(csv.DictReader(io.StringIO(c.export("projection", "models", format="csv", as_of="2025-06"))))
        assert [r["id"] for r in rows] == [r["id"] for r in c.as_of("2025-06", projections=["models"])
                                           ["projections"]["models"]["rows"]]
        out = c.export("timelinejs", output=tmp_path / "t.json")
        assert len(json.loads(Path(out).read_text())["events"]) > 0

        target = releases[0].event_id
        c.retract(target, "a test retraction")
        assert target not in {r["id"] for r in c.as_of("today", projections=["timeline"])
                              ["projections"]["timeline"]["rows"]}


def test_follow_yields_new_events(store_url: str) -> None:
    with chronicle.open(store_url) as c:
        c.ingest(REPO / "events" / "entities.yaml", REPO / "events" / "deepseekai-chinese-ai-rising.yaml")
        first = c.head
        stop = threading.Event()
        got: list[int] = []

        def follow() -> None:
            for e in c.follow(first, poll_interval=0.02, stop=stop.is_set):
                assert e.seq is not None
                got.append(e.seq)

        thread = threading.Thread(target=follow)
        thread.start()
        c.ingest(REPO / "events")
        stop.set()
        thread.join(timeout=30)
        assert got == list(range(first + 1, c.head + 1))


def test_the_readme_example_runs(tmp_path: Path) -> None:
    text = (REPO / "README.md").read_text()
    code = text.split("```python\n", 1)[1].split("```", 1)[0].replace("/tmp/example.db", str(tmp_path / "ex.db"))
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "releases; store at" in out.stdout
