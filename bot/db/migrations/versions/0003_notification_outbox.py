"""Notifications held for a user until their next message (the outbox).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notification_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("referral_reference", sa.String(length=20), nullable=True),
        sa.Column("reply", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_outbox")),
    )
    op.create_index(
        "ix_notification_outbox_user_id_delivered_at",
        "notification_outbox",
        ["user_id", "delivered_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_notification_outbox_user_id_delivered_at", table_name="notification_outbox")
    op.drop_table("notification_outbox")
