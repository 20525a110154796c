"""Bounded free-text fields in Slack, over real HTTP on loopback: a reply typed after `reply PR-…` over 8,000
characters, and a request-info question or a decision reason typed as a command over 4,000, are refused saying
how long they are and what the limit is, and nothing is lost (the referral is unchanged; the referrer is still
replying, so their shortened reply is attached). A triage form's reason over the box's 3,000 characters is
refused next to the box, with the modal still open, and never cut short."""

from __future__ import annotations

from conftest import BUSINESS_UNIT_CHANNEL, OFFICER, ServedSlack, buttons_of, unique
from slack_stand_in import SlackStandIn
from test_slack_referrals import settle

from bot.referral.actions import REASON_MAXIMUM
from bot.referral.queue import MAX_REPLY_LENGTH, MAX_TRIAGE_TEXT_LENGTH, Actor
from tests.discussion.filing import file_referral


def said_to(served: ServedSlack, stand_in: SlackStandIn, user: str, text: str) -> str:
    """What the app posts to `user`'s DM after they type `text` there."""
    dm = f"D{user[1:]}"
    before = len(stand_in.calls_to("chat.postMessage"))
    served.dm(user, text)
    stand_in.wait_for("chat.postMessage", channel=dm)
    settle(served)
    return "\n".join(stand_in.posted_text(c) for c in stand_in.calls_to("chat.postMessage")[before:]
                     if c.args.get("channel") == dm)


def test_a_too_long_reply_is_refused_naming_the_limit_and_the_shortened_one_is_attached(
    served: ServedSlack, stand_in: SlackStandIn
) -> None:
    assistant = served.channel.assistant
    referrer = unique("UREF")
    reference = file_referral(assistant, referrer)
    queue = assistant.referrals.queue
    queue.request_info(Actor(OFFICER), reference, "Which hospital was J admitted to?")
    stand_in.reset()
    said_to(served, stand_in, referrer, f"reply {reference}")

    refused = said_to(served, stand_in, referrer, "x" * (MAX_REPLY_LENGTH + 1))

    assert f"{MAX_REPLY_LENGTH + 1} characters" in refused and f"limit is {MAX_REPLY_LENGTH}" in refused
    assert queue.show(Actor(OFFICER), reference).status == "more_info_requested"
    assert "has been added" in said_to(served, stand_in, referrer, "Northshire General, children's ward.")
    assert queue.show(Actor(OFFICER), reference).events[-1].detail == {"reply": "Northshire General, children's ward."}


def test_a_too_long_question_or_reason_typed_as_a_command_is_refused_naming_the_limit(
    served: ServedSlack, stand_in: SlackStandIn
) -> None:
    assistant = served.channel.assistant
    reference = file_referral(assistant, unique("UREF"))
    too_long = "y" * (MAX_TRIAGE_TEXT_LENGTH + 1)
    stand_in.reset()

    for command in (f"request info {reference} {too_long}", f"decline {reference} {too_long}"):
        refused = said_to(served, stand_in, OFFICER, command)
        assert f"{MAX_TRIAGE_TEXT_LENGTH + 1} characters" in refused, refused[:500]
        assert f"limit is {MAX_TRIAGE_TEXT_LENGTH}" in refused

    shown = assistant.referrals.queue.show(Actor(OFFICER), reference)
    assert shown.status == "submitted" and not any(e.action in {"info_requested", "not_accepted"}
                                                   for e in shown.events)


def test_a_too_long_reason_in_the_decision_form_is_refused_by_the_box_never_cut_short(
    served: ServedSlack, stand_in: SlackStandIn
) -> None:
    assistant = served.channel.assistant
    reference = file_referral(assistant, unique("UREF"))
    (posted,) = stand_in.wait_for("chat.postMessage", channel=BUSINESS_UNIT_CHANNEL)
    settle(served)
    decide = next(b for b in buttons_of(posted.response["message"]) if b["action_id"] == "sgbot.triage.decide")
    served.press(OFFICER, BUSINESS_UNIT_CHANNEL, posted.response["message"], decide)
    (opened,) = stand_in.wait_for("views.open")
    reason = "Criteria met: serious harm. " + "z" * REASON_MAXIMUM

    answered = served.submit(
        OFFICER,
        opened.args["view"],
        {
            "sgbot.choice": {"choice": {"type": "radio_buttons", "selected_option": {"value": "lcspr"}}},
            "sgbot.input": {"value": {"type": "plain_text_input", "value": reason}},
        },
    )
    settle(served)

    assert answered.json()["response_action"] == "errors"  # the modal stays open, with the text in it
    problem = answered.json()["errors"]["sgbot.input"]
    assert f"{len(reason)} characters" in problem and f"limit is {REASON_MAXIMUM}" in problem
    shown = assistant.referrals.queue.show(Actor(OFFICER), reference)
    assert shown.status == "submitted" and not any(e.action == "accepted" for e in shown.events)
