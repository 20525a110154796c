"""Stopping a delivery worker (server shutdown): the delivery under way finishes and is recorded, and
nothing keeps running after `stop()` returns; only a platform that never answers is given up on."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import select

from bot.config import Settings
from bot.db import Database, forget_databases, open_database
from bot.messages import Notification, Reply
from bot.outbox import Outbox
from bot.outbox.models import HeldNotification
from bot.outbox.store import Delivery
from bot.outbox.worker import DeliveryWorker


class HeldUp:
    """Slack as the worker sees it: a post that takes as long as the test decides."""

    channel = "slack"

    def __init__(self) -> None:
        self.posting = asyncio.Event()
        self.answer = asyncio.Event()
        self.posted: list[int] = []

    async def send(self, delivery: Delivery) -> None:
        self.posting.set()
        await self.answer.wait()
        self.posted.append(delivery.id)


def _settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        SGBOT_DATA_DIR=tmp_path / "data",
        DATABASE_URL=db_url if db_url.startswith("postgresql") else None,
        SLACK_BOT_TOKEN="xoxb-test-token",
        SLACK_BUSINESS_UNIT_CHANNEL="CBUSINESS",
    )


def _one_notification(database: Database, settings: Settings) -> Outbox:
    outbox = Outbox(database, settings)
    with database.transaction() as session:
        outbox.publish(session, [Notification("business_unit", Reply("PR-1 submitted"), event="submitted")],
                       key="referral-event:1")
    return outbox


def _row(database: Database) -> HeldNotification:
    with database.sessions() as session:
        return session.execute(select(HeldNotification)).scalar_one()


def test_stopping_waits_for_the_post_under_way_and_records_it_as_sent(db_url: str, tmp_path: Path) -> None:
    settings = _settings(db_url, tmp_path)
    database = open_database(settings)
    try:
        outbox = _one_notification(database, settings)
        slack = HeldUp()

        async def scenario() -> bool:
            worker = DeliveryWorker(outbox, slack, poll_seconds=60)
            await worker.start()
            await asyncio.wait_for(slack.posting.wait(), 30)
            stopping = asyncio.create_task(worker.stop())
            await asyncio.sleep(0.2)
            waited = not stopping.done()
            slack.answer.set()
            await asyncio.wait_for(stopping, 30)
            return waited

        assert asyncio.run(scenario()), "stop() returned while the post was still being made"
        row = _row(database)
        assert slack.posted == [row.id]
        assert row.delivered_at is not None  # recorded before stop() returned: never posted twice
    finally:
        database.dispose()
        forget_databases()


def test_a_post_that_never_ends_is_given_up_on_and_left_for_the_next_worker(db_url: str, tmp_path: Path) -> None:
    settings = _settings(db_url, tmp_path)
    database = open_database(settings)
    try:
        outbox = _one_notification(database, settings)
        slack = HeldUp()  # never answers

        async def scenario() -> None:
            worker = DeliveryWorker(outbox, slack, poll_seconds=60)
            await worker.start()
            await asyncio.wait_for(slack.posting.wait(), 30)
            await asyncio.wait_for(worker.stop(timeout=0.3), 10)

        asyncio.run(scenario())
        row = _row(database)
        assert slack.posted == []
        assert row.delivered_at is None and row.claimed_until is not None  # another worker's once the lease ends
    finally:
        database.dispose()
        forget_databases()
