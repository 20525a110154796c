"""The real Slack app served by uvicorn on 127.0.0.1, signed requests in, a Slack stand-in out."""

from __future__ import annotations

import itertools
import json
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from pydantic import SecretStr
from slack_stand_in import TEAM, SlackStandIn, form_body, sign

from bot.channels.slack.app import SlackChannel
from bot.channels.slack.server import slack_component
from bot.component import Component
from bot.config import Settings
from bot.server import create_app

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BUSINESS_UNIT_CHANNEL = "CBUSINESS1"
OFFICER = "UOFFICER1"
_ids = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}{next(_ids):06d}{int(time.time() * 1000) % 100000:05d}"


def slack_settings(base: Settings, stand_in: SlackStandIn, database: Path, **extra: Any) -> Settings:
    return base.model_copy(
        update={
            # model_copy does not validate: secrets must already be SecretStr.
            "slack_bot_token": SecretStr("xoxb-test-token"),
            "slack_signing_secret": SecretStr(SECRET),
            "slack_app_token": SecretStr("xapp-test-token"),
            "slack_business_unit_channel": BUSINESS_UNIT_CHANNEL,
            "slack_api_url": stand_in.base_url,
            "database_url": f"sqlite:///{database}",
            "business_unit": [OFFICER],
            **extra,
        }
    )


class ServedSlack:
    """The ASGI app under uvicorn on a free loopback port, and a way to talk to it as Slack does."""

    def __init__(
        self,
        channel: SlackChannel,
        stand_in: SlackStandIn,
        secret: str = SECRET,
        *,
        also: Sequence[Component] = (),
    ) -> None:
        self.channel = channel
        self.stand_in = stand_in
        self.secret = secret
        component = slack_component(channel.settings, channel=channel)
        assert component is not None
        # `also`: other channels served by the same app (Teams beside Slack, as `sgbot serve` does).
        self.asgi = create_app(channel.settings, components=[component, *also])
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(self.asgi, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=30)

    def start(self) -> ServedSlack:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
        self.http.close()

    # -------------------------------------------------------- requests as Slack

    def send(
        self, body: str, content_type: str, headers: dict[str, str] | None = None, signed: bool = True
    ) -> httpx.Response:
        all_headers = {"Content-Type": content_type, **(sign(self.secret, body) if signed else {})}
        all_headers.update(headers or {})
        return self.http.post("/slack/events", content=body.encode(), headers=all_headers)

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        retry: int | None = None,
        headers: dict[str, str] | None = None,
        signed: bool = True,
    ) -> httpx.Response:
        envelope = {
            "token": "legacy",
            "team_id": TEAM,
            "api_app_id": "A0TEST",
            "event": {"event_ts": event.get("ts", f"{time.time():.6f}"), **event},
            "type": "event_callback",
            "event_id": event_id or unique("Ev"),
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM, "user_id": "UBOT0001", "is_bot": True}],
        }
        extra = dict(headers or {})
        if retry is not None:
            extra.update({"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"})
        return self.send(json.dumps(envelope), "application/json", extra, signed)

    def dm(
        self,
        user: str,
        text: str,
        *,
        ts: str | None = None,
        thread_ts: str | None = None,
        event_id: str | None = None,
        retry: int | None = None,
    ) -> tuple[httpx.Response, str]:
        ts = ts or f"{time.time():.6f}"
        event = {
            "type": "message",
            "channel": f"D{user[1:]}",
            "channel_type": "im",
            "user": user,
            "text": text,
            "ts": ts,
        }
        if thread_ts:
            event["thread_ts"] = thread_ts
        return self.event(event, event_id=event_id, retry=retry), ts

    def command(self, command: str, text: str, *, user: str, channel: str) -> httpx.Response:
        body = form_body(
            {
                "token": "legacy",
                "team_id": TEAM,
                "channel_id": channel,
                "user_id": user,
                "command": command,
                "text": text,
                "api_app_id": "A0TEST",
                "response_url": "https://hooks.slack.com/commands/T/1/x",
                "trigger_id": unique("trig."),
            }
        )
        return self.send(body, "application/x-www-form-urlencoded")

    def interact(self, payload: dict[str, Any]) -> httpx.Response:
        payload = {"team": {"id": TEAM}, "api_app_id": "A0TEST", "token": "legacy", **payload}
        return self.send(form_body({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    def press(
        self, user: str, channel: str, message: dict[str, Any], button: dict[str, Any]
    ) -> httpx.Response:
        """Press a button of a message the app posted (as recorded by the stand-in)."""
        block_id = next(
            block.get("block_id")
            for block in message["blocks"]
            if button in (block.get("elements") or []) or block.get("accessory") == button
        )
        return self.interact(
            {
                "type": "block_actions",
                "user": {"id": user, "team_id": TEAM},
                "trigger_id": unique("trig."),
                "container": {
                    "type": "message",
                    "message_ts": message["ts"],
                    "channel_id": channel,
                    "is_ephemeral": False,
                },
                "channel": {"id": channel},
                "message": message,
                "actions": [{**button, "block_id": block_id, "action_ts": f"{time.time():.6f}"}],
            }
        )

    def submit(self, user: str, view: dict[str, Any], values: dict[str, dict[str, Any]]) -> httpx.Response:
        """Submit a modal the app opened, with `values` as Slack reports them (block -> action -> value)."""
        return self.interact(
            {
                "type": "view_submission",
                "user": {"id": user, "team_id": TEAM},
                "trigger_id": unique("trig."),
                "view": {**view, "id": "V0TEST", "state": {"values": values}},
            }
        )


def buttons_of(message: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for block in message.get("blocks") or []:
        found.extend(element for element in block.get("elements") or [] if element.get("type") == "button")
        accessory = block.get("accessory")
        if isinstance(accessory, dict) and accessory.get("type") == "button":
            found.append(accessory)
    return found


@pytest.fixture(scope="session")
def stand_in() -> Iterator[SlackStandIn]:
    server = SlackStandIn().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def served(
    sample_settings: Settings, stand_in: SlackStandIn, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServedSlack]:
    """The real app around the real assistant, answering from the sample knowledge base."""
    database = tmp_path_factory.mktemp("slack-db") / "slack.sqlite3"
    settings = slack_settings(sample_settings, stand_in, database)
    served = ServedSlack(SlackChannel(settings), stand_in).start()
    yield served
    served.stop()


@pytest.fixture(autouse=True)
def _fresh_stand_in(stand_in: SlackStandIn) -> None:
    stand_in.reset()
