"""The database's housekeeping: reads that never wait for writers, questions that write nothing,
and what is kept only for a while purged on schedule. Every test runs against SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta

from sqlalchemy import func, select, text

from bot.config import Settings
from bot.db import Database, InboundEvent, claim_inbound_event, utcnow
from bot.housekeeping import Housekeeping, purge_expired
from bot.messages import Message, Notification, Reply
from bot.outbox import HeldNotification, Outbox
from bot.referral.conversation import ReferralConversation
from bot.referral.queue import Actor, ReviewQueue
from bot.sessions.models import ConversationSession


def test_reading_the_queue_never_waits_for_a_writer(database: Database, settings: Settings) -> None:
    queue = ReviewQueue(database, settings)
    finished = threading.Event()

    def read() -> None:
        queue.listing(Actor("officer.one"))
        finished.set()

    with database.transaction() as session:  # a writer holding the write lock (SQLite: BEGIN IMMEDIATE)
        session.execute(text("UPDATE people SET display_name = 'x' WHERE 1 = 0"))
        reader = threading.Thread(target=read)
        reader.start()
        # With the write lock taken for reads too, this would wait out the 30 s busy timeout.
        assert finished.wait(timeout=10), "a read waited for the writer"
    reader.join()


def test_a_plain_question_writes_nothing(database: Database, settings: Settings) -> None:
    conversation = ReferralConversation(database, settings)
    turn = conversation.handle(Message(user_id="asker", text="What is a rapid review?"))
    assert not turn.handled
    with database.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ConversationSession)) == 0


def test_event_ids_and_delivered_notifications_are_purged_after_their_retention(
    database: Database, settings: Settings
) -> None:
    assert claim_inbound_event(database, "slack", "Ev-old") and claim_inbound_event(database, "slack", "Ev-new")
    outbox = Outbox(database, settings)
    with database.transaction() as session:
        session.execute(
            InboundEvent.__table__.update()
            .where(InboundEvent.event_id == "Ev-old")
            .values(received_at=utcnow() - timedelta(hours=49))
        )
        outbox.publish(session, [Notification("old.reader", Reply("told long ago"))], key="old")
        outbox.publish(session, [Notification("new.reader", Reply("told today"))], key="new")
        outbox.publish(session, [Notification("waiting", Reply("not yet told"))], key="waiting")
    outbox.take("old.reader")
    outbox.take("new.reader")
    with database.transaction() as session:
        session.execute(
            HeldNotification.__table__.update()
            .where(HeldNotification.user_id == "old.reader")
            .values(delivered_at=utcnow() - timedelta(days=91))
        )

    purged = purge_expired(database, settings)

    assert (purged.inbound_events, purged.notifications) == (1, 1)
    with database.sessions() as session:
        assert [e.event_id for e in session.scalars(select(InboundEvent))] == ["Ev-new"]
        kept = sorted(row.user_id for row in session.scalars(select(HeldNotification)))
    assert kept == ["new.reader", "waiting"]  # a notification not yet delivered is never purged
    assert not claim_inbound_event(database, "slack", "Ev-new")  # a retry within retention is still known


def test_a_server_stopping_as_housekeeping_starts_lets_the_round_finish_first(
    database: Database, settings: Settings
) -> None:
    """Its steps run in threads that cancelling cannot stop: stop() returns once the round is done,
    so nothing purges or logs after the server has gone."""
    assert claim_inbound_event(database, "slack", "Ev-old")
    with database.transaction() as session:
        session.execute(InboundEvent.__table__.update().values(received_at=utcnow() - timedelta(hours=49)))

    async def start_and_stop_at_once() -> None:
        housekeeping = Housekeeping(settings)
        await housekeeping.start()
        await asyncio.sleep(0)  # the round has begun
        await housekeeping.stop()

    asyncio.run(start_and_stop_at_once())
    with database.sessions() as session:
        assert session.scalar(select(func.count()).select_from(InboundEvent)) == 0
