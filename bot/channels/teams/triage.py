"""The business unit's "Request more information" and "Decide…" on a referral card in Teams.

A decision or a request needs a reason, which a button cannot carry; each of
these actions opens a form under the card (`Action.ShowCard`) that insists on
one. The submission becomes the very command an officer could type
(`request info PR-… QUESTION @v`, `accept PR-… TYPE REASON @v`, `redirect …`,
`decline …`; composed by bot/referral/triage_actions.py), so the assistant
checks roles, versions and transitions exactly as for typed commands and
records each decision in the referral's history. Only the Adaptive Card lives
here.
"""

from __future__ import annotations

from typing import Any

from bot.channels.teams.text import say
from bot.messages import Reply
from bot.referral.triage_actions import (
    REASON_MINIMUM,
    FormProblem,
    decision_choices,
    decision_command,
    referral_of,
    request_info_command,
)

TRIAGE_KEY = "sgbot_triage"
REFERENCE_KEY = "sgbot_reference"
VERSION_KEY = "sgbot_version"
DECISION_KEY = "sgbot_decision"
TRIAGE_TEXT_KEY = "sgbot_triage_text"
REQUEST_INFO = "request_info"
DECIDE = "decide"


def _reason_box(label: str) -> dict[str, Any]:
    return {
        "type": "Input.Text",
        "id": TRIAGE_TEXT_KEY,
        "label": label,
        "isMultiline": True,
        "isRequired": True,
        # Checked in Teams before sending, and again here when it arrives.
        "regex": rf"^[\s\S]{{{REASON_MINIMUM},}}$",
        "errorMessage": say("triage_reason_short", minimum=REASON_MINIMUM),
        "maxLength": 3000,
    }


def triage_actions(reply: Reply) -> list[dict[str, Any]]:
    """The two reason-needing actions for a referral shown to the business unit."""
    found = referral_of(reply)
    if found is None:
        return []
    reference, version = found
    data = {REFERENCE_KEY: reference, VERSION_KEY: version}
    return [
        {
            "type": "Action.ShowCard",
            "title": say("triage_request_info"),
            "card": {
                "type": "AdaptiveCard",
                "body": [
                    {
                        "type": "TextBlock",
                        "wrap": True,
                        "text": say("triage_request_intro", reference=reference),
                    },
                    _reason_box(say("triage_question_label")),
                ],
                "actions": [
                    {
                        "type": "Action.Submit",
                        "title": say("send"),
                        "data": {TRIAGE_KEY: REQUEST_INFO, **data},
                    }
                ],
            },
        },
        {
            "type": "Action.ShowCard",
            "title": say("triage_decide"),
            "card": {
                "type": "AdaptiveCard",
                "body": [
                    {
                        "type": "TextBlock",
                        "wrap": True,
                        "text": say("triage_decide_intro", reference=reference),
                    },
                    {
                        "type": "Input.ChoiceSet",
                        "id": DECISION_KEY,
                        "label": say("triage_decision_label"),
                        "style": "expanded",
                        "isRequired": True,
                        "errorMessage": say("triage_choose_decision"),
                        "choices": [{"title": label, "value": d} for d, label in decision_choices()],
                    },
                    _reason_box(say("triage_reason_label")),
                ],
                "actions": [
                    {"type": "Action.Submit", "title": say("send"), "data": {TRIAGE_KEY: DECIDE, **data}}
                ],
            },
        },
    ]


def triage_command(value: dict[str, Any]) -> tuple[str | None, str | None]:
    """(command, None) to hand to the assistant, or (None, problem) to tell the officer."""
    reference = str(value.get(REFERENCE_KEY) or "")
    version = value.get(VERSION_KEY)
    text = str(value.get(TRIAGE_TEXT_KEY) or "")
    if value.get(TRIAGE_KEY) == REQUEST_INFO:
        command = request_info_command(reference, version, text)
    else:
        command = decision_command(str(value.get(DECISION_KEY) or ""), reference, version, text)
    if command is FormProblem.REASON_TOO_SHORT:
        return None, say("triage_reason_short", minimum=REASON_MINIMUM)
    if command is FormProblem.NO_DECISION:
        return None, say("triage_choose_decision")
    return command, None
