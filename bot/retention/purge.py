"""`sgbot purge`: forget what is no longer needed, and record each purge.

- **abandoned drafts**: a checklist nobody has touched for `SGBOT_DRAFT_RETENTION_DAYS` is deleted
  with its answers (a draft was never sent, so it has no audit trail of its own);
- **closed referrals** older than `SGBOT_CLOSED_REFERRAL_RETENTION_DAYS`: their content (the
  checklist answers and the referrer's name and email) is deleted; the referral's reference, status,
  dates and its append-only event log stay, and the log gains a `content_purged` event;
- **inbound event ids** (Slack/Teams retry de-duplication, and the durable inbox's stored messages:
  blanked once answered, kept only for one set aside unanswered) older than
  `SGBOT_INBOUND_EVENT_RETENTION_DAYS`;
- **delivered notifications** (outbox rows, every channel) delivered more than
  `SGBOT_OUTBOX_RETENTION_DAYS` ago;
- **dead-lettered notifications** (outbox rows set aside after their last failed attempt) set aside
  more than `SGBOT_OUTBOX_RETENTION_DAYS` ago: the business unit was told when each was set aside, and
  the retention period is the time it has to read them. Pending rows (neither delivered nor set aside)
  are never purged, however old.

Each category that removed anything is one row in `purge_log` (when, what, how many, the cutoff,
who ran it): counts and ids only, never content. Safe to run on every replica's schedule at once:
each delete is one statement, and a second run finds nothing left to do.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import Integer, String, delete, or_, select, update
from sqlalchemy.orm import Mapped, mapped_column

from bot.config import Settings
from bot.db import Database
from bot.db.base import Base, UTCDateTime, utcnow
from bot.db.infrastructure import InboundEvent
from bot.outbox.models import HeldNotification
from bot.referral import statuses
from bot.referral.models import Referral, ReferralAnswer, ReferralEvent
from bot.sessions.models import ConversationSession

ACTOR = "sgbot purge"


class PurgeRecord(Base):
    __tablename__ = "purge_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    what: Mapped[str] = mapped_column(String(64), nullable=False)
    rows: Mapped[int] = mapped_column(Integer, nullable=False)
    older_than: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    actor: Mapped[str] = mapped_column(String(255), nullable=False)


@dataclass(frozen=True)
class PurgeResult:
    what: str
    rows: int
    older_than: datetime

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["older_than"] = self.older_than.isoformat(timespec="seconds")
        return data


def cutoffs(settings: Settings, now: datetime) -> dict[str, datetime]:
    return {
        "abandoned_drafts": now - timedelta(days=settings.draft_retention_days),
        "closed_referral_content": now - timedelta(days=settings.closed_referral_retention_days),
        "inbound_events": now - timedelta(days=settings.inbound_event_retention_days),
        "delivered_notifications": now - timedelta(days=settings.outbox_retention_days),
        "dead_letter_notifications": now - timedelta(days=settings.outbox_retention_days),
    }


def purge(database: Database, settings: Settings, *, now: datetime | None = None, dry_run: bool = False,
          actor: str = ACTOR) -> list[PurgeResult]:
    """Purge every category; one transaction per category, so a failure leaves the others done."""
    limits = cutoffs(settings, now or utcnow())
    steps = {
        "abandoned_drafts": _drafts,
        "closed_referral_content": _closed_referrals,
        "inbound_events": _inbound_events,
        "delivered_notifications": _delivered_notifications,
        "dead_letter_notifications": _dead_notifications,
    }
    results = []
    for what, step in steps.items():
        with database.transaction() as session:
            rows = step(session, limits[what], dry_run, actor, now or utcnow())
            if rows and not dry_run:
                session.add(PurgeRecord(what=what, rows=rows, older_than=limits[what], actor=actor, at=utcnow()))
        results.append(PurgeResult(what, rows, limits[what]))
    return results


def _drafts(session, cutoff: datetime, dry_run: bool, _actor: str, _now: datetime) -> int:  # noqa: ANN001
    ids = list(session.scalars(select(Referral.id).where(Referral.status == statuses.DRAFT,
                                                          Referral.updated_at < cutoff)))
    if dry_run or not ids:
        return len(ids)
    # The person's place in the checklist goes with the draft: "continue" starts afresh.
    session.execute(update(ConversationSession).where(ConversationSession.referral_id.in_(ids))
                    .values(referral_id=None, step=None, history=[]))
    session.execute(delete(ReferralAnswer).where(ReferralAnswer.referral_id.in_(ids)))
    session.execute(delete(Referral).where(Referral.id.in_(ids)))
    return len(ids)


def _closed_referrals(session, cutoff: datetime, dry_run: bool, actor: str, now: datetime) -> int:  # noqa: ANN001
    has_content = or_(Referral.referrer_name.is_not(None), Referral.referrer_email.is_not(None),
                      Referral.answers.any())
    referrals = list(session.scalars(select(Referral).where(Referral.status == statuses.CLOSED,
                                                            Referral.updated_at < cutoff, has_content)))
    if dry_run:
        return len(referrals)
    for referral in referrals:
        answers = len(referral.answers)
        referral.answers.clear()
        referral.referrer_name = None
        referral.referrer_email = None
        session.add(ReferralEvent(referral_id=referral.id, at=now, actor=actor, action="content_purged",
                                  from_status=referral.status, to_status=referral.status, reason=None,
                                  detail={"answers": answers, "older_than": cutoff.date().isoformat()},
                                  version=(referral.version or 0) + 1))
    return len(referrals)


def _inbound_events(session, cutoff: datetime, dry_run: bool, _actor: str, _now: datetime) -> int:  # noqa: ANN001
    if dry_run:
        return len(list(session.scalars(select(InboundEvent.event_id).where(InboundEvent.received_at < cutoff))))
    return int(session.execute(delete(InboundEvent).where(InboundEvent.received_at < cutoff)).rowcount)


def _delivered_notifications(session, cutoff: datetime, dry_run: bool, _actor: str,  # noqa: ANN001
                             _now: datetime) -> int:
    condition = (HeldNotification.delivered_at.is_not(None), HeldNotification.delivered_at < cutoff)
    if dry_run:
        return len(list(session.scalars(select(HeldNotification.id).where(*condition))))
    return int(session.execute(delete(HeldNotification).where(*condition)).rowcount)


def _dead_notifications(session, cutoff: datetime, dry_run: bool, _actor: str,  # noqa: ANN001
                        _now: datetime) -> int:
    # A row delivered after all (a late success) is the delivered category's, not this one's.
    condition = (HeldNotification.dead_at.is_not(None), HeldNotification.dead_at < cutoff,
                 HeldNotification.delivered_at.is_(None))
    if dry_run:
        return len(list(session.scalars(select(HeldNotification.id).where(*condition))))
    return int(session.execute(delete(HeldNotification).where(*condition)).rowcount)
