"""Fixtures: the real server on loopback with a Bot Connector stand-in beside it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from bot.channels.teams.route import teams_component
from bot.config import Settings
from bot.server import create_app

from .harness import ConnectorStandIn, ServedApp


@pytest.fixture
def connector() -> Iterator[ConnectorStandIn]:
    stand_in = ConnectorStandIn()
    yield stand_in
    stand_in.close()


def build_app(settings: Settings, **teams_options: Any) -> FastAPI:
    """The app `sgbot serve` runs (bot.server.create_app), with Slack off."""
    if not teams_options:
        return create_app(settings, slack_mode="off")
    component = teams_component(settings, **teams_options)
    assert component is not None
    return create_app(settings, slack_mode="off", components=[component])


@pytest.fixture
def serve() -> Iterator[Callable[..., ServedApp]]:
    """Start the app for some settings; stopped at the end of the test."""
    started: list[ServedApp] = []

    def start(settings: Settings, **teams_options: Any) -> ServedApp:
        served = ServedApp(build_app(settings, **teams_options))
        started.append(served)
        return served

    yield start
    for served in started:
        served.close()


@pytest.fixture
def post() -> Iterator[Callable[..., httpx.Response]]:
    with httpx.Client(timeout=60) as client:

        def send(served: ServedApp, activity: dict[str, Any], token: str | None = None) -> httpx.Response:
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            return client.post(f"{served.url}/api/messages", json=activity, headers=headers)

        yield send


@pytest.fixture
def anonymous_settings(tmp_path: Any) -> Settings:
    """Teams in anonymous local-testing mode, its own database, no knowledge index."""
    return Settings(
        SGBOT_DATA_DIR=tmp_path,
        TEAMS_ANONYMOUS=True,
        SGBOT_ADMINS="aad-admin",
        TEAMS_BUSINESS_UNIT_CONVERSATION="19:business-unit@thread.tacv2",
    )
