"""What a claim's source stands behind, the annotator's note, and a document's frame.

* ``events.stance``: how the source stands behind the claim (``asserted``,
  ``reportedly``, ``claimed``, ``anticipated``, ``delayed``, ``denied``);
  every event stored before reads as asserted.
* ``events.note``: the annotator's note on the event, kept with it.
* ``documents.frame``: the period a document says its claims belong to
  ("China's AI milestones in 2025"), as a fuzzy date in canonical JSON: an
  undated occurrence in it happened no earlier than the frame's start.

Adding a column with a default rewrites no row, so the log's triggers (which
refuse UPDATE) are not in the way, and no hash or seal changes: the chain and
the seals cover these columns only where they hold something other than
their default (see chronicle/hashchain.py).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("events", sa.Column("stance", sa.String(20), nullable=False, server_default="asserted"))
    op.add_column("events", sa.Column("note", sa.Text(), nullable=True))
    op.add_column("documents", sa.Column("frame", sa.Text(), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35 and later have it): rebuilding the tables
    # in a batch would drop their triggers with them.
    op.execute("ALTER TABLE documents DROP COLUMN frame")
    op.execute("ALTER TABLE events DROP COLUMN note")
    op.execute("ALTER TABLE events DROP COLUMN stance")
