"""One way to refuse a date: name the input, say why, list what is accepted."""

from __future__ import annotations

from chronicle.errors import FuzzyDateError

ACCEPTED = (
    "accepted: 2025, 2025-06, 2025-06-15, EDTF (2025-35, 2025-06~, ../2024-09, 2025-03/..), "
    "'January 20, 2025', 'Jan 2025', 'Q3 2025', 'H1 2025', 'mid-2025', 'late March 2025', "
    "'summer 2025', 'by/before/after/since/around X', 'within a month of X'; with a "
    "publication date also 'in December', 'last year', 'on Tuesday', "
    "'nine days before Chinese New Year'"
)


def cannot_read(text: str, reason: str = "it is not a date form chronicle reads") -> FuzzyDateError:
    """The error for a date text chronicle will not guess at."""
    return FuzzyDateError(f"cannot read date {text!r}: {reason}", ACCEPTED)
