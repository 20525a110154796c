"""Tables for referrals: the referral, its answers, its append-only event log, reference counters.

A draft is a referral with status `draft` and no reference: the checklist saves
each answer into it as it is given, so nothing typed is lost if the process
stops. Submission gives it a reference.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from bot.db.base import Base, UTCDateTime, utcnow
from bot.errors import SgbotError


class Referral(Base):
    __tablename__ = "referrals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str | None] = mapped_column(String(20), unique=True)
    checklist: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(32))  # indexed with the queue's order, below
    user_id: Mapped[str] = mapped_column(String(255), index=True)  # the referrer
    referrer_name: Mapped[str | None] = mapped_column(String(255))
    referrer_email: Mapped[str | None] = mapped_column(String(255))
    channel: Mapped[str | None] = mapped_column(String(32))
    area: Mapped[str | None] = mapped_column(String(120))
    review_type: Mapped[str | None] = mapped_column(String(64))  # what the referrer considered
    decision: Mapped[str | None] = mapped_column(String(64))  # accepted type, redirected, not_accepted
    decision_reason: Mapped[str | None] = mapped_column(Text)
    assigned_to: Mapped[str | None] = mapped_column(String(255))
    la_aware_on: Mapped[date | None] = mapped_column(Date)
    panel_notified_on: Mapped[date | None] = mapped_column(Date)
    commissioned_on: Mapped[date | None] = mapped_column(Date)
    # Clock due dates, recomputed on every change so the queue can be sorted by the database.
    notification_due_on: Mapped[date | None] = mapped_column(Date)
    rapid_review_due_on: Mapped[date | None] = mapped_column(Date)
    report_due_on: Mapped[date | None] = mapped_column(Date)
    decision_due_on: Mapped[date | None] = mapped_column(Date)
    next_due_on: Mapped[date | None] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    answers: Mapped[list[ReferralAnswer]] = relationship(
        back_populates="referral", cascade="all, delete-orphan", order_by="ReferralAnswer.position"
    )
    events: Mapped[list[ReferralEvent]] = relationship(
        back_populates="referral", order_by="ReferralEvent.id", passive_deletes="all"
    )

    # Optimistic locking: every UPDATE says "WHERE version = <the one I read>".
    __mapper_args__ = {"version_id_col": version}

    def answer_values(self) -> dict[str, Any]:
        return {a.step_id: a.value for a in self.answers}


# The queue's order (repository.QUEUE_ORDER) as indexes: the whole queue walks the first and one status
# the second, each reading a page in order instead of sorting thousands of rows (see migration 0012).
Index("ix_referrals_due_order", Referral.next_due_on.is_(None), Referral.next_due_on, Referral.submitted_at,
      Referral.id)
Index("ix_referrals_status_due_order", Referral.status, Referral.next_due_on.is_(None), Referral.next_due_on,
      Referral.submitted_at, Referral.id)


class ReferralAnswer(Base):
    __tablename__ = "referral_answers"
    __table_args__ = (UniqueConstraint("referral_id", "step_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id", ondelete="CASCADE"), index=True)
    step_id: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)  # the step's place in the checklist
    value: Mapped[Any] = mapped_column(JSON)
    display: Mapped[str] = mapped_column(Text)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    referral: Mapped[Referral] = relationship(back_populates="answers")


class ReferralEvent(Base):
    """Who did what, when and why. Rows are only ever inserted (triggers refuse the rest)."""

    __tablename__ = "referral_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(64))
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer)  # the referral's version after this event

    referral: Mapped[Referral] = relationship(back_populates="events")


class ReferenceCounter(Base):
    """The last reference number given out in each year (PR-2026-0007 → year 2026, last 7)."""

    __tablename__ = "reference_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, nullable=False)


class AppendOnlyError(SgbotError, RuntimeError):
    pass


@event.listens_for(ReferralEvent, "before_update")
@event.listens_for(ReferralEvent, "before_delete")
def _refuse_change(_mapper: Mapper[Any], _connection: Any, target: ReferralEvent) -> None:
    raise AppendOnlyError(f"referral event {target.id} is part of the audit trail and cannot be changed")
