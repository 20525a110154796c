"""A case discussion in a Slack channel thread, over real HTTP on loopback.

The business unit starts a Kolb discussion by mentioning the bot in a channel;
from then on every message in that thread is the discussion's (no mention
needed); three agencies' representatives contribute, the facilitator goes back
a stage with the button and closes it; the Word report has each agency's words
in the right stage, and the agreed action is on the referral.
"""

from __future__ import annotations

import time

from conftest import OFFICER, ServedSlack, buttons_of, unique
from slack_stand_in import SlackStandIn
from test_slack_referrals import in_thread, settle

from bot.referral.queue import Actor
from bot.reviews.action_plans import ActionPlans
from tests.discussion.filing import file_accepted_review
from tests.discussion.reading import docx_sections, docx_tables
from tests.discussion.script import ACTION_TEXT, AGENCIES, POLICE, STEPS, check_report_sections


def test_three_agencies_hold_a_kolb_discussion_in_a_channel_thread(served: ServedSlack, stand_in: SlackStandIn) -> None:
    assistant = served.channel.assistant
    reference = file_accepted_review(assistant, OFFICER, referrer=unique("UREF"))
    channel = unique("CREVIEW")
    people = {key: unique(f"U{key.upper()[:4]}") for key in AGENCIES}

    # The officer mentions the bot in the channel: the discussion runs in the thread of that message.
    thread = f"{time.time():.6f}"
    served.event(
        {
            "type": "app_mention",
            "channel": channel,
            "user": OFFICER,
            "text": f"<@UBOT0001> discuss {reference} kolb",
            "ts": thread,
        }
    )
    stand_in.wait_for("chat.postMessage", count=2, thread_ts=thread)
    settle(served)
    assert "Stage 1 of 4" in "\n".join(stand_in.posted_text(c) for c in in_thread(stand_in, thread))

    def post(user: str, text: str) -> str:
        before = len(in_thread(stand_in, thread))
        served.event(
            {
                "type": "message",
                "channel": channel,
                "channel_type": "channel",
                "user": user,
                "text": text,
                "ts": f"{time.time():.6f}",
                "thread_ts": thread,
            }
        )
        stand_in.wait_for("chat.postMessage", count=before + 1, thread_ts=thread)
        settle(served)
        return "\n".join(stand_in.posted_text(c) for c in in_thread(stand_in, thread)[before:])

    for key, user in people.items():
        assert AGENCIES[key] in post(OFFICER, f"invite <@{user}> {AGENCIES[key]}")
    outsider = unique("UNOSY")
    assert "not invited" in post(outsider, "I know this family too: they moved here in March.")

    for who, text in STEPS:
        if who == "facilitator" and text == "back":
            # The facilitator presses "Back a stage" on the stage's message.
            stage_post = next(
                c for c in reversed(in_thread(stand_in, thread)) if "Stage 2 of 4" in stand_in.posted_text(c)
            )
            message = stage_post.response["message"]
            back = next(b for b in buttons_of(message) if "Back" in b["text"]["text"])
            before = len(in_thread(stand_in, thread))
            served.press(OFFICER, channel, message, back)
            stand_in.wait_for("chat.postMessage", count=before + 1, thread_ts=thread)
            settle(served)
            assert "Stage 1 of 4" in "\n".join(stand_in.posted_text(c) for c in in_thread(stand_in, thread)[before:])
            # The same button again (a double click, a second device): typed with the stage it was
            # shown at, it is refused rather than taking the discussion back a second time.
            before = len(in_thread(stand_in, thread))
            served.press(OFFICER, channel, message, back)
            stand_in.wait_for("chat.postMessage", count=before + 1, thread_ts=thread)
            settle(served)
            again = "\n".join(stand_in.posted_text(c) for c in in_thread(stand_in, thread)[before:])
            assert "belongs to an earlier stage" in again and "Stage 1 of 4" in again
            continue
        said = post(OFFICER if who == "facilitator" else people[who], text)
        if who != "facilitator" and not text.startswith(("learning", "action")):
            assert f"Saved: {AGENCIES[who]}" in said, said
    assert "is closed" in said

    # Closed, the thread is an ordinary one again; the outsider still cannot read the report there.
    served.event(
        {
            "type": "app_mention",
            "channel": channel,
            "user": outsider,
            "text": "<@UBOT0001> report",
            "ts": f"{time.time():.6f}",
            "thread_ts": thread,
        }
    )
    stand_in.wait_for("chat.postMessage", count=len(in_thread(stand_in, thread)) + 1, thread_ts=thread)
    settle(served)
    assert "not invited" in stand_in.posted_text(in_thread(stand_in, thread)[-1])

    report = assistant.discussions.report(Actor(OFFICER), reference)
    assert "moved here in March" not in report.to_markdown()
    document = report.to_docx()
    check_report_sections(docx_sections(document))
    assert docx_tables(document)[0][1][:2] == [ACTION_TEXT, AGENCIES[POLICE]]
    # The agreed action is on the review's action plan, with its owner agency and due date.
    plan = ActionPlans(assistant.referrals.database, served.channel.settings).for_review(OFFICER, reference)
    assert [(i.recommendation, i.owner_agency, i.due_on) for i in plan] == [
        (ACTION_TEXT, AGENCIES[POLICE], "2027-01-31")
    ]
