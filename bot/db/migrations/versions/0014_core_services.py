"""Feedback, hand-offs, channel settings and roles as core services, each with its own table.

Until now feedback, hand-offs and channel settings were JSON values in the
channels' key/value table (`channel_state`): "feedback:<platform>" and
"handoff:<platform>" namespaces, "slack:<channel id>" and
"teams:conversation:<digest>" keys "areas" and "mode". They move to
`answer_feedback`, `handoffs` and `channel_settings`; the rows moved are
removed from `channel_state`, which keeps what is the channels' own
(Teams conversation references, Slack threads of referrals, thread context).
`role_grants` starts empty (roles still come from configuration too).

"What changed" notices become outbox events: the notices still owed in
`change_notices` are written to `notification_outbox` (one per subscription,
for its Slack or Teams delivery worker, or held for a terminal user), and the
table is dropped. Subscriptions stay.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

channel_state = sa.table(
    "channel_state",
    sa.column("channel", sa.String),
    sa.column("key", sa.String),
    sa.column("value", sa.JSON),
    sa.column("updated_at", sa.DateTime),
)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]


def _value(raw: Any) -> Any:
    # JSON comes back decoded through sa.JSON; a driver that hands back text is decoded here.
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw


def _when(text: Any, fallback: datetime | None) -> datetime:
    """Naive UTC, as every timestamp column stores it."""
    if isinstance(text, str) and text:
        try:
            parsed = datetime.fromisoformat(text)
            return parsed.astimezone(UTC).replace(tzinfo=None) if parsed.tzinfo else parsed
        except ValueError:
            pass
    if isinstance(fallback, str):
        fallback = datetime.fromisoformat(fallback)
    return fallback or datetime.now(UTC).replace(tzinfo=None)


def _create_tables() -> tuple[sa.Table, sa.Table, sa.Table]:
    feedback = op.create_table(
        "answer_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("conversation", sa.String(length=255), nullable=False),
        sa.Column("message", sa.String(length=255), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("rating", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("category", sa.String(length=40), nullable=True),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answer_feedback")),
        sa.UniqueConstraint(
            "platform", "conversation", "message", "user_id",
            name=op.f("uq_answer_feedback_platform_conversation_message_user_id"),
        ),
    )
    handoffs = op.create_table(
        "handoffs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("conversation", sa.String(length=255), nullable=False),
        sa.Column("thread", sa.String(length=255), nullable=False),
        sa.Column("user_id", sa.String(length=255), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("question", sa.Text(), nullable=True),
        sa.Column("link", sa.String(length=1000), nullable=True),
        sa.Column("posted_to", sa.String(length=255), nullable=True),
        sa.Column("posted_message", sa.String(length=255), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoffs")),
    )
    settings = op.create_table(
        "channel_settings",
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("conversation_key", sa.String(length=64), nullable=False),
        sa.Column("conversation", sa.Text(), nullable=True),
        sa.Column("areas", sa.JSON(), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("updated_by", sa.String(length=255), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("platform", "conversation_key", name=op.f("pk_channel_settings")),
    )
    op.create_table(
        "role_grants",
        sa.Column("identity", sa.String(length=320), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("granted_by", sa.String(length=255), nullable=True),
        sa.Column("granted_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("identity", name=op.f("pk_role_grants")),
    )
    return feedback, handoffs, settings


def upgrade() -> None:
    feedback, handoffs, settings = _create_tables()
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(channel_state.c.channel, channel_state.c.key, channel_state.c.value, channel_state.c.updated_at)
    ).all()
    moved: list[tuple[str, str]] = []
    feedback_rows: list[dict[str, Any]] = []
    handoff_rows: list[dict[str, Any]] = []
    by_conversation: dict[tuple[str, str], dict[str, Any]] = {}
    references: dict[str, str] = {}  # teams digest -> conversation id, from stored references
    for channel, key, raw, updated in rows:
        value = _value(raw)
        if channel.startswith("feedback:") and isinstance(value, dict):
            feedback_rows.append({
                "platform": str(value.get("platform") or channel.split(":", 1)[1])[:16],
                "conversation": str(value.get("conversation") or ""),
                "message": str(value.get("message") or ""),
                "user_id": str(value.get("user_id") or ""),
                "rating": "up" if value.get("rating") == "up" else "down",
                "reason": value.get("reason"),
                "category": value.get("category"),
                "sources": [str(s) for s in value.get("sources") or []],
                "created_at": _when(value.get("at"), updated),
            })
            moved.append((channel, key))
        elif channel.startswith("handoff:") and isinstance(value, dict):
            handoff_rows.append({
                "platform": str(value.get("platform") or channel.split(":", 1)[1])[:16],
                "conversation": str(value.get("conversation") or ""),
                "thread": str(value.get("thread") or ""),
                "user_id": str(value.get("user_id") or ""),
                "posted_to": value.get("posted_to") or None,
                "posted_message": value.get("posted_message") or None,
                "created_at": _when(value.get("at"), updated),
            })
            moved.append((channel, key))
        elif key in ("areas", "mode") and (channel.startswith("slack:") or channel.startswith("teams:conversation:")):
            if channel.startswith("slack:"):
                conversation = channel.split(":", 1)[1]
                found = by_conversation.setdefault(("slack", _digest(conversation)), {"conversation": conversation})
            else:
                found = by_conversation.setdefault(("teams", channel.rsplit(":", 1)[1]), {"conversation": None})
            found[key] = value
            found["updated_at"] = max(_when(None, updated), found.get("updated_at") or _when(None, updated))
            moved.append((channel, key))
        elif channel.startswith("teams:conversation:") and key == "reference" and isinstance(value, dict):
            conversation_id = (value.get("conversation") or {}).get("id")
            if conversation_id:
                references[channel.rsplit(":", 1)[1]] = str(conversation_id)
    if feedback_rows:
        op.bulk_insert(feedback, feedback_rows)
    if handoff_rows:
        op.bulk_insert(handoffs, handoff_rows)
    settings_rows = []
    for (platform, digest), found in by_conversation.items():
        areas = found.get("areas")
        settings_rows.append({
            "platform": platform,
            "conversation_key": digest,
            "conversation": found["conversation"] or references.get(digest),
            "areas": [str(a) for a in areas] if isinstance(areas, list) else [],
            "mode": "all" if found.get("mode") == "all" else "mentions",
            "updated_by": None,
            "updated_at": found["updated_at"],
        })
    if settings_rows:
        op.bulk_insert(settings, settings_rows)
    for channel, key in moved:
        connection.execute(
            sa.delete(channel_state).where(channel_state.c.channel == channel, channel_state.c.key == key)
        )
    _owed_notices_to_outbox(connection)
    op.drop_index("ix_change_notices_subscription_id_delivered_at", table_name="change_notices")
    op.drop_table("change_notices")


def _owed_notices_to_outbox(connection: sa.Connection) -> None:
    owed = connection.execute(sa.text(
        "SELECT n.subscription_id, n.change_id, s.channel, s.target FROM change_notices n "
        "JOIN change_subscriptions s ON s.id = n.subscription_id WHERE n.delivered_at IS NULL "
        "ORDER BY n.subscription_id, n.change_id"
    )).all()
    if not owed:
        return
    # The wording's heading is the application's (prompts/procedures.yaml); a migration lists the
    # documents only (it does not import the application, whose code changes after it).
    from bot.prompts import say_from

    by_subscription: dict[tuple[int, str, str], list[int]] = {}
    for row in owed:
        by_subscription.setdefault((row.subscription_id, row.channel, row.target), []).append(row.change_id)
    outbox = sa.table(
        "notification_outbox",
        sa.column("user_id", sa.String),
        sa.column("audience", sa.String),
        sa.column("channel", sa.String),
        sa.column("event", sa.String),
        sa.column("reply", sa.JSON),
        sa.column("created_at", sa.DateTime),
        sa.column("idempotency_key", sa.String),
        sa.column("attempts", sa.Integer),
    )
    now = datetime.now(UTC).replace(tzinfo=None)
    for (subscription_id, channel, target), change_ids in by_subscription.items():
        changes = connection.execute(
            sa.text("SELECT title, change, areas FROM document_changes WHERE id IN :ids ORDER BY id").bindparams(
                sa.bindparam("ids", expanding=True)
            ),
            {"ids": change_ids},
        ).all()
        if not changes:
            continue
        lines = [say_from("procedures.yaml", "notice_heading", count=len(changes))]
        for change in changes:
            areas = ", ".join(str(a) for a in (_value(change.areas) or []))
            lines.append(f"- **{change.title}** ({areas}): {change.change}" if areas
                         else f"- **{change.title}**: {change.change}")
        if channel in ("slack", "teams"):
            audience, delivered_by = f"conversation:{channel}:{target}", channel
        else:
            audience, delivered_by = target, "held"
        connection.execute(sa.insert(outbox).values(
            user_id=audience,
            audience=audience,
            channel=delivered_by,
            event="document_changed",
            reply={"text": "\n".join(lines), "buttons": [], "citations": [], "urgent": False, "card": None,
                   "expects": None},
            created_at=now,
            idempotency_key=f"changes:{subscription_id}:{change_ids[0]}-{change_ids[-1]}:migrated",
            attempts=0,
        ))


def downgrade() -> None:
    connection = op.get_bind()
    now = datetime.now(UTC).replace(tzinfo=None)
    back: list[dict[str, Any]] = []
    for row in connection.execute(sa.text(
        "SELECT platform, conversation, message, user_id, rating, reason, category, sources, created_at "
        "FROM answer_feedback"
    )).mappings():
        value = {k: row[k] for k in ("platform", "conversation", "message", "user_id", "rating", "reason", "category")}
        value["sources"] = _value(row["sources"]) or []
        value["at"] = str(row["created_at"])
        back.append({"channel": f"feedback:{row['platform']}",
                     "key": f"{row['conversation']}:{row['message']}:{row['user_id']}", "value": value})
    for row in connection.execute(sa.text(
        "SELECT platform, conversation, thread, user_id, posted_to, posted_message, created_at FROM handoffs"
    )).mappings():
        value = {k: row[k] or "" for k in ("platform", "conversation", "thread", "user_id", "posted_to",
                                            "posted_message")}
        value["at"] = str(row["created_at"])
        back.append({"channel": f"handoff:{row['platform']}",
                     "key": f"{row['conversation']}:{row['thread']}:{row['user_id']}", "value": value})
    for row in connection.execute(sa.text(
        "SELECT platform, conversation_key, conversation, areas, mode FROM channel_settings"
    )).mappings():
        if row["platform"] == "slack" and row["conversation"]:
            channel = f"slack:{row['conversation']}"
        elif row["platform"] == "teams":
            channel = f"teams:conversation:{row['conversation_key']}"
        else:
            continue
        back.append({"channel": channel, "key": "areas", "value": _value(row["areas"]) or []})
        back.append({"channel": channel, "key": "mode", "value": row["mode"]})
    unique = {(r["channel"], r["key"]): {**r, "updated_at": now} for r in back}
    if unique:
        op.bulk_insert(channel_state, list(unique.values()))
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
    op.drop_table("role_grants")
    op.drop_table("channel_settings")
    op.drop_table("handoffs")
    op.drop_table("answer_feedback")
