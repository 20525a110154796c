"""Teams' part of `sgbot serve`: POST /api/messages, where Azure Bot Service delivers activities.

Every request is authenticated by the Agents SDK's own JWT check before the
adapter sees it: without a valid Bot Framework / Entra ID token issued for our
app id the answer is 401 and nothing runs. Anonymous requests are accepted
only when TEAMS_ANONYMOUS is on (and `sgbot serve` allows that on loopback only).
"""

from __future__ import annotations

import logging
import time

from microsoft_agents.hosting.core.authorization.jwt import _authorize_request
from microsoft_agents.hosting.core.http import HttpResponse
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.channels.teams.agent import TeamsBot
from bot.channels.teams.auth import ProviderFactory
from bot.channels.teams.startup import teams_configured
from bot.config import Settings
from bot.server import Component

log = logging.getLogger("sgbot.teams")

TEAMS_PATH = "/api/messages"


def teams_component(
    settings: Settings,
    *,
    bot: TeamsBot | None = None,
    provider_factory: ProviderFactory | None = None,
) -> Component | None:
    """The Teams component, or None (with a log line naming the missing setting)."""
    if bot is None:
        if not teams_configured(settings):
            log.info("Teams is off: set TEAMS_APP_ID, TEAMS_TENANT_ID and TEAMS_APP_PASSWORD to enable it")
            return None
        bot = TeamsBot(settings, provider_factory=provider_factory)
    teams = bot

    async def messages(request: Request) -> Response:
        started = time.perf_counter()
        identity = await _authorize_request(request.headers.get("Authorization"), teams.auth_config)
        if isinstance(identity, HttpResponse):
            teams.metrics.count("rejected", str(identity.status_code))
            return JSONResponse(identity.body, status_code=identity.status_code)
        # The SDK's FastAPI adapter reads the verified identity from here.
        request.state.claims_identity = identity
        response = await teams.adapter.process(request, teams.app)  # type: ignore[arg-type]
        teams.metrics.observe("request", time.perf_counter() - started)
        return response if response is not None else Response(status_code=202)

    return Component(
        name="teams",
        routes=[Route(TEAMS_PATH, messages, methods=["POST"])],
        metrics=teams.metrics.render,
    )
