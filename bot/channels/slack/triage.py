"""The business unit's buttons and modals in Slack: "Request more information" and "Decide…".

A decision or a request needs a reason, which a button cannot carry. In the
business-unit channel, a referral (a reply whose card names a referral
`reference`) gets these two buttons; each opens a modal that insists on a
reason, and its submission is sent to the assistant as the very command an
officer could type (`request info PR-… QUESTION @v`, `accept PR-… TYPE REASON @v`,
`redirect …`, `decline …`; composed by bot/referral/triage_actions.py). So the
assistant checks roles, versions and transitions exactly as for typed commands,
and records every decision in the referral's history. Only the Block Kit lives
here.
"""

from __future__ import annotations

import json
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
from bot.referral.triage_actions import (
    REASON_MINIMUM,
    FormProblem,
    decision_choices,
    decision_command,
    referral_of,
    request_info_command,
)

REQUEST_INFO = "sgbot.triage.request_info"
DECIDE = "sgbot.triage.decide"
TRIAGE_VIEW = "sgbot.view.triage"
TRIAGE_BLOCK = "sgbot.triage"


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


def triage_modal(kind: str, reference: str, version: int | None, metadata: dict[str, Any]) -> dict[str, Any]:
    metadata = {**metadata, "kind": kind, "r": reference, "v": version}
    if kind == REQUEST_INFO:
        blocks = [
            *sections(slack_text("triage_request_intro", reference=reference)),
            text_input(slack_text("triage_question_label"), minimum=REASON_MINIMUM),
        ]
        return modal(TRIAGE_VIEW, slack_text("triage_request_info"), blocks, metadata)
    options = [option(label, decision) for decision, label in decision_choices()]
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
    text = values.get(INPUT_BLOCK) or ""
    if metadata.get("kind") == REQUEST_INFO:
        command = request_info_command(reference, version, text)
    else:
        command = decision_command(values.get(CHOICE_BLOCK) or "", reference, version, text)
    if command is FormProblem.REASON_TOO_SHORT:
        return INPUT_BLOCK, slack_text("reason_required", minimum=REASON_MINIMUM)
    if command is FormProblem.NO_DECISION:
        return CHOICE_BLOCK, slack_text("triage_choose_decision")
    return command
