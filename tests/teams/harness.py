"""Loopback stand-ins for Microsoft's side of Teams, and the real server under test.

- `ConnectorStandIn`: a real HTTP server on 127.0.0.1 playing the Bot Connector
  service at an activity's `serviceUrl`: it records every activity the bot
  posts (`POST /v3/conversations/{id}/activities[/{replyToId}]`), answers member
  look-ups (one can be held unanswered, to catch the bot mid-turn), and serves a
  JWKS document (the role of login.botframework.com).
- `ServedApp`: the real FastAPI app under uvicorn on 127.0.0.1, random port.
- `TokenIssuer`: signs Bot Framework-style JWTs with a key of our own.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import uvicorn
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

BOT_ID = "28:bot-app"
TENANT = "72f988bf-0000-4000-8000-000000000001"


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any
    refused: bool = False  # answered with an error, so Teams would not show it


@dataclass
class ConnectorStandIn:
    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    jwks: dict[str, Any] = field(default_factory=lambda: {"keys": []})
    requests: list[Recorded] = field(default_factory=list)
    fail_next: int = 0  # answer the next N posts with HTTP 500 (Teams having a bad minute)
    fail_message: int = 0  # answer the Nth message post from now (1: the next) with HTTP 500, once

    def hold_next_member_lookup(self) -> tuple[threading.Event, threading.Event]:
        """(arrived, release): the next member look-up waits unanswered until `release` is set."""
        hold = (threading.Event(), threading.Event())
        with self._lock:
            self._holds.append(hold)
        return hold

    def __post_init__(self) -> None:
        self._holds: list[tuple[threading.Event, threading.Event]] = []
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def _reply(self, status: int, payload: Any) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                if self.path == "/jwks":
                    self._reply(200, stand_in.jwks)
                    return
                parts = self.path.strip("/").split("/")
                if len(parts) == 5 and parts[:2] == ["v3", "conversations"] and parts[3] == "members":
                    with stand_in._lock:
                        hold = stand_in._holds.pop(0) if stand_in._holds else None
                    if hold is not None:
                        hold[0].set()
                        hold[1].wait(120)
                    member = stand_in.members.get(parts[4])
                    if member is None:
                        self._reply(404, {"error": {"code": "MemberNotFoundInConversation"}})
                    else:
                        self._reply(200, member)
                    return
                self._reply(404, {"error": {"code": "NotFound"}})

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else None
                with stand_in._lock:
                    failing = stand_in.fail_next > 0
                    if failing:
                        stand_in.fail_next -= 1
                    if stand_in.fail_message and isinstance(body, dict) and body.get("type") == "message":
                        stand_in.fail_message -= 1
                        failing = failing or stand_in.fail_message == 0
                    headers = {k.lower(): v for k, v in self.headers.items()}
                    stand_in.requests.append(Recorded("POST", self.path, headers, body, refused=failing))
                if failing:
                    self._reply(500, {"error": {"code": "ServiceError", "message": "stand-in failure"}})
                    return
                self._reply(201, {"id": f"reply-{next(stand_in._ids)}"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def posted(self, conversation_id: str | None = None, kind: str = "message") -> list[dict[str, Any]]:
        """Activities the bot sent (of one type), optionally to one conversation."""
        with self._lock:
            found = []
            for request in self.requests:
                if not request.path.startswith("/v3/conversations/") or not isinstance(request.body, dict):
                    continue
                if request.refused:
                    continue
                if request.body.get("type") != kind:
                    continue
                target = request.path.split("/")[3]
                if conversation_id is not None and target != conversation_id:
                    continue
                found.append(request.body)
            return found

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()


class ServedApp:
    """A FastAPI app served by uvicorn on a random loopback port, in a thread."""

    def __init__(self, app: Any) -> None:
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


class TokenIssuer:
    """Signs tokens the way Azure Bot Service does (RS256, iss api.botframework.com)."""

    def __init__(self, kid: str = "test-key-1") -> None:
        self.kid = kid
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        public = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        self.jwks = {"keys": [{**public, "kid": kid, "use": "sig", "alg": "RS256"}]}

    def token(self, *, audience: str, service_url: str, expires_in: int = 3600, **claims: Any) -> str:
        now = int(time.time())
        payload = {
            "iss": "https://api.botframework.com",
            "aud": audience,
            "serviceurl": service_url,
            "nbf": now - 10,
            "iat": now - 10,
            "exp": now + expires_in,
            **claims,
        }
        return jwt.encode(payload, self.key, algorithm="RS256", headers={"kid": self.kid})


def message_activity(
    text: str | None,
    *,
    service_url: str,
    conversation_id: str = "a:personal-pat",
    conversation_type: str = "personal",
    user_id: str = "29:pat",
    aad_object_id: str = "aad-pat",
    name: str = "Pat Practitioner",
    activity_id: str | None = None,
    value: dict[str, Any] | None = None,
    reply_to_id: str | None = None,
    mention_bot: bool = False,
    delivery_mode: str | None = None,
) -> dict[str, Any]:
    """A message activity as Teams delivers it to /api/messages."""
    activity: dict[str, Any] = {
        "type": "message",
        "id": activity_id or str(uuid.uuid4()),
        "timestamp": "2026-11-21T10:00:00.000Z",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": {"id": user_id, "name": name, "aadObjectId": aad_object_id},
        "conversation": {"id": conversation_id, "conversationType": conversation_type, "tenantId": TENANT},
        "recipient": {"id": BOT_ID, "name": "Safeguarding assistant"},
        "locale": "en-GB",
        "channelData": {"tenant": {"id": TENANT}},
    }
    if conversation_type != "personal":
        activity["conversation"]["isGroup"] = True
    if text is not None:
        activity["text"] = text
        activity["textFormat"] = "plain"
    if value is not None:
        activity["value"] = value
    if reply_to_id:
        activity["replyToId"] = reply_to_id
    if delivery_mode:
        activity["deliveryMode"] = delivery_mode
    if mention_bot:
        activity["text"] = f"<at>Safeguarding assistant</at> {text or ''}".strip()
        activity["entities"] = [
            {
                "type": "mention",
                "mentioned": {"id": BOT_ID, "name": "Safeguarding assistant"},
                "text": "<at>Safeguarding assistant</at>",
            }
        ]
    return activity


def card_of(activity: dict[str, Any]) -> dict[str, Any] | None:
    for attachment in activity.get("attachments") or []:
        if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive":
            return attachment["content"]
    return None


def card_texts(card: dict[str, Any]) -> list[str]:
    """Every TextBlock text in a card, depth first (containers included)."""
    texts: list[str] = []

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            if item.get("type") == "TextBlock":
                texts.append(item.get("text", ""))
            walk(item.get("items") or [])

    walk(card.get("body") or [])
    return texts


def all_text(activity: dict[str, Any]) -> str:
    """What a user reads in one message: its text and the text of its card."""
    card = card_of(activity)
    return "\n".join([activity.get("text") or ""] + (card_texts(card) if card else []))


def find_action(card: dict[str, Any], title_part: str) -> dict[str, Any]:
    """The card action whose title contains `title_part` (inline ShowCard actions included)."""

    def walk(actions: list[dict[str, Any]]) -> dict[str, Any] | None:
        for action in actions:
            if title_part.lower() in str(action.get("title", "")).lower():
                return action
            inner = (action.get("card") or {}).get("actions") or []
            found = walk(inner)
            if found is not None:
                return found
        return None

    found = walk(card.get("actions") or [])
    if found is None:
        titles = [a.get("title") for a in card.get("actions") or []]
        raise AssertionError(f"no action containing {title_part!r} on the card; actions: {titles}")
    return found
