"""A 👎 in Slack becomes one knowledge gap that keeps the question it answered (redacted), as a declined
question does: through the real app on loopback, the real assistant and the Slack stand-in."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from conftest import ServedSlack, buttons_of, slack_settings, unique
from slack_stand_in import SlackStandIn

from bot.channels.slack.app import SlackChannel
from bot.config import Settings
from bot.db import get_database
from bot.feedback import list_feedback
from bot.gaps.models import KnowledgeGap
from bot.gaps.service import themes

# Personal details a practitioner might well type: none of them may be kept.
QUESTION = "How should I respond when a child makes a disclosure? It is about Jane Smith, DOB 03/04/2015."


@pytest.fixture(scope="module")
def keeping(
    sample_settings: Settings, stand_in: SlackStandIn, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServedSlack]:
    """The real app with question text kept for the knowledge gaps (SGBOT_GAPS_KEEP_QUESTIONS on)."""
    database = tmp_path_factory.mktemp("slack-gaps-db") / "slack.sqlite3"
    settings = slack_settings(sample_settings, stand_in, database, gaps_keep_questions=True)
    served = ServedSlack(SlackChannel(settings), stand_in).start()
    yield served
    served.stop()


def settle(served: ServedSlack, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    time.sleep(0.05)
    while served.channel.metrics.gauge("in_flight") and time.monotonic() < deadline:
        time.sleep(0.02)


def _gaps(served: ServedSlack) -> list[KnowledgeGap]:
    with get_database(served.channel.settings).sessions() as session:
        return list(session.query(KnowledgeGap).order_by(KnowledgeGap.id).all())


def test_thumbs_down_keeps_the_redacted_question_once_and_a_thumbs_up_takes_it_back(
    keeping: ServedSlack, stand_in: SlackStandIn
) -> None:
    user = unique("UGAP")
    _, ts = keeping.dm(user, QUESTION)
    (answer,) = stand_in.wait_for("chat.postMessage", thread_ts=ts)
    message = answer.response["message"]
    buttons = {b["action_id"]: b for b in buttons_of(message)}
    keeping.press(user, answer.args["channel"], message, buttons["sgbot.feedback.down"])
    (opened,) = stand_in.wait_for("views.open")
    settle(keeping)
    # 👎 counts at once, before the reason: one gap, with the question's meaning and its redacted text.
    [gap] = _gaps(keeping)
    assert gap.kind == "thumbs_down" and gap.feedback_id is not None and gap.vector
    assert gap.question is not None and "disclosure" in gap.question
    for personal in ("Jane", "Smith", "03/04/2015"):
        assert personal not in gap.question, personal
    assert any("responding-to-a-disclosure" in n["source"] for n in gap.nearest)

    # The reason arrives from the modal: the same gap is filled in, not a second one.
    keeping.submit(
        user,
        opened.args["view"],
        {
            "sgbot.choice": {"choice": {"type": "radio_buttons", "selected_option": {"value": "out_of_date"}}},
            "sgbot.input": {"value": {"type": "plain_text_input", "value": "Call Mrs Patel on 07700 900123"}},
        },
    )
    settle(keeping)
    [gap] = _gaps(keeping)
    assert gap.category == "out_of_date" and gap.reason is not None
    assert "Patel" not in gap.reason and "07700" not in gap.reason and "[phone]" in gap.reason
    assert gap.question is not None and "disclosure" in gap.question  # kept from the first press
    found = themes(get_database(keeping.channel.settings), keeping.channel.settings)
    assert [t.thumbs_down for t in found] == [1]
    assert any("disclosure" in example for example in found[0].examples)

    # Changed to 👍: the answer was fine after all, so it is no longer a gap.
    keeping.press(user, answer.args["channel"], message, buttons["sgbot.feedback.up"])
    settle(keeping)
    recorded = [f for f in list_feedback(get_database(keeping.channel.settings), "slack") if f.user_id == user]
    assert [f.rating for f in recorded] == ["up"]
    assert _gaps(keeping) == []


def test_without_keeping_questions_a_thumbs_down_keeps_its_meaning_but_no_text(
    served: ServedSlack, stand_in: SlackStandIn
) -> None:
    user = unique("UGAPOFF")
    _, ts = served.dm(user, QUESTION)
    (answer,) = stand_in.wait_for("chat.postMessage", thread_ts=ts)
    message = answer.response["message"]
    down = next(b for b in buttons_of(message) if b["action_id"] == "sgbot.feedback.down")
    served.press(user, answer.args["channel"], message, down)
    stand_in.wait_for("views.open")
    settle(served)
    recorded = [f for f in list_feedback(get_database(served.channel.settings), "slack") if f.user_id == user]
    assert [f.rating for f in recorded] == ["down"]
    with get_database(served.channel.settings).sessions() as session:
        gaps = session.query(KnowledgeGap).filter(KnowledgeGap.kind == "thumbs_down").all()
        mine = [g for g in gaps if g.feedback_id is not None and g.vector]
        assert mine and all(g.question is None and g.reason is None for g in gaps)
