"""Practitioners asking questions in Slack: answered in a thread, cited, never silently dropped.

The real app under uvicorn on loopback, the real assistant answering from the
sample knowledge base, signed requests in, the Slack stand-in recording what
the app posts.
"""

from __future__ import annotations

import json
import time

from conftest import BUSINESS_UNIT_CHANNEL, ServedSlack, buttons_of, unique
from slack_stand_in import SlackStandIn

from bot.channels.slack.app import SlackChannel
from bot.db import get_database
from bot.feedback import list_feedback, list_handoffs

QUESTION = "How should I respond when a child makes a disclosure?"


def settle(served: ServedSlack, timeout: float = 60) -> None:
    """Wait until the app has finished the work it started after acking."""
    deadline = time.monotonic() + timeout
    time.sleep(0.05)
    while served.channel.metrics.gauge("in_flight") and time.monotonic() < deadline:
        time.sleep(0.02)


def test_a_dm_question_is_answered_in_a_thread_with_numbered_citations(
    served: ServedSlack, stand_in: SlackStandIn
) -> None:
    user = unique("UDM")
    response, ts = served.dm(user, QUESTION)
    assert response.status_code == 200
    (answer,) = stand_in.wait_for("chat.postMessage", thread_ts=ts)
    assert answer.args["channel"] == f"D{user[1:]}"
    shown = stand_in.posted_text(answer)
    assert "*Sources*" in shown
    assert "[1] *Responding to a disclosure of abuse*" in shown
    assert "<https://example.org/northshire-region/procedures/responding-to-disclosure>" in shown  # no label
    labels = [button["text"]["text"] for button in buttons_of(answer.args)]
    assert labels == ["👍 Helpful", "👎 Not helpful", "Ask the business unit"]
    # Slack's own limits are respected (the stand-in refuses what Slack would refuse).
    assert all(len(block.get("text", {}).get("text", "")) <= 3000 for block in answer.args["blocks"])


def test_a_follow_up_in_the_thread_is_answered_in_the_same_thread(
    served: ServedSlack, stand_in: SlackStandIn
) -> None:
    user = unique("UFU")
    _, ts = served.dm(user, QUESTION)
    stand_in.wait_for("chat.postMessage", thread_ts=ts)
    served.dm(user, "And what should I write down afterwards?", thread_ts=ts)
    answers = stand_in.wait_for("chat.postMessage", count=2, thread_ts=ts)
    assert len(answers) == 2
    assert "written record" in stand_in.posted_text(answers[1]).lower()


def test_an_urgent_message_gets_the_emergency_route_first(
    served: ServedSlack, stand_in: SlackStandIn
) -> None:
    user = unique("UURG")
    _, ts = served.dm(
        user,
        "A child in my class just told me her dad hit her last night and she is scared "
        "to go home tonight. What do I do?",
    )
    (answer,) = stand_in.wait_for("chat.postMessage", thread_ts=ts)
    first_block = answer.args["blocks"][0]["text"]["text"]
    assert "999" in first_block
    assert first_block.index("999") < 200
    assert answer.args["text"].startswith("🚨")  # the notification says it too


def test_an_event_delivered_three_times_is_answered_once(served: ServedSlack, stand_in: SlackStandIn) -> None:
    user = unique("URETRY")
    event_id = unique("EvRetry")
    ts = f"{time.time():.6f}"
    for retry in (None, 1, 2):
        response, _ = served.dm(user, QUESTION, ts=ts, event_id=event_id, retry=retry)
        assert response.status_code == 200
    stand_in.wait_for("chat.postMessage", thread_ts=ts)
    settle(served)
    time.sleep(0.3)
    assert len([c for c in stand_in.calls_to("chat.postMessage") if c.args.get("thread_ts") == ts]) == 1
    assert served.channel.metrics.value("duplicates") >= 2


def test_a_second_replica_does_not_answer_a_retry_the_first_one_took(
    served: ServedSlack, stand_in: SlackStandIn
) -> None:
    """Two running processes share the database; whichever gets a retry, one answer in total."""
    other = ServedSlack(SlackChannel(served.channel.settings), stand_in).start()
    try:
        user = unique("UREPL")
        event_id = unique("EvRepl")
        ts = f"{time.time():.6f}"
        served.dm(user, QUESTION, ts=ts, event_id=event_id)
        other.dm(user, QUESTION, ts=ts, event_id=event_id, retry=1)
        stand_in.wait_for("chat.postMessage", thread_ts=ts)
        settle(served)
        settle(other)
        time.sleep(0.3)
        assert len([c for c in stand_in.calls_to("chat.postMessage") if c.args.get("thread_ts") == ts]) == 1
    finally:
        other.stop()


def test_a_10000_character_question_gets_a_clear_answer_not_an_error(
    served: ServedSlack, stand_in: SlackStandIn
) -> None:
    user = unique("ULONG")
    question = ("My concern about this family is long. " * 300)[:10_000]
    response, ts = served.dm(user, question)
    assert response.status_code == 200
    (answer,) = stand_in.wait_for("chat.postMessage", thread_ts=ts)
    shown = stand_in.posted_text(answer)
    assert "characters long" in shown and "fewer than" in shown


def test_rate_limited_by_slack_the_answer_is_posted_after_retry_after(
    served: ServedSlack, stand_in: SlackStandIn
) -> None:
    stand_in.fail_next("chat.postMessage", "ratelimited", status=429, headers={"Retry-After": "1"})
    user = unique("URATE")
    _, ts = served.dm(user, QUESTION)
    (answer,) = stand_in.wait_for("chat.postMessage", thread_ts=ts)
    assert "*Sources*" in stand_in.posted_text(answer)
    refused = [c for c in stand_in.calls if c.method == "chat.postMessage" and c.status == 429]
    assert len(refused) == 1


def test_msg_too_long_splits_the_answer_instead_of_losing_it(
    served: ServedSlack, stand_in: SlackStandIn
) -> None:
    stand_in.fail_next("chat.postMessage", "msg_too_long")
    user = unique("USPLIT")
    _, ts = served.dm(user, QUESTION)
    posted = stand_in.wait_for("chat.postMessage", count=2, thread_ts=ts)
    settle(served)
    everything = "\n".join(
        stand_in.posted_text(call)
        for call in stand_in.calls_to("chat.postMessage")
        if call.args.get("thread_ts") == ts
    )
    assert "*Sources*" in everything and "👍 Helpful" in everything
    assert len(posted) >= 2


def test_when_answering_fails_the_user_is_told(
    served: ServedSlack, stand_in: SlackStandIn, tmp_path: object
) -> None:
    """A knowledge server that cannot be reached: the user hears so, in the thread."""
    broken = served.channel.settings.model_copy(update={"chroma_host": "127.0.0.1", "chroma_port": 9})
    other = ServedSlack(SlackChannel(broken), stand_in).start()
    try:
        user = unique("UFAIL")
        _, ts = other.dm(user, QUESTION)
        (said,) = stand_in.wait_for("chat.postMessage", thread_ts=ts)
        assert "something went wrong" in stand_in.posted_text(said)
    finally:
        other.stop()


def test_thumbs_up_is_recorded_and_the_buttons_give_way_to_thanks(
    served: ServedSlack, stand_in: SlackStandIn
) -> None:
    user = unique("UUP")
    _, ts = served.dm(user, QUESTION)
    (answer,) = stand_in.wait_for("chat.postMessage", thread_ts=ts)
    message = answer.response["message"]
    up = next(b for b in buttons_of(message) if b["action_id"] == "sgbot.feedback.up")
    assert served.press(user, answer.args["channel"], message, up).status_code == 200
    (update,) = stand_in.wait_for("chat.update", ts=message["ts"])
    assert "marked as helpful" in stand_in.posted_text(update)
    settle(served)
    recorded = [f for f in list_feedback(get_database(served.channel.settings), "slack") if f.user_id == user]
    assert [(f.rating, f.message) for f in recorded] == [("up", message["ts"])]
    assert any("responding-to-a-disclosure" in source for source in recorded[0].sources)


def test_thumbs_down_asks_why_in_a_modal_and_keeps_the_reason(
    served: ServedSlack, stand_in: SlackStandIn
) -> None:
    user = unique("UDOWN")
    _, ts = served.dm(user, QUESTION)
    (answer,) = stand_in.wait_for("chat.postMessage", thread_ts=ts)
    message = answer.response["message"]
    down = next(b for b in buttons_of(message) if b["action_id"] == "sgbot.feedback.down")
    served.press(user, answer.args["channel"], message, down)
    (opened,) = stand_in.wait_for("views.open")
    view = opened.args["view"]
    response = served.submit(
        user,
        view,
        {
            "sgbot.choice": {"choice": {"type": "radio_buttons", "selected_option": {"value": "wrong_area"}}},
            "sgbot.input": {"value": {"type": "plain_text_input", "value": "We are in Eastbrook"}},
        },
    )
    assert response.status_code == 200
    settle(served)
    database = get_database(served.channel.settings)
    recorded = [f for f in list_feedback(database, "slack") if f.user_id == user]
    assert [(f.rating, f.category, f.reason) for f in recorded] == [
        ("down", "wrong_area", "We are in Eastbrook")
    ]


def test_ask_the_business_unit_hands_the_question_over(served: ServedSlack, stand_in: SlackStandIn) -> None:
    user = unique("UHAND")
    _, ts = served.dm(user, QUESTION + " <!channel>")
    (answer,) = stand_in.wait_for("chat.postMessage", thread_ts=ts)
    message = answer.response["message"]
    handoff = next(b for b in buttons_of(message) if b["action_id"] == "sgbot.handoff")
    served.press(user, answer.args["channel"], message, handoff)
    (opened,) = stand_in.wait_for("views.open")
    view = opened.args["view"]
    typed = json.loads(handoff["value"])["q"]
    assert typed.startswith(QUESTION)
    served.submit(user, view, {"sgbot.input": {"value": {"type": "plain_text_input", "value": typed}}})
    # The core keeps it and the outbox's Slack worker posts it to the business unit's channel.
    (posted,) = stand_in.wait_for("chat.postMessage", channel=BUSINESS_UNIT_CHANNEL)
    shown = stand_in.posted_text(posted)
    assert QUESTION in shown and "Question for the business unit" in shown and user in shown  # who asked
    assert "<!channel>" not in shown and "&lt;!channel&gt;" in shown  # no accidental @channel
    stand_in.wait_for("chat.postMessage", count=2, thread_ts=ts)  # "sent to the business unit"
    settle(served)
    handoffs = [h for h in list_handoffs(get_database(served.channel.settings), "slack") if h.user_id == user]
    assert [(h.thread, h.question) for h in handoffs] == [(ts, typed)]


def test_slash_command_posts_the_question_and_answers_in_its_thread(
    served: ServedSlack, stand_in: SlackStandIn
) -> None:
    user = unique("USLASH")
    response = served.command("/safeguarding", QUESTION, user=user, channel="CTEAM00001")
    assert response.status_code == 200
    (asked,) = stand_in.wait_for("chat.postMessage", channel="CTEAM00001")
    assert QUESTION in stand_in.posted_text(asked)
    (answer,) = stand_in.wait_for("chat.postMessage", thread_ts=asked.response["ts"])
    assert "*Sources*" in stand_in.posted_text(answer)


def test_slash_command_in_a_channel_the_bot_is_not_in_answers_by_dm(
    served: ServedSlack, stand_in: SlackStandIn
) -> None:
    stand_in.not_in_channel.add("CPRIVATE01")
    user = unique("UPRIV")
    served.command("/safeguarding", QUESTION, user=user, channel="CPRIVATE01")
    dm = f"D{user[1:]}"
    posted = stand_in.wait_for("chat.postMessage", count=2, channel=dm)
    assert "not a member" in stand_in.posted_text(posted[0])
    stand_in.wait_for("chat.postMessage", thread_ts=posted[1].response["ts"])


def test_empty_slash_command_shows_help_at_once(served: ServedSlack) -> None:
    response = served.command("/safeguarding", "", user="UHELP0001", channel="CTEAM00001")
    assert response.status_code == 200
    assert "How to use the safeguarding assistant" in response.text


def test_in_a_channel_the_bot_answers_mentions_and_by_default_nothing_else(
    served: ServedSlack, stand_in: SlackStandIn
) -> None:
    channel, user = unique("CMENT"), unique("UMENT")
    ts = f"{time.time():.6f}"
    served.event(
        {
            "type": "message",
            "channel": channel,
            "channel_type": "channel",
            "user": user,
            "text": QUESTION,
            "ts": ts,
        }
    )
    settle(served)
    mention_ts = f"{time.time():.6f}"
    served.event(
        {
            "type": "app_mention",
            "channel": channel,
            "user": user,
            "text": f"<@UBOT0001> {QUESTION}",
            "ts": mention_ts,
        }
    )
    (answer,) = stand_in.wait_for("chat.postMessage", thread_ts=mention_ts)
    assert "*Sources*" in stand_in.posted_text(answer)
    assert not [c for c in stand_in.calls_to("chat.postMessage") if c.args.get("thread_ts") == ts]


def test_channel_settings_areas_and_answer_every_question(
    served: ServedSlack, stand_in: SlackStandIn
) -> None:
    channel, user = unique("CSET"), unique("USET")
    served.command("/safeguarding", "settings", user=user, channel=channel)
    (opened,) = stand_in.wait_for("views.open")
    view = opened.args["view"]
    served.submit(
        user,
        view,
        {
            "sgbot.areas": {"value": {"type": "plain_text_input", "value": "Eastbrook, Northshire Region"}},
            "sgbot.mode": {"choice": {"type": "radio_buttons", "selected_option": {"value": "all"}}},
        },
    )
    (note,) = stand_in.wait_for("chat.postMessage", channel=channel)
    assert "Eastbrook, Northshire Region" in stand_in.posted_text(note)
    ts = f"{time.time():.6f}"
    served.event(
        {
            "type": "message",
            "channel": channel,
            "channel_type": "channel",
            "user": user,
            "text": "How do I make a referral to children's social care?",
            "ts": ts,
        }
    )
    (answer,) = stand_in.wait_for("chat.postMessage", thread_ts=ts)
    assert "Eastbrook" in stand_in.posted_text(answer)
