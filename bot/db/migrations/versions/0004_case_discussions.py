"""Case discussions: the discussion, its invited participants, and every contribution as written.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "discussions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=64), nullable=False),
        sa.Column("stage", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("thread_key", sa.String(length=255), nullable=True),
        sa.Column("channel", sa.String(length=32), nullable=True),
        sa.Column("facilitator", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["referral_id"], ["referrals.id"], name=op.f("fk_discussions_referral_id_referrals")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discussions")),
    )
    op.create_index(op.f("ix_discussions_referral_id"), "discussions", ["referral_id"], unique=False)
    op.create_index(op.f("ix_discussions_thread_key"), "discussions", ["thread_key"], unique=False)
    op.create_table(
        "discussion_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("discussion_id", sa.Integer(), nullable=False),
        sa.Column("identity", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=True),
        sa.Column("agency", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("invited_by", sa.String(length=255), nullable=False),
        sa.Column("invited_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["discussion_id"],
            ["discussions.id"],
            name=op.f("fk_discussion_participants_discussion_id_discussions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discussion_participants")),
        sa.UniqueConstraint(
            "discussion_id", "identity", name=op.f("uq_discussion_participants_discussion_id_identity")
        ),
    )
    op.create_index(
        op.f("ix_discussion_participants_discussion_id"), "discussion_participants", ["discussion_id"], unique=False
    )
    op.create_table(
        "discussion_contributions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("discussion_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("author", sa.String(length=255), nullable=False),
        sa.Column("author_name", sa.String(length=255), nullable=True),
        sa.Column("agency", sa.String(length=120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("owner_agency", sa.String(length=120), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("action_plan_item", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["discussion_id"],
            ["discussions.id"],
            name=op.f("fk_discussion_contributions_discussion_id_discussions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discussion_contributions")),
    )
    op.create_index(
        op.f("ix_discussion_contributions_discussion_id"),
        "discussion_contributions",
        ["discussion_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_discussion_contributions_discussion_id"), table_name="discussion_contributions")
    op.drop_table("discussion_contributions")
    op.drop_index(op.f("ix_discussion_participants_discussion_id"), table_name="discussion_participants")
    op.drop_table("discussion_participants")
    op.drop_index(op.f("ix_discussions_thread_key"), table_name="discussions")
    op.drop_index(op.f("ix_discussions_referral_id"), table_name="discussions")
    op.drop_table("discussions")
