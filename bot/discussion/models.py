"""Tables for case discussions: the discussion, who was invited, and every contribution as written.

A discussion belongs to a referral (the review it is about). Contributions are
saved the moment they are made, one row each, attributed to the person and
their agency, at the stage the discussion was at; nothing is kept in memory.
Like referral content, they live only in the database.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db.base import Base, UTCDateTime, utcnow

OPEN = "open"
CLOSED = "closed"

FACILITATOR = "facilitator"
PARTICIPANT = "participant"

CONTRIBUTION = "contribution"
LEARNING = "learning"
ACTION = "action"


class Discussion(Base):
    __tablename__ = "discussions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id"), index=True)
    method: Mapped[str] = mapped_column(String(64))
    stage: Mapped[str] = mapped_column(String(64))  # the stage contributions go to now
    status: Mapped[str] = mapped_column(String(16), default=OPEN)
    # Where it runs: the core's thread id (a Slack or Teams thread, a terminal session name).
    thread_key: Mapped[str | None] = mapped_column(String(255), index=True)
    channel: Mapped[str | None] = mapped_column(String(32))
    facilitator: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    participants: Mapped[list[DiscussionParticipant]] = relationship(
        back_populates="discussion", cascade="all, delete-orphan", order_by="DiscussionParticipant.id"
    )
    contributions: Mapped[list[DiscussionContribution]] = relationship(
        back_populates="discussion", cascade="all, delete-orphan", order_by="DiscussionContribution.id"
    )

    # Two facilitators' clicks at once: the second is refused, not silently applied.
    __mapper_args__ = {"version_id_col": version}


class DiscussionParticipant(Base):
    __tablename__ = "discussion_participants"
    __table_args__ = (UniqueConstraint("discussion_id", "identity"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    discussion_id: Mapped[int] = mapped_column(ForeignKey("discussions.id", ondelete="CASCADE"), index=True)
    identity: Mapped[str] = mapped_column(String(255))  # a chat user id or an email, lower case
    name: Mapped[str | None] = mapped_column(String(255))
    agency: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16), default=PARTICIPANT)
    invited_by: Mapped[str] = mapped_column(String(255))
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    discussion: Mapped[Discussion] = relationship(back_populates="participants")


class DiscussionContribution(Base):
    __tablename__ = "discussion_contributions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    discussion_id: Mapped[int] = mapped_column(ForeignKey("discussions.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16), default=CONTRIBUTION)  # contribution | learning | action
    author: Mapped[str] = mapped_column(String(255))  # the user id it came from
    author_name: Mapped[str | None] = mapped_column(String(255))
    agency: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)  # as written
    rating: Mapped[int | None] = mapped_column(Integer)  # on the stage's scale, if it has one
    owner_agency: Mapped[str | None] = mapped_column(String(120))  # an agreed action's owner
    due_on: Mapped[date | None] = mapped_column(Date)  # an agreed action's due date
    action_plan_item: Mapped[str | None] = mapped_column(String(64))  # its id on the review's action plan
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    discussion: Mapped[Discussion] = relationship(back_populates="contributions")
