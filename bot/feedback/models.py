"""The tables of feedback on answers and of hand-offs to the business unit (one row each, channel-neutral)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UTCDateTime, utcnow


class AnswerFeedback(Base):
    """A person's verdict on one answer: pressing 👍 twice, or 👍 then 👎, keeps the latest."""

    __tablename__ = "answer_feedback"
    __table_args__ = (UniqueConstraint("platform", "conversation", "message", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))  # slack | teams | terminal | …
    conversation: Mapped[str] = mapped_column(String(255))
    message: Mapped[str] = mapped_column(String(255))  # the answer's message id on the platform
    user_id: Mapped[str] = mapped_column(String(255))
    person_id: Mapped[int | None] = mapped_column(Integer)
    rating: Mapped[str] = mapped_column(String(8))  # up | down
    # The person's own words: the database only, never the logs.
    reason: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(40))
    sources: Mapped[list[str]] = mapped_column(JSON, default=list)  # cited document ids
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class HandoffRecord(Base):
    """A question passed to the business unit, with where it was asked; the notice goes through the outbox."""

    __tablename__ = "handoffs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    conversation: Mapped[str] = mapped_column(String(255))
    thread: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[str] = mapped_column(String(255))
    person_id: Mapped[int | None] = mapped_column(Integer)
    question: Mapped[str | None] = mapped_column(Text)  # None for hand-offs recorded before this table
    link: Mapped[str | None] = mapped_column(String(1000))  # a link back to the conversation, if the platform has one
    # Where a channel posted it itself (hand-offs before the outbox); None once the outbox delivers.
    posted_to: Mapped[str | None] = mapped_column(String(255))
    posted_message: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
