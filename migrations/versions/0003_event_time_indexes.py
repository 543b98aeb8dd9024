"""An index for reads at a cutoff: each subject's events by event time.

``as-of``, ``diff`` and ``conflicts`` read only the events that may have
happened by their cutoff, often only some subjects' (the models of the
models projection): (stream, earliest) finds them with one range seek per
subject instead of a scan of the whole log.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision = "0003"
# Follows the initial schema here; where another revision 0002 exists, this
# one follows it (the indexes do not depend on anything 0002 adds).
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_events_stream_earliest", "events", ["stream", "earliest"])


def downgrade() -> None:
    op.drop_index("ix_events_stream_earliest", table_name="events")
