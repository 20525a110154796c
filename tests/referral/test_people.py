"""One person across Slack, Teams and the terminal, and the migration that brought the outbox and people.

Every test runs against SQLite and PostgreSQL.
"""

from __future__ import annotations

from alembic import command
from sqlalchemy import select, text

from bot.assistant import Assistant
from bot.config import Settings
from bot.db import Database
from bot.db.schema import alembic_config
from bot.messages import Message, Notification, Reply
from bot.outbox import HeldNotification, Outbox
from bot.people import People, Person
from bot.referral.conversation import ReferralConversation


def people_rows(database: Database) -> list[Person]:
    with database.sessions() as session:
        return list(session.scalars(select(Person).order_by(Person.id)))


def test_the_same_email_in_slack_and_teams_is_one_person_who_is_told_where_they_last_spoke(
    database: Database, settings: Settings
) -> None:
    people = People(database)
    first = people.identify("slack", "U0SAM", email="Sam.Jones@example.org", display_name="Sam")
    second = people.identify("teams", "aad-sam", email="sam.jones@example.org")
    assert first == second
    [sam] = people_rows(database)
    assert (sam.slack_user_id, sam.teams_user_id, sam.email) == ("U0SAM", "aad-sam", "sam.jones@example.org")
    assert sam.last_channel == "teams"
    assert set(people.ids_of("U0SAM")) == {"U0SAM", "aad-sam"}

    # A notification for the referral they filed as U0SAM goes to Teams, as aad-sam.
    live = settings.model_copy(update={"teams_anonymous": True})
    with database.transaction() as session:
        [note] = Outbox(database, live).publish(session, [Notification("U0SAM", Reply("Decision"))], key="k")
    assert note.channels == ("teams",)
    with database.sessions() as session:
        [row] = session.scalars(select(HeldNotification))
        assert (row.channel, row.user_id, row.person_id) == ("teams", "aad-sam", sam.id)


def test_a_question_from_someone_already_known_writes_nothing(database: Database, settings: Settings) -> None:
    people = People(database)
    people.identify("slack", "U0PAT", email="pat@example.org")
    [before] = people_rows(database)
    people.identify("slack", "U0PAT", email="pat@example.org")
    [after] = people_rows(database)
    assert after.last_seen_at == before.last_seen_at  # not even the time was written


def test_someone_only_seen_in_the_terminal_has_theirs_held_for_their_next_message_anywhere(
    database: Database, settings: Settings
) -> None:
    assistant = Assistant(settings, referrals=ReferralConversation(database, settings))
    assistant.handle(Message(user_id="practitioner.one", text="my referrals", channel="terminal"))
    live = settings.model_copy(update={"slack_bot_token": "xoxb-x", "teams_anonymous": True})
    with database.transaction() as session:
        [note] = Outbox(database, live).publish(
            session, [Notification("practitioner.one", Reply("Held for you"))], key="held"
        )
    assert note.channels == ("held",)
    told = assistant.handle(Message(user_id="practitioner.one", text="my referrals", channel="slack"))
    assert told.replies[0].text == "Held for you"


def test_publishing_the_same_event_twice_stores_it_once(database: Database, settings: Settings) -> None:
    live = settings.model_copy(update={"slack_bot_token": "xoxb-x", "slack_business_unit_channel": "C1"})
    outbox = Outbox(database, live)
    for _ in range(2):
        with database.transaction() as session:
            outbox.publish(session, [Notification("business_unit", Reply("New referral"))], key="event:1")
    with database.sessions() as session:
        assert len(list(session.scalars(select(HeldNotification)))) == 1


def test_the_migration_keeps_notifications_held_before_it(database: Database) -> None:
    """0010 → 0011 on a populated database: a held row is still held, and still handed over once."""
    with database.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0010")
    with database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO notification_outbox (user_id, referral_reference, reply, created_at) "
                "VALUES ('referrer.x', 'PR-2026-0009', :reply, :at)"
            ),
            {"reply": '{"text": "Decision on PR-2026-0009", "buttons": []}', "at": "2026-11-20 10:00:00"},
        )
    with database.engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    with database.sessions() as session:
        [row] = session.scalars(select(HeldNotification))
        assert (row.channel, row.audience, row.attempts, row.delivered_at) == ("held", "referrer.x", 0, None)
    outbox = Outbox(database)
    assert [n.reply.text for n in outbox.take("referrer.x")] == ["Decision on PR-2026-0009"]
    assert outbox.take("referrer.x") == []
