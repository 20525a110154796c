"""Subscriptions to "what changed", and the notices owed to each subscribed channel.

A subscription names a channel (a Slack channel, a Teams conversation, a
terminal user) and the areas and kinds of document it cares about (none =
all). When ingest records changes, a `ChangeNotice` row is written for every
matching subscription in the same transaction; delivery claims the undelivered
rows (`UPDATE … WHERE delivered_at IS NULL … RETURNING`), so each notice goes
out once even with several workers, and a post that fails gives its rows back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.procedures.models import ChangeSubscription, DocumentChange


def matches(subscription: ChangeSubscription, change: DocumentChange) -> bool:
    from bot.procedures.versions import in_areas

    kinds = [k.lower() for k in subscription.kinds or []]
    if kinds and change.kind.lower() not in kinds:
        return False
    return in_areas(change.areas or [], subscription.areas or [])


def owe_notices(session: Session, changes: Sequence[DocumentChange], at: dt.datetime) -> int:
    """Write a notice for each (subscription, change) that matches; returns how many."""
    from bot.procedures.models import ChangeNotice

    if not changes:
        return 0
    count = 0
    for subscription in session.scalars(select(ChangeSubscription)).all():
        for change in changes:
            if matches(subscription, change):
                session.add(ChangeNotice(subscription_id=subscription.id, change_id=change.id, created_at=at))
                count += 1
    return count
