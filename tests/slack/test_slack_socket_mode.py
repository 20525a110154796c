"""Slack over Socket Mode (`sgbot serve --socket-mode`), for sites with no public URL.

The app is built exactly as `sgbot serve --socket-mode` builds it (`create_app`
with `slack_mode="socket"`, the real assistant answering from the sample
knowledge base) and served by uvicorn on loopback. Its real Bolt Socket Mode
handler asks the Web API stand-in for a socket URL (`apps.connections.open`)
and connects to a local WebSocket stand-in for Slack's Socket Mode endpoint,
which greets it with `hello`, delivers envelopes as Slack does and records the
acknowledgements. Answers arrive at the Web API stand-in as in HTTP mode.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from conftest import slack_settings, unique
from pydantic import SecretStr
from slack_stand_in import SlackStandIn
from typer.testing import CliRunner

from bot.cli import app as cli
from bot.config import Settings
from bot.server import create_app
from tests.slack.socket_mode_stand_in import WAIT, SocketModeStandIn, command_payload, dm_payload

QUESTION = "How should I respond when a child makes a disclosure?"
# Slack's rule: an envelope not acknowledged within 3 seconds counts as failed and is retried.
SLACK_ACK_LIMIT = 3.0


class Served:
    """An ASGI app under uvicorn on a free loopback port, in a daemon thread."""

    def __init__(self, asgi: Any) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(asgi, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.exit_code: int | str | None = None

    def _run(self) -> None:
        try:
            self.server.run(sockets=[self._socket])
        except SystemExit as exc:  # uvicorn exits the process when startup fails
            self.exit_code = exc.code

    def start(self) -> Served:
        """Start, and wait until startup has finished or failed (the thread then ends by itself)."""
        self.thread.start()
        deadline = time.monotonic() + WAIT
        while not self.server.started and self.thread.is_alive():
            if time.monotonic() > deadline:
                self.stop()
                raise AssertionError("uvicorn neither started nor gave up")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
        self._socket.close()


@pytest.fixture(scope="module")
def socket_mode(
    stand_in: SlackStandIn, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SocketModeStandIn]:
    endpoint = SocketModeStandIn().start()
    stand_in.socket_url = endpoint.url
    yield endpoint
    stand_in.socket_url = None
    endpoint.stop()


def socket_mode_settings(base: Settings, stand_in: SlackStandIn, database: Path, **extra: Any) -> Settings:
    # Socket Mode needs no signing secret: the connection itself is authenticated.
    return slack_settings(base, stand_in, database, slack_signing_secret=None, **extra)


@pytest.fixture(scope="module")
def served_socket(
    sample_settings: Settings,
    stand_in: SlackStandIn,
    socket_mode: SocketModeStandIn,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Served]:
    """The app as `sgbot serve --socket-mode` runs it, connected to the Socket Mode stand-in."""
    database = tmp_path_factory.mktemp("slack-socket-db") / "slack.sqlite3"
    settings = socket_mode_settings(sample_settings, stand_in, database)
    # Built outside any event loop, as the CLI builds it before uvicorn starts.
    served = Served(create_app(settings, slack_mode="socket")).start()
    assert served.server.started, "Socket Mode startup failed"
    socket_mode.wait_connected()
    yield served
    served.stop()
    assert not served.thread.is_alive(), "the server did not stop"


def test_the_app_connects_with_the_url_slack_issued(served_socket: Served, socket_mode: SocketModeStandIn) -> None:
    assert socket_mode.connections and not socket_mode.refused
    with httpx.Client(base_url=f"http://127.0.0.1:{served_socket.port}", timeout=WAIT) as http:
        assert http.get("/healthz").json() == {
            "status": "ok",
            "components": ["slack-socket-mode", "dashboard", "housekeeping"],
        }
        # Nothing listens for Slack over HTTP in Socket Mode: there is no public endpoint to attack.
        assert http.post("/slack/events", content=b"{}").status_code == 404


def test_a_dm_question_is_acknowledged_at_once_and_answered_in_its_thread_with_citations(
    served_socket: Served, socket_mode: SocketModeStandIn, stand_in: SlackStandIn
) -> None:
    user = unique("USOCK")
    ts = f"{time.time():.6f}"
    envelope_id = socket_mode.deliver(dm_payload(user, QUESTION, ts, unique("EvSock")))

    ack = socket_mode.wait_for_ack(envelope_id)
    assert ack.message["envelope_id"] == envelope_id
    assert ack.at - socket_mode.sent[envelope_id] < SLACK_ACK_LIMIT

    (answer,) = stand_in.wait_for("chat.postMessage", thread_ts=ts, timeout=60)
    # The ack went back before the slow part (retrieval, the database) was done.
    assert ack.at < answer.at
    assert answer.args["channel"] == f"D{user[1:]}"
    shown = stand_in.posted_text(answer)
    assert "*Sources*" in shown
    assert "[1] *Responding to a disclosure of abuse*" in shown
    assert "<https://example.org/northshire-region/procedures/responding-to-disclosure>" in shown  # no label


def test_an_envelope_slack_redelivers_is_acknowledged_again_but_answered_once(
    served_socket: Served, socket_mode: SocketModeStandIn, stand_in: SlackStandIn
) -> None:
    user = unique("USRETRY")
    ts = f"{time.time():.6f}"
    payload = dm_payload(user, QUESTION, ts, unique("EvSockRetry"))
    first = socket_mode.deliver(payload)
    again = socket_mode.deliver(payload, retry_attempt=1)
    assert socket_mode.wait_for_ack(first) and socket_mode.wait_for_ack(again)
    stand_in.wait_for("chat.postMessage", thread_ts=ts, timeout=60)
    time.sleep(0.5)  # room for a second answer, were one (wrongly) on its way
    assert len([c for c in stand_in.calls_to("chat.postMessage") if c.args.get("thread_ts") == ts]) == 1


def test_a_command_envelope_delivered_twice_is_acknowledged_twice_and_run_once(
    served_socket: Served, socket_mode: SocketModeStandIn, stand_in: SlackStandIn
) -> None:
    """What a second replica sees when Slack sends it an envelope another already took: a slash command has
    no event id, so the envelope's id is claimed; the copy is acknowledged and nothing else is done."""
    channel = unique("CTWICE")
    payload = command_payload(unique("UTWICE"), channel, QUESTION)
    envelope = socket_mode.deliver(payload, kind="slash_commands")
    socket_mode.deliver(payload, kind="slash_commands", envelope_id=envelope)

    assert len(socket_mode.wait_for_acks(envelope, 2)) == 2
    # The question is posted in the channel and answered in its thread: two posts, once each.
    stand_in.wait_for("chat.postMessage", 2, timeout=60, channel=channel)
    time.sleep(1.0)  # room for a second run, were one (wrongly) on its way
    posted = [c for c in stand_in.calls_to("chat.postMessage") if c.args.get("channel") == channel]
    assert [bool(c.args.get("thread_ts")) for c in posted] == [False, True]


def test_serve_in_socket_mode_without_an_app_token_names_the_setting_and_the_fix(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)  # no developer .env
    monkeypatch.setenv("SGBOT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test-token")
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    from bot.config import get_settings

    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["serve", "--socket-mode", "--host", "127.0.0.1", "--port", "0"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "SLACK_APP_TOKEN" in result.output
    assert "connections:write" in result.output


def test_an_app_token_slack_refuses_stops_startup_with_a_clear_error(
    sample_settings: Settings, stand_in: SlackStandIn, tmp_path: Path
) -> None:
    """Rather than retrying for ever, the server says what is wrong and exits."""
    settings = socket_mode_settings(
        sample_settings, stand_in, tmp_path / "refused.sqlite3", slack_app_token=SecretStr("xapp-revoked")
    )
    stand_in.fail_next("apps.connections.open", "invalid_auth")
    served = Served(create_app(settings, slack_mode="socket"))
    # After uvicorn's Config, which (re)configures its loggers.
    said = _Collect()
    uvicorn_log = logging.getLogger("uvicorn.error")
    uvicorn_log.addHandler(said)
    try:
        served.start()
        served.thread.join(timeout=WAIT)
    finally:
        uvicorn_log.removeHandler(said)
    assert not served.thread.is_alive(), "startup hung instead of failing"
    assert not served.server.started
    assert served.exit_code == 3  # uvicorn's STARTUP_FAILURE: a supervisor sees the failure
    assert [call.response["error"] for call in stand_in.calls if call.method == "apps.connections.open"] == [
        "invalid_auth"
    ]
    told = "\n".join(said.lines)
    assert "Slack refused SLACK_APP_TOKEN (invalid_auth)" in told
    assert "xapp-revoked" not in told  # secrets are never logged


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())
