"""Knowledge gaps: declined questions and 👎 answers (redacted text only when switched on).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "knowledge_gaps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("area", sa.String(length=120), nullable=True),
        sa.Column("question", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("category", sa.String(length=64), nullable=True),
        sa.Column("vector", sa.JSON(), nullable=True),
        sa.Column("nearest", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_knowledge_gaps")),
    )
    op.create_index("ix_knowledge_gaps_at", "knowledge_gaps", ["at"])


def downgrade() -> None:
    op.drop_index("ix_knowledge_gaps_at", table_name="knowledge_gaps")
    op.drop_table("knowledge_gaps")
