"""The hash chain over the log.

Each stored event's ``hash`` is the SHA-256 of the previous event's hash and
the event's own row, in canonical JSON. Editing, removing or reordering any
stored row breaks the chain from that row on, and ``chronicle verify`` names
the first row where it breaks.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
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
    return hashlib.sha256(canonical_json(payload).encode()).hexdigest()


_DATE_TEXTS: dict[date, str] = {}
