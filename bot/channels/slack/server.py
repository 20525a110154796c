"""Slack's part of `sgbot serve`: POST /slack/events (HTTP mode) or a Socket Mode connection."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.assistant import load_notification_wording
from bot.channels.inbound import Refused, read_body, text_of
from bot.channels.slack.app import IN_FLIGHT, SlackChannel
from bot.channels.slack.client import SlackNotConfigured
from bot.channels.slack.delivery import error_code
from bot.channels.slack.notifier import SlackNotifier
from bot.channels.slack.requests import parse, replay_key, verify_signature
from bot.component import Component
from bot.config import Settings
from bot.outbox.worker import DeliveryWorker

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
# On shutdown, answers already being worked on get this long to be posted.
DRAIN_SECONDS = 20.0
# apps.connections.open errors that mean the app-level token itself is wrong.
TOKEN_ERRORS = {
    "not_authed",
    "invalid_auth",
    "not_allowed_token_type",
    "account_inactive",
    "token_revoked",
    "token_expired",
    "missing_scope",
}


def slack_component(
    settings: Settings,
    *,
    socket_mode: bool = False,
    assistant: Any | None = None,
    channel: SlackChannel | None = None,
) -> Component | None:
    """The Slack component, or None (with a log line naming the missing setting)."""
    if channel is None and settings.slack_bot_token is None:
        log.info("Slack is off: set SLACK_BOT_TOKEN (and SLACK_SIGNING_SECRET or SLACK_APP_TOKEN) to enable it")
        return None
    app_token = settings.slack_app_token.get_secret_value() if settings.slack_app_token else ""
    if socket_mode and not app_token:
        raise SlackNotConfigured(
            "Socket Mode needs SLACK_APP_TOKEN: create an app-level token (xapp-…) with the "
            "connections:write scope on your Slack app's 'Basic Information' page."
        )
    if channel is None:
        channel = SlackChannel(settings, assistant=assistant, socket_mode=socket_mode)

    # Notifications, "what changed" notices included, come from the outbox's delivery worker.
    delivery = SlackDelivery(channel)

    async def start_all() -> None:
        await delivery.start()
        await channel.inbox.start()  # stored messages whose replica died: answered here

    async def drain() -> None:
        await channel.inbox.stop()  # take nothing more over; what is being answered gets its time
        waited = 0.0
        while channel.metrics.gauge(IN_FLIGHT) and waited < DRAIN_SECONDS:
            await asyncio.sleep(0.1)
            waited += 0.1
        await delivery.stop()

    if socket_mode:
        handlers: list[Any] = []

        async def start() -> None:
            # The SDK retries a failed connect forever: right for a network blip, but a
            # token Slack refuses would hang startup with no clear word. So ask for the
            # socket URL once first and stop on a token error; anything else is retried.
            url: str | None = None
            try:
                opened = await channel.client.apps_connections_open(app_token=app_token)
                url = str(opened["url"])
            except SlackApiError as exc:
                if error_code(exc) in TOKEN_ERRORS:
                    raise SlackNotConfigured(
                        f"Slack refused SLACK_APP_TOKEN ({error_code(exc)}): use the app-level token "
                        "(xapp-…) with the connections:write scope from your Slack app's "
                        "'Basic Information' page, and turn Socket Mode on for the app."
                    ) from exc
                log.warning("Slack Socket Mode URL not issued (%s); retrying", error_code(exc))
            except Exception as exc:  # connection trouble: the SDK retries
                log.warning("Slack Socket Mode URL not issued (%s); retrying", type(exc).__name__)
            # The handler opens an aiohttp session and starts a task as it is built: it
            # must be built in the server's running event loop, not when the app is created.
            handler = claiming_socket_mode_handler(channel, app_token)
            handlers.append(handler)
            handler.client.wss_uri = url
            await handler.connect_async()
            log.info("Slack Socket Mode connected")
            await start_all()

        async def stop() -> None:
            for handler in handlers:
                await handler.close_async()
            await drain()

        return Component(
            name="slack-socket-mode", metrics=channel.metrics.render, startup=start, shutdown=stop
        )

    http = AsyncSlackRequestHandler(channel.app)
    secret = settings.slack_signing_secret
    verifier = SignatureVerifier(secret.get_secret_value()) if secret else None

    async def events(request: Request) -> Response:
        try:
            body = await read_body(request, settings.max_request_bytes)
            text_of(body)  # Slack sends UTF-8; the signature is computed over text
            signature = verify_signature(verifier, body, request) if verifier else ""
            kind, _ = parse(body, request.headers.get("content-type", ""))
            if kind == "ssl_check":
                return Response(status_code=200)
            if kind in ("command", "interaction") and signature:
                first = await channel.claim_request(replay_key(signature))
                if not first:
                    return Response(status_code=200)  # a replay: acknowledged, nothing done
        except Refused as refused:
            channel.metrics.count("rejected", str(refused.status))
            log.info("slack request refused (%s): %s", refused.status, refused.reason)
            return refused.response()
        try:
            response = await http.handle(request)
        except Exception as exc:  # Bolt failing on a body it was given: the sender's problem, say so
            channel.metrics.count("rejected", "400")
            log.warning("slack request not handled: %s", type(exc).__name__)
            return Refused(400, "the request could not be handled").response()
        if response.status_code >= 500:
            # Listeners run after the ack, so Bolt answers 5xx only when it cannot read the request.
            channel.metrics.count("rejected", "400")
            log.warning("slack request not understood by Bolt (%s)", response.status_code)
            return Refused(400, "the request could not be handled").response()
        return response

    return Component(
        name="slack",
        routes=[Route(EVENTS_PATH, events, methods=["POST"])],
        metrics=channel.metrics.render,
        startup=start_all,
        shutdown=drain,
    )


def claiming_socket_mode_handler(channel: SlackChannel, app_token: str) -> Any:
    """Bolt's Socket Mode handler, made safe for several replicas.

    Slack sends each envelope to one of the app's connections (at most 10), and one
    it thinks was not acknowledged to any of them again. An event envelope is claimed
    by its event's id, by the listener, and stored in the durable inbox before it is
    acknowledged, exactly as an event over HTTP: marked handled only once its answer
    is posted, so an event whose replica died after acknowledging it is answered by
    any replica's sweeper once the lease (SGBOT_INBOUND_LEASE_SECONDS) has run out,
    or by a redelivery that arrives after that.
    Commands and interactions have no event id and are not redelivered, so their
    envelope's id is claimed here first, once, as a signed request is over HTTP: a
    replica that loses that claim acknowledges the envelope and does nothing else.
    (Imported here: HTTP mode never loads the WebSocket client.)
    """
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
    from slack_sdk.socket_mode.aiohttp import SocketModeClient
    from slack_sdk.socket_mode.request import SocketModeRequest
    from slack_sdk.socket_mode.response import SocketModeResponse

    class ClaimingSocketModeHandler(AsyncSocketModeHandler):
        async def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]
            once = req.type != "events_api"  # an event is claimed, with its lease, by its id
            if once and req.envelope_id and not await channel.claim_request(f"envelope:{req.envelope_id}"):
                await client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
                return
            await super().handle(client, req)

    return ClaimingSocketModeHandler(channel.app, app_token=app_token)


class SlackDelivery:
    """The outbox's delivery worker for Slack, started and stopped with the server."""

    def __init__(self, channel: SlackChannel) -> None:
        self.channel = channel
        self.worker: DeliveryWorker | None = None

    async def start(self) -> None:
        settings = self.channel.settings
        # The core's outbox (opening the database may run migrations: not on the event loop).
        outbox = await asyncio.to_thread(lambda: self.channel.assistant.outbox)
        load_notification_wording()
        self.worker = DeliveryWorker(
            outbox,
            SlackNotifier(self.channel),
            poll_seconds=settings.outbox_poll_seconds,
            lease_seconds=settings.outbox_lease_seconds,
            metrics=self.channel.metrics,
        )
        await self.worker.start()

    async def stop(self) -> None:
        if self.worker is not None:
            await self.worker.stop()
