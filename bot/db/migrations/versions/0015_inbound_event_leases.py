"""Inbound events are claimed with a lease and marked handled once answered.

Rows already there were all handled (they were marked before processing):
they keep no lease and count as handled for good.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inbound_events") as batch:
        batch.add_column(sa.Column("claimed_until", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("handled_at", sa.DateTime(), nullable=True))
    op.execute("UPDATE inbound_events SET handled_at = received_at")


def downgrade() -> None:
    with op.batch_alter_table("inbound_events") as batch:
        batch.drop_column("handled_at")
        batch.drop_column("claimed_until")
