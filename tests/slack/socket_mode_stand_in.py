"""Slack's Socket Mode endpoint, played on loopback: a real WebSocket server the real Bolt client connects to.

`apps.connections.open` on the Web API stand-in (tests/slack/slack_stand_in.py)
issues this server's URL; the server greets each connection with `hello`, delivers
envelopes as Slack does (to one connection, or to several to play a redelivery)
and records the acknowledgements.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from tests.slack.slack_stand_in import BOT_USER, TEAM

# Bounds for waiting on loopback, so that a broken app fails the test instead of hanging it.
WAIT = 15.0


@dataclass
class Ack:
    message: dict[str, Any]
    at: float  # time.monotonic() when the stand-in received it


class SocketModeStandIn:
    """Slack's Socket Mode endpoint: a real WebSocket server at ws://127.0.0.1:<port>/link/.

    It accepts only the URL it issued (through `apps.connections.open` on the
    Web API stand-in), says `hello` as Slack does, sends envelopes and records
    what the app sends back. It runs its own event loop in a daemon thread.
    """

    def __init__(self) -> None:
        self.ticket = uuid.uuid4().hex
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.connections: list[ServerConnection] = []
        self.refused: list[str] = []
        self.sent: dict[str, float] = {}
        self.acks: dict[str, Ack] = {}
        # Which connections (by their place in `connections`) acknowledged each envelope.
        self.acked_by: dict[str, list[int]] = {}
        self._condition = threading.Condition()
        self._server: Server | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/link/?ticket={self.ticket}&app_id=A0TEST"

    def start(self) -> SocketModeStandIn:
        self.thread.start()
        self._server = self._run(self._open())
        self.port = next(iter(self._server.sockets)).getsockname()[1]
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            self._run(self._server.wait_closed())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=WAIT)
        self.loop.close()

    async def _open(self) -> Server:
        # The server belongs to the loop it is created in: create it there.
        return await serve(self._session, "127.0.0.1", 0)

    def _run(self, work: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(work, self.loop).result(timeout=WAIT)

    async def _session(self, connection: ServerConnection) -> None:
        path = connection.request.path if connection.request else ""
        if path != self.url.removeprefix(f"ws://127.0.0.1:{self.port}"):
            self.refused.append(path)
            await connection.close(code=1008, reason="invalid ticket")
            return
        with self._condition:
            self.connections.append(connection)
            self._condition.notify_all()
        await connection.send(
            json.dumps(
                {
                    "type": "hello",
                    "num_connections": len(self.connections),
                    "debug_info": {"host": "applink-stand-in", "approximate_connection_time": 18060},
                    "connection_info": {"app_id": "A0TEST"},
                }
            )
        )
        try:
            async for raw in connection:
                message = json.loads(raw)
                with self._condition:
                    envelope_id = str(message.get("envelope_id"))
                    self.acks[envelope_id] = Ack(message, time.monotonic())
                    self.acked_by.setdefault(envelope_id, []).append(self.connections.index(connection))
                    self._condition.notify_all()
        except ConnectionClosed:
            pass  # the app went away; Slack would simply wait for it to reconnect

    # ------------------------------------------------------------ for the tests

    def wait_connected(self, timeout: float = WAIT) -> ServerConnection:
        with self._condition:
            if not self._condition.wait_for(lambda: self.connections, timeout):
                raise AssertionError(f"the app never connected; refused: {self.refused}")
            return self.connections[-1]

    def wait_connections(self, count: int, timeout: float = WAIT) -> list[ServerConnection]:
        with self._condition:
            if not self._condition.wait_for(lambda: len(self.connections) >= count, timeout):
                raise AssertionError(f"{len(self.connections)} of {count} connections; refused: {self.refused}")
            return list(self.connections)

    def deliver(self, payload: dict[str, Any], *, retry_attempt: int = 0, kind: str = "events_api",
                to: list[int] | None = None, envelope_id: str | None = None) -> str:
        """Send an envelope, as Slack does, to the newest connection or to those `to` names (several at once,
        to play a redelivery reaching more than one replica); returns its envelope_id."""
        envelope_id = envelope_id or str(uuid.uuid4())
        envelope = {
            "envelope_id": envelope_id,
            "payload": payload,
            "type": kind,
            "accepts_response_payload": kind != "events_api",
            **({"retry_attempt": retry_attempt, "retry_reason": "timeout" if retry_attempt else ""}
               if kind == "events_api" else {}),
        }
        connections = [self.wait_connected()] if to is None else [self.wait_connections(max(to) + 1)[i] for i in to]
        self.sent[envelope_id] = time.monotonic()

        async def send_all() -> None:
            await asyncio.gather(*(connection.send(json.dumps(envelope)) for connection in connections))

        self._run(send_all())
        return envelope_id

    def wait_for_acks(self, envelope_id: str, count: int, timeout: float = WAIT) -> list[int]:
        """The connections that acknowledged the envelope, once `count` have."""
        with self._condition:
            if not self._condition.wait_for(lambda: len(self.acked_by.get(envelope_id, [])) >= count, timeout):
                raise AssertionError(f"envelope {envelope_id} acknowledged by {self.acked_by.get(envelope_id)}")
            return list(self.acked_by[envelope_id])

    def wait_for_ack(self, envelope_id: str, timeout: float = WAIT) -> Ack:
        with self._condition:
            if not self._condition.wait_for(lambda: envelope_id in self.acks, timeout):
                raise AssertionError(f"envelope {envelope_id} was never acknowledged; acks: {list(self.acks)}")
            return self.acks[envelope_id]


def dm_payload(user: str, text: str, ts: str, event_id: str) -> dict[str, Any]:
    """An Events API `event_callback` for a direct message, as Slack puts it in an envelope."""
    return {
        "token": "legacy",
        "team_id": TEAM,
        "api_app_id": "A0TEST",
        "event": {
            "type": "message",
            "channel": f"D{user[1:]}",
            "channel_type": "im",
            "user": user,
            "text": text,
            "ts": ts,
            "event_ts": ts,
        },
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
    }




def command_payload(user: str, channel: str, text: str, command: str = "/safeguarding") -> dict[str, Any]:
    """A slash command as Slack puts it in a `slash_commands` envelope (no event id: only the envelope's)."""
    stamp = time.time_ns()
    return {
        "token": "legacy", "team_id": TEAM, "api_app_id": "A0TEST", "channel_id": channel, "user_id": user,
        "command": command, "text": text, "response_url": f"https://hooks.slack.invalid/commands/{stamp}",
        "trigger_id": f"trig.{stamp}",
    }
