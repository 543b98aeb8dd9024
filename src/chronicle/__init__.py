"""chronicle: dated, source-attributed events in an append-only store, and
the projections rebuilt from them.

``chronicle.open(url)`` gives the Python API (see :mod:`chronicle.api`); it is
imported on first use, so importing chronicle builds nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chronicle.api import Chronicle

__version__ = "0.1.0"


def open(url: str | None = None, *, create: bool = True) -> Chronicle:  # noqa: A001 - the API's entry point
    """Open the store at ``url``; see :func:`chronicle.api.open`."""
    from chronicle.api import open as open_chronicle

    return open_chronicle(url, create=create)
