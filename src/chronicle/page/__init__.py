"""Pages for people: the self-contained HTML timeline."""

from __future__ import annotations

from chronicle.page.html import timeline_html

__all__ = ["timeline_html"]
