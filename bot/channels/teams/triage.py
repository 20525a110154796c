"""The business unit's "Request more information" and "Decide…" on a referral card in Teams.

A decision or a request needs a reason, which a button cannot carry; each of
these actions opens a form under the card (`Action.ShowCard`) that insists on
one. The submission becomes the very command an officer could type
(`request info PR-… QUESTION @v`, `accept PR-… TYPE REASON @v`, `redirect …`,
`decline …`; see bot/referral/commands.py), so the assistant checks roles,
versions and transitions exactly as for typed commands and records each
decision in the referral's history.
"""

from __future__ import annotations

import re
from typing import Any

from bot.channels.teams.text import say
from bot.messages import Reply
from bot.prompts import load_yaml

TRIAGE_KEY = "sgbot_triage"
REFERENCE_KEY = "sgbot_reference"
VERSION_KEY = "sgbot_version"
DECISION_KEY = "sgbot_decision"
TRIAGE_TEXT_KEY = "sgbot_triage_text"
REQUEST_INFO = "request_info"
DECIDE = "decide"
# Decisions go into the referral's history and to the referrer: a word is not a reason.
REASON_MINIMUM = 10
ACCEPTED_TYPES = ("rapid_review", "lcspr", "good_outcome_review", "sar")
_VERSION = re.compile(r"@(\d+)\s*$")


def referral_of(reply: Reply) -> tuple[str, int | None] | None:
    """(reference, version) if the reply shows one referral."""
    card = reply.card or {}
    reference = card.get("reference")
    if not isinstance(reference, str) or card.get("kind") not in ("referral", "referral_submitted"):
        return None
    version = card.get("version")
    if isinstance(version, int):
        return reference, version
    # The submitted notification's "Assign to me" button carries the version it was made at.
    for button in reply.buttons:
        match = _VERSION.search(button.value)
        if match and reference in button.value:
            return reference, int(match.group(1))
    return reference, None


def _decision_labels() -> dict[str, str]:
    data = load_yaml("referral.yaml") or {}
    labels = (data.get("labels") or {}).get("decision") or {}
    return {str(key): str(value) for key, value in labels.items()}


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
    labels = _decision_labels()
    decisions = [*ACCEPTED_TYPES, "redirected", "not_accepted"]
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
                        "choices": [{"title": labels.get(d, d), "value": d} for d in decisions],
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
    suffix = f" @{version}" if isinstance(version, int) else ""
    text = " ".join(str(value.get(TRIAGE_TEXT_KEY) or "").split())
    if len(text) < REASON_MINIMUM:
        return None, say("triage_reason_short", minimum=REASON_MINIMUM)
    if value.get(TRIAGE_KEY) == REQUEST_INFO:
        return f"request info {reference} {text}{suffix}", None
    decision = str(value.get(DECISION_KEY) or "")
    if decision in ACCEPTED_TYPES:
        return f"accept {reference} {decision} {text}{suffix}", None
    if decision == "redirected":
        return f"redirect {reference} {text}{suffix}", None
    if decision == "not_accepted":
        return f"decline {reference} {text}{suffix}", None
    return None, say("triage_choose_decision")
