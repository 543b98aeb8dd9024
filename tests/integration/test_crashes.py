"""kill -9 an ingest at random moments: the log stays whole and re-ingest completes.

Each trial runs a real ingest in its own process on a fresh store and sends it
SIGKILL after a seeded random delay spread over the ingest's measured
duration. Afterwards ``chronicle verify`` must pass, the store must hold
nothing of the ingest or all of it (an ingest is one transaction, whether it
validates first or beside the append), and running the ingest again must
end with exactly the expected total. The trials make the append's groups
small (a few files), so that the kills land among many groups' work.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import figures
from chronicle import database
from chronicle.cli import main
from chronicle.ingest import ingest
from chronicle.store import Store
from chronicle.verify import verify
from generated import SLOW, write_corpus

TRIALS = 100 if SLOW else 20
DOCUMENTS, PER_DOCUMENT = 8, 40
WAIT_S = 60

INGEST = textwrap.dedent(
    """
    import sys, time
    from chronicle import store as stores
    from chronicle.ingest import ingest
    from chronicle.store import open_store

    stores.GROUP_EVENTS = 100
    if sys.argv[3] == "beside":
        # Validate in a second process while appending, in one transaction.
        from chronicle import ingest as ingesting
        ingesting.PARALLEL_BYTES = 0
        ingesting.second_core = lambda: True

    store = open_store(sys.argv[1])
    print("ready", flush=True)
    started = time.perf_counter()
    appended = []

    def progress(done, total):
        appended.append(time.perf_counter() - started)
        # Files are told a group at a time, once the group is in: a pause here
        # holds the next group back, so that the moments between commits are
        # a good share of the ingest and the random kills land there too.
        time.sleep(0.03)

    ingest(store, [sys.argv[2]], progress=progress)
    # When the last file was appended: what follows (read models) writes no events.
    print("done", appended[-1], flush=True)
    """
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    folder = tmp_path_factory.mktemp("crash") / "corpus"
    return folder, write_corpus(folder, DOCUMENTS, PER_DOCUMENT, name="crash")


@pytest.mark.parametrize("mode", ["first", "beside"])
@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_an_ingest_killed_at_any_moment_leaves_a_whole_log(
    backend: str, mode: str, corpus: tuple[Path, dict[str, int]], sqlite_template: Path, tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    """An ingest is one transaction, however it validates: a kill keeps nothing or everything."""
    folder, expected = corpus
    factory = request.getfixturevalue("pg_factory") if backend == "postgresql" else None

    def fresh_url(n: int) -> str:
        if factory is not None:
            return factory.new()
        path = tmp_path / f"trial-{n}.db"
        shutil.copy(sqlite_template, path)
        return database.resolve_url(str(path))

    def start(url: str) -> subprocess.Popen[str]:
        proc = subprocess.Popen([sys.executable, "-c", INGEST, url, str(folder), mode],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready", proc.stderr
        return proc

    # One uninterrupted run measures how long the ingest takes to append its last file.
    url = fresh_url(0)
    proc = start(url)
    out, err = proc.communicate(timeout=WAIT_S)
    assert proc.returncode == 0, err
    duration = float(out.split()[-1])
    if factory is not None:
        factory.drop(url)

    rng = random.Random(f"crash-{backend}")
    events_checked = 0
    trials = TRIALS if mode == "first" else TRIALS // 2
    killed_before_commit = 0
    for trial in range(1, trials + 1):
        url = fresh_url(trial)
        proc = start(url)
        time.sleep(rng.uniform(0, duration * 1.1))
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=WAIT_S)

        store = Store(database.create_engine(url))
        try:
            result = CliRunner().invoke(main, ["--db", url, "verify"])
            assert result.exit_code == 0, f"trial {trial}: {result.output}"
            counts = store.document_counts()
            stored = {d.id for d in store.documents()}
            assert set(counts) == stored
            for doc_id, by_type in counts.items():
                assert sum(by_type.values()) == expected[doc_id], f"trial {trial}: {doc_id} is half written"
            assert len(counts) in (0, len(expected)), f"trial {trial}: part of a one-transaction ingest stayed"
            if not counts:
                assert store.entities() == [], f"trial {trial}: entities stayed without their events"
            killed_before_commit += not counts
            report = ingest(store, [folder])
            assert report.refused == 0
            assert report.appended + report.present == sum(expected.values())
            final = verify(store)
            assert final.ok and final.events == sum(expected.values())
            events_checked += final.events
        finally:
            store.close()
            if factory is not None:
                factory.drop(url)

    # The delays are spread over the ingest: some kills must land inside it.
    assert killed_before_commit > 0
    figures.add(f"{backend}: crash trials, validating {mode} (kill -9)", trials)
    figures.add(f"{backend}: crash trials, validating {mode}, nothing kept", killed_before_commit)
    figures.add(f"{backend}: crash events written and verified, validating {mode}", events_checked)
