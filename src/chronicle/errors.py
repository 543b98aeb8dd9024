"""The errors chronicle raises on purpose.

Every error a user can cause is a ``ChronicleError``: it carries a one-line
message and, where there is one, a hint that says how to fix the problem.
Exactly one place (``chronicle.cli``) turns them into ``Error: ...`` lines.
"""

from __future__ import annotations

from dataclasses import dataclass


class ChronicleError(Exception):
    """Base class of every error chronicle reports to a user."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message} ({self.hint})"


class FuzzyDateError(ChronicleError, ValueError):
    """A date text that chronicle cannot read without guessing."""


class ConfigError(ChronicleError):
    """A bad store URL, a missing file or folder, an unusable option."""


@dataclass(frozen=True, order=True)
class Problem:
    """One problem found while validating an events file."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class ValidationError(ChronicleError):
    """An events file has problems; it carries every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        count = len(self.problems)
        files = sorted({p.file for p in self.problems})
        head = f"{count} problem{'s' if count != 1 else ''} in {', '.join(files)}; nothing was appended"
        super().__init__(head + "\n" + "\n".join(str(p) for p in self.problems))


class StoreError(ChronicleError):
    """The store refused an operation."""


class ConflictError(StoreError):
    """An event id already stored with other content, or a stream version mismatch."""


class RefusedError(ConflictError):
    """Refused events kept a whole ingest out: nothing of it was written."""

    def __init__(self, refused: int) -> None:
        super().__init__(f"{refused} event(s) refused; nothing was appended",
                         "a correction is a new event with a new id, never an edit of a stored one")
        self.refused = refused


class NotFoundError(ChronicleError):
    """An event, document or entity that is not in the store."""
