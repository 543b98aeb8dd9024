"""The models rows themselves, one version per model and interval of event time (model_rows).

A model's row at a cutoff changes only where one of its values' statuses
changes, so ``model_rows`` keeps, per model, the row from each such day
(``since``, a day ordinal) until the next. ``as-of`` at the default basis
then reads one row per model, one index seek each, whatever the length of
the log. Each model also has a row at ``since`` = -1 with no body, which
lists the models. Derived state like ``model_values``: ``chronicle
projections rebuild`` recomputes it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "model_rows",
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("since", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text()),
        sa.PrimaryKeyConstraint("model", "since", name="pk_model_rows"),
    )
    op.create_index("ix_model_rows_since", "model_rows", ["since", "model"])


def downgrade() -> None:
    op.drop_index("ix_model_rows_since", table_name="model_rows")
    op.drop_table("model_rows")
