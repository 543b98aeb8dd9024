"""The models projection's distinct values, folded incrementally (model_values, fold_checkpoints).

``as-of`` at the default basis answers the models projection from
``model_values``: one row per model, cell and value with the dates at which
the value's status changes, so its cost follows the models and their values,
not the length of the log. Derived state like the rm_* tables: ``chronicle
projections rebuild`` recomputes it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SEQ_TYPE = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _pick_columns(prefix: str) -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column(prefix, sa.Integer()),
        sa.Column(f"{prefix}_event", sa.String(400)),
        sa.Column(f"{prefix}_document", sa.String(200)),
        sa.Column(f"{prefix}_quote", sa.Text()),
    ]


def upgrade() -> None:
    op.create_table(
        "model_values",
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("cell", sa.String(40), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("lo", sa.Integer()),
        sa.Column("hi", sa.Integer()),
        sa.Column("rank", sa.Integer()),
        sa.Column("shadowed", sa.Boolean(), nullable=False, server_default=sa.false()),
        *_pick_columns("starts"),
        *_pick_columns("ends"),
        *_pick_columns("expected"),
        sa.PrimaryKeyConstraint("model", "cell", "value", name="pk_model_values"),
    )
    op.create_table(
        "fold_checkpoints",
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("seq", SEQ_TYPE, nullable=False),
        sa.Column("stamp", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_fold_checkpoints"),
    )


def downgrade() -> None:
    op.drop_table("fold_checkpoints")
    op.drop_table("model_values")
