"""Typed actions in the core: what triage buttons and forms carry, how the core reads it, and that a
typed-out command and a button do the very same thing. (Over HTTP in Slack and Teams:
tests/slack/test_slack_typed_actions.py.)"""

from __future__ import annotations

import json

import pytest

from bot.assistant import Assistant
from bot.referral import actions
from bot.referral.actions import ActionProblem, InvalidAction, TriageAction, complete_form, decode, read
from bot.referral.queue import Actor

from .helpers import CHILD_REFERRAL, Chat, text_of

REFERENCE = "PR-2026-0001"
OFFICER = Actor("officer.one")


def submitted(assistant: Assistant, user: str = "practitioner.one") -> str:
    chat = Chat(assistant, user)
    chat.send("refer")
    chat.answer_all(CHILD_REFERRAL)
    [note] = chat.press("submit").notifications
    assert note.referral_reference
    return note.referral_reference


def decide_with(payload: dict[str, str]) -> str:
    return json.dumps({"kind": "decide", "reference": REFERENCE, "payload": payload})


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("{", ActionProblem.UNREADABLE),
        ("[1, 2]", ActionProblem.UNREADABLE),
        (json.dumps({"kind": "format_disk", "reference": REFERENCE}), ActionProblem.UNREADABLE),
        (json.dumps({"kind": "show", "reference": "PR-2026-0001; DROP TABLE"}), ActionProblem.UNREADABLE),
        (json.dumps({"kind": "show", "reference": REFERENCE, "version": "3"}), ActionProblem.UNREADABLE),
        (json.dumps({"kind": "show", "reference": REFERENCE, "version": True}), ActionProblem.UNREADABLE),
        (json.dumps({"kind": "show", "reference": REFERENCE, "extra": 1}), ActionProblem.UNREADABLE),
        (json.dumps({"kind": "show", "reference": REFERENCE, "payload": {"to": "me"}}), ActionProblem.BAD_PAYLOAD),
        (json.dumps({"kind": "request_info", "reference": REFERENCE}), ActionProblem.BAD_PAYLOAD),
        (
            decide_with({"decision": "x", "reason": "long enough!"}),
            ActionProblem.NO_DECISION,
        ),
        (
            decide_with({"decision": "sar", "reason": " a \n b "}),
            ActionProblem.REASON_TOO_SHORT,
        ),
        (
            json.dumps({"kind": "request_info", "reference": REFERENCE, "payload": {"question": "x" * 3001}}),
            ActionProblem.UNREADABLE,
        ),
    ],
)
def test_the_core_refuses_what_it_cannot_act_on_naming_the_problem(value: str, problem: ActionProblem) -> None:
    with pytest.raises(InvalidAction) as refused:
        read(value)
    assert refused.value.problem is problem
    assert "Nothing was changed" in str(refused.value) or "nothing was changed" in str(refused.value)
    assert decode(value) is None


def test_an_action_survives_the_round_trip_and_a_form_merges_its_fields() -> None:
    assign = actions.action("assign", REFERENCE, 3)
    assert read(assign.to_json()) == assign
    opened = actions.action("decide", REFERENCE, 4).to_json()
    assert complete_form(opened, {"decision": "rapid_review", "reason": "ok"}) is ActionProblem.REASON_TOO_SHORT
    assert complete_form(opened, {"reason": "Serious harm, abuse suspected."}) is ActionProblem.NO_DECISION
    filled = complete_form(opened, {"decision": "lcspr", "reason": "Serious harm @2\n\nabuse suspected.", "x": "y"})
    assert isinstance(filled, str)
    assert read(filled) == TriageAction(
        kind="decide",
        reference=REFERENCE,
        version=4,
        payload={"decision": "lcspr", "reason": "Serious harm @2 abuse suspected."},
    )
    # A form opened with a damaged action is passed on as it is, for the core to refuse in its words.
    assert complete_form("{damaged", {"reason": "Serious harm, abuse suspected."}) == "{damaged"


def test_buttons_carry_typed_actions_and_do_what_the_typed_command_does(assistant: Assistant) -> None:
    first, second = submitted(assistant), submitted(assistant, "practitioner.two")
    officer = Chat(assistant, "officer.one")
    shown = officer.send(f"show {first}")
    [detail] = [r for r in shown.replies if r.buttons]
    pressed = {b.label: read(b.value) for b in detail.buttons}
    seen = detail.card["version"] if detail.card else None
    assert pressed["Assign to me"] == TriageAction(kind="assign", reference=first, version=seen)
    assert "assigned to officer.one" in text_of(officer.press(detail.buttons[0].value))

    # The same decision by button (typed action) and by typed command leaves the same history.
    reason = "Meets the serious incident criteria."
    by_button = actions.action("decide", first, None, decision="rapid_review", reason=reason)
    officer.press(by_button.to_json())
    officer.send(f"accept {second} rapid_review {reason}")
    queue = assistant.referrals.queue
    histories = [
        [(e.action, e.from_status, e.to_status, e.reason) for e in queue.show(OFFICER, ref).events]
        for ref in (first, second)
    ]
    assert histories[0][-1] == histories[1][-1] == ("accepted", "submitted", "accepted", reason)

    # Buttons follow the status: an accepted referral offers Start review, at its new version.
    [accepted] = [r for r in officer.send(f"show {first}").replies if r.buttons]
    start = next(b for b in accepted.buttons if b.label == "Start review")
    assert read(start.value).kind == "start_review"
    officer.press(start.value)
    assert queue.show(OFFICER, first).status == "in_review"


def test_a_forged_action_from_someone_outside_the_business_unit_changes_nothing(assistant: Assistant) -> None:
    reference = submitted(assistant)
    practitioner = Chat(assistant, "practitioner.one")
    forged = actions.action("decide", reference, 1, decision="not_accepted", reason="I withdraw it myself now.")
    assert "Only the safeguarding partnership business unit" in text_of(practitioner.press(forged.to_json()))
    refused = text_of(practitioner.press('{"kind": "close"'))
    assert "couldn't read that button's action" in refused
    queue = assistant.referrals.queue
    assert [e.action for e in queue.show(OFFICER, reference).events] == ["submitted"]
