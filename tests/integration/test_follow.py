"""chronicle log --follow: a subscriber sees every event appended while it follows, in order."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from builders import doc, event
from chronicle import database
from chronicle.store import Store

CLI = [sys.executable, "-m", "chronicle"]


def _wait_for_lines(proc: subprocess.Popen[str], count: int, timeout: float) -> list[dict[str, object]]:
    assert proc.stdout is not None
    lines: list[dict[str, object]] = []
    deadline = time.monotonic() + timeout
    while len(lines) < count:
        assert time.monotonic() < deadline, f"only {len(lines)} of {count} events after {timeout}s"
        line = proc.stdout.readline()
        if line:
            lines.append(json.loads(line))
    return lines


def test_follow_prints_every_event_appended_while_it_runs(store_url: str, tmp_path: Path) -> None:
    store = Store(database.create_engine(store_url))
    store.append([event(f"e{n}") for n in range(3)], document=doc())
    proc = subprocess.Popen([*CLI, "--db", store_url, "log", "--after", "1", "--follow", "--poll", "0.05",
                             "--format", "ndjson"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=os.environ | {"PYTHONUNBUFFERED": "1"})
    try:
        seen = _wait_for_lines(proc, 2, 30)
        # Appended in several batches while the follower polls.
        for batch in range(4):
            store.append([event(f"b{batch}-{n}") for n in range(5)], document=doc())
            time.sleep(0.02)
        seen += _wait_for_lines(proc, 20, 30)
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        store.close()
    assert [e["seq"] for e in seen] == list(range(2, 24))
    assert proc.returncode == 0, err
    assert "Traceback" not in err


def test_follow_needs_ndjson(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from chronicle.cli import main

    result = CliRunner().invoke(main, ["--db", str(tmp_path / "s.db"), "log", "--follow"])
    assert result.exit_code == 2
    assert "--format ndjson" in result.output
