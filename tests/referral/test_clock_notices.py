"""Clocks due soon and overdue become domain events in the outbox, once per clock and threshold,
against real SQLite and PostgreSQL with a clock the test moves. `sgbot queue clocks` does the
same from cron; `sgbot serve` runs it with the hourly housekeeping."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from pydantic import SecretStr
from sqlalchemy import select
from typer.testing import CliRunner

from bot.assistant import Assistant
from bot.config import Settings, get_settings
from bot.db import Database
from bot.outbox import HeldNotification
from bot.referral.actions import action
from bot.referral.clock_notices import publish_clock_notices
from bot.referral.conversation import ReferralConversation
from bot.referral.queue import Actor, ReviewQueue

from .helpers import CHILD_REFERRAL, Chat, text_of

OFFICER = Actor("officer.one")


class Clock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 3, 9, 10, 0, tzinfo=UTC))  # Monday 9 March 2026


@pytest.fixture
def business_unit_settings(settings: Settings) -> Settings:
    """A Slack business-unit channel, so the business unit's notifications have somewhere to go."""
    return settings.model_copy(
        update={"slack_bot_token": SecretStr("xoxb-test"), "slack_business_unit_channel": "CBUSINESS1"}
    )


@pytest.fixture
def queue(database: Database, business_unit_settings: Settings, clock: Clock) -> ReviewQueue:
    return ReviewQueue(database, business_unit_settings, now=clock)


@pytest.fixture
def assistant(database: Database, business_unit_settings: Settings, queue: ReviewQueue) -> Assistant:
    conversation = ReferralConversation(database, business_unit_settings, queue=queue)
    return Assistant(business_unit_settings, referrals=conversation)


def submit(assistant: Assistant) -> str:
    chat = Chat(assistant, "practitioner.one")
    chat.send("refer")
    chat.answer_all(CHILD_REFERRAL)
    [note] = chat.press("submit").notifications
    assert note.referral_reference
    return note.referral_reference


def clock_rows(database: Database) -> list[HeldNotification]:
    with database.sessions() as session:
        return list(
            session.scalars(
                select(HeldNotification)
                .where(HeldNotification.event.in_(("clock_due_soon", "clock_overdue")))
                .order_by(HeldNotification.id)
            )
        )


def test_each_clock_is_told_once_when_due_soon_and_once_when_overdue(
    assistant: Assistant, queue: ReviewQueue, database: Database, clock: Clock
) -> None:
    reference = submit(assistant)  # decision and Panel notification both due Monday 16 March
    officer = Chat(assistant, "officer.one")
    [viewed] = [r for r in officer.send(f"show {reference}").replies if r.card and r.card.get("version")]
    assert viewed.card is not None
    assert publish_clock_notices(queue) == []  # five working days away: nothing to tell

    clock.moment = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)  # Thursday: two working days left
    soon = publish_clock_notices(queue)
    assert {(n.reference, n.clock, n.due, n.threshold) for n in soon} == {
        (reference, "decision", date(2026, 3, 16), "due_soon"),
        (reference, "notification", date(2026, 3, 16), "due_soon"),
    }
    assert all(n.channels == ("slack",) for n in soon)
    assert publish_clock_notices(queue) == []  # a rerun (or a second replica) tells nobody again
    clock.moment = datetime(2026, 3, 13, 9, 0, tzinfo=UTC)
    assert publish_clock_notices(queue) == []  # still due soon: already told

    clock.moment = datetime(2026, 3, 17, 9, 0, tzinfo=UTC)  # Tuesday: both overdue
    late = publish_clock_notices(queue)
    assert {(n.clock, n.threshold) for n in late} == {("decision", "overdue"), ("notification", "overdue")}
    assert publish_clock_notices(queue) == []

    rows = clock_rows(database)
    assert [(r.channel, r.user_id, r.event) for r in rows] == [
        ("slack", "business_unit", "clock_due_soon"),
        ("slack", "business_unit", "clock_due_soon"),
        ("slack", "business_unit", "clock_overdue"),
        ("slack", "business_unit", "clock_overdue"),
    ]
    assert all(r.delivered_at is None for r in rows)  # waiting for the Slack delivery worker
    # The row holds the event, not text; the words are made when the Slack worker claims it.
    assert set(rows[-1].payload) == {"event"}
    assert {k: rows[-1].payload["event"][k] for k in ("kind", "reference", "due")} == {
        "kind": "clock_overdue", "reference": reference, "due": "2026-03-16"
    }
    claimed = queue.outbox.claim("slack", "test-worker", limit=10)
    assert f"Overdue on **{reference}**" in claimed[-1].reply.text
    assert claimed[-1].reply.buttons  # "show" is worded with the rest

    # The history says the business unit was told; an officer's view of version 1 is still current.
    history = queue.show(OFFICER, reference).events
    assert [e.action for e in history].count("clock_overdue") == 2
    # Pressed on the view from before the notices: still current, as nothing about it changed.
    assign = action("assign", reference, viewed.card["version"])
    assert "assigned to officer.one" in text_of(officer.press(assign.to_json()))
    shown = text_of(officer.send(f"show {reference}"))
    assert "sgbot: clock overdue: Panel notification due 2026-03-16" in shown


def test_a_clock_first_seen_overdue_is_told_overdue_only_and_a_decided_one_not_at_all(
    assistant: Assistant, queue: ReviewQueue, clock: Clock
) -> None:
    first = submit(assistant)
    second = submit(assistant)
    queue.decide(OFFICER, second, "not_accepted", "No multi-agency learning identified.")
    clock.moment = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
    told = publish_clock_notices(queue)
    assert {(n.reference, n.clock, n.threshold) for n in told} == {
        (first, "decision", "overdue"),
        (first, "notification", "overdue"),
    }  # the declined referral's clocks stopped with the decision


@pytest.fixture
def cli_env(business_unit_settings: Settings, db_url: str) -> Iterator[dict[str, str | None]]:
    yield {
        "SGBOT_DATA_DIR": str(business_unit_settings.data_dir),
        "DATABASE_URL": db_url if db_url.startswith("postgresql") else None,
        "SGBOT_BUSINESS_UNIT": "officer.one",
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_BUSINESS_UNIT_CHANNEL": "CBUSINESS1",
    }
    get_settings.cache_clear()


def test_sgbot_queue_clocks_from_cron_tells_each_clock_once(
    assistant: Assistant, cli_env: dict[str, str | None], database: Database
) -> None:
    from bot.cli import app

    reference = submit(assistant)  # filed in March 2026: its clocks are overdue by any real today

    def run() -> str:
        get_settings.cache_clear()
        result = CliRunner().invoke(app, ["queue", "clocks"], env=cli_env)
        assert result.exit_code == 0, result.output
        return result.output

    first = run()
    assert f"{reference}: decision overdue (due 2026-03-16) -> slack" in first
    assert "2 clock notice(s) written." in first
    assert "0 clock notice(s) written." in run()
    assert len(clock_rows(database)) == 2
