"""The durable inbox remembers what it has posted for an event, so a retry posts only the rest.

`posted` maps each part of an event's answer (numbered in the order the answer posts them, or named,
like "apology") to what the platform returned for it (message timestamps or activity ids): a retry
skips the parts already there and threads the rest under the same messages. Blanked with the
payload once the event is handled.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inbound_events") as batch:
        batch.add_column(sa.Column("posted", sa.JSON(none_as_null=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("inbound_events") as batch:
        batch.drop_column("posted")
