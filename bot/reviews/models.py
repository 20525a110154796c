"""Tables for a review's action plan and its themes.

An action item is one action answering one recommendation of a review (the NHS case review tracker's
shape: recommendation → actions, each owned by an agency with a due date, a status and the evidence of
its impact). Items are versioned like referrals, so two officers closing the same action cannot
silently overwrite each other.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UTCDateTime, utcnow

OPEN = "open"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
CANCELLED = "cancelled"
ACTION_STATUSES = (OPEN, IN_PROGRESS, COMPLETED, CANCELLED)
FINISHED = frozenset({COMPLETED, CANCELLED})
# "Finished" as SQL with its values written out (not bound), so that the list's ORDER BY is the very
# expression the index ix_action_items_plan_order holds and a page is read from it in order.
FINISHED_SQL = "status IN (" + ", ".join(f"'{s}'" for s in sorted(FINISHED)) + ")"


class ActionItem(Base):
    __tablename__ = "action_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id", ondelete="CASCADE"), index=True)
    recommendation: Mapped[str] = mapped_column(Text)
    action: Mapped[str | None] = mapped_column(Text)
    owner_agency: Mapped[str] = mapped_column(String(255))
    due_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(32), default=OPEN)  # indexed with the list's order, below
    evidence_of_impact: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(32), default="dashboard")  # dashboard | chat | discussion | cli
    created_by: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    completed_on: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}
    # The action-plan list's orders (see ActionPlans.listing and migration 0012).
    __table_args__ = (
        Index("ix_action_items_plan_order", text(f"({FINISHED_SQL})"), "due_on", "id"),
        Index("ix_action_items_status_due_order", "status", "due_on", "id"),
    )


class ReviewTheme(Base):
    """One of up to three themes of a review (from the configured list, e.g. the Salford priorities)."""

    __tablename__ = "review_themes"
    __table_args__ = (UniqueConstraint("referral_id", "theme"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id", ondelete="CASCADE"), index=True)
    theme: Mapped[str] = mapped_column(String(120), index=True)
    position: Mapped[int] = mapped_column(Integer)
    set_by: Mapped[str] = mapped_column(String(255))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
