"""Concurrent writers and followers, on SQLite and PostgreSQL.

A follower reads ``after=N`` and moves N to the last seq it saw; it must never
skip an event. That holds only if events commit in seq order, which the
store's append lock guarantees (see ``Store._lock``). These tests hold that
lock open on purpose, race real processes, and check what a follower saw.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

import figures
from builders import doc, event
from chronicle import database
from chronicle.errors import ConflictError, StoreError
from chronicle.store import AppendResult, LogFilter, Store
from chronicle.verify import verify
from generated import run_chronicle, write_corpus

TESTS = Path(__file__).resolve().parents[1]
WAIT_S = 60


def _store(url: str) -> Store:
    return Store(database.create_engine(url))


def _seqs(store: Store, after: int = 0) -> list[int]:
    return [e.seq for e in store.read(LogFilter(after=after)) if e.seq is not None]


class Follower(threading.Thread):
    """Tails a store with ``Store.follow`` and records every seq it is given."""

    def __init__(self, url: str, after: int = 0) -> None:
        super().__init__(daemon=True)
        self.store = _store(url)
        self.after = after
        self.stop = threading.Event()
        self.seen: list[int] = []
        self.ids: list[str] = []

    def run(self) -> None:
        for e in self.store.follow(self.after, poll_interval=0.01, stop=self.stop.is_set):
            assert e.seq is not None
            self.seen.append(e.seq)
            self.ids.append(e.event_id)

    def finish(self) -> None:
        self.stop.set()
        self.join(WAIT_S)
        assert not self.is_alive(), "the follower did not stop"
        self.store.close()


def test_a_held_append_keeps_later_writers_and_followers_behind_it(store_url: str) -> None:
    """The first transaction draws seq 2 and stays open; a second writer must
    wait for it, and a follower at after=1 meanwhile sees nothing, then 2, 3."""
    first, second = _store(store_url), _store(store_url)
    first.append([event("a1")], document=doc())
    follower = Follower(store_url, after=1)
    follower.start()
    second_done = threading.Event()
    outcome: dict[str, Any] = {}

    def append_second() -> None:
        try:
            outcome["result"] = second.append([event("a3")], document=doc())
        except BaseException as exc:  # reported by the main thread
            outcome["error"] = exc
        second_done.set()

    # An append paused between drawing its seq and its commit: the store's own
    # steps, on a connection whose transaction the test holds open.
    held = first.engine.connect()
    database.write_begin(held)
    tx = held.begin()
    try:
        first._lock(held)
        drawn = AppendResult()
        first._insert(held, first._sort_out(held, [event("a2")], drawn), {}, drawn)
        assert drawn.first_seq == 2

        writer = threading.Thread(target=append_second, daemon=True)
        writer.start()
        # The second writer cannot draw a number or commit while the first is open.
        assert not second_done.wait(1.0), f"a second append went past an open one: {outcome}"
        assert _seqs(first, after=1) == []
        assert follower.seen == []
        tx.commit()
    finally:
        if tx.is_active:
            tx.rollback()
        held.close()

    assert second_done.wait(WAIT_S), "the second append never finished"
    assert "error" not in outcome, outcome.get("error")
    assert (outcome["result"].first_seq, outcome["result"].last_seq) == (3, 3)
    deadline = threading.Event()
    for _ in range(int(WAIT_S / 0.02)):
        if len(follower.seen) >= 2:
            break
        deadline.wait(0.02)
    follower.finish()
    assert follower.seen == [2, 3]
    assert verify(first).ok
    figures.add(f"{figures.backend_of(store_url)}: held-lock events followed", len(follower.seen))
    first.close()
    second.close()


WRITER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {tests!r})
    from builders import doc, event
    from chronicle import database
    from chronicle.store import Store

    url, name, batches, size = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    store = Store(database.create_engine(url))
    document = doc(name)
    print("ready", flush=True)
    sys.stdin.readline()  # the go signal: every writer starts at once
    for b in range(batches):
        batch = [event(f"{{b:03d}}-{{n}}", document=name) for n in range(size)]
        result = store.append(batch, document=document)
        assert len(result.appended) == size, result
    store.close()
    """
)


def test_four_writer_processes_and_a_follower_see_every_event_once_in_order(store_url: str) -> None:
    writers, batches, size = 4, 25, 4
    script = WRITER.format(tests=str(TESTS))
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, store_url, f"writer-{w}", str(batches), str(size)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for w in range(writers)
    ]
    follower = Follower(store_url)
    try:
        for proc in procs:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        follower.start()
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        for proc in procs:
            _, err = proc.communicate(timeout=WAIT_S)
            assert proc.returncode == 0, err
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(WAIT_S)
    follower.finish()
    total = writers * batches * size
    assert follower.seen == list(range(1, total + 1))
    assert len(set(follower.ids)) == total
    store = _store(store_url)
    report = verify(store)
    store.close()
    assert report.ok and report.events == total
    backend = figures.backend_of(store_url)
    figures.add(f"{backend}: concurrency events written and followed", total)


def test_two_writers_with_the_same_expected_version_one_wins(store_url: str) -> None:
    setup = _store(store_url)
    setup.append([event("base", subject="qwen")], document=doc())
    rounds = 8
    for r in range(rounds):
        version = setup.head()  # the only stream, so its version is the head
        barrier = threading.Barrier(2, timeout=WAIT_S)
        outcomes: list[str] = []

        def contend(tag: str, version: int = version, barrier: threading.Barrier = barrier) -> None:
            s = _store(store_url)
            try:
                barrier.wait()
                s.append([event(f"r{r}-{tag}", subject="qwen")], document=doc(),
                         expected_versions={"qwen": version})
                outcomes.append("won")
            except ConflictError:
                outcomes.append("conflict")
            finally:
                s.close()

        threads = [threading.Thread(target=contend, args=(t,), daemon=True) for t in "xy"]
        for t in threads:
            t.start()
        for t in threads:
            t.join(WAIT_S)
        assert sorted(outcomes) == ["conflict", "won"]
    assert setup.head() == rounds + 1
    assert verify(setup).ok
    setup.close()
    figures.add(f"{figures.backend_of(store_url)}: expected-version races", rounds)


def test_two_processes_ingesting_into_one_store_both_succeed(store_url: str, tmp_path: Path) -> None:
    corpora = [tmp_path / "one", tmp_path / "two"]
    expected = {}
    for n, folder in enumerate(corpora):
        expected.update(write_corpus(folder, documents=3, per_document=120, name=f"p{n}"))
    procs = [
        subprocess.Popen([sys.executable, "-m", "chronicle", "--db", store_url, "ingest", str(folder)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for folder in corpora
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=WAIT_S)
        assert proc.returncode == 0, err
        assert "locked" not in out + err and "Traceback" not in err
    store = _store(store_url)
    assert store.document_counts() == {d: {"model_release": n} for d, n in expected.items()}
    assert verify(store).events == sum(expected.values())
    store.close()


def test_processes_opening_a_new_store_at_once_migrate_it_once(blank_url: str, tmp_path: Path) -> None:
    """Several first uses of an empty database at once: one migrates, the others wait and find it done."""
    corpora = []
    for n in range(3):
        corpora.append(tmp_path / f"c{n}")
        write_corpus(corpora[-1], documents=1, per_document=20, name=f"first{n}")
    procs = [
        subprocess.Popen([sys.executable, "-m", "chronicle", "--db", blank_url, "ingest", str(folder)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for folder in corpora
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=WAIT_S)
        assert proc.returncode == 0, err
    result = run_chronicle(blank_url, "verify")
    assert result.returncode == 0, result.stderr
    assert "60" in result.stdout


def _locked() -> sa.exc.OperationalError:
    return sa.exc.OperationalError("BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked"))


def test_a_locked_sqlite_write_is_retried(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = _store(database.resolve_url(str(tmp_path / "s.db")))
    database.upgrade(store.engine)
    real = store._append
    failures = iter([_locked(), _locked()])

    def flaky(*args: Any) -> AppendResult:
        failure = next(failures, None)
        if failure is not None:
            raise failure
        return real(*args)

    monkeypatch.setattr(store, "_append", flaky)
    monkeypatch.setattr("chronicle.store.WRITE_BACKOFF_S", 0.001)
    assert store.append([event("a1")], document=doc()).appended == ["doc-a:a1"]
    store.close()


def test_a_lock_that_never_frees_is_a_store_error_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _store(database.resolve_url(str(tmp_path / "s.db")))
    database.upgrade(store.engine)

    def always_locked(*args: Any) -> AppendResult:
        raise _locked()

    monkeypatch.setattr(store, "_append", always_locked)
    monkeypatch.setattr("chronicle.store.WRITE_BACKOFF_S", 0.001)
    with pytest.raises(StoreError, match="database is locked"):
        store.append([event("a1")], document=doc())
    store.close()


def test_opening_a_store_another_process_holds_locked_is_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new SQLite store opened by several processes at once can say "locked" past its busy handler."""
    from chronicle.store import open_store

    real = database.ensure_current
    failures = iter([_locked(), _locked()])

    def flaky(engine: sa.Engine, *, create: bool = True) -> None:
        failure = next(failures, None)
        if failure is not None:
            raise failure
        real(engine, create=create)

    monkeypatch.setattr(database, "ensure_current", flaky)
    monkeypatch.setattr("chronicle.store.WRITE_BACKOFF_S", 0.001)
    store = open_store(str(tmp_path / "s.db"))
    assert store.head() == 0 and next(failures, None) is None
    store.close()

    # Locked every time: a one-line StoreError, as before.
    monkeypatch.setattr(database, "ensure_current", lambda engine, **_: (_ for _ in ()).throw(_locked()))
    with pytest.raises(StoreError, match="cannot open store .*database is locked"):
        open_store(str(tmp_path / "t.db"))
