"""Bulk reads hold the garbage collector off, and always give it back as they found it."""

from __future__ import annotations

import gc
import threading

import pytest

from chronicle.store import collection_paused


def test_the_collector_is_off_inside_and_on_again_after() -> None:
    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
        with collection_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()


def test_an_error_inside_still_restores_the_collector() -> None:
    with pytest.raises(RuntimeError), collection_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off() -> None:
    gc.disable()
    try:
        with collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_overlapping_pauses_in_threads_end_with_the_collector_on() -> None:
    inside, release = threading.Barrier(2), threading.Event()

    def hold() -> None:
        with collection_paused():
            inside.wait()
            release.wait()

    worker = threading.Thread(target=hold)
    worker.start()
    with collection_paused():
        inside.wait()
    assert not gc.isenabled()  # the worker's pause is still running
    release.set()
    worker.join()
    assert gc.isenabled()
