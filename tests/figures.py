"""Figures the reliability tests report: trials run, events written, examples tried.

Tests add to named counters; the suite prints them at the end of the run (see
``pytest_terminal_summary`` in ``conftest.py``), so a run shows how much it
actually exercised, not only that it passed.
"""

from __future__ import annotations

from collections import Counter

FIGURES: Counter[str] = Counter()


def add(name: str, amount: int = 1) -> None:
    FIGURES[name] += amount


def backend_of(url: str) -> str:
    return "postgresql" if url.startswith("postgresql") else "sqlite"
