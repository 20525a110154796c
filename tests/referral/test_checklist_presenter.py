"""The checklist's wording is put together in one place, from what the conversation decided.

The conversation (bot/referral/conversation.py) decides the step and keeps the answers; the checklist
presenter words them: the question with its options as typed buttons, the summary as a card and a Submit /
Change / Cancel prompt, the change menu, the receipt. Over the real practice-review definition and prompts.
"""

from __future__ import annotations

import json
from dataclasses import replace

from bot.referral.checklist_presenter import ChecklistPresenter
from bot.referral.definition import load_checklist

ANSWERS = {"review_type": "serious_child", "safe_now": "yes", "incident_date": "2026-03-02"}


def presenter() -> ChecklistPresenter:
    return ChecklistPresenter(load_checklist("practice_review"), contact="the business unit on 0121 000 0000")


def test_a_question_carries_its_options_as_typed_buttons_and_says_what_the_referrer_answered_before() -> None:
    words = presenter()
    step = words.definition.step("safe_now")
    assert step is not None
    asked = words.question(step, ANSWERS)
    assert asked.expects is not None and (asked.expects.step, asked.expects.options) == ("safe_now", ["yes", "no"])
    assert [json.loads(b.value) for b in asked.buttons] == [
        {"kind": "answer", "step": "safe_now", "payload": {"value": "yes"}},
        {"kind": "answer", "step": "safe_now", "payload": {"value": "no"}},
    ]
    assert "Yes, they are safe now" in asked.text  # the current answer, by its label, not "yes"


def test_the_summary_is_a_card_of_the_answers_then_a_prompt_with_submit_change_and_cancel() -> None:
    words = presenter()
    answered = [s for s in words.definition.steps if s.id in {"safe_now", "incident_date"}]
    summary, prompt = words.summary(answered, ANSWERS)
    assert summary.card is not None and [row["answer"] for row in summary.card["answers"]] == [
        "Yes, they are safe now",
        "2 March 2026",  # a date written out, not as stored
    ]
    assert [json.loads(b.value)["kind"] for b in prompt.buttons] == ["submit", "change", "cancel"]
    menu = words.change_menu(answered, ANSWERS)
    assert [json.loads(b.value)["payload"] for b in menu.buttons] == [{"to": "safe_now"}, {"to": "incident_date"}]


def test_the_receipt_names_the_reference_and_a_step_without_help_names_who_to_ask() -> None:
    words = presenter()
    receipt = words.receipt("PR-2026-0042")
    assert "PR-2026-0042" in receipt.text and receipt.card == {"kind": "referral_receipt", "reference": "PR-2026-0042"}
    helpless = replace(words.definition.steps[0], help=None)  # a site's checklist may leave help out
    assert "0121 000 0000" in words.help(helpless, {}).text
