"""Referrals, their answers and append-only event log, reference counters, conversation sessions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reference_counters",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_reference_counters")),
    )
    op.create_table(
        "referrals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=True),
        sa.Column("checklist", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("referrer_name", sa.String(length=255), nullable=True),
        sa.Column("referrer_email", sa.String(length=255), nullable=True),
        sa.Column("channel", sa.String(length=32), nullable=True),
        sa.Column("area", sa.String(length=120), nullable=True),
        sa.Column("review_type", sa.String(length=64), nullable=True),
        sa.Column("decision", sa.String(length=64), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("assigned_to", sa.String(length=255), nullable=True),
        sa.Column("la_aware_on", sa.Date(), nullable=True),
        sa.Column("panel_notified_on", sa.Date(), nullable=True),
        sa.Column("commissioned_on", sa.Date(), nullable=True),
        sa.Column("notification_due_on", sa.Date(), nullable=True),
        sa.Column("rapid_review_due_on", sa.Date(), nullable=True),
        sa.Column("report_due_on", sa.Date(), nullable=True),
        sa.Column("decision_due_on", sa.Date(), nullable=True),
        sa.Column("next_due_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referrals")),
        sa.UniqueConstraint("reference", name=op.f("uq_referrals_reference")),
    )
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referrals_next_due_on"), ["next_due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_referrals_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_referrals_submitted_at"), ["submitted_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_referrals_user_id"), ["user_id"], unique=False)

    op.create_table(
        "conversation_sessions",
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=True),
        sa.Column("step", sa.String(length=64), nullable=True),
        sa.Column("history", sa.JSON(), nullable=False),
        sa.Column("replying_to", sa.String(length=20), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referrals.id"],
            name=op.f("fk_conversation_sessions_referral_id_referrals"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_conversation_sessions")),
    )
    op.create_table(
        "referral_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("step_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("display", sa.Text(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["referrals.id"],
            name=op.f("fk_referral_answers_referral_id_referrals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_answers")),
        sa.UniqueConstraint("referral_id", "step_id", name=op.f("uq_referral_answers_referral_id_step_id")),
    )
    with op.batch_alter_table("referral_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referral_answers_referral_id"), ["referral_id"], unique=False)

    op.create_table(
        "referral_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=255), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("from_status", sa.String(length=32), nullable=True),
        sa.Column("to_status", sa.String(length=32), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["referral_id"], ["referrals.id"], name=op.f("fk_referral_events_referral_id_referrals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_events")),
    )
    with op.batch_alter_table("referral_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_referral_events_referral_id"), ["referral_id"], unique=False)
    _append_only_triggers()


# The audit trail must hold even against code that bypasses the ORM.
def _append_only_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION referral_events_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'referral_events is append-only: the audit trail cannot be changed'; END; "
            "$$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER referral_events_append_only BEFORE UPDATE OR DELETE ON referral_events "
            "FOR EACH ROW EXECUTE FUNCTION referral_events_append_only()"
        )
        return
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER referral_events_no_{verb.lower()} BEFORE {verb} ON referral_events "
            "BEGIN SELECT RAISE(ABORT, 'referral_events is append-only: the audit trail cannot change'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER referral_events_append_only ON referral_events")
        op.execute("DROP FUNCTION referral_events_append_only()")
    else:
        op.execute("DROP TRIGGER referral_events_no_update")
        op.execute("DROP TRIGGER referral_events_no_delete")
    with op.batch_alter_table("referral_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_events_referral_id"))

    op.drop_table("referral_events")
    with op.batch_alter_table("referral_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referral_answers_referral_id"))

    op.drop_table("referral_answers")
    op.drop_table("conversation_sessions")
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_referrals_user_id"))
        batch_op.drop_index(batch_op.f("ix_referrals_submitted_at"))
        batch_op.drop_index(batch_op.f("ix_referrals_status"))
        batch_op.drop_index(batch_op.f("ix_referrals_next_due_on"))

    op.drop_table("referrals")
    op.drop_table("reference_counters")
