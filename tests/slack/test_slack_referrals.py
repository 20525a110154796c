"""A referral made in Slack from /refer to the business unit's decision, over real HTTP on loopback."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import yaml
from conftest import BUSINESS_UNIT_CHANNEL, OFFICER, ServedSlack, buttons_of, unique
from slack_stand_in import Call, SlackStandIn

from bot.db import get_database
from bot.referral.queue import Actor, ReviewQueue

# After the first step (chosen with a button), typed answers as a referrer would type them.
TYPED_ANSWERS = [
    "yes",  # safe now
    "yes",  # abuse or neglect known or suspected
    "yes",  # died or seriously harmed
    "yes",  # discussed with manager
    "yes",  # senior lead agrees
    "R. Patel, named nurse for safeguarding",
    "not appropriate",
    "A police investigation is under way and contact could prejudice it.",
    "JB",
    "4",
    "NHV-20931",
    "J is a lively four year old who loves dinosaurs. She goes to nursery three mornings a week.",
    "14/03/2026",
    "J was admitted to hospital with a head injury not explained by the account given.",
    "1, 3, 5",
    "Health and police information was not shared before the admission; both can learn.",
    "Sam Jones",
    "Health visitor, Northshire Community Health",
    "sam.jones@example.org",
]


def settle(served: ServedSlack) -> None:
    time.sleep(0.05)
    deadline = time.monotonic() + 60
    while served.channel.metrics.gauge("in_flight") and time.monotonic() < deadline:
        time.sleep(0.02)


def in_thread(stand_in: SlackStandIn, thread_ts: str) -> list[Call]:
    return [c for c in stand_in.calls_to("chat.postMessage") if c.args.get("thread_ts") == thread_ts]


def test_manifest_matches_what_the_app_listens_to() -> None:
    manifest = yaml.safe_load((Path(__file__).parents[2] / "deploy/slack/manifest.yaml").read_text())
    commands = {command["command"] for command in manifest["features"]["slash_commands"]}
    assert commands == {"/safeguarding", "/refer"}
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert {"app_mention", "message.im", "app_home_opened"} <= events
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert {"chat:write", "commands", "im:write", "users:read.email"} <= set(
        manifest["oauth_config"]["scopes"]["bot"]
    )


def test_a_referral_from_refer_to_a_decision_in_the_business_unit_channel(
    served: ServedSlack, stand_in: SlackStandIn
) -> None:
    referrer = unique("UREF")
    dm = f"D{referrer[1:]}"

    # /refer opens a DM thread and asks the first question with buttons.
    assert served.command("/refer", "", user=referrer, channel="CGENERAL01").status_code == 200
    (intro,) = stand_in.wait_for("chat.postMessage", channel=dm)
    thread = intro.response["ts"]
    stand_in.wait_for("chat.postMessage", thread_ts=thread)
    settle(served)
    question = next(c for c in in_thread(stand_in, thread) if buttons_of(c.response["message"]))
    choices = buttons_of(question.response["message"])
    # The first option: a child died or was seriously harmed (rapid review).
    rapid = choices[0]
    assert "rapid review" in stand_in.posted_text(question)

    # Pressing a choice replaces the buttons with what was chosen, and the next step follows.
    served.press(referrer, dm, question.response["message"], rapid)
    (update,) = stand_in.wait_for("chat.update", ts=question.response["ts"])
    assert f"<@{referrer}> chose" in stand_in.posted_text(update)
    settle(served)

    # The rest is typed in the thread, as replies.
    for answer in TYPED_ANSWERS:
        before = len(in_thread(stand_in, thread))
        served.dm(referrer, answer, thread_ts=thread)
        stand_in.wait_for("chat.postMessage", count=before + 1, thread_ts=thread)
        settle(served)

    # The summary offers Submit; pressing it files the referral.
    summary = in_thread(stand_in, thread)[-1]
    submit = next(b for b in buttons_of(summary.response["message"]) if "submit" in b["text"]["text"].lower())
    served.press(referrer, dm, summary.response["message"], submit)
    (posted,) = stand_in.wait_for("chat.postMessage", channel=BUSINESS_UNIT_CHANNEL)
    settle(served)
    receipt = "\n".join(stand_in.posted_text(c) for c in in_thread(stand_in, thread)[-2:])
    reference = _reference(stand_in.posted_text(posted))
    assert reference and reference in receipt

    # The business unit decides from the post: a modal that insists on a reason.
    officer_view = posted.response["message"]
    decide = next(b for b in buttons_of(officer_view) if b["action_id"] == "sgbot.triage.decide")
    served.press(OFFICER, BUSINESS_UNIT_CHANNEL, officer_view, decide)
    (opened,) = stand_in.wait_for("views.open")
    view = opened.args["view"]
    no_reason = served.submit(
        OFFICER,
        view,
        {
            "sgbot.choice": {
                "choice": {"type": "radio_buttons", "selected_option": {"value": "rapid_review"}}
            },
            "sgbot.input": {"value": {"type": "plain_text_input", "value": "ok"}},
        },
    )
    assert no_reason.json()["response_action"] == "errors"
    assert "reason" in no_reason.json()["errors"]["sgbot.input"]
    served.submit(
        OFFICER,
        view,
        {
            "sgbot.choice": {
                "choice": {"type": "radio_buttons", "selected_option": {"value": "rapid_review"}}
            },
            "sgbot.input": {
                "value": {"type": "plain_text_input", "value": "Criteria met: serious harm, abuse suspected."}
            },
        },
    )
    decided = stand_in.wait_for("chat.postMessage", thread_ts=posted.response["ts"])
    assert any("rapid review" in stand_in.posted_text(call).lower() for call in decided)
    # The referrer is told in a DM.
    stand_in.wait_for("chat.postMessage", count=2, channel=dm)
    settle(served)

    # Everything the business unit did is in the referral's event log.
    queue = ReviewQueue(get_database(served.channel.settings), served.channel.settings)
    detail = queue.show(Actor(OFFICER, None), reference)
    assert detail.status == "accepted"
    assert [(e.actor, e.reason) for e in detail.events if e.action == "accepted"] == [
        (OFFICER, "Criteria met: serious harm, abuse suspected.")
    ]


def test_the_app_home_lists_a_business_unit_members_queue(
    served: ServedSlack, stand_in: SlackStandIn
) -> None:
    served.event({"type": "app_home_opened", "user": OFFICER, "channel": "DHOME0001", "tab": "home"})
    (published,) = stand_in.wait_for("views.publish", user_id=OFFICER)
    view: dict[str, Any] = published.args["view"]
    assert view["type"] == "home"
    shown = stand_in.posted_text(Call("views.publish", {"blocks": view["blocks"]}, {}))
    assert "Refer a case for review" in shown


def test_the_app_home_shows_the_whole_queue_to_someone_given_the_role_with_sgbot_roles(
    served: ServedSlack, stand_in: SlackStandIn
) -> None:
    from bot.messages import Message
    from bot.roles import Role, Roles
    from tests.referral.helpers import CHILD_REFERRAL

    # Someone else's referral is in the queue (filed through the core; the checklist over HTTP is above).
    assistant, referrer = served.channel.assistant, unique("UREF")
    assistant.handle(Message(user_id=referrer, text="refer", channel="slack"))
    for _step, answer in CHILD_REFERRAL:
        assistant.handle(Message(user_id=referrer, text=answer, channel="slack"))
    assistant.handle(Message(user_id=referrer, action="submit", channel="slack"))

    def home_of(user: str) -> str:
        before = len(stand_in.calls_to("views.publish"))
        served.event({"type": "app_home_opened", "user": user, "channel": "DHOME0002", "tab": "home"})
        published = stand_in.wait_for("views.publish", count=before + 1)[-1]
        return stand_in.posted_text(Call("views.publish", {"blocks": published.args["view"]["blocks"]}, {}))

    deputy = unique("UDEPUTY")
    assert "Review queue" not in home_of(deputy)  # a practitioner with no referral of their own
    Roles(get_database(served.channel.settings)).grant(deputy, Role.BUSINESS_UNIT, granted_by=OFFICER)
    shown = home_of(deputy)
    assert "Review queue" in shown and "Refer a case for review" in shown


def _reference(text: str) -> str | None:
    import re

    match = re.search(r"PR-\d{4}-\d{4,}", text)
    return match.group(0) if match else None


def test_an_old_checklist_button_is_refused_and_a_break_finds_the_draft_waiting(
    served: ServedSlack, stand_in: SlackStandIn
) -> None:
    """Buttons carry typed commands: a press on a question already answered (a second client, a slow
    update) is refused in words and changes nothing; after a break the next DM says a draft is waiting."""
    from datetime import timedelta

    from sqlalchemy import update

    from bot.db.base import utcnow
    from bot.sessions.models import ConversationSession

    referrer = unique("UOLD")
    dm = f"D{referrer[1:]}"
    served.command("/refer", "", user=referrer, channel="CGENERAL01")
    (intro,) = stand_in.wait_for("chat.postMessage", channel=dm)
    thread = intro.response["ts"]
    stand_in.wait_for("chat.postMessage", thread_ts=thread)
    settle(served)
    question = next(c for c in in_thread(stand_in, thread) if buttons_of(c.response["message"]))
    rapid, *_, domestic = buttons_of(question.response["message"])
    assert '"kind":"answer"' in rapid["value"] and '"step":"review_type"' in rapid["value"]

    served.press(referrer, dm, question.response["message"], rapid)
    stand_in.wait_for("chat.update", ts=question.response["ts"])
    settle(served)
    before = len(in_thread(stand_in, thread))
    served.press(referrer, dm, question.response["message"], domestic)  # the same message, as first posted
    stand_in.wait_for("chat.postMessage", count=before + 1, thread_ts=thread)
    settle(served)
    refused = "\n".join(stand_in.posted_text(c) for c in in_thread(stand_in, thread)[before:])
    assert "belongs to an earlier point in your referral" in refused and "nothing was changed" in refused
    assert "safe now" in refused  # asked where the referrer is now

    database = get_database(served.channel.settings)
    with database.transaction() as session:  # the referrer went away for a day
        session.execute(
            update(ConversationSession)
            .where(ConversationSession.user_id == referrer)
            .values(updated_at=utcnow() - timedelta(hours=20))
        )
    before = len(in_thread(stand_in, thread))
    served.dm(referrer, "yes", thread_ts=thread)
    stand_in.wait_for("chat.postMessage", count=before + 1, thread_ts=thread)
    settle(served)
    waiting = "\n".join(stand_in.posted_text(c) for c in in_thread(stand_in, thread)[before:])
    assert "You have a referral draft waiting" in waiting and "999" not in waiting
    assert "is the child, and any siblings or anyone else at risk, safe now" in waiting
