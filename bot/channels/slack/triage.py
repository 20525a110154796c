"""The business unit's buttons and modals in Slack: "Request more information" and "Decide…".

A decision or a request needs a reason, which a button cannot carry. In the
business-unit channel, a referral (a reply whose card names a referral
`reference`) gets these two buttons; each carries the core's typed action
(kind, reference, version seen; bot/referral/triage_actions.py) as its value
and opens a modal that insists on a reason. The action rides in the modal's
`private_metadata`; on submission the core merges the form's fields into its
payload (`complete_form`) and the assistant checks roles, versions and
transitions and records every decision in the referral's history. Only the
Block Kit lives here.
"""

from __future__ import annotations

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
from bot.channels.slack.mrkdwn import to_mrkdwn
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
    form_of,
    one_line,
    triage_forms,
)

__all__ = ["DECIDE", "REQUEST_INFO", "TRIAGE_VIEW", "as_action", "form_of", "triage_blocks", "triage_command",
           "triage_modal"]

REQUEST_INFO = "sgbot.triage.request_info"
DECIDE = "sgbot.triage.decide"
TRIAGE_VIEW = "sgbot.view.triage"
TRIAGE_BLOCK = "sgbot.triage"


def triage_blocks(reply: Reply) -> list[dict[str, Any]]:
    """The two reason-needing buttons, for a referral shown in the business unit's channel."""
    forms = {form.kind: form for form in triage_forms(reply)}
    if not forms:
        return []
    return [
        {
            "type": "actions",
            "block_id": TRIAGE_BLOCK,
            "elements": [
                button(triage_text("request_info"), REQUEST_INFO, forms["request_info"].action),
                button(triage_text("decide"), DECIDE, forms["decide"].action, "primary"),
            ],
        }
    ]


def triage_modal(form: TriageForm, metadata: dict[str, Any]) -> dict[str, Any]:
    metadata = {**metadata, "action": form.action}
    reference = form.reference
    if form.kind == "request_info":
        blocks = [
            *sections(to_mrkdwn(triage_text("request_intro", reference=reference))),
            text_input(triage_text("question_label"), minimum=REASON_MINIMUM),
        ]
        return modal(TRIAGE_VIEW, triage_text("request_info"), blocks, metadata)
    options = [option(label, decision) for decision, label in decision_choices()]
    blocks = [
        *sections(to_mrkdwn(triage_text("decide_intro", reference=reference))),
        {
            "type": "input",
            "block_id": CHOICE_BLOCK,
            "label": {"type": "plain_text", "text": triage_text("decision_label")},
            "element": {"type": "radio_buttons", "action_id": CHOICE_ACTION, "options": options},
        },
        text_input(triage_text("reason_label"), minimum=REASON_MINIMUM),
    ]
    return modal(TRIAGE_VIEW, triage_text("decide"), blocks, metadata)


def triage_command(metadata: dict[str, Any], values: dict[str, str]) -> str | tuple[str, str]:
    """The typed action (JSON) for the assistant, or (block_id, problem) to show in the modal."""
    text = values.get(INPUT_BLOCK) or ""
    fields = {"question": text, "reason": text}
    if CHOICE_BLOCK in values:
        fields["decision"] = values[CHOICE_BLOCK] or ""
    command = complete_form(str(metadata.get("action") or ""), fields)
    if command is FormProblem.REASON_TOO_SHORT:
        return INPUT_BLOCK, triage_text("reason_short", minimum=REASON_MINIMUM)
    if command is FormProblem.TEXT_TOO_LONG:
        return INPUT_BLOCK, triage_text("text_long", length=len(one_line(text)), limit=REASON_MAXIMUM)
    if command is FormProblem.NO_DECISION:
        return CHOICE_BLOCK, triage_text("choose_decision")
    assert isinstance(command, str)
    return command
