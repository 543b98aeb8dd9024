"""chronicle from Python: the commands' operations under the commands' names.

>>> import chronicle
>>> with chronicle.open("team.db") as c:          # doctest: +SKIP
...     c.ingest("events/")
...     models = c.as_of("2025-06", projections=["models"])

Every method returns the same JSON-ready document the command prints with
``--format json`` (or, for ``log``, the events themselves), so a notebook and
a shell script see the same answer for the same basis.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import Any

from chronicle import catalog, corrections, queries
from chronicle.corrections import Corrected, Correction
from chronicle import export as exporting
from chronicle.errors import ChronicleError
from chronicle.events import Event
from chronicle.fuzzydate import parse, parse_cutoff
from chronicle.ingest import IngestReport
from chronicle.ingest import ingest as run_ingest
from chronicle.outputs import write_text
from chronicle.render import dumps
from chronicle.store import LogFilter, Store, open_store


def _start(text: str | None) -> date | None:
    return parse(text).earliest if text is not None else None


class Chronicle:
    """One store, and every question chronicle answers about it."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # -- lifecycle --------------------------------------------------------------------------------

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Chronicle:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    @property
    def head(self) -> int:
        """The sequence number of the newest event."""
        return self.store.head()

    # -- writing ----------------------------------------------------------------------------------

    def ingest(self, *paths: str | Path, documents: Sequence[str | Path] = (), dry_run: bool = False,
               allow_drafts: bool = False) -> IngestReport:
        """Validate events files (or folders of them) and append their events (``chronicle ingest``)."""
        return run_ingest(self.store, paths, documents_dirs=[Path(d) for d in documents], dry_run=dry_run,
                          allow_drafts=allow_drafts)

    def rank(self, event_id: str, value: str, reason: str) -> Correction:
        """Rank a claim preferred, normal or deprecated (``chronicle rank``); the rank it has already appends nothing."""
        return corrections.rank(self.store, event_id, value, reason)

    def retract(self, event_id: str, reason: str) -> Correction:
        """Retract an event, with the reason on record (``chronicle retract``); a second time appends nothing."""
        return corrections.retract(self.store, event_id, reason)

    def correct(self, event_id: str, when: str, *, source: str, quote: str, reason: str,
                facts: Sequence[str] = ()) -> Corrected:
        """Supersede a claim by the analyst's own, with its date, facts, evidence and reason (``chronicle correct``)."""
        return corrections.correct(self.store, event_id, when, source=source, quote=quote, reason=reason, facts=facts)

    # -- reading the log ---------------------------------------------------------------------------

    def log(self, *, types: Sequence[str] = (), subjects: Sequence[str] = (), documents: Sequence[str] = (),
            since: str | None = None, until: str | None = None, after: int | None = None,
            limit: int | None = None) -> list[Event]:
        """Stored events in sequence order, filtered as ``chronicle log`` filters them."""
        return list(self.store.read(self._filter(types, subjects, documents, since, until, after, limit)))

    def follow(self, after: int = 0, *, poll_interval: float = 0.5,
               stop: Callable[[], bool] = lambda: False) -> Iterator[Event]:
        """Every event after ``after``, then each new one as it commits (``chronicle log --follow``)."""
        return self.store.follow(after, poll_interval=poll_interval, stop=stop)

    def show(self, event_id: str) -> dict[str, Any]:
        """One event with its document (``chronicle show``)."""
        return catalog.event(self.store, event_id)

    def sources(self, *, counts: bool = False) -> dict[str, Any]:
        """The documents, or events per document and type (``chronicle sources``)."""
        return catalog.source_counts(self.store) if counts else catalog.sources(self.store)

    def entities(self, kind: str | None = None) -> dict[str, Any]:
        """The entities the store knows (``chronicle entities``)."""
        return catalog.entities(self.store, kind)

    def verify(self, *, deep: bool = False, expect_head: str | None = None) -> dict[str, Any]:
        """The log, the store's records of itself and, with ``deep``, the derived tables (``chronicle verify``).

        ``expect_head`` is a head as verify gives it (``SEQ:HASH``); ValueError when malformed.
        """
        from chronicle.verify import parse_head, verify

        head = None if expect_head is None else parse_head(expect_head)
        return verify(self.store, deep=deep, expect_head=head).to_dict()

    # -- answers ---------------------------------------------------------------------------------

    def as_of(self, when: str, *, projections: Sequence[str] = (), known_at: str | None = None,
              at_seq: int | None = None, country: str | None = None, open_only: bool = False,
              certain: bool = False) -> dict[str, Any]:
        """What was true at the end of ``when`` (``chronicle as-of``)."""
        return queries.as_of(self.store, when, projections=projections, known_at=known_at, at_seq=at_seq,
                             filters=queries.Filters(country, open_only, certain))

    def diff(self, a: str | None, b: str | None = None, *, projections: Sequence[str] = (),
             known_at: str | None = None, known_between: tuple[str, str] | None = None,
             at_seq: int | None = None, country: str | None = None, open_only: bool = False) -> dict[str, Any]:
        """What changed between the answers at ``a`` and ``b`` (``chronicle diff``)."""
        return queries.diff(self.store, a, b, projections=projections, known_at=known_at,
                            known_between=known_between, at_seq=at_seq,
                            filters=queries.Filters(country, open_only, False))

    def conflicts(self, *, when: str = "today", known_at: str | None = None, at_seq: int | None = None,
                  include_settled: bool = False) -> dict[str, Any]:
        """Claims that disagree, side by side with their sources (``chronicle conflicts``)."""
        return queries.conflicts(self.store, when=when, known_at=known_at, at_seq=at_seq,
                                 include_settled=include_settled)

    def talent(self, *, by: str = "quarter", when: str = "today", known_at: str | None = None) -> dict[str, Any]:
        """Talent moves by period (``chronicle talent``)."""
        return queries.talent(self.store, by=by, when=when, known_at=known_at)

    # -- export ----------------------------------------------------------------------------------

    def export(self, what: str, name: str | None = None, *, format: str | None = None, as_of: str = "today",
               known_at: str | None = None, at_seq: int | None = None, output: str | Path | None = None,
               raw_csv: bool = False, **filters: Any) -> str:
        """``chronicle export events|projection NAME|timelinejs`` as text, or written to ``output``.

        ``events`` takes ``format="ndjson"|"csv"`` and the filters of
        :meth:`log`; ``projection`` takes a projection ``name``,
        ``format="json"|"csv"``, ``as_of``, ``known_at`` and ``at_seq``;
        ``timelinejs`` takes ``title``. CSV cells are neutralised for spreadsheets
        (see ``render.csv_cell``) unless ``raw_csv``.
        """
        if what == "events":
            flt = self._filter(filters.pop("types", ()), filters.pop("subjects", ()), filters.pop("documents", ()),
                               filters.pop("since", None), filters.pop("until", None), filters.pop("after", None),
                               filters.pop("limit", None))
            chunks: Any = exporting.events(self.store, flt, format or "ndjson", raw_csv=raw_csv)
        elif what == "projection":
            if name is None:
                raise ChronicleError("export projection needs a projection name", "e.g. export('projection', 'models')")
            document = exporting.projection(self.store, name, as_of, known_at=known_at, at_seq=at_seq)
            chunks = [exporting.projection_text(document, format or "json", raw_csv=raw_csv)]
        elif what == "timelinejs":
            chunks = [dumps(exporting.timelinejs(self.store, title=filters.pop("title", "chronicle timeline"))) + "\n"]
        else:
            raise ChronicleError(f"cannot export {what!r}", "choose events, projection or timelinejs")
        if filters:
            raise ChronicleError(f"export {what} takes no {', '.join(sorted(filters))}")
        if output is None:
            return "".join(chunks)
        write_text(Path(output), chunks)
        return str(output)

    def _filter(self, types: Sequence[str], subjects: Sequence[str], documents: Sequence[str], since: str | None,
                until: str | None, after: int | None, limit: int | None) -> LogFilter:
        return LogFilter(after=after, types=tuple(types), subjects=tuple(subjects), documents=tuple(documents),
                         since=_start(since), until=parse_cutoff(until) if until else None, limit=limit)


def open(url: str | None = None, *, create: bool = True) -> Chronicle:  # noqa: A001 - chronicle.open, like the CLI's --db
    """Open the store at ``url`` (a SQLite path or a database URL; default ``$CHRONICLE_DB`` or ``./chronicle.db``).

    A new SQLite store is created and migrated on first use, as ``chronicle
    ingest`` does; pass ``create=False`` to require an existing one.
    """
    return Chronicle(open_store(url, create=create))
