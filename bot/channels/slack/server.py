"""Slack's part of `sgbot serve`: POST /slack/events (HTTP mode) or a Socket Mode connection."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.channels.slack.app import SlackChannel
from bot.channels.slack.client import SlackNotConfigured
from bot.config import Settings
from bot.server import Component

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
# On shutdown, answers already being worked on get this long to be posted.
DRAIN_SECONDS = 20.0


def slack_component(
    settings: Settings,
    *,
    socket_mode: bool = False,
    assistant: Any | None = None,
    channel: SlackChannel | None = None,
) -> Component | None:
    """The Slack component, or None (with a log line naming the missing setting)."""
    if channel is None:
        if settings.slack_bot_token is None:
            log.info(
                "Slack is off: set SLACK_BOT_TOKEN (and SLACK_SIGNING_SECRET or SLACK_APP_TOKEN) to enable it"
            )
            return None
        if socket_mode and settings.slack_app_token is None:
            raise SlackNotConfigured(
                "Socket Mode needs SLACK_APP_TOKEN: create an app-level token (xapp-…) with the "
                "connections:write scope on your Slack app's 'Basic Information' page."
            )
        channel = SlackChannel(settings, assistant=assistant, socket_mode=socket_mode)

    async def drain() -> None:
        waited = 0.0
        while channel.metrics.in_flight and waited < DRAIN_SECONDS:
            await asyncio.sleep(0.1)
            waited += 0.1

    if socket_mode:
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        token = settings.slack_app_token
        handler = AsyncSocketModeHandler(channel.app, app_token=token.get_secret_value() if token else None)

        async def start() -> None:
            await handler.connect_async()
            log.info("Slack Socket Mode connected")

        async def stop() -> None:
            await handler.close_async()
            await drain()

        return Component(
            name="slack-socket-mode", metrics=channel.metrics.render, startup=start, shutdown=stop
        )

    http = AsyncSlackRequestHandler(channel.app)

    async def events(request: Request) -> Response:
        return await http.handle(request)

    return Component(
        name="slack",
        routes=[Route(EVENTS_PATH, events, methods=["POST"])],
        metrics=channel.metrics.render,
        shutdown=drain,
    )
