"""The outbox: notifications written with the change they tell of, delivered at least once.

`publish` writes into the caller's session, so a notification is stored if and
only if the change it describes is committed. It decides where each goes
(`routing`): the business unit's to every configured business-unit channel,
a person's to the channel they last spoke in, and anything no worker can
deliver is held for the user's next message (`take`).

Delivery workers (`bot.outbox.worker`) `claim` due rows for their channel: a
lease that another worker respects, taken with `SELECT … FOR UPDATE SKIP
LOCKED` on PostgreSQL (concurrent claimers skip each other's rows) and under
SQLite's write lock (`BEGIN IMMEDIATE` runs claims one after the other). A
worker that dies mid-delivery leaves a lease that runs out; the row is then
claimed again. `complete` marks a row delivered; `fail` schedules a retry with
exponential backoff and jitter (or the platform's Retry-After), and after
`max_attempts` sets the row aside (`dead_at`) and tells the business unit.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import ValidationError
from sqlalchemy import delete, event, func, or_, select, update
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.db import Database, utcnow
from bot.messages import NoticeEvent, Notification, Reply
from bot.outbox import events, signal
from bot.outbox.models import HELD, HeldNotification
from bot.outbox.routing import BUSINESS_UNIT, Route, conversation_of, routes
from bot.prompts import say_from

log = logging.getLogger(__name__)

# Audiences that name a group, not a user: no single "next message" to deliver them at.
GROUP_AUDIENCES = frozenset({BUSINESS_UNIT})
DEAD_LETTER = "dead_letter"
UNANSWERED = "unanswered_message"


def is_group(audience: str) -> bool:
    """The business unit, or a whole conversation: no single "next message" to deliver them at."""
    return audience in GROUP_AUDIENCES or conversation_of(audience) is not None


def can_hold(notification: Notification) -> bool:
    """Only notifications addressed to one user can wait for that user's next message."""
    return bool(notification.audience) and not is_group(notification.audience)


@dataclass(frozen=True)
class Delivery:
    """One claimed row, as a delivery worker hands it to its channel's notifier."""

    id: int
    key: str
    channel: str
    address: str  # a user id on the channel, or "business_unit"
    reply: Reply  # worded now, from the stored event (bot/outbox/events.py)
    referral_reference: str | None
    event: str | None
    attempt: int  # 1 for the first try


@dataclass(frozen=True)
class RetryPolicy:
    base_seconds: float = 2.0
    cap_seconds: float = 300.0
    max_attempts: int = 8

    @classmethod
    def from_settings(cls, settings: Settings) -> RetryPolicy:
        return cls(
            base_seconds=settings.outbox_retry_seconds,
            cap_seconds=settings.outbox_retry_cap_seconds,
            max_attempts=settings.outbox_max_attempts,
        )

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Exponential backoff with jitter; never sooner than the platform asked."""
        backoff = min(self.cap_seconds, self.base_seconds * 2 ** max(attempt - 1, 0))
        jittered = backoff * random.uniform(0.5, 1.5)
        return max(jittered, retry_after or 0.0)


class DeadLetter(NoticeEvent):
    """A row set aside after repeated failure, as the business unit is told of it (ids and codes only)."""

    kind: Literal["dead_letter"] = "dead_letter"
    outbox_id: int
    attempts: int
    audience: str
    channel: str
    reference: str | None = None
    error: str


def present_dead_letter(notice: DeadLetter) -> Reply:
    to_business_unit = notice.audience == BUSINESS_UNIT
    return Reply(
        say_from(
            "notifications.yaml",
            "dead_letter",
            attempts=notice.attempts,
            what=say_from(
                "notifications.yaml",
                "dead_letter_what_business_unit" if to_business_unit else "dead_letter_what_person",
            ),
            audience=say_from("notifications.yaml", "audience_business_unit") if to_business_unit else notice.audience,
            channel=notice.channel.capitalize(),
            reference_part=say_from("notifications.yaml", "dead_letter_reference", reference=notice.reference)
            if notice.reference
            else "",
            error=notice.error,
            id=notice.outbox_id,
        )
    )


def _word_dead_letter(event: dict[str, Any], audience: str, channel: str) -> Reply:
    return present_dead_letter(DeadLetter.model_validate(event))


events.register([DEAD_LETTER], _word_dead_letter)


class UnansweredMessage(NoticeEvent):
    """A message acknowledged to the platform that no replica could answer after repeated tries
    (the durable inbox set it aside): ids only, never what was typed."""

    kind: Literal["unanswered_message"] = "unanswered_message"
    platform: str
    event_id: str
    attempts: int
    user: str
    conversation: str


def present_unanswered(notice: UnansweredMessage) -> Reply:
    return Reply(
        say_from(
            "notifications.yaml",
            "unanswered_message",
            attempts=notice.attempts,
            channel=notice.platform.capitalize(),
            user=notice.user,
            conversation=notice.conversation,
            event_id=notice.event_id,
        )
    )


def unanswered_notification(notice: UnansweredMessage) -> Notification:
    """The business unit's notice of a message set aside unanswered."""
    return Notification(audience=BUSINESS_UNIT, reply=present_unanswered(notice), event=UNANSWERED, notice=notice)


def _word_unanswered(event: dict[str, Any], audience: str, channel: str) -> Reply:
    return present_unanswered(UnansweredMessage.model_validate(event))


events.register([UNANSWERED], _word_unanswered)


class Outbox:
    def __init__(
        self,
        database: Database,
        settings: Settings | None = None,
        *,
        now: Callable[[], datetime] = utcnow,
        policy: RetryPolicy | None = None,
    ) -> None:
        self.database = database
        self.settings = settings
        self.now = now
        self.policy = policy or (RetryPolicy.from_settings(settings) if settings else RetryPolicy())

    # --- writing (in the caller's transaction) -------------------------------------------

    def publish(
        self,
        session: Session,
        notifications: Iterable[Notification],
        *,
        key: str | None = None,
        at: datetime | None = None,
    ) -> list[Notification]:
        """Store each notification for every route to its audience; returns them with their channels.

        `key` names the event (e.g. "referral-event:42"): with the audience and
        channel it makes each row's idempotency key, so publishing the same event
        twice stores it once.
        """
        created_at = at or self.now()
        published: list[Notification] = []
        channels: set[str] = set()
        for notification in notifications:
            found = self._routes(session, notification.audience)
            for route in found:
                if self._exists(session, key, notification, route):
                    continue
                session.add(self._row(notification, route, key, created_at))
                channels.add(route.channel)
            published.append(replace(notification, channels=tuple(r.channel for r in found)))
        if channels - {HELD}:
            # Wake this process's delivery workers as soon as the change is committed.
            event.listen(session, "after_commit", lambda _s: signal.wake(channels), once=True)
        return published

    def hold(
        self, session: Session, notifications: Iterable[Notification], *, at: datetime | None = None
    ) -> list[Notification]:
        """Store the user-addressed notifications for the user's next message; returns those held."""
        held = [n for n in notifications if can_hold(n)]
        created_at = at or self.now()
        for notification in held:
            session.add(self._row(notification, Route(HELD, notification.audience), None, created_at))
        return held

    def _routes(self, session: Session, audience: str) -> list[Route]:
        if self.settings is None:  # no channels known: a user's wait for their next message
            return [] if is_group(audience) else [Route(HELD, audience)]
        return routes(session, self.settings, audience)

    @staticmethod
    def _idempotency_key(key: str | None, notification: Notification, route: Route) -> str | None:
        if key is None:
            return None
        return f"{key}:{notification.audience}:{route.channel}:{route.address}"[:255]

    def _exists(self, session: Session, key: str | None, notification: Notification, route: Route) -> bool:
        idempotency_key = self._idempotency_key(key, notification, route)
        if idempotency_key is None:
            return False
        found = session.scalar(
            select(HeldNotification.id).where(HeldNotification.idempotency_key == idempotency_key)
        )
        return found is not None

    def _row(
        self, notification: Notification, route: Route, key: str | None, created_at: datetime
    ) -> HeldNotification:
        return HeldNotification(
            user_id=route.address,
            audience=notification.audience,
            person_id=route.person_id,
            channel=route.channel,
            event=notification.event,
            referral_reference=notification.referral_reference,
            payload=events.payload(notification),
            created_at=created_at,
            idempotency_key=self._idempotency_key(key, notification, route),
            attempts=0,
        )

    # --- held for the next message ---------------------------------------------------------

    def take(self, user_id: str | Iterable[str]) -> list[Notification]:
        """The user's held notifications, oldest first, marked delivered as they are read.

        One statement (`UPDATE … WHERE delivered_at IS NULL … RETURNING`): of two
        processes taking for the same user at once, each row goes to exactly one
        (PostgreSQL re-checks the condition after waiting for the other's row
        lock; SQLite runs the transactions one after the other).
        """
        ids = [user_id] if isinstance(user_id, str) else list(user_id)
        statement = (
            update(HeldNotification)
            .where(
                HeldNotification.user_id.in_(ids),
                HeldNotification.channel == HELD,
                HeldNotification.delivered_at.is_(None),
            )
            .values(delivered_at=self.now())
            .returning(
                HeldNotification.id,
                HeldNotification.user_id,
                HeldNotification.referral_reference,
                HeldNotification.audience,
                HeldNotification.payload,
            )
            .execution_options(synchronize_session=False)
        )
        with self.database.transaction() as session:
            rows = sorted(session.execute(statement).all(), key=lambda row: row.id)
            # Worded inside the transaction: what this process cannot word stays held (a feature
            # not loaded here, an event from a newer version), and the rest is shown.
            taken, unworded = [], []
            for row in rows:
                try:
                    reply = events.present(row.payload, row.audience or row.user_id, HELD)
                except (events.UnknownEvent, ValidationError):
                    unworded.append(row.id)
                    continue
                taken.append(Notification(audience=row.user_id, reply=reply, referral_reference=row.referral_reference))
            if unworded:
                session.execute(
                    update(HeldNotification)
                    .where(HeldNotification.id.in_(unworded))
                    .values(delivered_at=None)
                    .execution_options(synchronize_session=False)
                )
                log.warning("outbox.unworded", extra={"user": ids[0], "notifications": unworded})
            rows = [row for row in rows if row.id not in unworded]
        if rows:
            # Ids only: the text is referral content and stays in the database.
            log.info("outbox.delivered", extra={"user": ids[0], "notifications": [row.id for row in rows]})
        return taken

    def pending(self, user_id: str) -> int:
        """How many notifications are held for the user."""
        statement = select(func.count(HeldNotification.id)).where(
            HeldNotification.user_id == user_id,
            HeldNotification.channel == HELD,
            HeldNotification.delivered_at.is_(None),
        )
        with self.database.sessions() as session:
            return int(session.scalar(statement) or 0)

    # --- delivery workers ------------------------------------------------------------------

    def claim(
        self, channel: str, worker: str, *, limit: int = 20, lease: timedelta = timedelta(seconds=60)
    ) -> list[Delivery]:
        """Due rows for `channel`, leased to `worker` (no other worker takes them until the lease ends)."""
        now = self.now()
        due = (
            select(HeldNotification.id)
            .where(
                HeldNotification.channel == channel,
                HeldNotification.delivered_at.is_(None),
                HeldNotification.dead_at.is_(None),
                or_(HeldNotification.next_attempt_at.is_(None), HeldNotification.next_attempt_at <= now),
                or_(HeldNotification.claimed_until.is_(None), HeldNotification.claimed_until < now),
            )
            .order_by(HeldNotification.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        with self.database.transaction() as session:
            ids = list(session.scalars(due))
            if not ids:
                return []
            session.execute(
                update(HeldNotification)
                .where(HeldNotification.id.in_(ids))
                .values(
                    claimed_by=worker,
                    claimed_until=now + lease,
                    attempts=HeldNotification.attempts + 1,
                )
                .execution_options(synchronize_session=False)
            )
            rows = session.scalars(
                select(HeldNotification).where(HeldNotification.id.in_(ids)).order_by(HeldNotification.id)
            ).all()
            deliveries = []
            for row in rows:
                try:
                    reply = events.present(row.payload, row.audience or row.user_id, row.channel)
                except (events.UnknownEvent, ValidationError):
                    # This process cannot word it (a feature not loaded, an event from a newer
                    # version): try again later, and set it aside after as many tries as a failed post.
                    self._unworded(session, row, now)
                    continue
                deliveries.append(
                    Delivery(
                        id=row.id,
                        key=row.idempotency_key or f"outbox:{row.id}",
                        channel=row.channel,
                        address=row.user_id,
                        reply=reply,
                        referral_reference=row.referral_reference,
                        event=row.event,
                        attempt=row.attempts,
                    )
                )
            return deliveries

    def _unworded(self, session: Session, row: HeldNotification, now: datetime) -> None:
        row.claimed_until, row.last_error = None, "unworded_event"
        if row.attempts < self.policy.max_attempts:
            row.next_attempt_at = now + timedelta(seconds=self.policy.delay(row.attempts))
        else:
            row.dead_at = now
            self._tell_of_dead_letter(session, row, hold=False)  # nor could it be worded for them
        log.warning(
            "outbox.unworded",
            extra={
                "outbox_id": row.id,
                "channel": row.channel,
                "attempt": row.attempts,
                "dead": row.dead_at is not None,
            },
        )

    def renew(self, delivery: Delivery, worker: str, *, lease: timedelta = timedelta(seconds=60)) -> bool:
        """Extend this worker's claim just before sending; False if the row is no longer its to send.

        A batch is sent one row after another: without this, a slow platform could
        outlast the lease of the rows still waiting, and another worker send them too.
        """
        now = self.now()
        with self.database.transaction() as session:
            result = session.execute(
                update(HeldNotification)
                .where(
                    HeldNotification.id == delivery.id,
                    HeldNotification.claimed_by == worker,
                    HeldNotification.delivered_at.is_(None),
                    HeldNotification.dead_at.is_(None),
                )
                .values(claimed_until=now + lease)
                .execution_options(synchronize_session=False)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    def complete(self, delivery: Delivery) -> None:
        with self.database.transaction() as session:
            session.execute(
                update(HeldNotification)
                .where(HeldNotification.id == delivery.id, HeldNotification.delivered_at.is_(None))
                .values(delivered_at=self.now(), claimed_until=None, last_error=None)
                .execution_options(synchronize_session=False)
            )
        log.info(
            "outbox.sent",
            extra={"outbox_id": delivery.id, "channel": delivery.channel, "attempt": delivery.attempt},
        )

    def fail(
        self, delivery: Delivery, error: str, *, retry_after: float | None = None, permanent: bool = False
    ) -> bool:
        """Schedule a retry, or set the row aside and tell the business unit; True if set aside."""
        now = self.now()
        error = error[:255]
        dead = permanent or delivery.attempt >= self.policy.max_attempts
        with self.database.transaction() as session:
            row = session.get(HeldNotification, delivery.id, with_for_update=True)
            if row is None or row.delivered_at is not None:
                return False
            row.last_error = error
            row.claimed_until = None
            if not dead:
                row.next_attempt_at = now + timedelta(seconds=self.policy.delay(delivery.attempt, retry_after))
            else:
                row.dead_at = now
                self._tell_of_dead_letter(session, row)
        log.warning(
            "outbox.dead" if dead else "outbox.retry",
            extra={
                "outbox_id": delivery.id,
                "channel": delivery.channel,
                "attempt": delivery.attempt,
                "error": error,
            },
        )
        return dead

    def _tell_of_dead_letter(self, session: Session, row: HeldNotification, *, hold: bool = True) -> None:
        """The business unit hears of what could not be delivered; a person still sees it next time
        (unless it cannot be worded: `hold` False)."""
        if row.event == DEAD_LETTER:
            return  # telling them that a dead-letter notice failed would go round in circles
        audience = row.audience or row.user_id
        reference = row.referral_reference
        notice = DeadLetter(
            outbox_id=row.id,
            attempts=row.attempts,
            audience=audience,
            channel=row.channel,
            reference=reference,
            error=row.last_error or "unknown",
        )
        notification = Notification(
            audience=BUSINESS_UNIT,
            reply=present_dead_letter(notice),
            referral_reference=reference,
            event=DEAD_LETTER,
            notice=notice,
        )
        self.publish(session, [notification], key=f"dead-letter:{row.id}")
        if hold and not is_group(audience):
            # Nothing is lost: the person is shown it at their next message, in any channel (the
            # same event or wording as the row set aside, worded when they are shown it).
            session.add(
                HeldNotification(
                    user_id=audience,
                    audience=audience,
                    person_id=row.person_id,
                    channel=HELD,
                    event=row.event,
                    referral_reference=reference,
                    payload=dict(row.payload),
                    created_at=self.now(),
                    idempotency_key=f"held-after-dead:{row.id}:{audience}:{HELD}:{audience}"[:255],
                    attempts=0,
                )
            )

    def dead(self, channel: str | None = None) -> int:
        """How many rows were set aside (for /metrics and the business unit's checks)."""
        statement = select(func.count(HeldNotification.id)).where(HeldNotification.dead_at.is_not(None))
        if channel is not None:
            statement = statement.where(HeldNotification.channel == channel)
        with self.database.sessions() as session:
            return int(session.scalar(statement) or 0)

    # --- housekeeping ------------------------------------------------------------------------

    def purge_delivered(self, older_than: timedelta) -> int:
        """Forget delivered rows older than the retention period (dead ones are kept for a person to read)."""
        cutoff = self.now() - older_than
        with self.database.transaction() as session:
            result = session.execute(
                delete(HeldNotification).where(
                    HeldNotification.delivered_at.is_not(None), HeldNotification.delivered_at < cutoff
                )
            )
            return int(result.rowcount)  # type: ignore[attr-defined]
