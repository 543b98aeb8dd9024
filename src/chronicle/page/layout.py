"""Where each event goes on the page: the time scale, lanes, and sub-rows that keep labels apart.

Pure geometry from timeline rows; nothing here knows about HTML. Dates are
inclusive, so an interval is drawn from the start of its first day to the end
of its last day: "2025-06" covers all of June on the axis.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

PLOT_LEFT = 190  # the lane names sit left of this
PLOT_RIGHT = 1560
ROW_HEIGHT = 17
LANE_PAD = 7
AXIS_HEIGHT = 46
CHAR_WIDTH = 6.1  # average width of a character at the label font size, for packing
LABEL_GAP = 5
MAX_LABEL = 40
MAX_LANE_NAME = 25  # what fits left of the plot
OTHER = "other"


@dataclass(frozen=True)
class Scale:
    """Dates to x positions; ``end`` is exclusive."""

    start: date
    end: date

    def x(self, day: date) -> float:
        span = (self.end - self.start).days
        return round(PLOT_LEFT + (day - self.start).days / span * (PLOT_RIGHT - PLOT_LEFT), 1)


def _bounds(row: Mapping[str, Any]) -> tuple[date | None, date | None]:
    lo, hi = row.get("earliest"), row.get("latest")
    return (date.fromisoformat(lo) if lo else None, date.fromisoformat(hi) if hi else None)


def scale_for(rows: Iterable[Mapping[str, Any]], cutoff: date) -> Scale:
    """Whole years around every known date and the cutoff.

    An open start needs room to fade in, so when the earliest thing on the page
    is an open bound's end, the axis starts a year before it.
    """
    known: list[date] = [cutoff]
    open_ends: list[date] = []
    for row in rows:
        lo, hi = _bounds(row)
        known.extend(d for d in (lo, hi) if d is not None)
        if lo is None and hi is not None:
            open_ends.append(hi)
    first = min(known)
    year = first.year - 1 if open_ends and min(open_ends).year == first.year and first == min(open_ends) else first.year
    return Scale(date(year, 1, 1), date(max(known).year + 1, 1, 1))


@dataclass(frozen=True)
class Tick:
    x: float
    kind: str  # year, quarter, month
    label: str


def ticks(scale: Scale) -> list[Tick]:
    """Year, quarter and month ticks; month labels only when a month is wide enough to hold one."""
    month_px = (PLOT_RIGHT - PLOT_LEFT) / ((scale.end - scale.start).days / 30.44)
    out = []
    for year in range(scale.start.year, scale.end.year):
        for month in range(1, 13):
            x = scale.x(date(year, month, 1))
            if month == 1:
                out.append(Tick(x, "year", str(year)))
            elif month % 3 == 1:
                out.append(Tick(x, "quarter", f"Q{month // 3 + 1}" if month_px * 3 >= 22 else ""))
            else:
                out.append(Tick(x, "month", date(year, month, 1).strftime("%b")[0] if month_px >= 14 else ""))
    return out


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def label_of(row: Mapping[str, Any]) -> str:
    """Subject and type; an "other" event says what it is by its id's own words instead."""
    what = row["type"].replace("_", " ")
    if row["type"] == "other":
        words = row["id"].rsplit(":", 1)[-1].split("-")
        # "deepseek-moment-defining" about DeepSeek-R1 need not say DeepSeek twice.
        if len(words) > 1 and (words[0] in row["subject"] or words[0] in (row.get("org") or "")):
            words = words[1:]
        what = " ".join(words)
    return _short(f"{row.get('subject_name') or row['subject']} · {what}", MAX_LABEL)


@dataclass
class Placed:
    """One event's geometry: its mark from x0 to x1 (equal for a point) and its label."""

    row: Mapping[str, Any]
    x0: float
    x1: float
    open_start: bool
    open_end: bool
    point: bool
    label: str
    label_x: float
    label_anchor: str  # start or end
    sub: int = 0

    @property
    def extent(self) -> tuple[float, float]:
        width = len(self.label) * CHAR_WIDTH
        if self.label_anchor == "start":
            lo, hi = min(self.x0, self.label_x), max(self.x1, self.label_x + width)
        else:
            lo, hi = min(self.x0, self.label_x - width), max(self.x1, self.label_x)
        return lo - (4 if self.point else 0), hi + LABEL_GAP + (4 if self.point else 0)


def place(row: Mapping[str, Any], scale: Scale) -> Placed:
    """The mark and label of one event; a label goes right of its mark, else left, else inside."""
    lo, hi = _bounds(row)
    point = row.get("precision") == "day" and lo is not None and lo == hi
    x0 = scale.x(lo) if lo else float(PLOT_LEFT)
    x1 = scale.x(hi + timedelta(days=1)) if hi else float(PLOT_RIGHT)
    if point:
        x0 = x1 = round((x0 + x1) / 2, 1)
    label = label_of(row)
    width = len(label) * CHAR_WIDTH
    if x1 + LABEL_GAP + width <= PLOT_RIGHT + 30:
        label_x, anchor = x1 + LABEL_GAP + (4 if point else 0), "start"
    elif x0 - LABEL_GAP - width >= PLOT_LEFT:
        label_x, anchor = x0 - LABEL_GAP - (4 if point else 0), "end"
    else:
        label_x, anchor = x1 - LABEL_GAP, "end"
    return Placed(row, x0, x1, lo is None, hi is None, point, label, round(label_x, 1), anchor)


@dataclass
class Lane:
    key: str
    name: str
    events: list[Placed] = field(default_factory=list)
    rows: int = 1
    y: float = 0.0

    @property
    def height(self) -> float:
        # Room for the lane's name and count even when it holds one event.
        return max(self.rows * ROW_HEIGHT, 26) + 2 * LANE_PAD


def lane_key(row: Mapping[str, Any], by: str) -> tuple[str, str]:
    if by == "type":
        return row["type"], row["type"].replace("_", " ")
    if row.get("org"):
        return row["org"], _short(row.get("org_name") or row["org"], MAX_LANE_NAME)
    return OTHER, "Other (no organization)"


def pack(events: Sequence[Placed]) -> int:
    """Greedy first fit in start order: each event takes the first sub-row it does not overlap."""
    ends: list[float] = []
    for event in sorted(events, key=lambda e: (e.extent[0], e.extent[1], e.row["id"])):
        start, end = event.extent
        for i, last in enumerate(ends):
            if last <= start:
                event.sub, ends[i] = i, end
                break
        else:
            event.sub = len(ends)
            ends.append(end)
    return max(1, len(ends))


def lanes(rows: Iterable[Mapping[str, Any]], scale: Scale, by: str = "org") -> list[Lane]:
    """Lanes by organization (or type), the busiest first and "other" last, each packed into sub-rows."""
    found: dict[str, Lane] = {}
    for row in rows:
        key, name = lane_key(row, by)
        found.setdefault(key, Lane(key, name)).events.append(place(row, scale))
    ordered = sorted(found.values(), key=lambda lane: (lane.key == OTHER, -len(lane.events), lane.name.lower(), lane.key))
    y = float(AXIS_HEIGHT)
    for lane in ordered:
        lane.rows = pack(lane.events)
        lane.y = y
        y += lane.height
    return ordered
