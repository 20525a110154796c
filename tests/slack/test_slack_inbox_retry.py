"""Nothing typed is lost after an ack, even when the answer fails: over real HTTP on loopback, the real Bolt app.

- An answer that fails (the knowledge server is down) stays stored: the person is told once that it is kept
  and will be answered (never "try again", which would get two answers), and the inbox's sweeper answers it
  once the server is back.
- A retry posts only what the failed try had not posted: the `/safeguarding` question is echoed once and the
  answer comes once, in the echo's thread.
- Presses and forms are stored like messages: a hand-off button whose form could no longer open asks the
  person to press again; a hand-off form whose confirmation failed is handed off once and confirmed once.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ServedSlack, buttons_of, slack_settings, unique
from slack_stand_in import SlackStandIn

from bot.channels.slack.app import SlackChannel
from bot.config import Settings
from bot.db import InboundEvent, get_database
from bot.feedback import list_handoffs
from tests.deploy.processes import ChromaServer, free_port

QUESTION = "How should I respond when a child makes a disclosure?"
ADMIN = "UADMINRETRY"
RETRY = {"inbound_lease_seconds": 1.5, "inbox_sweep_seconds": 0.2, "inbox_retry_seconds": 0.3}
pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def served(
    sample_settings: Settings, stand_in: SlackStandIn, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServedSlack]:
    database = tmp_path_factory.mktemp("slack-inbox-retry") / "slack.sqlite3"
    settings = slack_settings(sample_settings, stand_in, database, admins=[ADMIN], **RETRY)
    served = ServedSlack(SlackChannel(settings), stand_in).start()
    yield served
    served.stop()


def _posts(stand_in: SlackStandIn, channel: str) -> list[str]:
    return [stand_in.posted_text(call) for call in stand_in.calls_to("chat.postMessage")
            if call.args.get("channel") == channel]


def _stored(served: ServedSlack, prefix: str) -> list[InboundEvent]:
    with get_database(served.channel.settings).sessions() as session:
        rows = [row for row in session.query(InboundEvent).all() if row.event_id.startswith(prefix)]
        for row in rows:
            session.expunge(row)
        return rows


def test_a_question_whose_answer_fails_is_kept_the_person_told_once_and_answered_when_the_server_is_back(
    sample_settings: Settings, stand_in: SlackStandIn, tmp_path: Path
) -> None:
    """The knowledge server is down at first: one echo, one apology that says the message is kept, then
    (the server started on the same port) the answer, once, in the echo's thread."""
    port = free_port()
    settings = slack_settings(
        sample_settings, stand_in, tmp_path / "slack.sqlite3", chroma_host="127.0.0.1", chroma_port=port,
        inbox_max_attempts=12, **RETRY,
    )
    served = ServedSlack(SlackChannel(settings), stand_in).start()
    chroma: ChromaServer | None = None
    try:
        user, channel = unique("UKEPT"), "CKEPT00001"
        assert served.command("/safeguarding", QUESTION, user=user, channel=channel).status_code == 200
        echo, apology = stand_in.wait_for("chat.postMessage", count=2, timeout=90, channel=channel)
        said = stand_in.posted_text(apology)
        assert "something went wrong" in said and "kept your message" in said and "try again" not in said
        assert apology.args.get("thread_ts") == echo.response["ts"]

        copy = tmp_path / "chroma"
        shutil.copytree(sample_settings.index_dir / "chroma", copy)
        chroma = ChromaServer(copy, port=port)  # the server is back: the next retry answers
        answer = stand_in.wait_for("chat.postMessage", count=3, timeout=180, channel=channel)[2]
        time.sleep(3.0)  # a second answer or apology, were one coming

        posts = _posts(stand_in, channel)
        assert len(posts) == 3  # the echo, one apology, one answer: nothing twice
        assert sum(QUESTION in post for post in posts) == 1
        assert sum("something went wrong" in post for post in posts) == 1
        assert "*Sources*" in stand_in.posted_text(answer) and answer.args["thread_ts"] == echo.response["ts"]
        (row,) = _stored(served, "command:")
        assert row.handled_at is not None and row.payload is None and row.posted is None and row.attempts >= 2
    finally:
        served.stop()
        if chroma is not None:
            chroma.stop()


def test_a_retry_posts_only_the_parts_the_failed_try_had_not_posted(
    served: ServedSlack, stand_in: SlackStandIn
) -> None:
    """The answer's post fails after the question was echoed: the retry echoes nothing, answers once."""
    user, channel = unique("UPART"), "CPART00001"
    stand_in.fail_next("chat.postMessage", "internal_error", after=1)  # the echo goes, the answer does not
    assert served.command("/safeguarding", QUESTION, user=user, channel=channel).status_code == 200
    echo, answer = stand_in.wait_for("chat.postMessage", count=2, timeout=90, channel=channel)
    time.sleep(3.0)  # a third post, were one coming

    posts = _posts(stand_in, channel)
    assert len(posts) == 2 and QUESTION in posts[0] and "*Sources*" in posts[1]
    assert answer.args["thread_ts"] == echo.response["ts"]
    assert not any("something went wrong" in post for post in posts)  # Slack failed, not the answer
    refused = [call for call in stand_in.calls if call.method == "chat.postMessage" and not call.response.get("ok")]
    assert len(refused) == 1


def test_a_hand_off_press_whose_form_could_not_open_asks_the_person_to_press_again(
    served: ServedSlack, stand_in: SlackStandIn
) -> None:
    user = unique("UAGAIN")
    _, ts = served.dm(user, QUESTION)
    (answer,) = stand_in.wait_for("chat.postMessage", timeout=90, thread_ts=ts)
    message = answer.response["message"]
    handoff = next(b for b in buttons_of(message) if b["action_id"] == "sgbot.handoff")
    stand_in.fail_next("views.open", "expired_trigger_id")  # the replica was too slow for the 3-second trigger

    assert served.press(user, answer.args["channel"], message, handoff).status_code == 200
    (again,) = stand_in.wait_for("chat.postEphemeral", timeout=60, user=user)
    time.sleep(2.0)

    assert "press the button again" in str(again.args.get("text"))
    assert len([c for c in stand_in.calls_to("chat.postEphemeral") if c.args.get("user") == user]) == 1
    (row,) = _stored(served, f"press:{user}:")
    assert row.handled_at is not None and row.attempts == 2


def test_a_hand_off_form_whose_confirmation_failed_is_handed_off_once_and_confirmed_once(
    served: ServedSlack, stand_in: SlackStandIn
) -> None:
    user = unique("UFORM")
    _, ts = served.dm(user, QUESTION)
    (answer,) = stand_in.wait_for("chat.postMessage", timeout=90, thread_ts=ts)
    message = answer.response["message"]
    handoff = next(b for b in buttons_of(message) if b["action_id"] == "sgbot.handoff")
    served.press(user, answer.args["channel"], message, handoff)
    (opened,) = stand_in.wait_for("views.open", timeout=60)
    typed = json.loads(handoff["value"])["q"]
    stand_in.fail_next("chat.postMessage", "internal_error")  # "sent to the business unit" fails the first time

    submitted = served.submit(user, opened.args["view"],
                              {"sgbot.input": {"value": {"type": "plain_text_input", "value": typed}}})
    assert submitted.status_code == 200
    stand_in.wait_for("chat.postMessage", count=2, timeout=60, thread_ts=ts)  # the answer, then the confirmation
    time.sleep(3.0)

    confirmations = [p for p in (stand_in.posted_text(c) for c in stand_in.calls_to("chat.postMessage")
                                 if c.args.get("thread_ts") == ts) if "Sent to the business unit" in p]
    assert len(confirmations) == 1
    handoffs = [h for h in list_handoffs(get_database(served.channel.settings), "slack") if h.user_id == user]
    assert [(h.thread, h.question) for h in handoffs] == [(ts, typed)]  # handed off once, not on every try


def test_safeguarding_settings_whose_form_could_not_open_asks_for_the_command_again(
    served: ServedSlack, stand_in: SlackStandIn
) -> None:
    stand_in.fail_next("views.open", "expired_trigger_id")
    assert served.command("/safeguarding", "settings", user=ADMIN, channel="CSETTINGS1").status_code == 200
    (again,) = stand_in.wait_for("chat.postEphemeral", timeout=60, user=ADMIN)
    time.sleep(2.0)

    assert "/safeguarding settings` again" in str(again.args.get("text"))
    assert len([c for c in stand_in.calls_to("chat.postEphemeral") if c.args.get("user") == ADMIN]) == 1
    (row,) = _stored(served, "settings:")
    assert row.handled_at is not None and row.attempts == 2
