"""The outbox table: one row per notification, per audience, per channel that delivers it.

A row is written in the same transaction as the change it tells of. The
channel named in `channel` delivers it: "slack" and "teams" have a delivery
worker each; "held" rows wait for their user's next message in any channel
(the terminal and the command line cannot reach anyone else).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UTCDateTime, utcnow

HELD = "held"


class HeldNotification(Base):
    """A notification waiting to be delivered (`delivered_at` and `dead_at` are None until then).

    Rows are kept once delivered: `delivered_at` records when the user was told,
    which is part of the referral's story (when was the referrer told?), until
    the retention purge removes them.
    """

    __tablename__ = "notification_outbox"
    __table_args__ = (
        # Every message looks up its user's undelivered held rows.
        Index("ix_notification_outbox_user_id_delivered_at", "user_id", "delivered_at"),
        # Each delivery worker looks for its channel's due rows.
        Index("ix_notification_outbox_channel_delivered_at", "channel", "delivered_at", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Who on the channel: a platform user id, or "business_unit" for the channel's business-unit channel.
    user_id: Mapped[str] = mapped_column(String(255))
    referral_reference: Mapped[str | None] = mapped_column(String(20))
    # What to tell (bot/outbox/events.py): the domain event, worded by its feature at delivery,
    # or, in rows written before events and from features that still store wording, a Reply.
    payload: Mapped[dict[str, Any]] = mapped_column("reply", JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # What happened ("submitted", "info_requested", "decided", …) and to whom it was addressed.
    event: Mapped[str | None] = mapped_column(String(40))
    audience: Mapped[str | None] = mapped_column(String(255))
    person_id: Mapped[int | None] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(16), default=HELD)
    # One row per event, audience and channel: writing it twice writes it once.
    idempotency_key: Mapped[str | None] = mapped_column(String(255), unique=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A worker's claim: no other worker takes the row until the lease runs out.
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(String(255))  # an error code, never content
    dead_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # gave up: the business unit is told
