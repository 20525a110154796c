"""A 👎 answer's knowledge gap is linked to its feedback row: one gap per 👎, kept up to date.

A 👎 is recorded at once and its reason follows from a form; both now update the same gap (not two),
and a 👎 changed to 👍 removes it. Gaps recorded before this have no link and stay as they are.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("knowledge_gaps") as batch:
        batch.add_column(sa.Column("feedback_id", sa.Integer(), nullable=True))
    op.create_index("ix_knowledge_gaps_feedback_id", "knowledge_gaps", ["feedback_id"])


def downgrade() -> None:
    op.drop_index("ix_knowledge_gaps_feedback_id", table_name="knowledge_gaps")
    with op.batch_alter_table("knowledge_gaps") as batch:
        batch.drop_column("feedback_id")
