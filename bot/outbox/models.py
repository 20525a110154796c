"""The table of held notifications: one row per notification, addressed to one user id."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UTCDateTime, utcnow


class HeldNotification(Base):
    """A notification waiting for its user's next message (`delivered_at` is None until then).

    Rows are kept once delivered: `delivered_at` records when the user was shown
    it, which is part of the referral's story (when was the referrer told?).
    """

    __tablename__ = "notification_outbox"
    # Every message looks up its user's undelivered rows: (user_id, delivered_at) finds them.
    __table_args__ = (Index("ix_notification_outbox_user_id_delivered_at", "user_id", "delivered_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[str] = mapped_column(String(255))
    referral_reference: Mapped[str | None] = mapped_column(String(20))
    reply: Mapped[dict[str, Any]] = mapped_column(JSON)  # the Reply: text, buttons, card, …
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
