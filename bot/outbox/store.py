"""Holding notifications for a user, and handing each to them exactly once.

`hold` writes into the caller's session, so a notification is stored if and
only if the change it describes is committed. `take` marks a user's held
notifications delivered and returns them in one statement
(`UPDATE … WHERE delivered_at IS NULL … RETURNING`): of two processes taking
for the same user at once, the database lets each row go to exactly one
(PostgreSQL re-checks the condition after waiting for the other's row lock;
SQLite runs the transactions one after the other).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.db import Database, utcnow
from bot.messages import Notification
from bot.outbox.codec import reply_from_json, reply_to_json
from bot.outbox.models import HeldNotification

log = logging.getLogger(__name__)

# Audiences that name a group, not a user: no single "next message" to deliver them at.
GROUP_AUDIENCES = frozenset({"business_unit"})


def can_hold(notification: Notification) -> bool:
    """Only notifications addressed to one user can wait for that user's next message."""
    return bool(notification.audience) and notification.audience not in GROUP_AUDIENCES


class Outbox:
    def __init__(self, database: Database, *, now: Callable[[], datetime] = utcnow) -> None:
        self.database = database
        self.now = now

    def hold(
        self, session: Session, notifications: Iterable[Notification], *, at: datetime | None = None
    ) -> list[Notification]:
        """Store the user-addressed notifications in the caller's transaction; returns those held."""
        held = [n for n in notifications if can_hold(n)]
        created_at = at or self.now()
        for notification in held:
            session.add(
                HeldNotification(
                    user_id=notification.audience,
                    referral_reference=notification.referral_reference,
                    reply=reply_to_json(notification.reply),
                    created_at=created_at,
                )
            )
        return held

    def take(self, user_id: str) -> list[Notification]:
        """The user's undelivered notifications, oldest first, marked delivered as they are read."""
        statement = (
            update(HeldNotification)
            .where(HeldNotification.user_id == user_id, HeldNotification.delivered_at.is_(None))
            .values(delivered_at=self.now())
            .returning(HeldNotification.id, HeldNotification.referral_reference, HeldNotification.reply)
            .execution_options(synchronize_session=False)
        )
        with self.database.transaction() as session:
            rows = sorted(session.execute(statement).all(), key=lambda row: row.id)
            # Read back inside the transaction: if one cannot be, none is marked delivered.
            taken = [
                Notification(
                    audience=user_id,
                    reply=reply_from_json(row.reply),
                    referral_reference=row.referral_reference,
                )
                for row in rows
            ]
        if rows:
            # Ids only: the text is referral content and stays in the database.
            log.info("outbox.delivered", extra={"user": user_id, "notifications": [row.id for row in rows]})
        return taken

    def pending(self, user_id: str) -> int:
        """How many notifications are waiting for the user."""
        statement = select(func.count(HeldNotification.id)).where(
            HeldNotification.user_id == user_id, HeldNotification.delivered_at.is_(None)
        )
        with self.database.sessions() as session:
            return int(session.scalar(statement) or 0)
