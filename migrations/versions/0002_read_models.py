"""Read-model tables (rm_models, rm_orgs, rm_metrics, rm_talent, rm_timeline) and their checkpoints.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SEQ_TYPE = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _claim_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("when_text", sa.Text(), nullable=False),
        sa.Column("when_edtf", sa.String(100), nullable=False),
        sa.Column("earliest", sa.Date()),
        sa.Column("latest", sa.Date()),
        sa.Column("precision", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("certainty", sa.String(20), nullable=False),
        sa.Column("document", sa.String(200), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
    ]


def _summary_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("sources", sa.Integer(), nullable=False),
        sa.Column("conflict", sa.Boolean(), nullable=False),
        sa.Column("evidence_json", sa.Text(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "rm_models",
        sa.Column("id", sa.String(200), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("org", sa.String(200)),
        sa.Column("org_name", sa.Text()),
        sa.Column("country", sa.String(8)),
        sa.Column("family", sa.String(200)),
        sa.Column("first_release", sa.Text()),
        sa.Column("first_release_earliest", sa.Date()),
        sa.Column("first_release_latest", sa.Date()),
        sa.Column("openness", sa.Text()),
        sa.Column("open", sa.Boolean(), nullable=False),
        sa.Column("license", sa.Text()),
        sa.Column("parameters", sa.Text()),
        sa.Column("modalities", sa.Text()),
        sa.Column("benchmarks", sa.Text()),
        *_summary_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_rm_models"),
    )
    op.create_table(
        "rm_orgs",
        sa.Column("id", sa.String(200), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("country", sa.String(8)),
        sa.Column("funding", sa.Text()),
        sa.Column("valuation", sa.Text()),
        sa.Column("ipo", sa.Text()),
        sa.Column("revenue", sa.Text()),
        sa.Column("users", sa.Text()),
        *_summary_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_rm_orgs"),
    )
    op.create_table(
        "rm_metrics",
        sa.Column("id", sa.String(400), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("subject_name", sa.Text(), nullable=False),
        sa.Column("metric", sa.String(40), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("value_number", sa.Float()),
        sa.Column("unit", sa.String(40)),
        sa.Column("op", sa.String(4)),
        sa.Column("context", sa.Text()),
        *_claim_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_rm_metrics"),
    )
    op.create_table(
        "rm_talent",
        sa.Column("id", sa.String(300), nullable=False),
        sa.Column("period", sa.String(60), nullable=False),
        sa.Column("person", sa.Text(), nullable=False),
        sa.Column("from_org", sa.Text()),
        sa.Column("to_org", sa.Text()),
        sa.Column("role", sa.Text()),
        sa.Column("count", sa.Integer()),
        *_claim_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_rm_talent"),
    )
    op.create_table(
        "rm_timeline",
        sa.Column("id", sa.String(300), nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("subject_name", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        *_claim_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_rm_timeline"),
    )
    op.create_table(
        "projection_checkpoints",
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("seq", SEQ_TYPE, nullable=False),
        sa.Column("cutoff", sa.Date(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_projection_checkpoints"),
    )


def downgrade() -> None:
    for table in ("projection_checkpoints", "rm_timeline", "rm_talent", "rm_metrics", "rm_orgs", "rm_models"):
        op.drop_table(table)
