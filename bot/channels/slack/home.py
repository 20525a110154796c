"""The App Home tab: how to use the assistant, and a way to start a referral."""

from __future__ import annotations

from typing import Any

from bot.channels.slack.blocks import VIEW_BLOCK_LIMIT, button, sections
from bot.channels.slack.text import slack_text
from bot.channels.slack.users import Profile
from bot.config import Settings

REFER_BUTTON = "sgbot.refer"


def home_view(settings: Settings, assistant: Any, profile: Profile, is_business_unit: bool) -> dict[str, Any]:
    """Built in a worker thread: sections that list referrals read the database."""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": slack_text("home_title")}},
        *sections(slack_text("home_intro")),
        {
            "type": "actions",
            "block_id": "sgbot.home.actions",
            "elements": [button(slack_text("refer_button"), REFER_BUTTON, "refer", "primary")],
        },
    ]
    return {"type": "home", "blocks": blocks[:VIEW_BLOCK_LIMIT]}
