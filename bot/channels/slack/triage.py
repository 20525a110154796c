"""The business unit's buttons and modals in Slack: "Request more information" and "Decide…".

A decision or a request needs a reason, which a button cannot carry. In the
business-unit channel, a referral (a reply whose card names a referral
`reference`) gets these two buttons; each opens a modal that insists on a
reason, and its submission is sent to the assistant as the very command an
officer could type (`request info PR-… QUESTION @v`, `accept PR-… TYPE REASON @v`,
`redirect …`, `decline …`; see bot/referral/commands.py). So the assistant
checks roles, versions and transitions exactly as for typed commands, and
records every decision in the referral's history.
"""

from __future__ import annotations

import json
import re
from typing import Any

from bot.channels.slack.blocks import button, sections
from bot.channels.slack.modals import (
    CHOICE_ACTION,
    CHOICE_BLOCK,
    INPUT_BLOCK,
    modal,
    option,
    text_input,
)
from bot.channels.slack.text import slack_text
from bot.messages import Reply
from bot.prompts import load_yaml

REQUEST_INFO = "sgbot.triage.request_info"
DECIDE = "sgbot.triage.decide"
TRIAGE_VIEW = "sgbot.view.triage"
TRIAGE_BLOCK = "sgbot.triage"
# Decisions go into the referral's history and to the referrer: a word is not a reason.
REASON_MINIMUM = 10
# The accepted review types and the other outcomes, with the command verb each needs.
ACCEPTED_TYPES = ("rapid_review", "lcspr", "good_outcome_review", "sar")
_VERSION = re.compile(r"@(\d+)\s*$")


def referral_of(reply: Reply) -> tuple[str, int | None] | None:
    """(reference, version) if the reply is about one referral."""
    card = reply.card or {}
    reference = card.get("reference")
    if not isinstance(reference, str) or card.get("kind") not in ("referral", "referral_submitted"):
        return None
    version = card.get("version")
    if not isinstance(version, int):
        # The submitted notification's "Assign to me" button carries the version it was made at.
        for item in reply.buttons:
            match = _VERSION.search(item.value)
            if match and reference in item.value:
                version = int(match.group(1))
                break
        else:
            version = None
    return reference, version


def triage_blocks(reply: Reply) -> list[dict[str, Any]]:
    """The two reason-needing buttons, for a referral shown in the business unit's channel."""
    found = referral_of(reply)
    if found is None:
        return []
    reference, version = found
    value = json.dumps({"r": reference, "v": version}, separators=(",", ":"))
    return [
        {
            "type": "actions",
            "block_id": TRIAGE_BLOCK,
            "elements": [
                button(slack_text("triage_request_info"), REQUEST_INFO, value),
                button(slack_text("triage_decide"), DECIDE, value, "primary"),
            ],
        }
    ]


def _decision_labels() -> dict[str, str]:
    data = load_yaml("referral.yaml") or {}
    labels = (data.get("labels") or {}).get("decision") or {}
    return {str(key): str(value) for key, value in labels.items()}


def triage_modal(kind: str, reference: str, version: int | None, metadata: dict[str, Any]) -> dict[str, Any]:
    metadata = {**metadata, "kind": kind, "r": reference, "v": version}
    if kind == REQUEST_INFO:
        blocks = [
            *sections(slack_text("triage_request_intro", reference=reference)),
            text_input(slack_text("triage_question_label"), minimum=REASON_MINIMUM),
        ]
        return modal(TRIAGE_VIEW, slack_text("triage_request_info"), blocks, metadata)
    labels = _decision_labels()
    decisions = [*ACCEPTED_TYPES, "redirected", "not_accepted"]
    options = [option(labels.get(decision, decision), decision) for decision in decisions]
    blocks = [
        *sections(slack_text("triage_decide_intro", reference=reference)),
        {
            "type": "input",
            "block_id": CHOICE_BLOCK,
            "label": {"type": "plain_text", "text": slack_text("triage_decision_label")},
            "element": {"type": "radio_buttons", "action_id": CHOICE_ACTION, "options": options},
        },
        text_input(slack_text("triage_reason_label"), minimum=REASON_MINIMUM),
    ]
    return modal(TRIAGE_VIEW, slack_text("triage_decide"), blocks, metadata)


def triage_command(metadata: dict[str, Any], values: dict[str, str]) -> str | tuple[str, str]:
    """The command an officer would type, or (block_id, problem) to show in the modal."""
    reference = str(metadata.get("r") or "")
    version = metadata.get("v")
    suffix = f" @{version}" if isinstance(version, int) else ""
    text = " ".join((values.get(INPUT_BLOCK) or "").split())
    if len(text) < REASON_MINIMUM:
        return INPUT_BLOCK, slack_text("reason_required", minimum=REASON_MINIMUM)
    if metadata.get("kind") == REQUEST_INFO:
        return f"request info {reference} {text}{suffix}"
    decision = values.get(CHOICE_BLOCK) or ""
    if decision in ACCEPTED_TYPES:
        return f"accept {reference} {decision} {text}{suffix}"
    if decision == "redirected":
        return f"redirect {reference} {text}{suffix}"
    if decision == "not_accepted":
        return f"decline {reference} {text}{suffix}"
    return CHOICE_BLOCK, slack_text("triage_choose_decision")
