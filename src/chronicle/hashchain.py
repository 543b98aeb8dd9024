"""The hash chain over the log.

Each stored event's ``hash`` is the SHA-256 of the previous event's hash and
the event's own row, in canonical JSON. Editing, removing or reordering any
stored row breaks the chain from that row on, and ``chronicle verify`` names
the first row where it breaks.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timezone
from typing import Any

GENESIS = "0" * 64

#: The columns a hash covers, in order: everything but the hash itself.
HASHED_COLUMNS = (
    "seq", "event_id", "stream", "stream_version", "type", "schema_version",
    "when_text", "when_edtf", "earliest", "latest", "precision", "qualifier", "anchor",
    "certainty", "entities", "facts", "document_id", "quote", "quote_start", "quote_end",
    "known_from", "recorded_at",
)


# One encoder for every call: json.dumps with options builds a new one each time.
_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
# The C function that encoder runs, made once: ``encode`` makes it again on
# every call. Same options, so the same text; no check for cycles (chronicle
# never builds a cyclic value; Python would stop at its recursion limit).
_make_encoder: Any = getattr(json.encoder, "c_make_encoder", None)
_ITERENCODE = (None if _make_encoder is None else _make_encoder(
    None, _ENCODER.default, json.encoder.encode_basestring, None, ":", ",", True, False, True))


def canonical_json(obj: Any) -> str:
    """JSON with sorted keys and no spaces: the same value always gives the same text."""
    if _ITERENCODE is None or isinstance(obj, str):  # pragma: no cover - without the C accelerator
        return _ENCODER.encode(obj)
    return "".join(_ITERENCODE(obj, 0))


def utc_iso(moment: datetime) -> str:
    """A timestamp as UTC ISO text; naive values (SQLite) are already UTC."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return utc_iso(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


#: Columns added after the chain began (migration 0007), with their defaults. A row
#: hashes them only where one differs from its default, after every other column, as
#: one JSON object: a row stored before they existed keeps its hash.
OPTIONAL_COLUMNS: Mapping[str, Any] = {"stance": "asserted", "note": None}


def optional_part(row: Mapping[str, Any]) -> str:
    """The text a row's ``OPTIONAL_COLUMNS`` add at the end of its hashed payload ("" when none)."""
    get = row.get
    if get("note") is None and get("stance", "asserted") == "asserted":
        return ""  # most rows: asked without building anything (an append hashes every row)
    extra = {name: get(name, default) for name, default in OPTIONAL_COLUMNS.items() if get(name, default) != default}
    return "," + canonical_json(extra) if extra else ""


def row_hash(prev_hash: str, row: Mapping[str, Any]) -> str:
    """The hash of one row, chained on the previous row's hash."""
    payload = [prev_hash]
    append = payload.append
    texts = _DATE_TEXTS
    for name in HASHED_COLUMNS:
        value = row[name]
        # Only dates and timestamps need a text form; everything else is JSON
        # already. A log repeats its dates (and a batch its timestamp): each
        # one's text is worked out once.
        if isinstance(value, date):
            text = texts.get(value)
            if text is None:
                if len(texts) > 100_000:
                    texts.clear()
                text = texts[value] = _plain(value)
            value = text
        append(value)
    text = canonical_json(payload)
    extra = optional_part(row)
    if extra:
        text = text[:-1] + extra + "]"
    return hashlib.sha256(text.encode()).hexdigest()


_DATE_TEXTS: dict[date, str] = {}

#: The hashed columns whose values come from the event alone, whatever its
#: place in the log: one stretch of the hashed payload, from ``type`` to ``quote_end``.
EVENT_PART = HASHED_COLUMNS[4:20]
assert EVENT_PART[0] == "type" and EVENT_PART[-1] == "quote_end"
_quoted: Any = json.encoder.encode_basestring  # the string encoder canonical_json runs


def event_part(values: Sequence[Any]) -> str:
    """The text that the ``EVENT_PART`` values (in that order) make inside a row's hashed payload.

    Worked out once per event, possibly in another process, so that the
    append only joins it with what the log decides: see :func:`chained_hash`.
    """
    payload = list(values)
    for at, value in enumerate(payload):
        if isinstance(value, date):
            payload[at] = _date_text(value)
    return canonical_json(payload)[1:-1]


def chained_hash(prev_hash: str, row: Mapping[str, Any], part: str) -> str:
    """``row_hash(prev_hash, row)``, given the ``event_part`` of the row's values.

    The payload is a JSON list, and canonical JSON joins a list's items
    with commas, so the text of the whole list is that of its items joined:
    the same bytes, hence the same hash.
    """
    seq, version = row["seq"], row["stream_version"]
    if type(seq) is not int or type(version) is not int:
        return row_hash(prev_hash, row)
    known, recorded = row["known_from"], row["recorded_at"]
    known_text = "null" if known is None else _quoted(_date_text(known))
    text = (f"[{_quoted(prev_hash)},{seq},{_quoted(row['event_id'])},{_quoted(row['stream'])},{version},{part},"
            f"{known_text},{_quoted(_date_text(recorded))}{optional_part(row)}]")
    return hashlib.sha256(text.encode()).hexdigest()


def _date_text(value: date) -> str:
    text = _DATE_TEXTS.get(value)
    if text is None:
        if len(_DATE_TEXTS) > 100_000:
            _DATE_TEXTS.clear()
        text = _DATE_TEXTS[value] = _plain(value)
    return text


#: The columns a seal covers (seals.py), per kind of row: all of the row's, in
#: order. Named here, not read from the table, so that a column added later
#: does not change the seals already written.
SEALED_COLUMNS = {
    "document": ("id", "title", "publisher", "url", "kind", "published", "window", "known_from", "sha256",
                 "text_name", "recorded_at"),
    "entity": ("slug", "kind", "name", "aliases", "country", "org", "family", "updated_at"),
}


def seal_hash(kind: str, row: Mapping[Any, Any]) -> str:
    """The seal of a stored document or entity row: SHA-256 of its kind and values in canonical JSON."""
    payload: list[Any] = [kind, *(_plain(row[name]) for name in SEALED_COLUMNS[kind])]
    # Columns added later are sealed only where they hold something: older seals stay true.
    extra = {name: row[name] for name in OPTIONAL_SEALED.get(kind, ()) if row.get(name) is not None}
    if extra:
        payload.append(extra)
    return hashlib.sha256(canonical_json(payload).encode()).hexdigest()


#: Columns of sealed rows added after seals began (migration 0007): sealed where not null.
OPTIONAL_SEALED = {"document": ("frame",)}
