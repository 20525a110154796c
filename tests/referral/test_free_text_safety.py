"""Wherever a referrer types, a disclosure gets the emergency route first, and what they typed is kept.

And a referral someone cannot see answers exactly as one that does not exist.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from bot.assistant import Assistant
from bot.config import Settings
from bot.referral.conversation import ReferralConversation
from bot.referral.queue import Actor, ReviewQueue

from .helpers import CHILD_REFERRAL, Chat, text_of

DISCLOSURE = "She has just told me her stepfather hit her tonight and she is scared to go home"
OFFICER = Actor("officer.one")


def submitted(assistant: Assistant, user: str = "practitioner.one") -> str:
    chat = Chat(assistant, user)
    chat.send("refer")
    chat.answer_all(CHILD_REFERRAL)
    outcome = chat.press("submit")
    reference = outcome.notifications[0].referral_reference
    assert reference
    return reference


def queue_of(assistant: Assistant) -> ReviewQueue:
    referrals = assistant.referrals
    assert isinstance(referrals, ReferralConversation)
    return referrals.queue


def test_a_disclosure_typed_as_the_reply_to_a_request_for_information_gets_the_emergency_route_first(
    assistant: Assistant,
) -> None:
    reference = submitted(assistant)
    queue = queue_of(assistant)
    queue.request_info(OFFICER, reference, "Which hospital was J admitted to?")
    referrer = Chat(assistant, "practitioner.one")
    referrer.press(f"reply {reference}")

    outcome = referrer.send(DISCLOSURE)

    assert outcome.replies[0].urgent and "999" in outcome.replies[0].text
    assert "has been added" in text_of(outcome)  # and the reply still reaches the business unit
    events = queue.show(OFFICER, reference).events
    assert events[-1].detail == {"reply": DISCLOSURE}


def test_a_disclosure_typed_inline_after_reply_gets_the_emergency_route_first(assistant: Assistant) -> None:
    reference = submitted(assistant)
    queue_of(assistant).request_info(OFFICER, reference, "Which hospital was J admitted to?")

    outcome = Chat(assistant, "practitioner.one").send(f"reply {reference} {DISCLOSURE}")

    assert outcome.replies[0].urgent
    assert "has been added" in text_of(outcome)


def test_an_ordinary_reply_gets_no_emergency_route(assistant: Assistant) -> None:
    reference = submitted(assistant)
    queue_of(assistant).request_info(OFFICER, reference, "Which hospital was J admitted to?")
    referrer = Chat(assistant, "practitioner.one")
    referrer.press(f"reply {reference}")

    outcome = referrer.send("Northshire General, children's ward.")

    assert not any(reply.urgent for reply in outcome.replies)


def test_a_disclosure_as_a_free_text_checklist_answer_gets_the_emergency_route_and_is_saved(
    chat: Chat,
) -> None:
    chat.send("refer")
    steps = [step for step, _ in CHILD_REFERRAL]
    chat.answer_all(CHILD_REFERRAL[: steps.index("about")])
    assert chat.step == "about"

    outcome = chat.send(DISCLOSURE)

    assert outcome.replies[0].urgent and "999" in outcome.replies[0].text
    assert chat.step == "incident_date"  # the answer was saved and the checklist moved on
    chat.press("change about")
    assert DISCLOSURE in text_of(chat.transcript[-1])


def test_a_button_press_is_never_read_as_a_disclosure(chat: Chat) -> None:
    outcome = chat.press("refer")
    assert not any(reply.urgent for reply in outcome.replies)


def test_reply_to_a_referral_you_cannot_reply_to_is_refused_at_once(assistant: Assistant) -> None:
    theirs = submitted(assistant, "practitioner.two")
    queue_of(assistant).request_info(OFFICER, theirs, "Which hospital was J admitted to?")
    stranger = Chat(assistant, "practitioner.one")

    refused = text_of(stranger.press(f"reply {theirs}"))
    missing = text_of(stranger.press("reply PR-2026-0099"))

    assert "Type your reply" not in refused
    assert refused.replace(theirs, "PR-X") == missing.replace("PR-2026-0099", "PR-X")
    # Nothing is waiting for a reply, so the next message is not swallowed as one.
    assert "no referral in progress" in text_of(stranger.send("cancel"))


def test_reply_when_nothing_was_asked_says_so_at_once(assistant: Assistant, sqlite_settings: Settings) -> None:
    reference = submitted(assistant)
    said = text_of(Chat(assistant, "practitioner.one").press(f"reply {reference}"))
    assert "isn't waiting for information" in said


def _refuse_writes_to(assistant: Assistant, table: str) -> None:
    """The database itself refuses new rows in `table` (as a full disk or a failing server would)."""
    with queue_of(assistant).database.transaction() as session:
        session.execute(text(f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} "
                             "BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"))


def _allow_writes_to(assistant: Assistant, table: str) -> None:
    with queue_of(assistant).database.transaction() as session:
        session.execute(text(f"DROP TRIGGER refuse_{table}"))


def test_the_emergency_route_is_decided_before_a_reply_is_stored_so_a_failed_store_still_shows_it(
    assistant: Assistant, caplog: pytest.LogCaptureFixture
) -> None:
    reference = submitted(assistant)
    queue = queue_of(assistant)
    queue.request_info(OFFICER, reference, "Which hospital was J admitted to?")
    referrer = Chat(assistant, "practitioner.one")
    referrer.press(f"reply {reference}")
    _refuse_writes_to(assistant, "referral_events")

    failed = referrer.send(DISCLOSURE)

    assert failed.replies[0].urgent and "999" in failed.replies[0].text
    assert "could not be saved" in text_of(failed) and "has been added" not in text_of(failed)
    assert "stepfather" not in caplog.text  # the database error carries the reply: never logged
    # Nothing was half-done: the referrer is still replying, and sending it again attaches it.
    _allow_writes_to(assistant, "referral_events")
    again = referrer.send(DISCLOSURE)
    assert again.replies[0].urgent and "has been added" in text_of(again)
    assert queue.show(OFFICER, reference).events[-1].detail == {"reply": DISCLOSURE}


def test_the_emergency_route_is_decided_before_a_checklist_answer_is_stored(
    chat: Chat, assistant: Assistant
) -> None:
    chat.send("refer")
    steps = [step for step, _ in CHILD_REFERRAL]
    chat.answer_all(CHILD_REFERRAL[: steps.index("about")])
    _refuse_writes_to(assistant, "referral_answers")

    failed = chat.send(DISCLOSURE)

    assert failed.replies[0].urgent and "could not be saved" in text_of(failed)
    _allow_writes_to(assistant, "referral_answers")
    again = chat.send(DISCLOSURE)  # still at the same question: the answer was not half-kept
    assert again.replies[0].urgent and chat.step == "incident_date"
    chat.press("change about")
    assert DISCLOSURE in text_of(chat.transcript[-1])
