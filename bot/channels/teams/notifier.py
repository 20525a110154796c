"""Teams' `Notifier`: how the outbox's delivery worker posts a notification in Teams.

The business unit's go to `TEAMS_BUSINESS_UNIT_CONVERSATION` with the triage
actions; a person's to their 1:1 chat with the bot, by the conversation
reference stored when they last wrote there. Teams' answer is translated for
the worker: 429 (Retry-After), 412, 5xx and connection trouble are tried
again later; a refusal no retry can fix (400, 401, 403, 404, no conversation
to post to) is not.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import aiohttp

from bot.channels.teams import conversations
from bot.channels.teams.render import RenderOptions, render_reply
from bot.channels.teams.triage import triage_actions
from bot.outbox import BUSINESS_UNIT, Delivery, conversation_of
from bot.outbox.worker import DeliveryFailed

if TYPE_CHECKING:
    from microsoft_agents.activity import ConversationReference

    from bot.channels.teams.agent import TeamsBot

PERMANENT_STATUSES = {400, 401, 403, 404}


class TeamsNotifier:
    channel = "teams"

    def __init__(self, bot: TeamsBot) -> None:
        self.bot = bot

    async def send(self, delivery: Delivery) -> None:
        bot = self.bot
        settings = bot.settings
        reference: ConversationReference | None
        if delivery.address == BUSINESS_UNIT:
            target = settings.teams_business_unit_conversation
            if not target:
                raise DeliveryFailed("no_business_unit_channel", permanent=True)
            reference = await asyncio.to_thread(
                conversations.channel_reference,
                bot.assistant,
                target,
                service_url=settings.teams_service_url,
                tenant_id=settings.teams_tenant_id,
                bot_id=settings.teams_app_id,
            )
            in_channel = True
        elif (conversation := conversation_of(delivery.address)) is not None:
            # A subscribed conversation ("what changed"): a new message in the channel itself.
            reference = await asyncio.to_thread(
                conversations.channel_reference,
                bot.assistant,
                conversations.base_conversation_id(conversation[1]),
                service_url=settings.teams_service_url,
                tenant_id=settings.teams_tenant_id,
                bot_id=settings.teams_app_id,
            )
            in_channel = True
        else:
            reference = await asyncio.to_thread(
                conversations.stored_reference, bot.assistant, conversations.user_channel(delivery.address)
            )
            if reference is None:
                # They have never written to the bot in a 1:1 chat: there is nowhere to post.
                raise DeliveryFailed("no_conversation", permanent=True)
            in_channel = False
        activities = render_reply(
            delivery.reply,
            RenderOptions(in_channel=in_channel),
            extra_actions=triage_actions(delivery.reply) if delivery.address == BUSINESS_UNIT else None,
        )
        try:
            await bot.send_proactive(reference, activities)
        except aiohttp.ClientResponseError as exc:
            raise failure(exc.status, exc.headers) from None
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise DeliveryFailed(type(exc).__name__) from None
        bot.metrics.count("sent", "notification")


def failure(status: int, headers: object) -> DeliveryFailed:
    retry_after = None
    value = headers.get("Retry-After") if hasattr(headers, "get") else None
    if value:
        try:
            retry_after = float(value)
        except (TypeError, ValueError):
            retry_after = None
    return DeliveryFailed(f"http_{status}", retry_after=retry_after, permanent=status in PERMANENT_STATUSES)
