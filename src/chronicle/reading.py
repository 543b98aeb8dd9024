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
  come by then. An opinion, likewise, is its source's view as of its date.
- Rule 2 (b, c). A reported occurrence whose date has no start ("by
  <publication date>": undated in a document that states no frame) did not
  happen before its subject existed, nor before any entity it names did:
  its start is the latest of those entities' *starts* the store knows (the
  earliest dated release, announcement or launch claim about each, see
  :data:`START_TYPES`), capped at its own end. Below that day the claim is
  absent. (Rule 2 (a), the document's frame, is applied when the events
  file is read: such a claim is stored with the frame's start.)

Every path that answers (the folds, the models' stored values and rows, the
read-model tables, diff, conflicts, exports, HTTP) reads the log through
:func:`read_date` (``Store.read(reading=True)``) or :func:`start_of` (the
models' fold, which reads raw columns), so they all give one answer. The
log itself (``log``, ``show``, ``export events``) shows the stored date.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from chronicle.events import ASSERTED, NEGATING
from chronicle.fuzzydate import FuzzyDate, Precision

#: The event types whose claims are about a state, not an occurrence.
STATE_TYPES = frozenset({
    "app_ranking", "benchmark_claim", "downloads", "license", "price", "revenue", "training_cost",
    "usage_share", "user_count", "valuation",
})


#: The claims that begin their subject: a model's release or announcement, a product's launch.
START_TYPES = frozenset({"model_release", "model_announcement", "product_launch"})
#: The stances under which a dated start claim bounds other claims (not planned, not negated).
STARTING = frozenset({ASSERTED, "reportedly", "claimed"})
REPORTED, OPINION = "reported", "opinion"

#: Entity slug -> its start: the first day a dated start claim about it allows.
Floors = Mapping[str, date]


def starts(kind: str, certainty: str, stance: str) -> bool:
    """Whether a dated claim of this type, certainty and stance gives its subject a start."""
    return kind in START_TYPES and certainty == REPORTED and stance in STARTING


def floor_of(floors: Floors, subject: str, named: Iterable[str]) -> tuple[date, str] | None:
    """The latest start among the claim's subject and the entities it names, and whose it is (None: none known)."""
    best: tuple[date, str] | None = None
    for slug in (subject, *named):
        day = floors.get(slug)
        if day is not None and (best is None or (day, slug) > best):
            best = (day, slug)
    return best


def floored(kind: str, earliest: date | None, latest: date | None, stance: str, certainty: str) -> bool:
    """Whether a claim so dated is an occurrence that starts bound below (the rest do not depend on them)."""
    return (earliest is None and latest is not None and certainty == REPORTED and kind not in STATE_TYPES
            and stance not in NEGATING)


def start_of(kind: str, earliest: date | None, latest: date | None, stance: str = ASSERTED,
             certainty: str = REPORTED, floor: date | None = None) -> date | None:
    """The first day an answer may show a claim of type ``kind`` with these bounds on (None: open).

    ``floor`` is the latest start of the entities the claim is about and
    names (:func:`floor_of`); it bounds a reported occurrence with an open start.
    """
    if earliest is not None or latest is None:
        return earliest
    if kind in STATE_TYPES or stance in NEGATING or certainty == OPINION:
        return latest
    if floor is not None and certainty == REPORTED:
        return min(floor, latest)  # (floored: the two rules above did not apply)
    return None


def read_date(kind: str, when: FuzzyDate, stance: str = ASSERTED, certainty: str = REPORTED,
              floor: date | None = None) -> FuzzyDate:
    """``when`` as an answer reads a claim of type ``kind``, ``stance`` and ``certainty``.

    Itself; or an "as of" day, which keeps the source's words and precision
    (``context`` for an undated claim, ``bound`` for "by ...") and whose EDTF
    is the day itself: what the answer asserts; or, bounded below by a
    ``floor``, the interval from it to the date's end.
    """
    start = start_of(kind, when.earliest, when.latest, stance, certainty, floor)
    if start == when.earliest:
        return when
    assert start is not None and when.latest is not None
    end = start if start == when.latest else when.latest
    return FuzzyDate(when.text, read_edtf(start, when.latest), start, end, when.precision, when.qualifier, when.anchor)


def read_edtf(start: date, latest: date) -> str:
    """The EDTF of a reading from ``start`` (:func:`start_of`) of a date that ends on ``latest``."""
    return start.isoformat() if start == latest else f"{start.isoformat()}/{latest.isoformat()}"


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


def explain(kind: str, stored: FuzzyDate, stance: str = ASSERTED, certainty: str = REPORTED,
            floor: tuple[date, str] | None = None) -> dict[str, Any]:
    """How answers read a claim of type ``kind`` stored with the date ``stored``, and why (for ``show``).

    ``floor`` is what :func:`floor_of` gives for the claim: the latest start
    of its subject and the entities it names, and whose.
    """
    read = read_date(kind, stored, stance, certainty, floor[0] if floor else None)
    day = as_of(read)
    bounded = floor is not None and floored(kind, stored.earliest, stored.latest, stance, certainty)
    if bounded and floor is not None:
        whose = f"the first dated release or launch of {floor[1]!r} the store knows"
        if day is not None:
            reason = (f"an occurrence by {day.isoformat()} (its source's date), though {whose} is later, "
                      f"{floor[0].isoformat()}: shown from its source's date, not before")
        else:
            reason = (f"an occurrence by {stored.latest.isoformat() if stored.latest else '?'}: not before "
                      f"{floor[0].isoformat()} ({whose}); possibly happened between the two")
    elif day is not None:
        source = "its source's date" if stored.precision is Precision.CONTEXT else f"the end of {stored.text!r}"
        what = ("a claim about a state" if kind in STATE_TYPES else f"a {stance} claim" if stance in NEGATING
                else "an opinion" if certainty == OPINION
                else "a claim its source dates only by itself (a database row without a date)")
        reason = f"{what} holds as of {source} ({day.isoformat()}), not before"
    elif stored.precision is Precision.CONTEXT and stored.earliest is not None and stored.latest is not None:
        reason = (f"undated in its source: not before {stored.earliest.isoformat()} (the start of the frame its "
                  f"document states), by {stored.latest.isoformat()} (its source's date)")
    elif stored.earliest is None and stored.latest is not None and certainty == "forecast":
        reason = f"a forecast of something by {stored.latest.isoformat()}: expected, never shown as happened"
    elif stored.earliest is None and stored.latest is not None:
        reason = (f"an occurrence by {stored.latest.isoformat()}: possibly happened at any cutoff before that day "
                  "(no earlier bound is known: neither its source nor a frame its document states gives a start, "
                  "and the store knows no dated release or launch of what it is about or names)")
    else:
        reason = READ_AS_STORED
    return {**read.to_dict(), "as_of": day.isoformat() if day else None,
            "floor": {"day": floor[0].isoformat(), "entity": floor[1]} if bounded and floor else None,
            "reason": reason}
