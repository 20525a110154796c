"""The business unit's "Request more information" and "Decide…" on a referral card in Teams.

A decision or a request needs a reason, which a button cannot carry; each of
these actions opens a form under the card (`Action.ShowCard`) that insists on
one. Its `Action.Submit` data carries the core's typed action (kind, reference,
version seen; bot/referral/triage_actions.py) under `sgbot_triage`; the form's
fields are merged into its payload by the core (`complete_form`), and the
assistant checks roles, versions and transitions exactly as for any typed
action and records each decision in the referral's history. Only the Adaptive
Card lives here.
"""

from __future__ import annotations

from typing import Any

from bot.channels.teams.text import say
from bot.messages import Reply
from bot.referral.text import triage_text
from bot.referral.triage_actions import (
    REASON_MAXIMUM,
    REASON_MINIMUM,
    FormProblem,
    TriageForm,
    as_action,
    complete_form,
    decision_choices,
    one_line,
    triage_forms,
)

TRIAGE_KEY = "sgbot_triage"
DECISION_KEY = "sgbot_decision"
TRIAGE_TEXT_KEY = "sgbot_triage_text"


def _reason_box(label: str) -> dict[str, Any]:
    return {
        "type": "Input.Text",
        "id": TRIAGE_TEXT_KEY,
        "label": label,
        "isMultiline": True,
        "isRequired": True,
        # Checked in Teams before sending, and again here when it arrives.
        "regex": rf"^[\s\S]{{{REASON_MINIMUM},}}$",
        "errorMessage": triage_text("reason_short", minimum=REASON_MINIMUM),
        "maxLength": REASON_MAXIMUM,  # a longer text sent anyway is refused, never cut short
    }


def triage_actions(reply: Reply) -> list[dict[str, Any]]:
    """The two reason-needing actions for a referral shown to the business unit."""
    return [_show_card(form) for form in triage_forms(reply)]


def _show_card(form: TriageForm) -> dict[str, Any]:
    submit = {"type": "Action.Submit", "title": say("send"), "data": {TRIAGE_KEY: form.action}}
    if form.kind == "request_info":
        return {
            "type": "Action.ShowCard",
            "title": triage_text("request_info"),
            "card": {
                "type": "AdaptiveCard",
                "body": [
                    {
                        "type": "TextBlock",
                        "wrap": True,
                        "text": triage_text("request_intro", reference=form.reference),
                    },
                    _reason_box(triage_text("question_label")),
                ],
                "actions": [submit],
            },
        }
    return {
        "type": "Action.ShowCard",
        "title": triage_text("decide"),
        "card": {
            "type": "AdaptiveCard",
            "body": [
                {
                    "type": "TextBlock",
                    "wrap": True,
                    "text": triage_text("decide_intro", reference=form.reference),
                },
                {
                    "type": "Input.ChoiceSet",
                    "id": DECISION_KEY,
                    "label": triage_text("decision_label"),
                    "style": "expanded",
                    "isRequired": True,
                    "errorMessage": triage_text("choose_decision"),
                    "choices": [{"title": label, "value": d} for d, label in decision_choices()],
                },
                _reason_box(triage_text("reason_label")),
            ],
            "actions": [submit],
        },
    }


def triage_command(value: dict[str, Any]) -> tuple[str | None, str | None]:
    """(typed action as JSON, None) to hand to the assistant, or (None, problem) to tell the officer."""
    base = value.get(TRIAGE_KEY)
    if not isinstance(base, str):  # not what our card sends: the core refuses it in its words
        return as_action(""), None
    text = str(value.get(TRIAGE_TEXT_KEY) or "")
    fields = {"question": text, "reason": text, "decision": str(value.get(DECISION_KEY) or "")}
    command = complete_form(base, fields)
    if command is FormProblem.REASON_TOO_SHORT:
        return None, triage_text("reason_short", minimum=REASON_MINIMUM)
    if command is FormProblem.TEXT_TOO_LONG:
        return None, triage_text("text_long", length=len(one_line(text)), limit=REASON_MAXIMUM)
    if command is FormProblem.NO_DECISION:
        return None, triage_text("choose_decision")
    assert isinstance(command, str)
    return command, None
