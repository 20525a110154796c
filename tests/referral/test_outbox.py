"""What the business unit does from the command line reaches the referrer, once, at their next message.

`sgbot queue triage` has no chat channel to tell the referrer through, so what it
has to say (a question, a decision) is held in the database with the change,
and the referrer is shown it at the start of their next message in any channel.
Every test runs against SQLite and PostgreSQL; the CLI is the real Typer app.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Callable, Iterator

import pytest
from typer.testing import CliRunner, Result

from bot.assistant import Assistant
from bot.config import Settings, get_settings
from bot.db import Database
from bot.messages import Button, Citation, Message, Notification, Outcome, Reply
from bot.outbox import Outbox
from bot.referral.actions import action
from bot.referral.conversation import ReferralConversation

from .helpers import CHILD_REFERRAL, Chat, text_of

REFERRER = "practitioner.one"
QUESTION = "Which hospital was J admitted to, and on which ward?"

Sgbot = Callable[..., Result]


@pytest.fixture
def assistant(database: Database, settings: Settings) -> Assistant:
    return Assistant(settings, referrals=ReferralConversation(database, settings))


@pytest.fixture
def sgbot(settings: Settings, db_url: str) -> Iterator[Sgbot]:
    """Run `sgbot …` in this process, configured for the test's database, as the first officer."""
    from bot.cli import app

    env = {
        "SGBOT_DATA_DIR": str(settings.data_dir),
        "DATABASE_URL": db_url if db_url.startswith("postgresql") else None,
        "SGBOT_BUSINESS_UNIT": "officer.one,officer.two@example.org",
        "SGBOT_ADMINS": "admin.user",
    }

    def run(*args: str, expect_exit: int = 0) -> Result:
        get_settings.cache_clear()  # the CLI reads its settings from the environment given here
        try:
            result = CliRunner().invoke(app, list(args), env=env)
        finally:
            get_settings.cache_clear()
        assert result.exit_code == expect_exit, result.output
        return result

    yield run


def submit(assistant: Assistant, user: str = REFERRER) -> str:
    chat = Chat(assistant, user)
    chat.send("refer")
    chat.answer_all(CHILD_REFERRAL)
    [notification] = chat.press("submit").notifications
    assert notification.referral_reference is not None
    return notification.referral_reference


def says(outcome: Outcome, words: str) -> bool:
    return words in text_of(outcome)


def test_a_question_asked_from_the_command_line_reaches_the_referrer_once_and_their_reply_is_attached(
    assistant: Assistant, sgbot: Sgbot
) -> None:
    reference = submit(assistant)
    asked = sgbot("queue", "triage", reference, "request-info", "--question", QUESTION)
    assert f"{reference}: more information requested from the referrer." in asked.output
    assert f"{REFERRER} will be told at the start of their next message" in asked.output

    # Only the referrer is told: an officer's next message does not carry it.
    assert not says(Chat(assistant, "officer.one").send("queue"), QUESTION)

    referrer = Chat(assistant, REFERRER)
    first = referrer.send("my referrals")
    told = first.replies[0]  # before the answer to what they said
    assert "The safeguarding partnership business unit needs more information" in told.text
    assert QUESTION in told.text
    # The button carries a typed action (bot/referral/actions.py), not words to parse back.
    assert told.buttons == [Button("Reply", action("reply", reference).to_json(), "primary")]
    assert "**Your referrals**" in first.replies[-1].text  # their own message is still answered
    assert not says(referrer.send("my referrals"), QUESTION)  # once only

    assert "Type your reply" in text_of(referrer.press(told.buttons[0].value))
    replied = referrer.send("Northshire General, the children's ward.")
    assert "has been added" in text_of(replied)
    shown = json.loads(sgbot("queue", "show", reference, "--json").output)
    assert shown["status"] == "submitted"
    assert [(e["action"], e["detail"]) for e in shown["events"]][-2:] == [
        ("info_requested", {"question": QUESTION}),
        ("info_provided", {"reply": "Northshire General, the children's ward."}),
    ]
    assert not says(referrer.send("my referrals"), QUESTION)


def test_a_decision_made_from_the_command_line_is_shown_to_the_referrer_once_in_whichever_channel(
    assistant: Assistant, sgbot: Sgbot
) -> None:
    reference = submit(assistant)
    decided = sgbot(
        "queue", "triage", reference, "accept", "--type", "rapid_review", "--reason", "Meets the criteria."
    )
    assert f"{REFERRER} will be told at the start of their next message" in decided.output

    in_teams = assistant.handle(Message(user_id=REFERRER, text="continue", channel="teams"))
    assert in_teams.replies[0].text == (
        f"The business unit has made a decision on your referral **{reference}**: "
        "**accepted for a rapid review**. Reason: Meets the criteria."
    )
    assert says(in_teams, "You don't have a referral in progress")  # the answer to "continue" follows
    in_slack = assistant.handle(Message(user_id=REFERRER, text="continue", channel="slack"))
    assert not says(in_slack, "has made a decision")


def test_everything_held_for_the_referrer_is_told_at_once_oldest_first(
    assistant: Assistant, sgbot: Sgbot
) -> None:
    first, second = submit(assistant), submit(assistant)
    sgbot("queue", "triage", first, "request-info", "--question", QUESTION)
    sgbot("queue", "triage", second, "decline", "--reason", "No multi-agency learning identified.")
    outcome = Chat(assistant, REFERRER).send("my referrals")
    assert first in outcome.replies[0].text and QUESTION in outcome.replies[0].text
    assert second in outcome.replies[1].text and "No multi-agency learning" in outcome.replies[1].text
    assert "**Your referrals**" in outcome.replies[2].text


def test_a_refused_triage_command_tells_the_referrer_nothing(assistant: Assistant, sgbot: Sgbot) -> None:
    reference = submit(assistant)
    stale = sgbot(
        "queue", "triage", reference, "request-info", "--question", QUESTION, "--expect-version", "7",
        expect_exit=1,
    )
    assert "changed while you were looking" in stale.output
    sgbot("queue", "triage", reference, "close", expect_exit=1)  # not allowed from submitted
    assert not says(Chat(assistant, REFERRER).send("my referrals"), "business unit")


def test_the_json_output_says_which_notifications_wait_for_the_referrer(
    assistant: Assistant, sgbot: Sgbot
) -> None:
    reference = submit(assistant)
    payload = json.loads(
        sgbot("queue", "triage", reference, "request-info", "--question", QUESTION, "--json").output
    )
    # The referrer (last seen in the terminal) is asked at their next message; the business unit is told
    # too, but this deployment has no business-unit channel, so nothing is held for it.
    [note] = [n for n in payload["notifications"] if n["audience"] == REFERRER]
    assert note["held_for_next_message"] is True
    assert note["reference"] == reference
    [for_business_unit] = [n for n in payload["notifications"] if n["audience"] == "business_unit"]
    assert for_business_unit["channels"] == [] and for_business_unit["held_for_next_message"] is False


def test_what_was_asked_stays_in_the_database_and_out_of_the_logs(
    assistant: Assistant, sgbot: Sgbot, caplog: pytest.LogCaptureFixture
) -> None:
    reference = submit(assistant)
    with caplog.at_level(logging.DEBUG):
        sgbot("queue", "triage", reference, "request-info", "--question", QUESTION)
        assert says(Chat(assistant, REFERRER).send("my referrals"), QUESTION)
    assert any(r.getMessage() == "outbox.delivered" for r in caplog.records)
    for record in caplog.records:
        assert "Which hospital" not in f"{record.getMessage()} {record.__dict__}"


def test_a_held_reply_comes_back_with_its_buttons_card_and_citations(database: Database) -> None:
    citation = Citation(
        number=1, source="procedures/rapid-review.md", title="Rapid reviews", section="Timescales",
        area="Northshire", kind="procedure", effective="2025-04-01", review_by=None, source_url=None,
        out_of_date=False, text="Within 15 working days.", score=0.8,
    )
    reply = Reply(
        text="Held", buttons=[Button("Show", "show PR-2026-0001", "primary")], citations=[citation],
        urgent=True, card={"kind": "referral", "reference": "PR-2026-0001"},
    )
    outbox = Outbox(database)
    with database.transaction() as session:
        held = outbox.hold(
            session,
            [
                Notification(audience="someone", reply=reply, referral_reference="PR-2026-0001"),
                Notification(audience="business_unit", reply=reply),  # a group has no "next message"
            ],
        )
    assert [n.audience for n in held] == ["someone"]
    assert outbox.pending("someone") == 1
    assert outbox.take("someone") == [
        Notification(audience="someone", reply=reply, referral_reference="PR-2026-0001")
    ]
    assert outbox.take("someone") == [] and outbox.pending("someone") == 0


TAKE_ALL = """
import json, sys
from bot.db import open_database
from bot.outbox import Outbox
from bot.referral.actions import action
outbox = Outbox(open_database(sys.argv[1]))
users = json.loads(sys.argv[2])
taken = [n.reply.text for _ in range(3) for user in users for n in outbox.take(user)]
print(json.dumps(taken))
"""


def test_two_processes_taking_at_once_deliver_each_notification_exactly_once(
    database: Database, db_url: str
) -> None:
    outbox = Outbox(database)
    users = [f"referrer.{u}" for u in range(6)]
    expected = []
    with database.transaction() as session:
        for n in range(8):
            for user in users:
                expected.append(f"{user} #{n}")
                outbox.hold(session, [Notification(audience=user, reply=Reply(f"{user} #{n}"))])
    orders = [users, list(reversed(users))]
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", TAKE_ALL, db_url, json.dumps(order)], stdout=subprocess.PIPE, text=True
        )
        for order in orders
    ]
    outputs = [p.communicate(timeout=60)[0] for p in processes]
    assert all(p.returncode == 0 for p in processes)
    delivered = [text for out in outputs for text in json.loads(out)]
    assert sorted(delivered) == sorted(expected)  # every one, and none twice


def test_a_question_asked_by_an_officer_in_the_terminal_chat_waits_for_the_referrer(
    assistant: Assistant, database: Database
) -> None:
    from rich.console import Console

    from bot.channels.terminal import TerminalChannel

    reference = submit(assistant)
    console = Console(record=True, width=160)
    officer = TerminalChannel(user_id="officer.one", console=console)

    officer.render(assistant.handle(officer.message(f"request info {reference} {QUESTION}")))

    assert f"{REFERRER} will be told at the start of their next message" in console.export_text()
    told = Chat(assistant, REFERRER).send("my referrals")
    assert QUESTION in told.replies[0].text
    assert not says(Chat(assistant, REFERRER).send("my referrals"), QUESTION)
