"""What the store knows of, as JSON documents: documents, entities, one event, a page of events.

Each document names its schema and carries the basis it was read at (the
store's head), so that the CLI, the HTTP API and the Python API print the
same thing for the same question.
"""

from __future__ import annotations

from typing import Any

from chronicle.events import CORRECTION_TYPES
from chronicle.reading import explain
from chronicle.store import LogFilter, Store

#: The most events one page of ``events_page`` returns.
MAX_PAGE = 1000


def basis(store: Store) -> dict[str, int]:
    """The basis of an answer about the whole store: its head sequence number."""
    return {"store_seq": store.head()}


def sources(store: Store) -> dict[str, Any]:
    """Every document, with its events counted."""
    head = basis(store)
    per_doc = store.document_counts()
    rows = [
        d.to_dict() | {
            "published_edtf": d.published.edtf if d.published else f"undated, window {d.dated.edtf}",
            "events": sum(per_doc.get(d.id, {}).values()),
        }
        for d in store.documents()
    ]
    return {"schema": "chronicle.sources/1", "basis": head, "documents": rows}


def source_counts(store: Store) -> dict[str, Any]:
    """Events per document and type, with per-type and grand totals as "(all)" rows."""
    head = basis(store)
    per_doc = store.document_counts()
    rows: list[dict[str, Any]] = [{"document": doc, "type": kind, "events": n}
                                  for doc in sorted(per_doc) for kind, n in sorted(per_doc[doc].items())]
    by_type: dict[str, int] = {}
    for kinds in per_doc.values():
        for kind, n in kinds.items():
            by_type[kind] = by_type.get(kind, 0) + n
    rows += [{"document": "(all)", "type": kind, "events": n} for kind, n in sorted(by_type.items())]
    rows.append({"document": "(all)", "type": "(all)", "events": sum(by_type.values())})
    return {"schema": "chronicle.source-counts/1", "basis": head, "counts": rows}


def entities(store: Store, kind: str | None = None) -> dict[str, Any]:
    """The entities the store knows, optionally of one kind."""
    items = [e.to_dict() for e in store.entities() if kind is None or e.kind == kind]
    return {"schema": "chronicle.entities/1", "basis": basis(store), "entities": items}


def event(store: Store, event_id: str) -> dict[str, Any]:
    """One event with its document, and the corrections about it (see :func:`corrections_of`)."""
    found = store.get(event_id)
    return {"schema": "chronicle.event/1", "basis": basis(store), "event": found.to_dict(),
            "reading": explain(found.type, found.when, found.stance, found.certainty, store.floor_for(found)),
            "document": store.document(found.document).to_dict(),
            "corrections": corrections_of(store, event_id)}


def corrections_of(store: Store, event_id: str) -> list[dict[str, Any]]:
    """The corrections that name an event, in sequence order: as their target, or as the claim that replaces it."""
    out = []
    # Corrections are few beside the claims: every one is read.
    for e in store.read(LogFilter(types=tuple(sorted(CORRECTION_TYPES)))):
        if event_id in (e.facts.get("target"), e.facts.get("replacement")):
            out.append({"event": e.event_id, "seq": e.seq, "type": e.type,
                        **{k: e.facts[k] for k in ("target", "replacement", "rank_value", "reason") if k in e.facts}})
    return out


def events_page(store: Store, after: int = 0, limit: int = 100) -> dict[str, Any]:
    """Up to ``limit`` events after sequence number ``after``, and where the next page starts.

    A follower asks again with ``after=next_after``; because appends commit
    in sequence order (see ``Store._lock``), paging this way never skips an
    event, even one that committed while the follower was reading.
    """
    head = basis(store)
    items = [e.to_dict() for e in store.read(LogFilter(after=after, limit=min(limit, MAX_PAGE)))]
    next_after = items[-1]["seq"] if items else after
    return {"schema": "chronicle.events-page/1", "basis": head, "after": after, "limit": limit,
            "next_after": next_after, "more": next_after < head["store_seq"], "events": items}
