"""Practitioners and the business unit in Teams, end to end over HTTP on loopback.

The real FastAPI app (bot.server.create_app) under uvicorn, the real Agents
SDK adapter, the real assistant answering from the sample knowledge base and
filing referrals in a real SQLite database; only Microsoft's Bot Connector is
a stand-in, recording what the bot posts.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from bot.db import get_database
from bot.feedback import list_feedback, list_handoffs
from bot.gaps.models import KnowledgeGap
from bot.referral.queue import Actor, ReviewQueue

from .conftest import build_app
from .harness import (
    ConnectorStandIn,
    ServedApp,
    all_text,
    card_of,
    card_texts,
    find_action,
    message_activity,
)

BU_CHANNEL = "19:business-unit@thread.tacv2"
OFFICER = {"user_id": "29:officer", "aad_object_id": "aad-officer", "name": "Olu Officer"}
QUESTION = "How should I respond when a child makes a disclosure?"


def _child_referral() -> list[tuple[str, str]]:
    """The referral tests' script of a complete child referral (kept in one place)."""
    path = Path(__file__).resolve().parents[1] / "referral" / "helpers.py"
    spec = importlib.util.spec_from_file_location("referral_script", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return list(module.CHILD_REFERRAL)


@pytest.fixture(scope="module")
def connector_m():
    stand_in = ConnectorStandIn()
    yield stand_in
    stand_in.close()


@pytest.fixture(scope="module")
def teams_settings(sample_settings: Settings, tmp_path_factory, connector_m) -> Settings:
    database = tmp_path_factory.mktemp("teams-db") / "teams.sqlite3"
    return sample_settings.model_copy(
        update={
            "database_url": f"sqlite:///{database}",
            "teams_anonymous": True,
            "teams_business_unit_conversation": BU_CHANNEL,
            "teams_service_url": connector_m.url,
            "business_unit": ["aad-officer"],
            "admins": ["aad-admin"],
        }
    )


@pytest.fixture(scope="module")
def served(teams_settings, connector_m):
    served = ServedApp(build_app(teams_settings))
    yield served
    served.close()


@pytest.fixture(autouse=True)
def _fresh_connector(connector_m):
    connector_m.clear()


def say(post, served, connector: ConnectorStandIn, text: str | None, **options: Any) -> list[dict[str, Any]]:
    """Post one activity; return the messages the bot sent back to that conversation."""
    conversation = options.setdefault("conversation_id", "a:personal-pat")
    before = len(connector.posted(conversation))
    response = post(served, message_activity(text, service_url=connector.url, **options))
    assert response.status_code in (200, 202), response.text
    return connector.posted(conversation)[before:]


def press(post, served, connector, action: dict[str, Any], fields: dict[str, Any] | None = None, **options):
    """Press a card's Action.Submit (with what the user typed into its inputs)."""
    return say(post, served, connector, None, value={**action["data"], **(fields or {})}, **options)


def test_a_question_is_answered_with_numbered_sources_and_feedback(served, connector_m, post):
    [answer] = say(post, served, connector_m, QUESTION)
    card = card_of(answer)
    assert card is not None
    texts = card_texts(card)
    assert "Sources" in texts
    source = next(t for t in texts if t.startswith("**[1]**"))
    assert "Responding to a disclosure of abuse" in source
    assert "(https://example.org/northshire-region/procedures/responding-to-disclosure)" in source
    assert [a["title"] for a in card["actions"]] == ["👍 Helpful", "👎 Not helpful", "Ask the business unit"]


def test_feedback_and_hand_off_from_the_answer_card(served, connector_m, post, teams_settings):
    [answer] = say(
        post,
        served,
        connector_m,
        QUESTION,
        conversation_id="a:personal-fay",
        user_id="29:fay",
        aad_object_id="aad-fay",
    )
    card = card_of(answer)
    down = find_action(card, "Send")  # the 👎 form's Send (first form on the card)
    thanks = press(
        post,
        served,
        connector_m,
        down,
        {"sgbot_feedback_category": "out_of_date", "sgbot_feedback_comment": "The phone number changed."},
        conversation_id="a:personal-fay",
        user_id="29:fay",
        aad_object_id="aad-fay",
        reply_to_id="reply-1",
    )
    assert "feedback was recorded" in thanks[0]["text"]
    db = get_database(teams_settings)
    [feedback] = [f for f in list_feedback(db, "teams") if f.user_id == "aad-fay"]
    assert (feedback.rating, feedback.category, feedback.reason) == (
        "down",
        "out_of_date",
        "The phone number changed.",
    )
    assert feedback.sources
    # The 👎 is a knowledge gap carrying the question's meaning (its text only if keeping is switched on).
    assert down["data"]["sgbot_asked"] == QUESTION
    with db.sessions() as session:
        gaps = session.query(KnowledgeGap).filter(KnowledgeGap.kind == "thumbs_down").all()
        assert any(g.vector and g.feedback_id for g in gaps)
        assert all(g.question is None for g in gaps) or teams_settings.gaps_keep_questions

    handoff = next(a for a in card["actions"] if a["title"] == "Ask the business unit")
    send = handoff["card"]["actions"][0]
    done = press(
        post,
        served,
        connector_m,
        send,
        {"sgbot_question": QUESTION},
        conversation_id="a:personal-fay",
        user_id="29:fay",
        aad_object_id="aad-fay",
    )
    assert "Sent to the business unit" in done[0]["text"]
    [posted] = connector_m.posted(BU_CHANNEL)
    assert QUESTION in posted["text"] and "Pat Practitioner" in posted["text"]
    assert any(h.user_id == "aad-fay" for h in list_handoffs(db, "teams"))


def test_an_urgent_message_gives_the_emergency_route_first(served, connector_m, post):
    replies = say(
        post,
        served,
        connector_m,
        "A child in my class has just told me her dad hit her and she is scared to go home tonight",
        conversation_id="a:personal-urgent",
    )
    first = card_of(replies[0])
    assert first is not None
    lead = first["body"][0]
    assert lead["type"] == "Container" and lead["style"] == "attention"
    assert "999" in card_texts(first)[0]


def test_a_full_checklist_files_a_referral_and_the_business_unit_triages_it(
    served, connector_m, post, teams_settings
):
    pat = {
        "conversation_id": "a:personal-sam",
        "user_id": "29:sam",
        "aad_object_id": "aad-sam",
        "name": "Sam Jones",
    }
    replies = say(post, served, connector_m, "refer", **pat)
    assert replies, "the checklist did not start"
    # The first question's choices are buttons; press the first, as a user would.
    choice_card = next(card_of(r) for r in reversed(replies) if card_of(r) and card_of(r).get("actions"))
    script = _child_referral()
    assert script[0][0] == "review_type"
    replies = press(post, served, connector_m, choice_card["actions"][0], **pat)
    for _step, answer in script[1:]:
        replies = say(post, served, connector_m, answer, **pat)
        assert replies, f"no reply after {_step!r}"

    summary = card_of(replies[-1])
    assert summary is not None
    titles = [a["title"] for a in summary["actions"]]
    assert (
        titles[0].startswith("Submit") and titles[1].startswith("Change") and titles[2].startswith("Cancel")
    )
    assert "JB" in "\n".join(all_text(r) for r in replies)
    receipt = press(post, served, connector_m, find_action(summary, "Submit"), **pat)
    reference = re.search(r"PR-\d{4}-\d{4,}", "\n".join(all_text(r) for r in receipt)).group(0)

    # The business unit's channel gets the referral, with the clocks and the triage actions.
    [notice] = [m for m in connector_m.posted(BU_CHANNEL) if reference in all_text(m)]
    notice_card = card_of(notice)
    titles = [a["title"] for a in notice_card["actions"]]
    assert titles == ["Show", "Assign to me", "Request more information", "Decide…"]

    # Pressing a submitted card twice (a retried click) files nothing twice.
    again = press(post, served, connector_m, find_action(summary, "Submit"), **pat)
    assert reference in "\n".join(all_text(r) for r in again)

    # An officer decides from the card in the channel; a too-short reason is refused first.
    decide = next(a for a in notice_card["actions"] if a["title"] == "Decide…")
    send = decide["card"]["actions"][0]
    in_channel = {
        "conversation_id": f"{BU_CHANNEL};messageid=1700000000100",
        "conversation_type": "channel",
        **OFFICER,
    }
    refused = press(
        post,
        served,
        connector_m,
        send,
        {"sgbot_decision": "rapid_review", "sgbot_triage_text": "ok"},
        **in_channel,
    )
    assert "at least 10 characters" in refused[0]["text"]
    # The box holds at most 3,000 characters; a longer reason sent anyway is refused, never cut short.
    assert '"maxLength": 3000' in json.dumps(decide["card"])
    too_long = press(
        post,
        served,
        connector_m,
        send,
        {"sgbot_decision": "rapid_review", "sgbot_triage_text": "Criteria met. " + "z" * 3000},
        **in_channel,
    )
    assert "3014 characters" in too_long[0]["text"] and "limit is 3000" in too_long[0]["text"]
    decided = press(
        post,
        served,
        connector_m,
        send,
        {"sgbot_decision": "rapid_review", "sgbot_triage_text": "Meets the serious incident criteria."},
        **in_channel,
    )
    assert "rapid review" in "\n".join(all_text(r) for r in decided).lower()

    queue = ReviewQueue(get_database(teams_settings), teams_settings)
    [row] = [r for r in queue.listing(Actor("aad-officer")) if r.reference == reference]
    assert row.status == "accepted" and row.decision == "rapid_review"
    # The referrer is told in their own 1:1 chat (a proactive message to the stored conversation).
    assert any(reference in all_text(m) for m in connector_m.posted("a:personal-sam"))


def test_an_old_submit_card_is_refused_after_an_answer_changed_and_a_break_finds_the_draft(
    served, connector_m, post, teams_settings
):
    """Card buttons carry typed commands: Submit on a summary shown before an answer changed sends
    nothing (the summary on screen now is shown again); after a break the next message says the
    draft is waiting, and the message is not taken as an answer."""
    from datetime import timedelta

    from sqlalchemy import update

    from bot.db.base import utcnow
    from bot.sessions.models import ConversationSession

    kim = {"conversation_id": "a:personal-kim", "user_id": "29:kim", "aad_object_id": "aad-kim", "name": "Kim"}
    say(post, served, connector_m, "refer", **kim)
    replies: list[dict[str, Any]] = []
    for _step, answer in _child_referral():
        replies = say(post, served, connector_m, answer, **kim)
    old_summary = card_of(replies[-1])
    assert old_summary is not None and "Nothing is sent until you press" in "\n".join(card_texts(old_summary))
    assert "**Summary of your referral**" not in "\n".join(card_texts(old_summary))  # the summary came before
    say(post, served, connector_m, "change age", **kim)
    replies = say(post, served, connector_m, "5", **kim)

    refused = press(post, served, connector_m, find_action(old_summary, "Submit"), **kim)
    text = "\n".join(all_text(r) for r in refused)
    assert "belongs to an earlier point in your referral" in text and "PR-" not in text
    queue = ReviewQueue(get_database(teams_settings), teams_settings)
    assert not [r for r in queue.listing(Actor("aad-officer")) if r.referrer == "aad-kim"]

    with get_database(teams_settings).transaction() as session:  # Kim went away for a day
        session.execute(
            update(ConversationSession)
            .where(ConversationSession.user_id == "aad-kim")
            .values(updated_at=utcnow() - timedelta(hours=20))
        )
    back = say(post, served, connector_m, "submit please", **kim)
    assert "You have a referral draft waiting" in "\n".join(all_text(r) for r in back)
    current = card_of(back[-1])  # the summary's Submit as it is now
    receipt = press(post, served, connector_m, find_action(current, "Submit"), **kim)
    assert re.search(r"PR-\d{4}-\d{4,}", "\n".join(all_text(r) for r in receipt))
