"""The first schema: documents, entities, the append-only events log.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SEQ_TYPE = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

# The database itself refuses to change the log: chronicle has no update or
# delete path, and these triggers make sure nothing else has one either.
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER {table}_refuse_{op_name.lower()} BEFORE {op_name} ON {table}
        BEGIN SELECT RAISE(ABORT, 'chronicle: {table} are append-only; {op_name} refused'); END"""
    for table in ("events", "documents")
    for op_name in ("UPDATE", "DELETE")
]
POSTGRES_TRIGGERS = [
    """CREATE FUNCTION chronicle_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION 'chronicle: % are append-only; % refused', TG_TABLE_NAME, TG_OP;
       END $$""",
    *[
        stmt
        for table in ("events", "documents")
        for stmt in (
            f"""CREATE TRIGGER {table}_refuse_change BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION chronicle_refuse_change()""",
            f"""CREATE TRIGGER {table}_refuse_truncate BEFORE TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION chronicle_refuse_change()""",
        )
    ],
]


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(200), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("publisher", sa.Text()),
        sa.Column("url", sa.Text()),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("published", sa.Text()),
        sa.Column("window", sa.Text()),
        sa.Column("known_from", sa.Date()),
        sa.Column("sha256", sa.String(64)),
        sa.Column("text_name", sa.Text()),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
    )
    op.create_table(
        "entities",
        sa.Column("slug", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("aliases", sa.Text(), nullable=False),
        sa.Column("country", sa.String(8)),
        sa.Column("org", sa.String(200)),
        sa.Column("family", sa.String(200)),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("slug", name="pk_entities"),
    )
    op.create_table(
        "events",
        sa.Column("seq", SEQ_TYPE, nullable=False, autoincrement=False),
        sa.Column("event_id", sa.String(300), nullable=False),
        sa.Column("stream", sa.String(200), nullable=False),
        sa.Column("stream_version", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("schema_version", sa.Integer(), nullable=False),
        sa.Column("when_text", sa.Text(), nullable=False),
        sa.Column("when_edtf", sa.String(100), nullable=False),
        sa.Column("earliest", sa.Date()),
        sa.Column("latest", sa.Date()),
        sa.Column("precision", sa.String(20), nullable=False),
        sa.Column("qualifier", sa.String(30), nullable=False),
        sa.Column("anchor", sa.String(20), nullable=False),
        sa.Column("certainty", sa.String(20), nullable=False),
        sa.Column("entities", sa.Text(), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("document_id", sa.String(200), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("quote_start", sa.Integer()),
        sa.Column("quote_end", sa.Integer()),
        sa.Column("known_from", sa.Date()),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_events"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name="fk_events_document_id_documents"),
        sa.UniqueConstraint("event_id", name="uq_events_event_id"),
        sa.UniqueConstraint("stream", "stream_version", name="uq_events_stream_stream_version"),
    )
    op.create_index("ix_events_document_id", "events", ["document_id"])
    op.create_index("ix_events_type", "events", ["type"])
    bind = op.get_bind()
    for statement in SQLITE_TRIGGERS if bind.dialect.name == "sqlite" else POSTGRES_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP FUNCTION chronicle_refuse_change() CASCADE")
    op.drop_index("ix_events_type", table_name="events")
    op.drop_index("ix_events_document_id", table_name="events")
    op.drop_table("events")
    op.drop_table("entities")
    op.drop_table("documents")
