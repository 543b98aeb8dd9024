"""The schema, as SQLAlchemy Core tables.

This is the one definition of the schema that Alembic's migrations must match
(`alembic check` compares them); the database itself is only ever built by the
migrations, never by ``create_all``. Column types are chosen to behave the
same on SQLite and PostgreSQL: JSON is stored as canonical text, so the bytes
we hash are the bytes we read back.
"""

from __future__ import annotations

import sqlalchemy as sa

SEQ_TYPE = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
#: The largest sequence number either backend can hold (a signed 64-bit integer):
#: a bound for every option that takes one, so that a larger one is refused, not overflowed.
MAX_SEQ = 2**63 - 1

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
    }
)

documents = sa.Table(
    "documents",
    metadata,
    sa.Column("id", sa.String(200), primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("publisher", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("kind", sa.String(20), nullable=False),
    # The publication date (or, for an undated document, its derived window)
    # as a fuzzy date in canonical JSON; `known_from` is its latest day: the
    # first day by which the document was surely public (knowledge time).
    sa.Column("published", sa.Text),
    sa.Column("window", sa.Text),
    sa.Column("known_from", sa.Date),
    sa.Column("sha256", sa.String(64)),
    sa.Column("text_name", sa.Text),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    # The period the document says its claims belong to, a fuzzy date in canonical JSON (migration 0007).
    sa.Column("frame", sa.Text),
)

entities = sa.Table(
    "entities",
    metadata,
    sa.Column("slug", sa.String(200), primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("aliases", sa.Text, nullable=False),
    sa.Column("country", sa.String(8)),
    sa.Column("org", sa.String(200)),
    sa.Column("family", sa.String(200)),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

events = sa.Table(
    "events",
    metadata,
    # Global, gap-free sequence: assigned by the store under a write lock,
    # never by the database, so a rolled-back append leaves no hole.
    # (INTEGER on SQLite so that it is the rowid itself, not a second index.)
    sa.Column("seq", SEQ_TYPE, primary_key=True, autoincrement=False),
    sa.Column("event_id", sa.String(300), nullable=False),
    sa.Column("stream", sa.String(200), nullable=False),
    sa.Column("stream_version", sa.Integer, nullable=False),
    sa.Column("type", sa.String(40), nullable=False),
    sa.Column("schema_version", sa.Integer, nullable=False),
    sa.Column("when_text", sa.Text, nullable=False),
    sa.Column("when_edtf", sa.String(100), nullable=False),
    sa.Column("earliest", sa.Date),
    sa.Column("latest", sa.Date),
    sa.Column("precision", sa.String(20), nullable=False),
    sa.Column("qualifier", sa.String(30), nullable=False),
    sa.Column("anchor", sa.String(20), nullable=False),
    sa.Column("certainty", sa.String(20), nullable=False),
    sa.Column("entities", sa.Text, nullable=False),
    sa.Column("facts", sa.Text, nullable=False),
    sa.Column("document_id", sa.String(200), sa.ForeignKey("documents.id"), nullable=False),
    sa.Column("quote", sa.Text, nullable=False),
    sa.Column("quote_start", sa.Integer),
    sa.Column("quote_end", sa.Integer),
    sa.Column("known_from", sa.Date),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
    # How the source stands behind the claim, and the annotator's note (migration 0007).
    sa.Column("stance", sa.String(20), nullable=False, server_default="asserted"),
    sa.Column("note", sa.Text),
    sa.UniqueConstraint("event_id"),
    sa.UniqueConstraint("stream", "stream_version"),
    sa.Index(None, "document_id"),
    sa.Index(None, "type"),
    # Reads at a cutoff: a subject's events up to a date (migration 0003).
    sa.Index(None, "stream", "earliest"),
)

# -- read models ---------------------------------------------------------------------------------
#
# Each projection is also kept as a plain table, for SQL clients that read
# current state without chronicle: derived state, rebuilt from the log at any
# time, so (unlike the log) it is replaced wholesale on every refresh. Values
# are plain text, numbers and dates; the evidence behind a row is kept as JSON.


def _claim_columns() -> list[sa.Column[object]]:
    """The columns of a projection row that is one claim (metrics, talent, timeline)."""
    return [
        sa.Column("when_text", sa.Text, nullable=False),
        sa.Column("when_edtf", sa.String(100), nullable=False),
        sa.Column("earliest", sa.Date),
        sa.Column("latest", sa.Date),
        sa.Column("precision", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("certainty", sa.String(20), nullable=False),
        sa.Column("document", sa.String(200), nullable=False),
        sa.Column("quote", sa.Text, nullable=False),
    ]


def _summary_columns() -> list[sa.Column[object]]:
    """The columns every row built from several claims ends with (models, orgs)."""
    return [
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("sources", sa.Integer, nullable=False),
        sa.Column("conflict", sa.Boolean, nullable=False),
        sa.Column("evidence_json", sa.Text, nullable=False),
    ]


rm_models = sa.Table(
    "rm_models",
    metadata,
    sa.Column("id", sa.String(200), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("org", sa.String(200)),
    sa.Column("org_name", sa.Text),
    sa.Column("country", sa.String(8)),
    sa.Column("family", sa.String(200)),
    # EDTF of the first release (several, "; "-joined, when sources disagree)
    # and the bounds of the best-pinned one.
    sa.Column("first_release", sa.Text),
    sa.Column("first_release_earliest", sa.Date),
    sa.Column("first_release_latest", sa.Date),
    sa.Column("openness", sa.Text),
    sa.Column("open", sa.Boolean, nullable=False),
    sa.Column("license", sa.Text),
    sa.Column("parameters", sa.Text),
    sa.Column("modalities", sa.Text),
    sa.Column("benchmarks", sa.Text),
    *_summary_columns(),
)

rm_orgs = sa.Table(
    "rm_orgs",
    metadata,
    sa.Column("id", sa.String(200), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("country", sa.String(8)),
    sa.Column("funding", sa.Text),
    sa.Column("valuation", sa.Text),
    sa.Column("ipo", sa.Text),
    sa.Column("revenue", sa.Text),
    sa.Column("users", sa.Text),
    *_summary_columns(),
)

rm_metrics = sa.Table(
    "rm_metrics",
    metadata,
    sa.Column("id", sa.String(400), primary_key=True),
    sa.Column("subject", sa.String(200), nullable=False),
    sa.Column("subject_name", sa.Text, nullable=False),
    sa.Column("metric", sa.String(40), nullable=False),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("value_number", sa.Float),
    sa.Column("unit", sa.String(40)),
    sa.Column("op", sa.String(4)),
    sa.Column("context", sa.Text),
    *_claim_columns(),
)

rm_talent = sa.Table(
    "rm_talent",
    metadata,
    sa.Column("id", sa.String(300), primary_key=True),
    sa.Column("period", sa.String(60), nullable=False),
    sa.Column("person", sa.Text, nullable=False),
    sa.Column("from_org", sa.Text),
    sa.Column("to_org", sa.Text),
    sa.Column("role", sa.Text),
    sa.Column("count", sa.Integer),
    *_claim_columns(),
)

rm_timeline = sa.Table(
    "rm_timeline",
    metadata,
    sa.Column("id", sa.String(300), primary_key=True),
    sa.Column("type", sa.String(40), nullable=False),
    sa.Column("subject", sa.String(200), nullable=False),
    sa.Column("subject_name", sa.Text, nullable=False),
    sa.Column("summary", sa.Text, nullable=False),
    *_claim_columns(),
)

#: Where each read-model table stands: written in the same transaction as its rows.
projection_checkpoints = sa.Table(
    "projection_checkpoints",
    metadata,
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    # The log up to this sequence number is in the table's rows...
    sa.Column("seq", SEQ_TYPE, nullable=False),
    # ...as of the end of this day (rows are computed "as of today").
    sa.Column("cutoff", sa.Date, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

# -- model values ---------------------------------------------------------------------------------
#
# The models projection's distinct values (see projections/models.py), one row
# per model, cell and value, with the day ordinals at which the value's status
# changes and the claim that stands behind each status. Each column is a
# minimum over the claims that give the value, so events fold in in any order
# (a late event needs no invalidation) and an as-of answer at any cutoff is
# one scan of this table, however long the log.


def _pick_columns(prefix: str) -> list[sa.Column[object]]:
    return [
        sa.Column(prefix, sa.Integer),  # day ordinal (0: no lower bound); NULL: no such claim
        sa.Column(f"{prefix}_event", sa.String(400)),
        sa.Column(f"{prefix}_document", sa.String(200)),
        sa.Column(f"{prefix}_quote", sa.Text),
    ]


model_values = sa.Table(
    "model_values",
    metadata,
    sa.Column("model", sa.String(200), primary_key=True),
    sa.Column("cell", sa.String(40), primary_key=True),
    sa.Column("value", sa.Text, primary_key=True),  # canonical JSON
    # Release dates only: the value's bounds (day ordinals, NULL open) and precision rank.
    sa.Column("lo", sa.Integer),
    sa.Column("hi", sa.Integer),
    sa.Column("rank", sa.Integer),
    # An undated release value ("by <publication date>") that another one of the
    # model's such values makes irrelevant to every row (see modelvalues.shadow).
    sa.Column("shadowed", sa.Boolean, nullable=False, server_default=sa.false()),
    *_pick_columns("starts"),  # reported or opinion: the earliest start (possibly happened from then)
    *_pick_columns("ends"),  # reported or opinion: the earliest end (happened from then)
    *_pick_columns("expected"),  # forecasts: the earliest start (expected from then)
)

#: The models rows, one version per model and stretch of event time: the row a
#: cutoff on or after ``since`` (a day ordinal) sees, until the model's next
#: version. ``since`` = -1 with no body lists every model (see modelvalues).
model_rows = sa.Table(
    "model_rows",
    metadata,
    sa.Column("model", sa.String(200), primary_key=True),
    sa.Column("since", sa.Integer, primary_key=True),
    sa.Column("body", sa.Text),  # the row as JSON; NULL: no row from then on
    sa.Index("ix_model_rows_since", "since", "model"),
)

#: Where derived tables that fold the log incrementally stand.
fold_checkpoints = sa.Table(
    "fold_checkpoints",
    metadata,
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("seq", SEQ_TYPE, nullable=False),
    # What the fold read besides events (the entities), so a change is noticed.
    sa.Column("stamp", sa.Text, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

# -- the store's record of itself ---------------------------------------------------------------
#
# Written by chronicle in the same transaction as what they record, and
# append-only like the log (triggers refuse UPDATE and DELETE): see seals.py.

#: The head each append transaction left: the last event's seq and hash.
log_heads = sa.Table(
    "log_heads",
    metadata,
    sa.Column("seq", SEQ_TYPE, primary_key=True, autoincrement=False),
    sa.Column("hash", sa.String(64), nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
)

#: A seal of each document as stored and of each entity as every engine change
#: left it: the SHA-256 of the row (hashchain.seal_hash). An entity's latest
#: seal (highest ``id``) is its state.
seals = sa.Table(
    "seals",
    metadata,
    sa.Column("id", SEQ_TYPE, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(20), nullable=False),  # "document" or "entity"
    sa.Column("key", sa.String(200), nullable=False),  # the document's id, the entity's slug
    sa.Column("hash", sa.String(64), nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index(None, "kind", "key"),
)

#: SQLite's leave for the engine to rewrite derived tables: one row, ``writing``
#: true only inside chronicle's own write transactions (see guard.py).
#: PostgreSQL uses a transaction-local setting instead; the table is there too,
#: so that both databases have one schema.
engine_guard = sa.Table(
    "engine_guard",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("writing", sa.Boolean, nullable=False),
)

#: The tables derived from the log, which only chronicle rewrites.
DERIVED = (
    "rm_models", "rm_orgs", "rm_metrics", "rm_talent", "rm_timeline", "projection_checkpoints",
    "model_values", "model_rows", "fold_checkpoints",
)
