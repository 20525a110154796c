"""Clocks due soon or overdue: told to the business unit once per clock and threshold.

A statutory clock that runs out unnoticed is the failure the queue exists to
prevent, and nobody opens the queue every morning. So a periodic job (`sgbot
serve` runs it with the hourly housekeeping; `sgbot queue clocks` for cron)
looks at every open referral whose next due date is near, and for each clock
that has become due soon or overdue writes a domain event: an entry in the
referral's history (actor `sgbot`, action `clock_due_soon` / `clock_overdue`,
the clock and its due date) and, in the same transaction, a notification to
the business unit in the outbox, delivered to every business-unit channel by
the delivery workers like any other.

Once per clock, due date and threshold: the history entry is the record that it
was told (it is never purged, unlike delivered outbox rows), and the referral's
row is locked while it is checked, so two replicas running the job at once, or
a rerun, tell nobody twice. A clock already overdue when first seen is told as
overdue only; a due date that moves (the local authority's awareness recorded
later) is a new clock to tell of.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.outbox import BUSINESS_UNIT
from bot.referral import statuses as st
from bot.referral.clocks import ClockState, add_working_days
from bot.referral.models import Referral, ReferralEvent
from bot.referral.notices import ClockNoticed
from bot.referral.queue import ReviewQueue, notification
from bot.referral.repository import ReferralRepository
from bot.referral.views import clock_states

log = logging.getLogger(__name__)

CLOCK_ACTOR = "sgbot"
DUE_SOON = "due_soon"
OVERDUE = "overdue"
ACTIONS = {DUE_SOON: "clock_due_soon", OVERDUE: "clock_overdue"}


@dataclass(frozen=True)
class ClockNotice:
    """One notice written: which referral's clock, when it is due, and which threshold it crossed."""

    reference: str
    clock: str
    due: date
    threshold: str
    channels: tuple[str, ...]


def publish_clock_notices(queue: ReviewQueue) -> list[ClockNotice]:
    """Write the notices not yet written; returns those written now (none on a rerun)."""
    today = queue.today()
    # next_due_on is the earliest open due date: a referral whose earliest is beyond the
    # due-soon window has no clock to tell of (working days are never fewer than calendar days).
    horizon = add_working_days(today, queue.clocks.due_soon_working_days)
    with queue.database.sessions() as session:
        ids = list(
            session.scalars(
                select(Referral.id)
                .where(
                    Referral.status.in_(sorted(st.OPEN)),
                    Referral.next_due_on.is_not(None),
                    Referral.next_due_on <= horizon,
                )
                .order_by(Referral.next_due_on, Referral.id)
            )
        )
    written: list[ClockNotice] = []
    for referral_id in ids:
        written.extend(_notify(queue, referral_id, today))
    if written:
        log.info("clocks.notified", extra={"notices": len(written), "referrals": len(ids)})
    return written


def _notify(queue: ReviewQueue, referral_id: int, today: date) -> list[ClockNotice]:
    with queue.database.transaction() as session:
        repository = ReferralRepository(session)
        referral = repository.get(referral_id, for_update=True)  # one checker per referral at a time
        if referral is None or referral.status not in st.OPEN or not referral.reference:
            return []
        told = _already_told(session, referral.id)
        notices = []
        for state in clock_states(referral, queue.clocks, today):
            threshold = _threshold(state)
            if threshold is None or (state.name, state.due.isoformat(), threshold) in told:
                continue
            event = ReferralEvent(
                referral_id=referral.id,
                at=queue.now(),
                actor=CLOCK_ACTOR,
                action=ACTIONS[threshold],
                from_status=referral.status,
                to_status=referral.status,
                reason=None,
                detail={"clock": state.name, "due": state.due.isoformat()},
                # Not a change to the referral: an officer's view of this version is still current.
                version=referral.version,
            )
            repository.add_event(event)
            session.flush()
            notice = ClockNoticed(
                kind="clock_overdue" if threshold == OVERDUE else "clock_due_soon",
                reference=referral.reference,
                clock=state.name,
                due=state.due.isoformat(),
                days_left=state.working_days_left,
            )
            [published] = queue.outbox.publish(
                session, [notification(BUSINESS_UNIT, notice)], key=f"referral-event:{event.id}", at=queue.now()
            )
            notices.append(
                ClockNotice(referral.reference, state.name, state.due, threshold, published.channels)
            )
        return notices


def _threshold(state: ClockState) -> str | None:
    if state.done:
        return None
    if state.overdue:
        return OVERDUE
    if state.due_soon:
        return DUE_SOON
    return None


def _already_told(session: Session, referral_id: int) -> set[tuple[str, str, str]]:
    """(clock, due, threshold) of every clock notice in the referral's history."""
    rows = session.scalars(
        select(ReferralEvent).where(
            ReferralEvent.referral_id == referral_id, ReferralEvent.action.in_(tuple(ACTIONS.values()))
        )
    )
    told = set()
    for row in rows:
        detail = row.detail or {}
        threshold = OVERDUE if row.action == ACTIONS[OVERDUE] else DUE_SOON
        told.add((str(detail.get("clock")), str(detail.get("due")), threshold))
        if threshold == OVERDUE:  # once told it is overdue, "due soon" is past news
            told.add((str(detail.get("clock")), str(detail.get("due")), DUE_SOON))
    return told
