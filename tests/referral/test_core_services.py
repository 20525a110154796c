"""Feedback, hand-offs, channel settings and roles: core services with tables of their own.

Every test runs on SQLite and PostgreSQL. The migration test builds a populated
database the way a site has one today (schema 0013, channel_state rows of each
kind the channels wrote), upgrades it, and checks every row arrived (and that
downgrading puts them back).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, select, text

from bot import channel_settings
from bot.config import Settings
from bot.db import Database, channel_state_items, forget_databases, open_database, put_channel_state
from bot.db.schema import alembic_config
from bot.feedback import Feedback, HandoffRequest, hand_off, list_feedback, list_handoffs, record_feedback
from bot.outbox import Outbox
from bot.outbox.models import HeldNotification
from bot.people import People
from bot.roles import Role, Roles, may_configure_channels, role_of
from tests.pg_databases import PostgresServer

DISCLOSURE = "She has just told me her stepfather hit her tonight and she is scared to go home"
TEAMS_CHANNEL = "19:general@thread.tacv2"


def _digest(value: str) -> str:
    import hashlib

    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no schema at all (the migration test builds it revision by revision)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'copy.sqlite3'}"
        return
    postgres: PostgresServer = request.getfixturevalue("postgres")  # skips when PostgreSQL is not there
    url = postgres.blank()
    try:
        yield url
    finally:
        forget_databases()
        postgres.drop(url)


def _populate_as_before(database: Database) -> None:
    """What the channels wrote to channel_state before 0014, one row of each kind."""
    feedback = {
        "platform": "slack", "conversation": "C0FEED", "message": "1700000000.000100", "user_id": "U0RATER",
        "rating": "down", "reason": "Wrong area", "category": "wrong_area", "sources": ["eastbrook-lado.md"],
        "at": "2026-11-30T09:15:00+00:00",
    }
    put_channel_state(database, "feedback:slack", "C0FEED:1700000000.000100:U0RATER", feedback)
    put_channel_state(database, "feedback:teams", "a:chat:act-1:aad-fay", {
        "platform": "teams", "conversation": "a:chat", "message": "act-1", "user_id": "aad-fay",
        "rating": "up", "reason": None, "category": None, "sources": [], "at": "2026-11-30T10:00:00+00:00",
    })
    put_channel_state(database, "handoff:slack", "D0DM:1700000000.000200:U0ASK", {
        "platform": "slack", "conversation": "D0DM", "thread": "1700000000.000200", "user_id": "U0ASK",
        "posted_to": "C0BU", "posted_message": "1700000001.000300", "at": "2026-12-01T08:00:00+00:00",
    })
    put_channel_state(database, "slack:C0AREAS", "areas", ["Eastbrook", "Northshire Region"])
    put_channel_state(database, "slack:C0AREAS", "mode", "all")
    put_channel_state(database, "slack:C0BU", "referral:PR-2026-0001", "1700000005.000100")  # a thread: stays
    teams = f"teams:conversation:{_digest(TEAMS_CHANNEL)}"
    put_channel_state(database, teams, "areas", ["Westvale"])
    put_channel_state(database, teams, "reference", {"conversation": {"id": TEAMS_CHANNEL}, "serviceUrl": "x"})
    orphan = f"teams:conversation:{_digest('19:gone@thread.tacv2')}"  # settings, but no reference kept
    put_channel_state(database, orphan, "mode", "all")
    put_channel_state(database, "thread:slack", "C1:1700000000.1", {"questions": ["Who is the LADO?"]})
    # "What changed" notices owed to a Slack channel and a terminal user (one delivered already).
    with database.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO document_changes (id, path, source, title, kind, areas, change, version, diff, changed_at) "
            "VALUES (1, 'northshire/lado.md', 'lado.md', 'Allegations against staff', 'procedure', "
            "'[\"Northshire\"]', 'updated', 2, :diff, '2026-12-01 07:00:00')"
        ), {"diff": '{"added": ["Contacting the LADO"], "removed": [], "changed": []}'})
        connection.execute(text(
            "INSERT INTO change_subscriptions (id, channel, target, areas, kinds, created_at) VALUES "
            "(1, 'slack', 'C0NEWS', '[]', '[]', '2026-11-01 09:00:00'), "
            "(2, 'terminal', 'pat', '[]', '[]', '2026-11-01 09:00:00'), "
            "(3, 'teams', '19:done@thread.tacv2', '[]', '[]', '2026-11-01 09:00:00')"
        ))
        connection.execute(text(
            "INSERT INTO change_notices (subscription_id, change_id, created_at, delivered_at) VALUES "
            "(1, 1, '2026-12-01 07:00:00', NULL), (2, 1, '2026-12-01 07:00:00', NULL), "
            "(3, 1, '2026-12-01 07:00:00', '2026-12-01 07:00:30')"
        ))


def test_the_migration_moves_channel_state_into_the_core_services_tables(empty_url: str, tmp_path: Path) -> None:
    engine = create_engine(empty_url)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0013")
    engine.dispose()
    database = open_database(empty_url, migrate=False)
    try:
        _populate_as_before(database)
        with database.engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")

        [slack_feedback] = list_feedback(database, "slack")
        assert (slack_feedback.conversation, slack_feedback.message, slack_feedback.user_id) == (
            "C0FEED", "1700000000.000100", "U0RATER")
        assert (slack_feedback.rating, slack_feedback.reason, slack_feedback.category) == (
            "down", "Wrong area", "wrong_area")
        assert slack_feedback.sources == ["eastbrook-lado.md"]
        assert slack_feedback.at.startswith("2026-11-30T09:15:00")
        assert [f.rating for f in list_feedback(database, "teams")] == ["up"]
        [handoff] = list_handoffs(database, "slack")
        assert (handoff.conversation, handoff.thread, handoff.user_id, handoff.posted_to, handoff.question) == (
            "D0DM", "1700000000.000200", "U0ASK", "C0BU", None)

        areas = channel_settings.load(database, "slack", "C0AREAS")
        assert (areas.areas, areas.mode) == (["Eastbrook", "Northshire Region"], "all")
        assert channel_settings.load(database, "teams", TEAMS_CHANNEL).areas == ["Westvale"]
        assert channel_settings.load(database, "teams", "19:gone@thread.tacv2").mode == "all"

        # What is the channels' own stays; what moved is gone from channel_state.
        assert channel_state_items(database, "slack:C0BU") == {"referral:PR-2026-0001": "1700000005.000100"}
        assert channel_state_items(database, "slack:C0AREAS") == {}
        assert channel_state_items(database, "feedback:slack") == {}
        assert set(channel_state_items(database, f"teams:conversation:{_digest(TEAMS_CHANNEL)}")) == {"reference"}
        assert channel_state_items(database, "thread:slack") == {"C1:1700000000.1": {"questions": ["Who is the LADO?"]}}

        # The notices still owed are outbox events now, for the channel's worker or the user's next message.
        with database.sessions() as session:
            owed = session.scalars(select(HeldNotification).where(HeldNotification.event == "document_changed")
                                   .order_by(HeldNotification.id)).all()
            assert [(n.channel, n.user_id) for n in owed] == [("slack", "conversation:slack:C0NEWS"), ("held", "pat")]
            assert all("Allegations against staff** (Northshire): updated" in n.payload["text"] for n in owed)
            held_text = owed[1].payload["text"]
        assert [n.reply.text for n in Outbox(database).take("pat")] == [held_text]

        # And back: downgrading puts the values where 0013's code reads them.
        with database.engine.begin() as connection:
            command.downgrade(alembic_config(connection), "0013")
        assert channel_state_items(database, "slack:C0AREAS") == {
            "areas": ["Eastbrook", "Northshire Region"], "mode": "all"}
        restored = channel_state_items(database, "feedback:slack")["C0FEED:1700000000.000100:U0RATER"]
        assert (restored["reason"], restored["sources"]) == ("Wrong area", ["eastbrook-lado.md"])
        assert channel_state_items(database, "handoff:slack")["D0DM:1700000000.000200:U0ASK"]["posted_to"] == "C0BU"
    finally:
        database.dispose()


def test_a_hand_off_is_stored_and_queued_for_the_business_unit_in_one_transaction(
    database: Database, settings: Settings
) -> None:
    live = settings.model_copy(update={"slack_bot_token": "xoxb-test", "slack_business_unit_channel": "C0BU"})
    request = HandoffRequest("teams", "a:chat", "act-9", "aad-fay", "Who chairs the rapid review meeting?",
                             display_name="Fay", link=None)
    replies = hand_off(database, live, request)
    assert [r.urgent for r in replies] == [False] and "Sent to the business unit" in replies[0].text
    [stored] = list_handoffs(database, "teams")
    assert stored.question == "Who chairs the rapid review meeting?"
    with database.sessions() as session:
        [row] = session.scalars(select(HeldNotification).where(HeldNotification.event == "handoff")).all()
        assert (row.channel, row.user_id) == ("slack", "business_unit")
        # The event, worded when delivered: who asked and what they typed, no sentence of ours.
        assert row.payload == {"event": {"kind": "handoff", "person": "Fay", "link": None,
                                         "question": "Who chairs the rapid review meeting?", "urgent": False}}
    [delivery] = Outbox(database, live).claim("slack", "worker-1")
    assert "Fay" in delivery.reply.text and "> Who chairs the rapid review meeting?" in delivery.reply.text


def test_a_disclosure_in_a_hand_off_gets_the_emergency_route_first_and_is_still_passed_on(
    database: Database, settings: Settings
) -> None:
    live = settings.model_copy(update={"slack_bot_token": "xoxb-test", "slack_business_unit_channel": "C0BU"})
    replies = hand_off(database, live, HandoffRequest("slack", "D0DM", "1.2", "U0ASK", DISCLOSURE))
    assert replies[0].urgent and "999" in replies[0].text
    assert "Sent to the business unit" in replies[1].text
    assert [h.question for h in list_handoffs(database, "slack")] == [DISCLOSURE]
    with database.sessions() as session:
        [row] = session.scalars(select(HeldNotification).where(HeldNotification.event == "handoff")).all()
        assert row.payload["event"]["urgent"] is True  # the business unit sees it flagged too
    [delivery] = Outbox(database, live).claim("slack", "worker-1")
    assert delivery.reply.urgent


def test_with_no_business_unit_channel_the_question_is_kept_and_the_person_told_who_to_ask(
    database: Database, settings: Settings
) -> None:
    replies = hand_off(database, settings, HandoffRequest("terminal", "terminal:pat", "1", "pat", "Who is the LADO?"))
    assert settings.contact in replies[-1].text and "kept" in replies[-1].text
    assert [h.question for h in list_handoffs(database, "terminal")] == ["Who is the LADO?"]
    assert hand_off(database, settings, HandoffRequest("terminal", "t", "1", "pat", "   "))[0].text.startswith(
        "Please type your question")


def test_feedback_keeps_the_latest_verdict_and_a_disclosure_in_the_reason_comes_first(
    database: Database, settings: Settings
) -> None:
    base = Feedback("slack", "C1", "1.1", "U1", "up", sources=["lado.md"])
    assert "helpful" in record_feedback(database, base, settings=settings)[0].text
    down = Feedback("slack", "C1", "1.1", "U1", "down", reason=DISCLOSURE, category="no-such-category")
    replies = record_feedback(database, down, settings=settings)
    assert replies[0].urgent and "999" in replies[0].text and "recorded" in replies[1].text
    [kept] = list_feedback(database, "slack")
    assert (kept.rating, kept.reason, kept.category, kept.sources) == ("down", DISCLOSURE, "other", ["lado.md"])


def test_roles_follow_the_person_across_platforms_and_grants_add_to_configuration(
    database: Database, settings: Settings
) -> None:
    configured = settings.model_copy(update={"business_unit": ["U0OFFICER"], "admins": ["admin.user"]})
    people = People(database)
    people.identify("slack", "U0OFFICER", email="olu@example.org")
    people.identify("teams", "aad-olu", email="olu@example.org")
    # Configuration names only the Slack id; the email links the Teams id to the same person.
    assert role_of(configured, "aad-olu", database=database) == Role.BUSINESS_UNIT
    assert role_of(configured, "aad-someone-else", database=database) == Role.PRACTITIONER

    assert not may_configure_channels(configured, "aad-olu", database=database)
    Roles(database).grant("OLU@example.org", Role.ADMIN, granted_by="admin.user")
    assert role_of(configured, "U0OFFICER", database=database) == Role.ADMIN
    assert may_configure_channels(configured, "aad-olu", database=database)
    assert Roles(database).granted() == [("olu@example.org", Role.ADMIN)]
    assert Roles(database).revoke("olu@example.org")
    assert role_of(configured, "aad-olu", database=database) == Role.BUSINESS_UNIT


def test_only_admins_change_channel_settings_unless_none_is_configured(
    database: Database, settings: Settings
) -> None:
    with pytest.raises(channel_settings.NotAllowed):
        channel_settings.change(database, settings, "teams", TEAMS_CHANNEL, user_id="pat", mode="all")
    changed = channel_settings.change(database, settings, "teams", TEAMS_CHANNEL, user_id="admin.user",
                                      areas=channel_settings.parse_areas("Westvale; westvale, Eastbrook"))
    assert (changed.areas, changed.mode) == (["Westvale", "Eastbrook"], "mentions")
    open_to_all = settings.model_copy(update={"admins": []})
    assert channel_settings.change(database, open_to_all, "slack", "C1", user_id="anyone", mode="all").mode == "all"
