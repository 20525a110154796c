"""A disclosure typed by a referrer in Slack, over real HTTP on loopback, where the text is stored for the
business unit: as the reply after `reply PR-…` and as a free-text checklist answer. The emergency route is the
first thing posted to the referrer, and the reply or answer is still saved.
"""

from __future__ import annotations

from conftest import OFFICER, ServedSlack, unique
from slack_stand_in import SlackStandIn
from test_slack_referrals import settle

from bot.referral.queue import Actor
from tests.discussion.filing import file_referral
from tests.referral.helpers import CHILD_REFERRAL, Chat

DISCLOSURE = "She has just told me her stepfather hit her tonight and she is scared to go home"


def said_to(served: ServedSlack, stand_in: SlackStandIn, user: str, text: str) -> list[str]:
    """What the app posts to `user`'s DM after they type `text` there."""
    dm = f"D{user[1:]}"
    before = len(stand_in.calls_to("chat.postMessage"))
    served.dm(user, text)
    stand_in.wait_for("chat.postMessage", channel=dm)
    settle(served)
    return [stand_in.posted_text(c) for c in stand_in.calls_to("chat.postMessage")[before:]
            if c.args.get("channel") == dm]


def test_a_disclosure_typed_as_the_reply_after_reply_pr_gets_the_emergency_route_first_and_is_attached(
    served: ServedSlack, stand_in: SlackStandIn
) -> None:
    assistant = served.channel.assistant
    referrer = unique("UREF")
    reference = file_referral(assistant, referrer)
    queue = assistant.referrals.queue
    queue.request_info(Actor(OFFICER), reference, "Which hospital was J admitted to?")
    stand_in.reset()

    prompt = said_to(served, stand_in, referrer, f"reply {reference}")
    assert "Type your reply" in "\n".join(prompt)
    said = said_to(served, stand_in, referrer, DISCLOSURE)

    assert "999" in said[0] and "has been added" not in said[0]  # the route, first and on its own
    assert any("has been added" in text for text in said[1:])
    assert queue.show(Actor(OFFICER), reference).events[-1].detail == {"reply": DISCLOSURE}


def test_a_disclosure_typed_inline_after_reply_pr_gets_the_emergency_route_first(
    served: ServedSlack, stand_in: SlackStandIn
) -> None:
    assistant = served.channel.assistant
    referrer = unique("UREF")
    reference = file_referral(assistant, referrer)
    queue = assistant.referrals.queue
    queue.request_info(Actor(OFFICER), reference, "Which hospital was J admitted to?")
    stand_in.reset()

    said = said_to(served, stand_in, referrer, f"reply {reference} {DISCLOSURE}")

    assert "999" in said[0] and any("has been added" in text for text in said[1:])
    assert queue.show(Actor(OFFICER), reference).events[-1].detail == {"reply": DISCLOSURE}


def test_a_disclosure_as_a_free_text_checklist_answer_gets_the_emergency_route_first_and_is_saved(
    served: ServedSlack, stand_in: SlackStandIn
) -> None:
    referrer = unique("UREF")
    chat = Chat(served.channel.assistant, referrer)
    chat.send("refer")
    steps = [step for step, _ in CHILD_REFERRAL]
    chat.answer_all(CHILD_REFERRAL[: steps.index("about")])
    stand_in.reset()

    said = said_to(served, stand_in, referrer, DISCLOSURE)

    assert "999" in said[0]
    later = "\n".join(said[1:])
    assert "When did the incident happen" in later  # saved, and the checklist moved on
    assert DISCLOSURE in "\n".join(text for text in said_to(served, stand_in, referrer, "change about"))
