"""The durable inbox: an inbound event is stored with its claim, so any replica can answer it.

`payload` is the event as received (blanked once handled), `claimed_by` the worker holding the
lease (only it renews it), `attempts` how many claims it has had, `dead_at` when it was set aside
after too many. Rows already there keep no payload: they are handled or answered by a retry as before.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inbound_events") as batch:
        batch.add_column(sa.Column("payload", sa.JSON(none_as_null=True), nullable=True))
        batch.add_column(sa.Column("claimed_by", sa.String(64), nullable=True))
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("dead_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("inbound_events") as batch:
        batch.drop_column("dead_at")
        batch.drop_column("attempts")
        batch.drop_column("claimed_by")
        batch.drop_column("payload")
