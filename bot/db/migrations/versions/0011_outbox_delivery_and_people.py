"""Durable notifications (delivery columns on the outbox) and the people table.

Existing outbox rows were all held for a user's next message: they become
channel "held" rows, pending or delivered as they were.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slack_user_id", sa.String(length=64), nullable=True),
        sa.Column("teams_user_id", sa.String(length=255), nullable=True),
        sa.Column("local_user_id", sa.String(length=255), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("display_name", sa.String(length=255), nullable=True),
        sa.Column("last_channel", sa.String(length=16), nullable=True),
        sa.Column("last_seen_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("slack_user_id", name=op.f("uq_people_slack_user_id")),
        sa.UniqueConstraint("teams_user_id", name=op.f("uq_people_teams_user_id")),
        sa.UniqueConstraint("local_user_id", name=op.f("uq_people_local_user_id")),
        sa.UniqueConstraint("email", name=op.f("uq_people_email")),
    )
    with op.batch_alter_table("notification_outbox") as batch:
        batch.add_column(sa.Column("event", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("audience", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("person_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("channel", sa.String(length=16), nullable=False, server_default="held"))
        batch.add_column(sa.Column("idempotency_key", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("next_attempt_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("claimed_by", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("claimed_until", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("last_error", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("dead_at", sa.DateTime(), nullable=True))
        batch.create_unique_constraint(
            op.f("uq_notification_outbox_idempotency_key"), ["idempotency_key"]
        )
        batch.create_index(
            "ix_notification_outbox_channel_delivered_at",
            ["channel", "delivered_at", "next_attempt_at"],
            unique=False,
        )
    # Rows held before: addressed to their user.
    op.execute("UPDATE notification_outbox SET audience = user_id WHERE audience IS NULL")


def downgrade() -> None:
    op.execute("DELETE FROM notification_outbox WHERE channel <> 'held'")
    with op.batch_alter_table("notification_outbox") as batch:
        batch.drop_index("ix_notification_outbox_channel_delivered_at")
        batch.drop_constraint(op.f("uq_notification_outbox_idempotency_key"), type_="unique")
        for column in (
            "dead_at",
            "last_error",
            "claimed_until",
            "claimed_by",
            "next_attempt_at",
            "attempts",
            "idempotency_key",
            "channel",
            "person_id",
            "audience",
            "event",
        ):
            batch.drop_column(column)
    op.drop_table("people")
