"""One role check for every surface: a role given with `sgbot roles`, or held under another id of the
same person, works in triage, action plans, themes, the report and alignment, and goes when revoked.

Every surface asks `bot.roles` with the database (configuration and grants, by every id and the email
the person is known by). These tests go through the real services and the real `sgbot roles` command,
on SQLite and PostgreSQL; the dashboard has its own over HTTP (tests/dashboard/test_dashboard_access.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from typer.testing import CliRunner

from bot.assistant import Assistant
from bot.cli import app
from bot.config import Settings, get_settings
from bot.db import Database
from bot.messages import Message
from bot.people import People
from bot.referral.conversation import ReferralConversation
from bot.referral.errors import NotAllowed
from bot.referral.queue import Actor, ReviewQueue
from bot.reports.narrative import Narratives
from bot.reports.quarter import Quarter
from bot.reviews import ActionPlans, Themes
from bot.roles import Role, in_business_unit, may_configure_channels, role_of

from .test_queue import Clock, submit

NOW = datetime(2026, 3, 9, 10, 0, tzinfo=UTC)
GRANTED = "dana.granted"  # in no configuration: given the business unit's role with `sgbot roles grant`
# officer.two@example.org is in SGBOT_BUSINESS_UNIT (tests/referral/conftest.py) by email only; in Teams
# they are known by this id, linked to the email by the platform's profile.
TEAMS_ID = "aad-officer-two"
Q3 = Quarter.parse("2026Q3")


@pytest.fixture
def sgbot(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    """`sgbot` on the test's database, as an administrator runs it (configuration from the environment)."""
    monkeypatch.setenv("SGBOT_DATA_DIR", str(settings.data_dir))
    if settings.database_url:
        monkeypatch.setenv("DATABASE_URL", settings.database_url)
    get_settings.cache_clear()  # type: ignore[attr-defined]
    yield CliRunner()
    get_settings.cache_clear()  # type: ignore[attr-defined]


def run(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def queue(database: Database, settings: Settings) -> ReviewQueue:
    return ReviewQueue(database, settings, now=Clock(NOW))


@pytest.fixture
def assistant(database: Database, settings: Settings, queue: ReviewQueue) -> Assistant:
    return Assistant(settings, referrals=ReferralConversation(database, settings, queue=queue))


@pytest.fixture
def review(assistant: Assistant, queue: ReviewQueue) -> str:
    reference = submit(assistant)
    queue.decide(Actor("officer.one"), reference, "accepted", "Meets the criteria", review_type="rapid_review")
    return reference


def business_unit_work(database: Database, settings: Settings, queue: ReviewQueue, who: str, review: str) -> None:
    """What only the business unit may do, on every service that checks (each raises NotAllowed if refused)."""
    queue.assign(Actor(who), review)
    ActionPlans(database, settings, now=Clock(NOW)).add(
        who, review, recommendation="Share discharge plans", owner_agency="Health", due_on=date(2026, 6, 30)
    )
    Themes(database, settings).set(who, review, ["Neglect"])
    Narratives(database, settings).save(who, Q3, "doing_well", "Panel notifications were on time.")


def refused_everywhere(database: Database, settings: Settings, queue: ReviewQueue, who: str, review: str) -> None:
    with pytest.raises(NotAllowed):
        queue.assign(Actor(who), review)
    with pytest.raises(NotAllowed):
        ActionPlans(database, settings).add(
            who, review, recommendation="R", owner_agency="Health", due_on=date(2026, 6, 30)
        )
    with pytest.raises(NotAllowed):
        Themes(database, settings).set(who, review, ["Neglect"])
    with pytest.raises(NotAllowed):
        Narratives(database, settings).save(who, Q3, "doing_well", "text")


def test_a_role_given_with_sgbot_roles_works_on_every_surface_until_it_is_revoked(
    database: Database, settings: Settings, queue: ReviewQueue, review: str, sgbot: CliRunner
) -> None:
    refused_everywhere(database, settings, queue, GRANTED, review)

    assert run(sgbot, "roles", "grant", GRANTED, "business_unit", "--by", "admin.user") == f"{GRANTED}: business_unit\n"
    assert role_of(settings, GRANTED, database=database) == Role.BUSINESS_UNIT
    business_unit_work(database, settings, queue, GRANTED, review)
    assert queue.show(Actor(GRANTED), review).assigned_to == GRANTED
    assert [row.reference for row in queue.listing(Actor(GRANTED))] == [review]  # the whole queue
    assert not may_configure_channels(settings, GRANTED, database=database)  # admins configure: an admin exists

    assert "revoked" in run(sgbot, "roles", "revoke", GRANTED)
    refused_everywhere(database, settings, queue, GRANTED, review)


def test_a_person_named_by_email_has_the_role_under_their_teams_id(
    database: Database, settings: Settings, queue: ReviewQueue, review: str
) -> None:
    refused_everywhere(database, settings, queue, TEAMS_ID, review)  # an id nobody has linked yet
    People(database).identify("teams", TEAMS_ID, email="Officer.Two@example.org", display_name="Officer Two")

    assert in_business_unit(settings, database, TEAMS_ID)  # the id alone: the person carries the email
    business_unit_work(database, settings, queue, TEAMS_ID, review)
    assert queue.show(Actor(TEAMS_ID), review).assigned_to == TEAMS_ID


def test_an_admin_grant_by_email_lets_the_persons_slack_id_configure_channels(
    database: Database, settings: Settings, sgbot: CliRunner
) -> None:
    People(database).identify("slack", "U0DANA", email="dana@example.org")
    assert not may_configure_channels(settings, "U0DANA", database=database)
    run(sgbot, "roles", "grant", "Dana@Example.org", "admin")
    assert may_configure_channels(settings, "U0DANA", database=database)
    assert role_of(settings, "U0DANA", database=database) == Role.ADMIN
    assert "dana@example.org: admin" in run(sgbot, "roles", "list")


def test_alignment_in_chat_is_for_a_granted_officer_too(
    database: Database, settings: Settings, assistant: Assistant, sgbot: CliRunner
) -> None:
    def ask(user: str) -> str:
        outcome = assistant.handle(Message(user_id=user, text="How aligned are Northshire and Eastbrook?",
                                           channel="terminal"))
        return outcome.replies[-1].text

    refused = ask(GRANTED)
    run(sgbot, "roles", "grant", GRANTED, "business_unit")
    allowed = ask(GRANTED)
    assert allowed != refused and "business unit" in refused.lower()
    assert allowed == ask("officer.one")  # what a configured officer is told (no procedures ingested here)
