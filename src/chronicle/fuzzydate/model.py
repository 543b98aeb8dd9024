"""The fuzzy date value type and its vocabulary."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from chronicle.errors import FuzzyDateError


class Precision(str, Enum):
    """How finely the words pin a date down, finest first."""

    DAY = "day"
    DAY_RANGE = "day-range"
    MONTH = "month"
    QUARTER = "quarter"
    THIRD = "third"
    HALF = "half"
    SEASON = "season"
    YEAR = "year"
    BOUND = "bound"
    CONTEXT = "context"
    UNKNOWN = "unknown"


class Qualifier(str, Enum):
    """EDTF's qualifiers: ``~`` approximate, ``?`` uncertain, ``%`` both."""

    NONE = "none"
    APPROXIMATE = "approximate"
    UNCERTAIN = "uncertain"
    APPROXIMATE_UNCERTAIN = "approximate-uncertain"


class Anchor(str, Enum):
    """What the date was read against."""

    ABSOLUTE = "absolute"
    PUBLICATION = "publication"
    HOLIDAY = "holiday"
    EVENT = "event"


class Status(str, Enum):
    """Where a date stands against a query cutoff."""

    HAPPENED = "happened"
    POSSIBLY = "possibly"
    NOT_YET = "not-yet"


# Declaration order is the finest-first rank used to break sorting ties.
_RANK = {p: i for i, p in enumerate(Precision)}


@dataclass(frozen=True, slots=True)
class FuzzyDate:
    """A date as the text gives it: its words, canonical EDTF and inclusive bounds.

    ``earliest``/``latest`` are inclusive; ``None`` means open (unbounded) on
    that side. Bounds are derived from ``edtf`` once, when the value is read.
    """

    text: str
    edtf: str
    earliest: date | None
    latest: date | None
    precision: Precision
    qualifier: Qualifier = Qualifier.NONE
    anchor: Anchor = Anchor.ABSOLUTE

    def to_dict(self) -> dict[str, str | None]:
        """Plain JSON-ready fields: ISO dates (or None) and enum values."""
        return {
            "text": self.text,
            "edtf": self.edtf,
            "earliest": self.earliest.isoformat() if self.earliest else None,
            "latest": self.latest.isoformat() if self.latest else None,
            "precision": self.precision.value,
            "qualifier": self.qualifier.value,
            "anchor": self.anchor.value,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> FuzzyDate:
        """Rebuild a value written by ``to_dict`` (stored bounds are trusted, not recomputed)."""
        try:
            return cls(
                text=str(d["text"]),
                edtf=str(d["edtf"]),
                earliest=_iso(d.get("earliest")),
                latest=_iso(d.get("latest")),
                precision=Precision(d["precision"]),
                qualifier=Qualifier(d.get("qualifier", Qualifier.NONE.value)),
                anchor=Anchor(d.get("anchor", Anchor.ABSOLUTE.value)),
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise FuzzyDateError(
                f"cannot read stored date {dict(d)!r}: {exc}",
                "a stored date needs text, edtf, earliest, latest and precision",
            ) from None

    def sort_key(self) -> tuple[tuple[int, date], tuple[int, date], int, str]:
        """Total order: earliest (open first), latest (open last), precision, edtf."""
        low = (0, date.min) if self.earliest is None else (1, self.earliest)
        high = (1, date.max) if self.latest is None else (0, self.latest)
        return (low, high, _RANK[self.precision], self.edtf)

    def quarter(self) -> str | None:
        """``"2025-Q3"`` when both bounds fall in one calendar quarter, else None."""
        lo, hi = self.earliest, self.latest
        if lo is None or hi is None or lo.year != hi.year:
            return None
        q = (lo.month - 1) // 3 + 1
        if (hi.month - 1) // 3 + 1 != q:
            return None
        return f"{lo.year}-Q{q}"

    def overlaps(self, other: FuzzyDate) -> bool:
        """Whether the two inclusive spans share at least one day (open ends unbounded)."""
        if self.latest is not None and other.earliest is not None and self.latest < other.earliest:
            return False
        if other.latest is not None and self.earliest is not None and other.latest < self.earliest:
            return False
        return True

    def contains(self, day: date) -> bool:
        """Whether ``day`` lies within the inclusive bounds."""
        if self.earliest is not None and day < self.earliest:
            return False
        return self.latest is None or day <= self.latest


def _iso(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
