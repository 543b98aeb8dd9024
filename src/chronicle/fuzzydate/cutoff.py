"""Query cutoffs and where a date stands against one (the valid-time clock)."""

from __future__ import annotations

import re
from datetime import date

from chronicle.errors import FuzzyDateError
from chronicle.fuzzydate.calendar import month_end
from chronicle.fuzzydate.model import Anchor, FuzzyDate, Precision, Status

_CUTOFF = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?|-[qQ](\d))?")
_CUTOFF_FORMS = "a cutoff is 2025, 2025-06, 2025-Q2, 2025-06-15 or today"


def parse_cutoff(text: str, *, today: date | None = None) -> date:
    """The last day of the period a cutoff names: ``2025`` means 2025-12-31.

    "As of June 2025" asks about everything up to the end of June, so every
    cutoff is read as the END of its period.
    """
    cleaned = text.strip()
    if cleaned.lower() == "today":
        return today if today is not None else date.today()
    m = _CUTOFF.fullmatch(cleaned)
    if m is None:
        raise FuzzyDateError(f"cannot read cutoff {text!r}", _CUTOFF_FORMS)
    year_s, month_s, day_s, quarter_s = m.groups()
    year = int(year_s)
    if quarter_s is not None:
        quarter = int(quarter_s)
        if not 1 <= quarter <= 4:
            raise FuzzyDateError(f"cannot read cutoff {text!r}: quarter must be 1-4", _CUTOFF_FORMS)
        return month_end(year, quarter * 3)
    try:
        if month_s is None:
            return date(year, 12, 31)
        if day_s is None:
            return month_end(year, int(month_s))
        return date(year, int(month_s), int(day_s))
    except ValueError:
        raise FuzzyDateError(f"cannot read cutoff {text!r}: no such day", _CUTOFF_FORMS) from None


def status(when: FuzzyDate, cutoff: date) -> Status:
    """Whether ``when`` happened by ``cutoff``, possibly happened, or not yet.

    Happened needs the whole span at or before the cutoff; a span that starts
    by the cutoff (or has no known start) but may end after it is only possible.
    """
    if when.latest is not None and when.latest <= cutoff:
        return Status.HAPPENED
    if when.earliest is None or when.earliest <= cutoff:
        return Status.POSSIBLY
    return Status.NOT_YET


def context_date(published: FuzzyDate) -> FuzzyDate:
    """The date of a claim the text does not date: some time up to publication.

    An open start, because the text says nothing about when it began; the end
    is the latest day the document could have been written. EDTF cannot say
    "from context", so the EDTF reads back as a BOUND with the same bounds;
    ``to_dict``/``from_dict`` keep the CONTEXT precision.
    """
    latest = published.latest
    edtf = f"../{latest.isoformat()}" if latest is not None else "../.."
    return FuzzyDate("", edtf, None, latest, Precision.CONTEXT, anchor=Anchor.PUBLICATION)


def framed_date(published: FuzzyDate, frame: FuzzyDate) -> FuzzyDate:
    """:func:`context_date` bounded below by the start of the document's stated ``frame``.

    A document that says what period it covers ("China's AI milestones in
    2025") dates its undated occurrences no earlier than that period's start.
    A frame that starts after the document's end bounds nothing.
    """
    undated = context_date(published)
    start, latest = frame.earliest, undated.latest
    if start is None or latest is None or start > latest:
        return undated
    return FuzzyDate("", f"{start.isoformat()}/{latest.isoformat()}", start, latest, Precision.CONTEXT,
                     anchor=Anchor.PUBLICATION)
