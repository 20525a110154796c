"""The narrative sections of the quarterly "How are we doing?" report.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_narratives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.String(length=8), nullable=False),
        sa.Column("section", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.String(length=255), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_narratives")),
        sa.UniqueConstraint("quarter", "section", name=op.f("uq_report_narratives_quarter_section")),
    )
    op.create_index("ix_report_narratives_quarter", "report_narratives", ["quarter"])


def downgrade() -> None:
    op.drop_index("ix_report_narratives_quarter", table_name="report_narratives")
    op.drop_table("report_narratives")
