"""Modals: the 👎 reason, a hand-off to the business unit, channel settings
(and, in triage.py, the business unit's decisions and requests).

Each modal carries what the submission needs in `private_metadata` (ids only,
at most 3,000 characters), so no state is kept in process memory.
"""

from __future__ import annotations

import json
from typing import Any

from bot.channel_settings import ChannelSettings, settings_text
from bot.channels.slack.blocks import (
    VIEW_BLOCK_LIMIT,
    sections,
)
from bot.channels.slack.mrkdwn import plain, to_mrkdwn, truncate
from bot.channels.slack.text import slack_text
from bot.messages import feedback_form

FEEDBACK_VIEW = "sgbot.view.feedback"
HANDOFF_VIEW = "sgbot.view.handoff"
SETTINGS_VIEW = "sgbot.view.settings"

INPUT_BLOCK = "sgbot.input"
INPUT_ACTION = "value"
CHOICE_BLOCK = "sgbot.choice"
CHOICE_ACTION = "choice"
AREAS_BLOCK = "sgbot.areas"
MODE_BLOCK = "sgbot.mode"

TITLE_LIMIT = 24
INPUT_LIMIT = 3000
RADIO_LIMIT = 10
SELECT_LIMIT = 100
OPTION_TEXT_LIMIT = 75
OPTION_VALUE_LIMIT = 150


def _title(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": plain(text, TITLE_LIMIT)}


def _metadata(data: dict[str, Any]) -> str:
    return json.dumps(data, separators=(",", ":"))[:3000]


def read_metadata(view: dict[str, Any]) -> dict[str, Any]:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}


def modal(
    callback_id: str, title: str, blocks: list[dict[str, Any]], metadata: dict[str, Any]
) -> dict[str, Any]:
    form = feedback_form()  # every modal's Send and Cancel
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": _title(title),
        "submit": _title(form.send),
        "close": _title(form.cancel),
        "private_metadata": _metadata(metadata),
        "blocks": blocks[:VIEW_BLOCK_LIMIT],
    }


def text_input(
    label: str,
    *,
    multiline: bool = True,
    initial: str | None = None,
    placeholder: str | None = None,
    minimum: int | None = None,
    optional: bool = False,
    block_id: str = INPUT_BLOCK,
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": INPUT_ACTION,
        "multiline": multiline,
        "max_length": INPUT_LIMIT,
    }
    if initial:
        element["initial_value"] = initial[:INPUT_LIMIT]
    if placeholder:
        element["placeholder"] = {"type": "plain_text", "text": plain(placeholder, 150)}
    if minimum:
        element["min_length"] = minimum
    return {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": plain(label, 2000)},
        "element": element,
    }


def option(label: str, value: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": plain(label, OPTION_TEXT_LIMIT)}, "value": value}


def feedback_modal(metadata: dict[str, Any]) -> dict[str, Any]:
    form = feedback_form()
    blocks = [
        *sections(to_mrkdwn(form.intro)),
        {
            "type": "input",
            "block_id": CHOICE_BLOCK,
            "label": {"type": "plain_text", "text": form.choice_label},
            "element": {
                "type": "radio_buttons",
                "action_id": CHOICE_ACTION,
                "options": [option(label, key) for key, label in form.choices.items()],
            },
        },
        text_input(
            form.reason_label,
            placeholder=form.reason_placeholder,
            optional=True,
        ),
    ]
    return modal(FEEDBACK_VIEW, form.title, blocks, metadata)


def handoff_modal(question: str, metadata: dict[str, Any]) -> dict[str, Any]:
    form = feedback_form()
    blocks = [
        *sections(to_mrkdwn(form.handoff_intro)),
        text_input(form.handoff_question_label, initial=question, minimum=2),
    ]
    return modal(HANDOFF_VIEW, form.handoff_title, blocks, metadata)


def settings_modal(current: ChannelSettings, metadata: dict[str, Any]) -> dict[str, Any]:
    mode_options = [
        option(settings_text("mode_mentions"), "mentions"),
        option(settings_text("mode_all"), "all"),
    ]
    initial_mode = mode_options[1] if current.mode == "all" else mode_options[0]
    areas = text_input(
        slack_text("settings_areas_label"),
        multiline=False,
        initial=", ".join(current.areas),
        optional=True,
        block_id=AREAS_BLOCK,
    )
    areas["hint"] = {"type": "plain_text", "text": slack_text("settings_areas_hint")}
    blocks = [
        areas,
        {
            "type": "input",
            "block_id": MODE_BLOCK,
            "label": {"type": "plain_text", "text": slack_text("settings_mode_label")},
            "element": {
                "type": "radio_buttons",
                "action_id": CHOICE_ACTION,
                "options": mode_options,
                "initial_option": initial_mode,
            },
        },
    ]
    return modal(SETTINGS_VIEW, slack_text("settings_modal_title"), blocks, metadata)


def submitted_values(view: dict[str, Any]) -> dict[str, str]:
    """{block_id: typed text or chosen value} from a view_submission's state."""
    values: dict[str, str] = {}
    state = (view.get("state") or {}).get("values") or {}
    for block_id, actions in state.items():
        for action in actions.values():
            if action.get("type") in ("radio_buttons", "static_select"):
                selected = action.get("selected_option") or {}
                values[block_id] = str(selected.get("value") or "")
            else:
                values[block_id] = str(action.get("value") or "")
    return values


def short(text: str, limit: int = 150) -> str:
    return truncate(" ".join(text.split()), limit)
