"""One ASGI application for every chat platform: `sgbot serve` runs it under uvicorn.

Each channel contributes a `Component`: its routes (Slack's /slack/events,
Teams' /api/messages), its metrics, and what to start and stop with the
server (Slack's Socket Mode connection). A channel whose settings are absent
is left out with a log line saying which setting to set, so one deployment can
serve Slack, Teams or both.

    GET /healthz   200 {"status": "ok", "components": [...]}: the process is up (liveness)
    GET /readyz    200 when this replica should get traffic: database reachable, migrations at head,
                   knowledge index loaded, not shutting down; 503 with the failing checks otherwise
    GET /metrics   Prometheus text: counts and timings, never message text

Every channel shares one `Assistant` (one embedding model and index per
process). Each request gets a request id (the `X-Request-ID` header when a
proxy sent one, otherwise a new one), echoed in the response and carried by
every log line of the turn (`bot.serving.logs`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Literal

from asgi_correlation_id import CorrelationIdMiddleware
from fastapi import FastAPI
from fastapi.responses import JSONResponse, PlainTextResponse

from bot.component import Component
from bot.config import Settings
from bot.serving.health import Readiness
from bot.serving.logs import is_valid_request_id, new_request_id

if TYPE_CHECKING:
    from bot.assistant import Assistant

log = logging.getLogger(__name__)

SlackMode = Literal["http", "socket", "off"]
HOUSEKEEPING = "housekeeping"


# A provider builds its component from settings and the process's one assistant,
# or returns None when its channel is not configured (after logging which setting is missing).
ComponentProvider = Callable[[Settings, SlackMode, "Assistant"], "Component | None"]


def _slack(settings: Settings, slack_mode: SlackMode, assistant: Assistant) -> Component | None:
    if slack_mode == "off":
        return None
    from bot.channels.slack.server import slack_component

    return slack_component(settings, socket_mode=slack_mode == "socket", assistant=assistant)


def _teams(settings: Settings, slack_mode: SlackMode, assistant: Assistant) -> Component | None:
    # Teams (issue 5): POST /api/messages. `sgbot serve` has already run
    # bot.channels.teams.check_teams_can_start(settings, host).
    from bot.channels.teams.route import teams_component

    return teams_component(settings, assistant=assistant)


def _dashboard(settings: Settings, slack_mode: SlackMode, assistant: Assistant) -> Component | None:
    # The business unit's web dashboard (issue 12): /dashboard, signed in with a link from chat.
    from bot.dashboard.app import dashboard_component

    return dashboard_component(settings)


def _housekeeping(settings: Settings, slack_mode: SlackMode, assistant: Assistant) -> Component:
    # Purges platform event ids and delivered notifications past their retention, hourly.
    from bot.housekeeping import Housekeeping

    housekeeping = Housekeeping(settings)
    return Component(name=HOUSEKEEPING, startup=housekeeping.start, shutdown=housekeeping.stop)


# Channels served by `sgbot serve`, and the server's own housekeeping.
PROVIDERS: list[ComponentProvider] = [_slack, _teams, _dashboard, _housekeeping]


def configure_every_model() -> None:
    """Define every mapped class and configure the mappers, here, before any thread touches the database.

    SQLAlchemy configures all mappers at the first query. A replica's index-loading thread once ran that
    query while a request was still importing `bot.discussion.models` (`Discussion` defined,
    `DiscussionContribution` not yet): the configuration failed for good and the replica never became
    ready (a clean-clone run on a loaded machine). Done once, up front, there is nothing left to race."""
    from sqlalchemy.orm import configure_mappers

    import bot.tables  # noqa: F401  (every model, so that the registry is whole)

    configure_mappers()


def create_app(
    settings: Settings,
    *,
    slack_mode: SlackMode = "http",
    components: Sequence[Component] | None = None,
    assistant: Assistant | None = None,
) -> FastAPI:
    """The ASGI app; `components` replaces the configured providers (tests pass their own)."""
    configure_every_model()
    if components is None:
        if assistant is None:
            from bot.assistant import Assistant

            assistant = Assistant(settings)
        built = [provider(settings, slack_mode, assistant) for provider in PROVIDERS]
        components = [component for component in built if component is not None]
    readiness = Readiness(settings, assistant)
    components = list(components)
    if not [c for c in components if c.name != HOUSEKEEPING]:
        log.warning("no chat channel is configured: only /healthz and /metrics are served")
    from bot.safety.logs import keep_content_out_of_library_logs

    keep_content_out_of_library_logs()  # the channel libraries are imported by now

    async def follow_index() -> None:
        # SGBOT_INDEX_STORE=database: pick up each generation an ingest publishes, without a restart.
        while True:
            await asyncio.sleep(settings.index_poll_seconds)
            try:
                await asyncio.to_thread(readiness.follow_published_index)
            except Exception as exc:
                log.warning("index.follow_failed", extra={"error": type(exc).__name__})

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        readiness.start_loading_index()
        follower = None
        if assistant is not None and settings.index_store == "database":
            follower = asyncio.create_task(follow_index())
        for component in components:
            if component.startup is not None:
                await component.startup()
        try:
            yield
        finally:
            # Not ready from here on; uvicorn has stopped accepting, in-flight turns finish below.
            readiness.shutting_down = True
            log.info("server.draining")
            if follower is not None:
                follower.cancel()
            for component in reversed(components):
                if component.shutdown is not None:
                    try:
                        await component.shutdown()
                    except Exception:
                        log.exception("stopping %s failed", component.name)
            readiness.dispose()
            log.info("server.stopped")

    app = FastAPI(
        title="sgbot",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )

    async def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok", "components": [component.name for component in components]})

    async def readyz() -> JSONResponse:
        ready, body = await readiness.report()
        return JSONResponse(body, status_code=200 if ready else 503)

    async def metrics() -> PlainTextResponse:
        text = "".join(component.metrics() for component in components if component.metrics is not None)
        return PlainTextResponse(text or "\n", media_type="text/plain; version=0.0.4")

    app.add_api_route("/healthz", healthz, methods=["GET"])
    app.add_api_route("/readyz", readyz, methods=["GET"])
    app.add_api_route("/metrics", metrics, methods=["GET"])
    for component in components:
        app.router.routes.extend(component.routes)
    app.add_middleware(CorrelationIdMiddleware, header_name="X-Request-ID", generator=new_request_id,
                       validator=is_valid_request_id)
    app.state.components = components
    app.state.readiness = readiness
    return app
