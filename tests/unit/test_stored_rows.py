"""Events rebuilt from stored rows are built without their constructors; they must not differ."""

from __future__ import annotations

import pickle
from dataclasses import FrozenInstanceError, astuple, fields
from datetime import datetime, timezone

import pytest

from chronicle.events import Event, Evidence, stored_event, stored_evidence
from chronicle.fuzzydate import parse


def _given() -> Event:
    return Event(
        "doc-a:r1", "model_release", "deepseek-r1", parse("2025-01"), "reported",
        Evidence("doc-a", "a quote", 3, 10), {"license": "MIT"}, ("deepseek",), 1, 7, 2,
        datetime(2026, 1, 2, tzinfo=timezone.utc),
    )


def test_a_stored_event_equals_the_constructed_one_field_by_field() -> None:
    made = _given()
    evidence = stored_evidence(*astuple(made.evidence))
    built = stored_event(*[evidence if f.name == "evidence" else getattr(made, f.name) for f in fields(Event)])
    assert type(built) is Event and type(built.evidence) is Evidence
    assert built == made and repr(built) == repr(made)
    # every field is set: a field added to Event must be added to the builder too
    assert [getattr(built, f.name) for f in fields(Event)] == [getattr(made, f.name) for f in fields(Event)]
    assert pickle.loads(pickle.dumps(built)) == made


def test_a_stored_event_is_as_frozen_as_any() -> None:
    made = _given()
    evidence = stored_evidence(*astuple(made.evidence))
    built = stored_event(*[evidence if f.name == "evidence" else getattr(made, f.name) for f in fields(Event)])
    with pytest.raises(FrozenInstanceError):
        built.seq = 8  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        built.evidence.quote = "other"  # type: ignore[misc]
