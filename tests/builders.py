"""Small builders for domain objects in tests."""

from __future__ import annotations

from typing import Any

from chronicle.events import Document, Event, Evidence, event_id
from chronicle.fuzzydate import parse


def doc(doc_id: str = "doc-a", published: str = "2026-01-21", **changes: Any) -> Document:
    values: dict[str, Any] = dict(
        id=doc_id, title=f"Title of {doc_id}", publisher="Publisher", url=f"https://example.org/{doc_id}",
        published=parse(published), window=None, sha256=None, text_name=None, kind="news",
    )
    values.update(changes)
    return Document(**values)


def event(
    local: str,
    *,
    document: str = "doc-a",
    subject: str = "deepseek-r1",
    type: str = "model_release",
    when: str = "2025-01",
    certainty: str = "reported",
    facts: dict[str, Any] | None = None,
    quote: str | None = None,
    entities: tuple[str, ...] = (),
) -> Event:
    return Event(
        event_id=event_id(document, local),
        type=type,
        subject=subject,
        when=parse(when),
        certainty=certainty,
        evidence=Evidence(document, quote or f"quote for {local}"),
        facts=facts or {},
        entities=entities,
    )
