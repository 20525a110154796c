"""The review queue's and the action plans' orders as indexes, so a page is read in order.

The queue used to fetch every open referral by status and sort them all (444 ms for a page at 10,000
referrals); the action-plan list sorted every action. With these the database reads one page of an
index in order. The status-first indexes serve a list filtered to one status and take the place of the
plain status indexes.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_DUE_ORDER: list[str | sa.TextClause] = [sa.text("(next_due_on IS NULL)"), "next_due_on", "submitted_at", "id"]
# Must be written exactly as bot.reviews.models.FINISHED_SQL (the list's ORDER BY).
_FINISHED_LAST = sa.text("(status IN ('cancelled', 'completed'))")


def upgrade() -> None:
    op.create_index("ix_referrals_due_order", "referrals", _DUE_ORDER)
    op.create_index("ix_referrals_status_due_order", "referrals", ["status", *_DUE_ORDER])
    op.drop_index("ix_referrals_status", table_name="referrals")
    op.create_index("ix_action_items_plan_order", "action_items", [_FINISHED_LAST, "due_on", "id"])
    op.create_index("ix_action_items_status_due_order", "action_items", ["status", "due_on", "id"])
    op.drop_index("ix_action_items_status", table_name="action_items")


def downgrade() -> None:
    op.create_index("ix_action_items_status", "action_items", ["status"])
    op.drop_index("ix_action_items_status_due_order", table_name="action_items")
    op.drop_index("ix_action_items_plan_order", table_name="action_items")
    op.create_index("ix_referrals_status", "referrals", ["status"])
    op.drop_index("ix_referrals_status_due_order", table_name="referrals")
    op.drop_index("ix_referrals_due_order", table_name="referrals")
