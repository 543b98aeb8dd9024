"""Answers in the forms other programs already read: NDJSON, CSV, JSON, TimelineJS.

Events stream out one line at a time, so exporting a large log never holds
it in memory. Everything goes through ``render`` (sorted keys, ISO dates), so
the same store gives the same bytes.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from chronicle import queries
from chronicle.errors import ChronicleError
from chronicle.events import CORRECTION_TYPES, Event, web_url
from chronicle.fuzzydate import FuzzyDate, Precision, Qualifier
from chronicle.projections import get
from chronicle.render import csv_lines, dumps, ndjson_lines, render_rows
from chronicle.store import LogFilter, Store

EVENT_FORMATS = ("ndjson", "csv")
PROJECTION_FORMATS = ("json", "csv")
#: The columns of an event as a flat CSV row (``chronicle log --format csv`` too).
EVENT_COLUMNS = ["seq", "event_id", "type", "subject", "when_text", "when_edtf", "earliest", "latest",
                 "precision", "certainty", "document", "quote", "facts", "entities"]
#: Columns every projection export adds after the projection's own.
ROW_COLUMNS = ["status", "sources", "conflict"]


def flat(event: Event) -> dict[str, Any]:
    """One event as a flat row, for tables and CSV."""
    data = event.to_dict()
    when = data.pop("when")
    data.update({
        "when": when["edtf"], "when_text": when["text"], "when_edtf": when["edtf"],
        "earliest": when["earliest"], "latest": when["latest"], "precision": when["precision"],
    })
    return data


def events(store: Store, flt: LogFilter | None = None, fmt: str = "ndjson", *, raw_csv: bool = False) -> Iterator[str]:
    """The log (or the part ``flt`` selects) as NDJSON lines or CSV lines, streamed.

    CSV cells are neutralised for spreadsheets (``render.csv_cell``) unless ``raw_csv``.
    """
    if fmt == "ndjson":
        yield from ndjson_lines(e.to_dict() for e in store.read(flt))
        return
    if fmt != "csv":
        raise ChronicleError(f"cannot export events as {fmt!r}", f"choose from {', '.join(EVENT_FORMATS)}")
    yield from csv_lines(_event_rows(store.read(flt)), raw_csv)


def _event_rows(events: Iterable[Event]) -> Iterator[list[Any]]:
    yield EVENT_COLUMNS
    for event in events:
        row = flat(event)
        yield [row.get(c) for c in EVENT_COLUMNS]


def projection(
    store: Store, name: str, when: str = "today", *, known_at: str | None = None, at_seq: int | None = None,
    filters: queries.Filters = queries.Filters(), today: date | None = None,
) -> dict[str, Any]:
    """One projection's rows at ``when`` as a JSON document with its basis."""
    proj = get(name)
    answer = queries.as_of(store, when, projections=[name], known_at=known_at, at_seq=at_seq,
                           filters=filters, today=today)
    part = answer["projections"][name]
    return {
        "schema": "chronicle.export-projection/1",
        "basis": answer["basis"],
        "projection": name,
        "version": proj.version,
        "columns": ["id", *proj.columns, *ROW_COLUMNS],
        "rows": part["rows"],
    }


def projection_text(document: dict[str, Any], fmt: str, *, raw_csv: bool = False) -> str:
    """A projection export as JSON, or as CSV with one plain column per cell (exact with ``raw_csv``)."""
    if fmt == "json":
        return dumps(document) + "\n"
    if fmt == "csv":
        return render_rows(document["rows"], document["columns"], "csv", raw_csv=raw_csv)
    raise ChronicleError(f"cannot export a projection as {fmt!r}", f"choose from {', '.join(PROJECTION_FORMATS)}")


# -- TimelineJS ---------------------------------------------------------------------------------------

#: Precisions finer than a month: the slide shows the day.
_DAY = {Precision.DAY, Precision.DAY_RANGE}
#: Precisions that name a span of months: the slide spans them.
_SPAN = {Precision.QUARTER, Precision.THIRD, Precision.HALF, Precision.SEASON}


def _tl_date(day: date, parts: int) -> dict[str, int]:
    keys = ("year", "month", "day")[:parts]
    return {k: getattr(day, k) for k in keys}


def _known_parts(edtf: str) -> int:
    """How many of year, month, day the known end of an open EDTF interval gives."""
    known = next((p for p in edtf.split("/") if p not in ("", "..")), "")
    return min(3, max(1, len(known.rstrip("~?%").split("-"))))


def timeline_dates(when: FuzzyDate, fallback: date | None = None) -> tuple[dict[str, int], dict[str, int] | None, str]:
    """TimelineJS start and end dates truncated to the precision, and a label for vague dates.

    A day stays a day; a month has no day; a quarter, third, half or season
    spans its months; a year is a year. An open interval shows only its known
    end, labelled "by …" or "since …"; a date the text never gave shows the
    document's date, labelled as such.
    """
    lo, hi, precision = when.earliest, when.latest, when.precision
    if lo is not None and hi is not None:
        if precision in _DAY:
            start, end = _tl_date(lo, 3), (_tl_date(hi, 3) if hi != lo else None)
            label = "" if precision is Precision.DAY else f"some day {lo.isoformat()} – {hi.isoformat()}"
        elif precision is Precision.MONTH and (lo.year, lo.month) == (hi.year, hi.month):
            start, end, label = _tl_date(lo, 2), None, ""
        elif precision is Precision.YEAR and lo.year == hi.year:
            start, end, label = _tl_date(lo, 1), None, ""
        else:
            start, end = _tl_date(lo, 2), _tl_date(hi, 2)
            label = f"vague: some time {lo.strftime('%b %Y')} – {hi.strftime('%b %Y')}"
        if when.qualifier is not Qualifier.NONE:
            label = (label + "; " if label else "") + when.qualifier.value
        return start, end, label
    if precision is Precision.CONTEXT and hi is not None:
        return _tl_date(hi, 3), None, f"no date in the text; reported by {hi.isoformat()}"
    if hi is not None:
        return _tl_date(hi, _known_parts(when.edtf)), None, f"by {hi.isoformat()}, start unknown"
    if lo is not None:
        return _tl_date(lo, _known_parts(when.edtf)), None, f"since {lo.isoformat()}, end unknown"
    day = fallback or date.today()
    return _tl_date(day, 3), None, f"date unknown; reported by {day.isoformat()}"


def _slide(event: Event, ctx: Any) -> dict[str, Any]:
    doc = ctx.documents.get(event.document)
    start, end, label = timeline_dates(event.when, doc.known_from if doc else None)
    # The original words first; with no words, the label says what is known.
    words = event.when.text or label or event.when.edtf
    notes = [label] if label and event.when.text else []
    if event.certainty == "forecast":
        notes.insert(0, "expected")
    elif event.certainty == "opinion":
        notes.insert(0, "opinion")
    display = words + "".join(f" ({n})" for n in notes)
    source = html.escape(doc.title if doc else event.document)
    link = web_url(doc.url) if doc is not None else None
    if link is not None:  # only http(s): a url stored before the validator checked it stays text
        source = f'<a href="{html.escape(link, quote=True)}">{source}</a>'
    if doc is not None and doc.publisher:
        source += f", {html.escape(doc.publisher)}"
    subject = ctx.name_of(event.subject)
    slide: dict[str, Any] = {
        "start_date": start,
        "display_date": display,
        "text": {
            "headline": html.escape(f"{subject}: {event.type.replace('_', ' ')}"),
            "text": f"<blockquote>“{html.escape(event.evidence.quote)}”</blockquote><p>— {source}</p>",
        },
        "group": event.type.replace("_", " "),
        "unique_id": event.event_id,
    }
    if end is not None:
        slide["end_date"] = end
    return slide


def timelinejs(store: Store, *, title: str = "chronicle timeline", flt: LogFilter | None = None) -> dict[str, Any]:
    """The log as a TimelineJS (Knight Lab) JSON document: one slide per event.

    Corrections are not slides, and the claims they leave out (``chronicle.corrected``) leave the timeline.
    The extra ``schema`` and ``basis`` keys are ignored by TimelineJS.
    """
    loaded = queries.load(store, [])
    wanted: set[str] | None = None
    if flt is not None:
        wanted = {e.event_id for e in store.read(flt)}
    shown = [e for e in loaded.events
             if e.type not in CORRECTION_TYPES and e.event_id not in loaded.ctx.left_out
             and (wanted is None or e.event_id in wanted)]
    slides = [_slide(e, loaded.ctx) for e in shown]
    docs = len({e.document for e in shown})
    return {
        "schema": "chronicle.timelinejs/1",
        "basis": {"store_seq": loaded.store_seq},
        "title": {"text": {"headline": html.escape(title),
                           "text": f"{len(slides)} events from {docs} documents (store sequence {loaded.store_seq})"}},
        "events": slides,
    }

