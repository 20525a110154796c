"""Subscriptions to "what changed", and the notices they are owed, through the outbox.

A subscription names a channel (a Slack channel, a Teams conversation, a
terminal user) and the areas and kinds of document it cares about (none =
all). When ingest records changes, one notice per matching subscription is
written to the outbox in the same transaction, as the facts of the changes
(`bot.procedures.notices`) worded when delivered: the Slack or Teams delivery
worker posts it to the conversation (retries, no double post, dead letter),
and a terminal user's waits for their next message, like any notification.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.db import Database, utcnow
from bot.messages import Notification
from bot.outbox import HeldNotification, Outbox, conversation_audience
from bot.procedures.models import ChangeSubscription, DocumentChange
from bot.procedures.notices import KIND, DocumentsChanged

log = logging.getLogger(__name__)

EVENT = KIND


def matches(subscription: ChangeSubscription, change: DocumentChange) -> bool:
    from bot.procedures.versions import in_areas

    kinds = [k.lower() for k in subscription.kinds or []]
    if kinds and change.kind.lower() not in kinds:
        return False
    return in_areas(change.areas or [], subscription.areas or [])


def audience_of(subscription: ChangeSubscription) -> str:
    """Who the subscription's notices are for: the Slack channel or Teams conversation, or the terminal user."""
    if subscription.channel in ("slack", "teams"):
        return conversation_audience(subscription.channel, subscription.target)
    return subscription.target


def owe_notices(session: Session, changes: Sequence[DocumentChange], at: dt.datetime, *,
                database: Database, settings: Settings) -> int:
    """Queue one notice per subscription that some of `changes` match (in the caller's transaction);
    returns how many changes were owed in all."""
    from bot.procedures.notice_text import notice_reply  # registers its wording with the outbox too
    from bot.procedures.versions import view

    if not changes:
        return 0
    outbox = Outbox(database, settings, now=lambda: at)
    count = 0
    for subscription in session.scalars(select(ChangeSubscription).order_by(ChangeSubscription.id)).all():
        matching = sorted((c for c in changes if matches(subscription, c)), key=lambda c: c.id)
        if not matching:
            continue
        event = DocumentsChanged.of([view(c) for c in matching])
        notice = Notification(audience_of(subscription), notice_reply(event), event=EVENT, notice=event)
        outbox.publish(session, [notice], key=f"changes:{subscription.id}:{matching[0].id}-{matching[-1].id}")
        count += len(matching)
    return count


def subscribe(database: Database, channel: str, target: str, areas: Sequence[str], kinds: Sequence[str],
              created_by: str | None) -> ChangeSubscription:
    """Subscribe (or change what a subscribed channel hears about): one subscription per channel."""
    with database.transaction() as session:
        found = session.scalars(select(ChangeSubscription).where(
            ChangeSubscription.channel == channel, ChangeSubscription.target == target)).first()
        if found is None:
            found = ChangeSubscription(channel=channel, target=target, areas=list(areas), kinds=list(kinds),
                                       created_by=created_by, created_at=utcnow())
            session.add(found)
        else:
            found.areas, found.kinds = list(areas), list(kinds)
        session.flush()
        return found


def unsubscribe(database: Database, channel: str, target: str) -> bool:
    with database.transaction() as session:
        found = session.scalars(select(ChangeSubscription).where(
            ChangeSubscription.channel == channel, ChangeSubscription.target == target)).first()
        if found is None:
            return False
        # Notices not yet delivered are not wanted any more.
        session.execute(
            delete(HeldNotification).where(
                HeldNotification.audience == audience_of(found),
                HeldNotification.event == EVENT,
                HeldNotification.delivered_at.is_(None),
            )
        )
        session.delete(found)
        return True
