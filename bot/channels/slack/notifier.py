"""Slack's `Notifier`: how the outbox's delivery worker posts a notification in Slack.

The business unit's go to `SLACK_BUSINESS_UNIT_CHANNEL` (later news about a
referral in the thread of its first post); a person's to a DM; a subscribed
channel's to that channel. Slack's
answer is translated for the worker: rate limits (429, with Retry-After) and
server errors are tried again later, errors that no retry can fix (the app
is not in the channel, the user is gone, the token is refused) are not.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from slack_sdk.errors import SlackApiError

from bot.channels.slack.delivery import error_code
from bot.outbox import BUSINESS_UNIT, Delivery, conversation_of
from bot.outbox.worker import DeliveryFailed

if TYPE_CHECKING:
    from bot.channels.slack.app import SlackChannel

# Slack errors that mean "this will never be posted as it stands".
PERMANENT = {
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "user_not_found",
    "user_disabled",
    "cannot_dm_bot",
    "invalid_auth",
    "not_authed",
    "account_inactive",
    "token_revoked",
    "missing_scope",
}


class SlackNotifier:
    channel = "slack"

    def __init__(self, slack: SlackChannel) -> None:
        self.slack = slack

    async def send(self, delivery: Delivery) -> None:
        try:
            await self._send(delivery)
        except SlackApiError as exc:
            raise failure(exc) from None

    async def _send(self, delivery: Delivery) -> None:
        slack = self.slack
        if delivery.address == BUSINESS_UNIT:
            channel = slack.business_unit_channel
            if not channel:
                raise DeliveryFailed("no_business_unit_channel", permanent=True)
            messages = slack.render(delivery.reply, channel)
            # Later news about a referral goes in the thread of its first post (the core keeps where).
            reference = delivery.referral_reference
            place = f"slack:{channel}"
            key = f"referral:{reference}" if reference else None
            kept = await asyncio.to_thread(slack.assistant.reference, place, key) if key else None
            thread = str(kept) if kept else None
            posted = await slack.poster.post(channel, messages, thread)
            if key and not thread and posted:
                await asyncio.to_thread(slack.assistant.keep_reference, place, key, posted[0])
            return
        conversation = conversation_of(delivery.address)
        if conversation is not None:  # a subscribed channel ("what changed"): a new message there
            await slack.poster.post(conversation[1], slack.render(delivery.reply, conversation[1]))
            return
        dm = await slack.poster.open_dm(delivery.address)
        await slack.poster.post(dm, slack.render(delivery.reply, ""))


def failure(exc: SlackApiError) -> DeliveryFailed:
    """Slack's refusal, as the worker needs it: a code, when to try again, or never."""
    code = error_code(exc)
    response = exc.response
    status = int(getattr(response, "status_code", 0) or 0)
    headers = getattr(response, "headers", None) or {}
    retry_after = None
    for name, value in dict(headers).items():
        if str(name).lower() == "retry-after":
            try:
                retry_after = float(value[0] if isinstance(value, list) else value)
            except (TypeError, ValueError):
                retry_after = None
    if status == 429 or code == "ratelimited":
        return DeliveryFailed(code or "ratelimited", retry_after=retry_after)
    return DeliveryFailed(code or f"http_{status}", retry_after=retry_after, permanent=code in PERMANENT)
