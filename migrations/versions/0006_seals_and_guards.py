"""The store's record of itself (log_heads, seals) and triggers that keep derived tables to chronicle.

* ``log_heads``: the head each append transaction left, so that rows cut
  from the log's end show; ``seals``: a hash of each document as stored and
  of each entity as chronicle last wrote it (see chronicle/seals.py). Both
  append-only, like the log.
* The derived tables (read models, the models' values and rows, their
  checkpoints) refuse UPDATE and DELETE (PostgreSQL: TRUNCATE too) unless
  chronicle's own transaction holds the leave (see chronicle/guard.py):
  ``engine_guard``'s row on SQLite, the setting ``chronicle.engine`` on
  PostgreSQL.

A store written before this revision gets its records here: the current
head, and a seal of every document and entity as they are now.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

# The seal of a row must be the one chronicle computes when it stores one,
# byte for byte: the function itself is used, not a copy of it.
from chronicle.hashchain import seal_hash

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SEQ_TYPE = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
RECORDS = ("log_heads", "seals")
DERIVED = (
    "rm_models", "rm_orgs", "rm_metrics", "rm_talent", "rm_timeline", "projection_checkpoints",
    "model_values", "model_rows", "fold_checkpoints",
)
_REFUSED = "is derived state that only chronicle rewrites (`chronicle projections rebuild`)"


def _sqlite_triggers() -> list[str]:
    records = [
        f"""CREATE TRIGGER {table}_refuse_{op_name.lower()} BEFORE {op_name} ON {table}
            BEGIN SELECT RAISE(ABORT, 'chronicle: {table} are append-only; {op_name} refused'); END"""
        for table in RECORDS for op_name in ("UPDATE", "DELETE")
    ]
    derived = [
        f"""CREATE TRIGGER {table}_guard_{op_name.lower()} BEFORE {op_name} ON {table}
            WHEN (SELECT writing FROM engine_guard WHERE id = 1) IS NOT 1
            BEGIN SELECT RAISE(ABORT, 'chronicle: {table} {_REFUSED}; {op_name} refused'); END"""
        for table in DERIVED for op_name in ("UPDATE", "DELETE")
    ]
    return records + derived


def _postgres_triggers() -> list[str]:
    # chronicle_refuse_change() comes from revision 0001. The guard is checked
    # once per statement: the engine deletes thousands of rows at a time.
    return [
        *[stmt for table in RECORDS for stmt in (
            f"""CREATE TRIGGER {table}_refuse_change BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION chronicle_refuse_change()""",
            f"""CREATE TRIGGER {table}_refuse_truncate BEFORE TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION chronicle_refuse_change()""",
        )],
        f"""CREATE FUNCTION chronicle_refuse_outside_engine() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN
             IF current_setting('chronicle.engine', true) IS DISTINCT FROM 'on' THEN
               RAISE EXCEPTION 'chronicle: % {_REFUSED}; % refused', TG_TABLE_NAME, TG_OP;
             END IF;
             RETURN NULL;
           END $$""",
        *[f"""CREATE TRIGGER {table}_guard BEFORE UPDATE OR DELETE OR TRUNCATE ON {table}
              FOR EACH STATEMENT EXECUTE FUNCTION chronicle_refuse_outside_engine()"""
          for table in DERIVED],
    ]


def upgrade() -> None:
    op.create_table(
        "log_heads",
        sa.Column("seq", SEQ_TYPE, nullable=False, autoincrement=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_log_heads"),
    )
    op.create_table(
        "seals",
        sa.Column("id", SEQ_TYPE, nullable=False, autoincrement=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_seals"),
    )
    op.create_index("ix_seals_kind_key", "seals", ["kind", "key"])
    op.create_table(
        "engine_guard",
        sa.Column("id", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("writing", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_engine_guard"),
    )
    bind = op.get_bind()
    guard = sa.table("engine_guard", sa.column("id", sa.Integer()), sa.column("writing", sa.Boolean()))
    op.execute(guard.insert().values(id=1, writing=False))
    _record_what_is_there(bind)
    for statement in _sqlite_triggers() if bind.dialect.name == "sqlite" else _postgres_triggers():
        op.execute(statement)


def _record_what_is_there(bind: sa.Connection) -> None:
    """The records a store written before this revision starts from: its head, and a seal of each row."""
    now = datetime.now(timezone.utc)
    stamp = sa.DateTime(timezone=True)
    documents = sa.table(
        "documents", *(sa.column(name, sa.Text()) for name in (
            "id", "title", "publisher", "url", "kind", "published", "window", "sha256", "text_name")),
        sa.column("known_from", sa.Date()), sa.column("recorded_at", stamp),
    )
    entities = sa.table(
        "entities", *(sa.column(name, sa.Text()) for name in (
            "slug", "kind", "name", "aliases", "country", "org", "family")),
        sa.column("updated_at", stamp),
    )
    seals = sa.table("seals", sa.column("kind", sa.Text()), sa.column("key", sa.Text()), sa.column("hash", sa.Text()),
                     sa.column("recorded_at", stamp))
    for kind, table, key in (("document", documents, "id"), ("entity", entities, "slug")):
        rows = [{"kind": kind, "key": row[key], "hash": seal_hash(kind, row), "recorded_at": now}
                for row in bind.execute(sa.select(table).order_by(table.c[key])).mappings()]
        if rows:
            bind.execute(seals.insert(), rows)
    last = bind.execute(sa.text("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")).first()
    if last is not None:
        heads = sa.table("log_heads", sa.column("seq", sa.BigInteger()), sa.column("hash", sa.Text()),
                         sa.column("recorded_at", stamp))
        bind.execute(heads.insert().values(seq=last.seq, hash=last.hash, recorded_at=now))


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for table in DERIVED:
            op.execute(f"DROP TRIGGER {table}_guard ON {table}")
        op.execute("DROP FUNCTION chronicle_refuse_outside_engine()")
    else:
        for table in DERIVED:
            for op_name in ("update", "delete"):
                op.execute(f"DROP TRIGGER {table}_guard_{op_name}")
    op.drop_table("engine_guard")
    op.drop_index("ix_seals_kind_key", table_name="seals")
    op.drop_table("seals")
    op.drop_table("log_heads")
