"""Epoch AI's "Notable AI Models" dataset as a source: one CSV snapshot → document, entities, events.

Pure: bytes in, domain objects out; nothing here reads or writes the store.
Each row becomes one ``model_release`` dated by the row's publication date,
or, for a row without one, an ``other`` event that holds as of the snapshot:
a blank date in a database is not a date, and the row says only that the
database listed the model then, not that it was released by then (Llama 4
Behemoth, listed before it was ever released). Each carries typed facts (organizations, countries, parameters, training compute,
accessibility, openness and the open-weights flag, base model, the row's
confidence and its link). Every problem in the file is collected, with the
line its record starts on, into one ``ValidationError``.

The dataset is published by Epoch AI under CC BY 4.0; it is cited as
"Epoch AI, Data on Notable AI Models".
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from chronicle.errors import FuzzyDateError, Problem, ValidationError
from chronicle.events import Document, Entity, Event, Evidence, event_id
from chronicle.fuzzydate import Anchor, FuzzyDate, Precision, parse
from chronicle.importers.epoch_csv import Record, read_table
from chronicle.importers.matching import EntityMatcher, slugify

DATASET = "epoch-notable-models"
NAME = "Epoch AI's Notable AI Models"
PUBLISHER = "Epoch AI"
URL = "https://epoch.ai/data"
ATTRIBUTION = "Epoch AI, Data on Notable AI Models (CC BY 4.0)"
MAX_QUOTE_WORDS = 25
#: The type of a row's event: a release on the row's date, or a listing of an undated row.
RELEASE, LISTING = "model_release", "other"
ROW_TYPES = (RELEASE, LISTING)
Progress = Callable[[int, int], None]

#: The dataset's country names -> ISO 3166 alpha-2. Names not here are kept as written.
COUNTRY_CODES = {
    "united states of america": "US", "united states": "US", "china": "CN", "hong kong": "HK",
    "taiwan": "TW", "united kingdom of great britain and northern ireland": "GB", "united kingdom": "GB",
    "canada": "CA", "france": "FR", "switzerland": "CH", "germany": "DE", "korea (republic of)": "KR",
    "south korea": "KR", "japan": "JP", "israel": "IL", "singapore": "SG", "australia": "AU",
    "netherlands": "NL", "saudi arabia": "SA", "czechia": "CZ", "finland": "FI", "india": "IN",
    "united arab emirates": "AE", "austria": "AT", "belgium": "BE", "poland": "PL", "sweden": "SE",
    "spain": "ES", "ireland": "IE", "iran (islamic republic of)": "IR", "italy": "IT", "norway": "NO",
    "russia": "RU", "russian federation": "RU", "argentina": "AR", "brazil": "BR", "denmark": "DK",
    "portugal": "PT", "turkey": "TR", "vietnam": "VN", "viet nam": "VN", "indonesia": "ID",
}

#: The start of an accessibility category -> chronicle's openness word.
OPENNESS = (
    ("open weights", "open-weight"), ("open source", "open-weight"), ("api access", "api"),
    ("hosted access", "hosted"), ("unreleased", "unreleased"),
)
YES, NO = frozenset({"yes", "true", "1", "y"}), frozenset({"no", "false", "0", "n"})


def split_multi(cell: str) -> list[str]:
    """A comma-joined multi-valued cell, stripped, empties and repeats dropped, order kept."""
    return list(dict.fromkeys(v.strip() for v in cell.split(",") if v.strip()))


def read_number(cell: str) -> int | float:
    """``6.71e+11`` -> 671000000000; integral values below 2**53 become ints, as in events files."""
    value = float(cell.replace("_", ""))
    if not math.isfinite(value) or value < 0:
        raise ValueError(cell)
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def openness_of(accessibility: str) -> str | None:
    text = accessibility.casefold()
    return next((word for start, word in OPENNESS if text.startswith(start)), None)


def snapshot_document(snapshot: date, file_name: str, sha256: str) -> Document:
    day = snapshot.isoformat()
    return Document(
        id=f"{DATASET}-{day}", title=f"{ATTRIBUTION}, snapshot of {day}", publisher=PUBLISHER, url=URL,
        published=parse(day), window=None, sha256=sha256, text_name=file_name, kind="database",
    )


@dataclass
class Snapshot:
    """What one CSV file says: its document, the entities it needs, one event per row."""

    document: Document
    events: list[Event]
    new_entities: list[Entity]
    matched_entities: list[str]
    rows: int
    snapshot_from: str  # "option" or "latest publication date"
    columns: dict[str, str] = field(default_factory=dict)


@dataclass
class _Row:
    record: Record
    model: str
    when: FuzzyDate | None
    facts: dict[str, Any]
    orgs: list[str]
    countries: list[str]
    base_models: list[str]


def _read_row(file: str, record: Record, problems: list[Problem]) -> _Row | None:
    def bad(column: str, message: str) -> None:
        problems.append(Problem(file, record.line, column, message))

    model = " ".join(record.get("model").split())
    if not model:
        bad("model", "empty: every row names a model")
    when = None
    cell = record.get("publication_date")
    if cell:
        try:
            when = parse(cell)
        except FuzzyDateError as exc:
            bad("publication_date", exc.message)
        else:
            if when.precision is not Precision.DAY:
                bad("publication_date", f"{cell!r} is not a day (expected YYYY-MM-DD)")
    facts: dict[str, Any] = {}
    for column, unit in (("parameters", "params"), ("training_compute", "FLOP")):
        cell = record.get(column)
        if cell:
            try:
                facts[column] = {"value": read_number(cell), "unit": unit, "op": "="}
            except ValueError:
                bad(column, f"{cell!r} is not a number")
    accessibility = " ".join(record.get("accessibility").split())
    if accessibility:
        facts["accessibility"] = accessibility
        openness = openness_of(accessibility)
        if openness is not None:
            facts["openness"] = openness
            facts["open_weights"] = openness == "open-weight"
    flag = record.get("open_weights").casefold()
    if flag in YES or flag in NO:
        facts["open_weights"] = flag in YES  # the dataset's own flag, where it has one, wins
    elif flag:
        bad("open_weights", f"{record.get('open_weights')!r} is not yes or no")
    for column in ("confidence", "link"):
        if record.get(column):
            facts[column] = " ".join(record.get(column).split())
    if not model:
        return None
    countries = [COUNTRY_CODES.get(c.casefold(), c) for c in split_multi(record.get("country"))]
    return _Row(record, model, when, facts, split_multi(record.get("organization")), countries,
                split_multi(record.get("base_model")))


def _org_countries(orgs: list[str], countries: list[str]) -> list[str | None]:
    """The country of each org, where the row says it: one country per org in order, or one for all."""
    codes = [c if len(c) == 2 and c.isupper() else None for c in countries]
    if len(codes) == len(orgs):
        return codes
    distinct = set(codes)
    if len(distinct) == 1 and None not in distinct:
        return [codes[0]] * len(orgs)
    return [None] * len(orgs)


def _quote(row: _Row) -> str:
    words = row.model.split()[: MAX_QUOTE_WORDS - 1]
    name = " ".join(words)
    date_cell = row.record.get("publication_date")
    return f"{name}, {date_cell}" if date_cell else name


def _entities(rows: list[_Row], matcher: EntityMatcher) -> dict[int, tuple[str, list[str], list[str]]]:
    """Per row (by line): the model's slug, its orgs' slugs and its base models' slugs."""
    out: dict[int, tuple[str, list[str], list[str]]] = {}
    for row in rows:
        org_slugs = []
        for org, country in zip(row.orgs, _org_countries(row.orgs, row.countries), strict=True):
            slug = matcher.resolve(org, "org", country=country)
            matcher.fill(slug, country=country)
            org_slugs.append(slug)
        codes = {c for c in row.countries if len(c) == 2 and c.isupper()}
        country = next(iter(codes)) if len(codes) == 1 and len(row.countries) >= 1 else None
        model = matcher.resolve(row.model, "model", org=org_slugs[0] if org_slugs else None, country=country)
        out[row.record.line] = (model, org_slugs, [])
    # Base models after every row's model, so that a base model listed in the file is that row's entity.
    for row in rows:
        model, orgs, _ = out[row.record.line]
        out[row.record.line] = (model, orgs, [matcher.resolve(b, "model") for b in row.base_models])
    return out


def listed_when(doc: Document) -> FuzzyDate:
    """The date of an undated row's listing: as of the snapshot's day, and not before it."""
    day = doc.dated.latest
    assert day is not None, "a snapshot has a day"
    return FuzzyDate("", day.isoformat(), day, day, Precision.CONTEXT, anchor=Anchor.PUBLICATION)


def _event(row: _Row, local: str, doc: Document, slugs: tuple[str, list[str], list[str]]) -> Event:
    model, orgs, bases = slugs
    facts = dict(row.facts)
    if orgs:
        facts["organizations"] = sorted(set(orgs))
    if row.countries:
        facts["countries"] = row.countries
    distinct_bases = sorted(set(bases) - {model})
    if len(distinct_bases) == 1:
        facts["base_model"] = distinct_bases[0]
    elif distinct_bases:
        facts["base_models"] = distinct_bases
    return Event(
        event_id=event_id(doc.id, local),
        type=RELEASE if row.when is not None else LISTING,
        subject=model,
        when=row.when if row.when is not None else listed_when(doc),
        certainty="reported",
        evidence=Evidence(doc.id, _quote(row)),
        facts=dict(sorted(facts.items())),
        entities=tuple(sorted(set(orgs) | set(distinct_bases) - {model})),
    )


def read_snapshot(
    path: str | Path,
    known: Mapping[str, Entity],
    *,
    snapshot: date | None = None,
    data: bytes | None = None,
    progress: Progress | None = None,
) -> Snapshot:
    """Read one snapshot file; raises ValidationError with every problem found."""
    path = Path(path)
    file = str(path)
    data = path.read_bytes() if data is None else data
    table, problems = read_table(file, data)
    if table is None:
        raise ValidationError(problems)
    rows = [r for r in (_read_row(file, rec, problems) for rec in table.records) if r is not None]
    if not rows and not problems:
        problems.append(Problem(file, 2, "file", "no rows: the header is all there is"))
    dated = [r.when.latest for r in rows if r.when is not None and r.when.latest is not None]
    if snapshot is None and not dated and rows:
        problems.append(Problem(file, 1, "publication_date", "no row has a date; give --snapshot-date"))
    if problems:
        raise ValidationError(problems)
    snapshot_from = "option" if snapshot is not None else "latest publication date"
    day = snapshot or max(dated)
    doc = snapshot_document(day, path.name, hashlib.sha256(data).hexdigest())
    matcher = EntityMatcher(known.values())
    slugs = _entities(rows, matcher)
    events: list[Event] = []
    taken: set[str] = set()
    for done, row in enumerate(rows, 1):
        # A row's id is its model name's slug; a name given twice gets -2, -3, ... in file order.
        local, number = slugify(row.model), 1
        while local in taken:
            number += 1
            local = f"{slugify(row.model)}-{number}"
        taken.add(local)
        events.append(_event(row, local, doc, slugs[row.record.line]))
        if progress is not None:
            progress(done, len(rows))
    return Snapshot(doc, events, sorted(matcher.created.values(), key=lambda e: e.slug),
                    sorted(matcher.matched), len(rows), snapshot_from, table.columns)
