"""Document versions and changes (what changed at each ingest), change subscriptions and their notices.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=1000), nullable=False),
        sa.Column("source", sa.String(length=255), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("areas", sa.JSON(), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=True),
        sa.Column("effective", sa.String(length=40), nullable=True),
        sa.Column("review_by", sa.String(length=40), nullable=True),
        sa.Column("source_url", sa.String(length=1000), nullable=True),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("removed_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_versions")),
        sa.UniqueConstraint("path", "version", name=op.f("uq_document_versions_path_version")),
    )
    op.create_index(op.f("ix_document_versions_path"), "document_versions", ["path"], unique=False)
    op.create_table(
        "document_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=1000), nullable=False),
        sa.Column("source", sa.String(length=255), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("areas", sa.JSON(), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=True),
        sa.Column("source_url", sa.String(length=1000), nullable=True),
        sa.Column("change", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("previous_version", sa.Integer(), nullable=True),
        sa.Column("diff", sa.JSON(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_changes")),
    )
    op.create_index(op.f("ix_document_changes_path"), "document_changes", ["path"], unique=False)
    op.create_index("ix_document_changes_changed_at", "document_changes", ["changed_at"], unique=False)
    op.create_table(
        "change_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("target", sa.String(length=255), nullable=False),
        sa.Column("areas", sa.JSON(), nullable=False),
        sa.Column("kinds", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_subscriptions")),
        sa.UniqueConstraint("channel", "target", name=op.f("uq_change_subscriptions_channel_target")),
    )
    op.create_table(
        "change_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["change_id"], ["document_changes.id"],
            name=op.f("fk_change_notices_change_id_document_changes"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subscription_id"], ["change_subscriptions.id"],
            name=op.f("fk_change_notices_subscription_id_change_subscriptions"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_notices")),
        sa.UniqueConstraint(
            "subscription_id", "change_id", name=op.f("uq_change_notices_subscription_id_change_id")
        ),
    )
    op.create_index(
        "ix_change_notices_subscription_id_delivered_at", "change_notices",
        ["subscription_id", "delivered_at"], unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_change_notices_subscription_id_delivered_at", table_name="change_notices")
    op.drop_table("change_notices")
    op.drop_table("change_subscriptions")
    op.drop_index("ix_document_changes_changed_at", table_name="document_changes")
    op.drop_index(op.f("ix_document_changes_path"), table_name="document_changes")
    op.drop_table("document_changes")
    op.drop_index(op.f("ix_document_versions_path"), table_name="document_versions")
    op.drop_table("document_versions")
