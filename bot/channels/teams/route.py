"""Teams' part of `sgbot serve`: POST /api/messages, where Azure Bot Service delivers activities.

Every request is authenticated by the Agents SDK's own JWT check before the
adapter sees it: without a valid Bot Framework / Entra ID token issued for our
app id the answer is 401 and nothing runs. Anonymous requests are accepted
only when TEAMS_ANONYMOUS is on (and `sgbot serve` allows that on loopback only).
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from microsoft_agents.hosting.core.authorization.jwt import _authorize_request
from microsoft_agents.hosting.core.http import HttpResponse
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.channels.inbound import Refused, json_object, read_body, require_text, text_of
from bot.channels.teams.agent import TeamsBot
from bot.channels.teams.auth import ProviderFactory
from bot.channels.teams.startup import teams_configured
from bot.component import Component
from bot.config import Settings

if TYPE_CHECKING:
    from bot.assistant import Assistant

log = logging.getLogger("sgbot.teams")

TEAMS_PATH = "/api/messages"
# Teams ids are long but bounded; the database keeps 255 characters, with room for a prefix.
ID_LIMIT = 200


def teams_component(
    settings: Settings,
    *,
    bot: TeamsBot | None = None,
    provider_factory: ProviderFactory | None = None,
    assistant: Assistant | None = None,
) -> Component | None:
    """The Teams component, or None (with a log line naming the missing setting)."""
    if bot is None:
        if not teams_configured(settings):
            log.info("Teams is off: set TEAMS_APP_ID, TEAMS_TENANT_ID and TEAMS_APP_PASSWORD to enable it")
            return None
        bot = TeamsBot(settings, provider_factory=provider_factory, assistant=assistant)
    teams = bot

    async def messages(request: Request) -> Response:
        started = time.perf_counter()
        try:
            identity = await _authorize_request(request.headers.get("Authorization"), teams.auth_config)
        except Exception as exc:  # a malformed token (no `kid`, bad header) raises inside the SDK
            log.info("teams token refused: %s", type(exc).__name__)
            identity = HttpResponse(status_code=401, body={"error": "invalid token"})
        if isinstance(identity, HttpResponse):
            teams.metrics.count("rejected", str(identity.status_code))
            return JSONResponse(identity.body, status_code=identity.status_code)
        try:
            activity = json_object(text_of(await read_body(request, settings.max_request_bytes)), "the activity")
            require_text(activity, "type", "the activity", limit=64)
            for key in ("id", "channelId", "serviceUrl"):
                if key in activity and not isinstance(activity[key], str):
                    raise Refused(400, f"the activity's {key} is not text")
            for part in ("from", "conversation", "recipient"):
                value = activity.get(part)
                if value is not None and not isinstance(value, dict):
                    raise Refused(400, f"the activity's {part} is not an object")
                if isinstance(value, dict):
                    ident = value.get("id")
                    if ident is not None and (not isinstance(ident, str) or len(ident) > ID_LIMIT):
                        raise Refused(400, f"the activity's {part} id is not text of at most {ID_LIMIT} characters")
        except Refused as refused:
            teams.metrics.count("rejected", str(refused.status))
            log.info("teams activity refused (%s): %s", refused.status, refused.reason)
            return refused.response()
        # The SDK's FastAPI adapter reads the verified identity from here.
        request.state.claims_identity = identity
        try:
            response = await teams.adapter.process(request, teams.app)  # type: ignore[arg-type]
        except Exception as exc:  # the SDK failing on an activity it was given: the sender's problem
            teams.metrics.count("rejected", "400")
            log.warning("teams activity not handled: %s", type(exc).__name__)
            return Refused(400, "the activity could not be handled").response()
        teams.metrics.observe("request", time.perf_counter() - started)
        return response if response is not None else Response(status_code=202)

    # Notifications, "what changed" notices included, come from the outbox's delivery worker.
    return Component(
        name="teams",
        routes=[Route(TEAMS_PATH, messages, methods=["POST"])],
        metrics=teams.metrics.render,
        startup=teams.start_delivery,
        shutdown=teams.stop_delivery,
    )
