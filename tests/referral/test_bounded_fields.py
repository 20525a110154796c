"""Bounded free-text fields: a reply to a request for information (8,000 characters), a request-info question
and a decision reason (4,000) that are too long are refused saying how long they are and what the limit is,
and nothing is lost: the referral is unchanged, and a referrer whose reply was too long is still replying, so
the shortened reply they send next is attached. Through the real Assistant and the `sgbot queue` CLI."""

from __future__ import annotations

import os

import pytest

from bot.assistant import Assistant
from bot.config import Settings
from bot.referral.queue import MAX_REPLY_LENGTH, MAX_TRIAGE_TEXT_LENGTH, Actor

from .helpers import Chat, text_of
from .test_free_text_safety import OFFICER, queue_of, submitted
from .test_interfaces import _sgbot, _submit_one

SHORT_REPLY = "Northshire General, children's ward."


def test_a_too_long_reply_is_refused_naming_the_limit_and_the_shortened_reply_is_still_attached(
    assistant: Assistant,
) -> None:
    reference = submitted(assistant)
    queue = queue_of(assistant)
    queue.request_info(OFFICER, reference, "Which hospital was J admitted to?")
    referrer = Chat(assistant, "practitioner.one")
    referrer.press(f"reply {reference}")

    refused = text_of(referrer.send("x" * (MAX_REPLY_LENGTH + 1)))

    assert f"{MAX_REPLY_LENGTH + 1} characters" in refused and f"limit is {MAX_REPLY_LENGTH}" in refused
    assert queue.show(OFFICER, reference).status == "more_info_requested"  # nothing attached
    attached = text_of(referrer.send(SHORT_REPLY))  # still replying: not taken as a question
    assert "has been added" in attached
    assert queue.show(OFFICER, reference).events[-1].detail == {"reply": SHORT_REPLY}


def test_a_too_long_inline_reply_to_someone_elses_referral_is_refused_as_not_found(assistant: Assistant) -> None:
    theirs = submitted(assistant, "practitioner.two")
    queue_of(assistant).request_info(OFFICER, theirs, "Which hospital was J admitted to?")
    stranger = Chat(assistant, "practitioner.one")

    refused = text_of(stranger.send(f"reply {theirs} " + "x" * (MAX_REPLY_LENGTH + 1)))

    assert "characters" not in refused  # the same refusal as for no such referral
    assert "no referral in progress" in text_of(stranger.send("cancel"))  # not left replying


@pytest.fixture
def cli_env(sqlite_settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SGBOT_", "DATABASE_URL"))}
    env.update(SGBOT_DATA_DIR=str(sqlite_settings.data_dir), SGBOT_BUSINESS_UNIT="officer.one")
    return env


@pytest.mark.parametrize(
    ("action", "option"),
    [("request-info", "--question"), ("accept", "--reason"), ("decline", "--reason")],
)
def test_the_queue_cli_refuses_a_too_long_question_or_reason_naming_the_limit_and_changes_nothing(
    sqlite_settings: Settings, cli_env: dict[str, str], action: str, option: str
) -> None:
    reference = _submit_one(sqlite_settings, "practitioner.one")
    too_long = "y" * (MAX_TRIAGE_TEXT_LENGTH + 1)
    extra = ["--type", "lcspr"] if action == "accept" else []

    result = _sgbot(cli_env, "queue", "triage", reference, action, option, too_long, *extra,
                    "--as", "officer.one", check=False)

    assert result.returncode == 1
    said = result.stderr
    assert f"{MAX_TRIAGE_TEXT_LENGTH + 1} characters" in said and f"limit is {MAX_TRIAGE_TEXT_LENGTH}" in said
    assert "Traceback" not in said and too_long not in said + result.stdout
    shown = queue_of(Assistant(sqlite_settings)).show(Actor("officer.one"), reference)
    assert shown.status == "submitted"
    assert not any(event.action in {"info_requested", "accepted", "not_accepted"} for event in shown.events)
