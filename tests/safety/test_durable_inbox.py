"""The durable inbox (bot/inbox/) on SQLite and PostgreSQL: an event is stored with its claim,
its holder renews the claim while it answers, any replica's sweeper takes over one whose lease ran out,
exactly one sweeper wins, and one that keeps failing is set aside with the business unit told (ids only).
The replicas here are `Inbox` objects with holders of their own sharing one real database; the end-to-end
cases with real `sgbot serve` processes are in tests/slack/test_slack_durable_inbox.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.db import (
    Database,
    InboundEvent,
    claim_inbound_event,
    claim_stale_inbound_events,
    forget_databases,
    open_database,
    renew_inbound_event,
    unanswered_inbound_events,
    utcnow,
)
from bot.housekeeping import purge_expired
from bot.inbox import Inbox
from bot.outbox import HeldNotification

LEASE = 0.6
DISCLOSURE = "She told me her stepfather hit her tonight"


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        SGBOT_DATA_DIR=tmp_path / "data",
        DATABASE_URL=db_url if db_url.startswith("postgresql") else None,
        SGBOT_INBOUND_LEASE_SECONDS=LEASE,
        SGBOT_INBOX_MAX_ATTEMPTS=3,
        SGBOT_INBOX_RETRY_SECONDS=0.2,  # a failed answer's backoff: 0.2 s, then 0.4 s
        # The business unit's channel, so that a set-aside message has somewhere to be told.
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET="secret",
        SLACK_BUSINESS_UNIT_CHANNEL="CBUSINESS",
    )


@pytest.fixture
def database(settings: Settings) -> Iterator[Database]:
    database = open_database(settings)
    yield database
    database.dispose()
    forget_databases()


def _row(database: Database, event_id: str) -> InboundEvent:
    with database.sessions() as session:
        row = session.scalars(select(InboundEvent).where(InboundEvent.event_id == event_id)).one()
        session.expunge(row)
        return row


def _payload(user: str = "U1") -> dict[str, Any]:
    return {"event": {"user": user, "channel": f"D{user}", "ts": "1.0"}, "text": DISCLOSURE}


def sender(payload: dict[str, Any]) -> tuple[str, str]:
    return payload["event"]["user"], payload["event"]["channel"]


class Replica:
    """One replica's inbox: what it answered, and an answer that can be made slow or failing."""

    def __init__(self, settings: Settings, database: Database, *, seconds: float = 0.0, fails: bool = False):
        self.answered: list[dict[str, Any]] = []
        self.seconds = seconds
        self.fails = fails

        async def opened() -> Database:
            return database

        self.inbox = Inbox("slack", settings, opened, self.answer, sender)

    async def answer(self, payload: dict[str, Any]) -> None:
        await asyncio.sleep(self.seconds)
        if self.fails:
            raise RuntimeError("the platform refused the post")
        self.answered.append(payload)

    async def settle(self) -> None:
        """Wait for the answers its sweeps started."""
        while self.inbox._working:
            await asyncio.sleep(0.02)


def test_the_event_is_stored_with_its_claim_and_its_text_blanked_once_answered(
    settings: Settings, database: Database
) -> None:
    replica = Replica(settings, database)

    async def scenario() -> None:
        assert await replica.inbox.receive("Ev1", _payload())
        stored = _row(database, "Ev1")
        assert stored.payload == _payload() and stored.claimed_by == replica.inbox.holder
        assert stored.attempts == 1 and stored.handled_at is None
        await replica.inbox.work("Ev1", _payload())

    asyncio.run(scenario())
    answered = _row(database, "Ev1")
    assert replica.answered == [_payload()]
    assert answered.handled_at is not None and answered.payload is None  # nothing typed is kept
    assert unanswered_inbound_events(database) == 0


def test_a_retry_during_the_lease_is_left_and_a_sweeper_takes_over_only_after_it(
    settings: Settings, database: Database
) -> None:
    dead, other = Replica(settings, database), Replica(settings, database)

    async def scenario() -> None:
        assert await dead.inbox.receive("Ev2", _payload())  # acknowledged, then the replica died
        assert not await other.inbox.receive("Ev2", _payload())  # Slack's retry, during the lease
        assert await other.inbox.sweep() == 0
        await asyncio.sleep(LEASE + 0.2)
        assert await other.inbox.sweep() == 1
        await other.settle()
        assert await other.inbox.sweep() == 0  # handled: never again

    asyncio.run(scenario())
    assert other.answered == [_payload()] and dead.answered == []
    assert _row(database, "Ev2").attempts == 2


def test_the_holder_renews_its_lease_so_a_slow_answer_is_never_taken_over(
    settings: Settings, database: Database
) -> None:
    slow, sweeper = Replica(settings, database, seconds=LEASE * 4), Replica(settings, database)

    async def scenario() -> None:
        assert await slow.inbox.receive("Ev3", _payload())
        working = asyncio.create_task(slow.inbox.work("Ev3", _payload()))
        swept = 0
        while not working.done():
            swept += await sweeper.inbox.sweep()
            assert not await sweeper.inbox.receive("Ev3", _payload())  # a retry after the first lease
            await asyncio.sleep(LEASE / 4)
        await working
        assert swept == 0

    asyncio.run(scenario())
    assert slow.answered == [_payload()] and sweeper.answered == []


def test_only_the_holder_renews_a_claim(settings: Settings, database: Database) -> None:
    assert claim_inbound_event(database, "slack", "Ev4", LEASE, payload=_payload(), holder="a")
    assert renew_inbound_event(database, "slack", "Ev4", "a", LEASE)
    assert not renew_inbound_event(database, "slack", "Ev4", "b", LEASE)
    time.sleep(LEASE + 0.2)
    assert claim_inbound_event(database, "slack", "Ev4", LEASE, holder="b")  # "a" died: "b" takes over
    assert not renew_inbound_event(database, "slack", "Ev4", "a", LEASE)  # "a" woke up too late: not its own


def test_of_many_sweepers_racing_for_expired_events_each_event_goes_to_exactly_one(
    settings: Settings, database: Database
) -> None:
    for number in range(5):
        assert claim_inbound_event(database, "slack", f"Ev-race-{number}", LEASE, payload=_payload(), holder="dead")
    time.sleep(LEASE + 0.2)

    def sweep(holder: int) -> list[str]:
        claimed, _ = claim_stale_inbound_events(database, "slack", f"sweeper-{holder}", 30, max_attempts=5)
        return [stored.event_id for stored in claimed]

    with ThreadPoolExecutor(6) as pool:
        won = [event_id for claimed in pool.map(sweep, range(6)) for event_id in claimed]
    assert sorted(won) == [f"Ev-race-{number}" for number in range(5)]


def test_a_message_that_keeps_failing_is_set_aside_and_the_business_unit_is_told_ids_only(
    settings: Settings, database: Database
) -> None:
    failing = Replica(settings, database, fails=True)

    async def scenario() -> None:
        assert await failing.inbox.receive("Ev5", _payload("UFAIL"))
        with contextlib.suppress(RuntimeError):  # the live answer failed: the event stays unhandled
            await failing.inbox.work("Ev5", _payload("UFAIL"))
        for _ in range(6):  # attempts 2 and 3 fail too; the 4th claim finds it exhausted
            await asyncio.sleep(LEASE + 0.1)
            await failing.inbox.sweep()
            await failing.settle()

    asyncio.run(scenario())
    row = _row(database, "Ev5")
    assert row.dead_at is not None and row.handled_at is None and row.attempts == 3
    assert row.payload == _payload("UFAIL")  # kept for a person to read, until the retention purge
    with database.sessions() as session:
        (told,) = session.scalars(select(HeldNotification).where(HeldNotification.event == "unanswered_message"))
    assert (told.audience, told.channel) == ("business_unit", "slack")
    notice = told.payload["event"]
    assert (notice["user"], notice["conversation"], notice["event_id"], notice["attempts"]) == (
        "UFAIL", "DUFAIL", "Ev5", 3)
    assert DISCLOSURE not in str(told.payload)

    # The retention purge forgets it, text and all.
    with database.transaction() as session:
        session.execute(InboundEvent.__table__.update().values(received_at=utcnow() - timedelta(days=3)))
    assert purge_expired(database, settings).inbound_events == 1
    with database.sessions() as session:
        assert session.scalars(select(InboundEvent)).all() == []


def test_a_failed_answer_stays_unhandled_with_a_backoff_and_its_retry_posts_only_the_parts_not_yet_posted(
    settings: Settings, database: Database
) -> None:
    """The first try posts part 1 and fails before part 2: the claim is released (not handled, text kept),
    free only after the backoff; the sweeper's retry gets part 1's ids back without posting it again."""
    posts: list[str] = []
    tries: list[int] = []

    async def answer(payload: dict[str, Any]) -> None:
        tries.append(len(tries) + 1)

        async def post(name: str) -> list[str]:
            posts.append(name)
            return [f"ts-{name}"]

        first = await inbox.part(lambda: post("question echoed"))
        assert first == ["ts-question echoed"]  # on the retry too: what was posted then
        if len(tries) == 1:
            raise RuntimeError("the answer failed after its first part")
        await inbox.part(lambda: post("answer"))

    async def opened() -> Database:
        return database

    inbox = Inbox("slack", settings, opened, answer, sender)

    async def scenario() -> None:
        assert await inbox.receive("Ev7", _payload())
        with contextlib.suppress(RuntimeError):
            await inbox.work("Ev7", _payload())
        failed = _row(database, "Ev7")
        assert failed.handled_at is None and failed.payload == _payload() and failed.claimed_by is None
        assert failed.posted == {"1": ["ts-question echoed"]}
        assert await inbox.sweep() == 0  # the backoff (0.2 s), not at once
        await asyncio.sleep(0.3)
        assert await inbox.sweep() == 1
        while inbox._working:
            await asyncio.sleep(0.02)

    asyncio.run(scenario())
    assert tries == [1, 2] and posts == ["question echoed", "answer"]  # nothing posted twice
    done = _row(database, "Ev7")
    assert done.handled_at is not None and done.payload is None and done.posted is None and done.attempts == 2
