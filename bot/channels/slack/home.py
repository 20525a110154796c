"""The App Home tab: how to use the assistant, a button to start a referral, and the
user's referrals (a business-unit member sees the whole queue, due first).

The list comes from the assistant (`queue`, the same command anyone can type),
so roles are decided in one place; pressing a referral shows it in a DM.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.channels.slack.blocks import VIEW_BLOCK_LIMIT, button, reply_buttons, sections
from bot.channels.slack.mrkdwn import to_mrkdwn
from bot.channels.slack.text import slack_text
from bot.channels.slack.users import Profile
from bot.config import Settings
from bot.messages import Message

log = logging.getLogger(__name__)

REFER_BUTTON = "sgbot.refer"
QUEUE_COMMAND = "queue"


def home_view(settings: Settings, assistant: Any, profile: Profile) -> dict[str, Any]:
    """Built in a worker thread: the referral list reads the database (and the core decides what it shows)."""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": slack_text("home_title")}},
        *sections(slack_text("home_intro")),
        {
            "type": "actions",
            "block_id": "sgbot.home.actions",
            "elements": [button(slack_text("refer_button"), REFER_BUTTON, "refer", "primary")],
        },
        {"type": "divider"},
    ]
    try:
        outcome = assistant.handle(
            Message(
                channel="slack",
                user_id=profile.user_id,
                text=QUEUE_COMMAND,
                email=profile.email,
                display_name=profile.display_name,
            )
        )
    except Exception:
        log.exception("could not list referrals for the App Home", extra={"slack_user": profile.user_id})
        blocks.extend(sections(slack_text("error", contact=settings.contact)))
        return {"type": "home", "blocks": blocks}
    room = VIEW_BLOCK_LIMIT - len(blocks) - 1
    listed: list[dict[str, Any]] = []
    for reply in outcome.replies:
        listed.extend(sections(to_mrkdwn(reply.text)))
        listed.extend(reply_buttons(reply.buttons))
    if len(listed) > room:
        listed = [*listed[: room - 1], *sections(slack_text("home_more", count=len(listed) - room + 1))]
    blocks.extend(listed)
    return {"type": "home", "blocks": blocks[:VIEW_BLOCK_LIMIT]}
