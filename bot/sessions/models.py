"""Where each user is in a conversation: the draft they are filling in and the step they are on."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UTCDateTime, utcnow


class ConversationSession(Base):
    __tablename__ = "conversation_sessions"

    user_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    # The referral being filled in (a draft), or the one just submitted (so a retried
    # Submit click finds it instead of filing a second referral).
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referrals.id", ondelete="SET NULL"))
    step: Mapped[str | None] = mapped_column(String(64))  # None: no checklist in progress
    history: Mapped[list[str]] = mapped_column(JSON, default=list)  # steps asked, for `back`
    replying_to: Mapped[str | None] = mapped_column(String(20))  # a reference awaiting the user's reply
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}

    @property
    def in_checklist(self) -> bool:
        return self.step is not None
