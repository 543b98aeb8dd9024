"""How an answer reads a claim's date: the truth rules that need only the claim.

The log keeps each date as its source gave it. An answer reads some of them
more narrowly, so that it never says more than the source does (DESIGN.md,
"What an answer may say"):

- Rule 1. A claim about a *state* (a share, a count, a price, a valuation,
  revenue, users, a rank, a licence, a benchmark standing, a training cost)
  whose date has no start says what held **as of** the date's end: undated,
  it was true as reported on its source's date; "by September 2024", as of
  the end of September 2024. It shows at cutoffs on or after that day and
  not before; it is never "possibly happened" years earlier.
- Rule 4, in part. A claim its source negates ("delayed", "denied") says
  what stood as of its date's end in the same way: the release had not
  come by then.

Every path that answers (the folds, the models' stored values and rows, the
read-model tables, diff, conflicts, exports, HTTP) reads the log through
:func:`read_date` (``Store.read(reading=True)``) or :func:`start_of` (the
models' fold, which reads raw columns), so they all give one answer. The
log itself (``log``, ``show``, ``export events``) shows the stored date.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from chronicle.events import ASSERTED, NEGATING
from chronicle.fuzzydate import FuzzyDate, Precision

#: The event types whose claims are about a state, not an occurrence.
STATE_TYPES = frozenset({
    "app_ranking", "benchmark_claim", "downloads", "license", "price", "revenue", "training_cost",
    "usage_share", "user_count", "valuation",
})


def start_of(kind: str, earliest: date | None, latest: date | None, stance: str = ASSERTED) -> date | None:
    """The first day an answer may show a claim of type ``kind`` with these bounds on (None: open)."""
    if earliest is None and latest is not None and (kind in STATE_TYPES or stance in NEGATING):
        return latest
    return earliest


def read_date(kind: str, when: FuzzyDate, stance: str = ASSERTED) -> FuzzyDate:
    """``when`` as an answer reads a claim of type ``kind`` and ``stance``: itself, or an "as of" day.

    The "as of" reading keeps the source's words and precision (``context``
    for an undated claim, ``bound`` for "by ..."), and its EDTF is the day
    itself: what the answer asserts.
    """
    start = start_of(kind, when.earliest, when.latest, stance)
    if start == when.earliest:
        return when
    assert start is not None
    return FuzzyDate(when.text, start.isoformat(), start, start, when.precision, when.qualifier, when.anchor)


def as_of(when: FuzzyDate) -> date | None:
    """The day of an "as of" reading (:func:`read_date`), else None.

    Stored dates of these precisions always have an open start, so a
    closed one can only be a reading.
    """
    if when.precision in _OPEN_STARTS and when.earliest is not None and when.earliest == when.latest:
        return when.earliest
    return None


_OPEN_STARTS = (Precision.CONTEXT, Precision.BOUND)
READ_AS_STORED = "read as stored"


def explain(kind: str, stored: FuzzyDate, stance: str = ASSERTED) -> dict[str, Any]:
    """How answers read a claim of type ``kind`` stored with the date ``stored``, and why (for ``show``)."""
    read = read_date(kind, stored, stance)
    day = as_of(read)
    if day is not None:
        source = "its source's date" if stored.precision is Precision.CONTEXT else f"the end of {stored.text!r}"
        what = ("a claim about a state" if kind in STATE_TYPES else f"a {stance} claim" if stance in NEGATING
                else "a claim its source dates only by itself (a database row without a date)")
        reason = f"{what} holds as of {source} ({day.isoformat()}), not before"
    elif stored.precision is Precision.CONTEXT and stored.earliest is not None and stored.latest is not None:
        reason = (f"undated in its source: not before {stored.earliest.isoformat()} (the start of the frame its "
                  f"document states), by {stored.latest.isoformat()} (its source's date)")
    elif stored.earliest is None and stored.latest is not None:
        reason = (f"an occurrence by {stored.latest.isoformat()}: possibly happened at any cutoff before that day "
                  "(no earlier bound is known)")
    else:
        reason = READ_AS_STORED
    return {**read.to_dict(), "as_of": day.isoformat() if day else None, "reason": reason}
