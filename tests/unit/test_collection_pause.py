"""Bulk reads hold the garbage collector off, and always give it back as they found it."""

from __future__ import annotations

import gc
import threading
import weakref

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


def test_promoted_objects_go_to_the_oldest_generation_and_nothing_stays_frozen() -> None:
    with collection_paused(promote=True):
        kept = [[n] for n in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert all(id(item) in oldest for item in kept)


def test_garbage_made_during_a_promoted_pause_is_still_collected() -> None:
    class Node:
        other: object = None

    with collection_paused(promote=True):
        a, b = Node(), Node()
        a.other, b.other = b, a  # a cycle, unreachable once the names go
        probe = weakref.ref(a)
        del a, b
    assert probe() is not None  # only a collection can free a cycle
    gc.collect()
    assert probe() is None


def test_objects_frozen_by_someone_else_stay_frozen() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with collection_paused(promote=True):
            pass
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
