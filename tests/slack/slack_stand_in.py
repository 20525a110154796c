"""A local stand-in for Slack's side: its Web API over real HTTP on 127.0.0.1, and request signing.

It answers like Slack does (`{"ok": true, ...}` / `{"ok": false, "error": ...}`),
enforces the Block Kit limits Slack enforces, records every call, and can be
told to fail the next call to a method (rate limited with Retry-After,
`msg_too_long`, `not_in_channel`) or to hold it unanswered until released (to
catch a replica between its ack and its answer). Only the platform is stood in for: the app
under test is the real one.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode

BOT_USER = "UBOT0001"
TEAM = "T0TEST"


def sign(secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    """Headers exactly as Slack signs a request: v0 HMAC-SHA256 of 'v0:{ts}:{body}'."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    response: dict[str, Any]
    status: int = 200
    at: float = field(default_factory=time.monotonic)  # when Slack received it (benchmarks)


@dataclass
class Failure:
    error: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    after: int = 0  # calls to let through first


@dataclass
class Hold:
    arrived: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)

    def release(self) -> None:
        self.released.set()


class SlackStandIn:
    """Slack's Web API at http://127.0.0.1:<port>/api/."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._failures: dict[str, list[Failure]] = {}
        self._holds: dict[str, list[Hold]] = {}
        self._lock = threading.Lock()
        self._condition = threading.Condition(self._lock)
        self._ts = itertools.count(1)
        self.not_in_channel: set[str] = set()
        self.users: dict[str, dict[str, Any]] = {}
        self.socket_url: str | None = None
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                self._serve()

            def do_POST(self) -> None:
                self._serve()

            def _serve(self) -> None:
                path, _, query = self.path.partition("?")
                method = path.removeprefix("/api/")
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else ""
                args: dict[str, Any] = {k: v[0] for k, v in parse_qs(query).items()}
                if raw:
                    if "json" in (self.headers.get("Content-Type") or ""):
                        args.update(json.loads(raw))
                    else:
                        args.update({k: v[0] for k, v in parse_qs(raw).items()})
                for key in ("blocks", "view", "users"):
                    if isinstance(args.get(key), str) and args[key][:1] in "[{":
                        args[key] = json.loads(args[key])
                status, headers, response = stand_in.respond(method, args, self.headers.get("Authorization"))
                body = json.dumps(response).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def start(self) -> SlackStandIn:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self._failures.clear()
            for holds in self._holds.values():
                for hold in holds:
                    hold.release()
            self._holds.clear()
            self.not_in_channel.clear()

    def fail_next(
        self, method: str, error: str, status: int = 200, headers: dict[str, str] | None = None, *, after: int = 0
    ) -> None:
        """The next call to `method` (or the one after `after` more) fails with `error`."""
        with self._lock:
            self._failures.setdefault(method, []).append(Failure(error, status, headers or {}, after))

    # ------------------------------------------------------------------ answers

    def hold_next(self, method: str) -> Hold:
        """The next call to `method` waits, unanswered, until the returned hold is released."""
        hold = Hold()
        with self._lock:
            self._holds.setdefault(method, []).append(hold)
        return hold

    def respond(self, method: str, args: dict[str, Any], auth: str | None) -> tuple[int, dict[str, str], Any]:
        with self._lock:
            holds = self._holds.get(method)
            hold = holds.pop(0) if holds else None
        if hold is not None:
            hold.arrived.set()
            hold.released.wait(120)
        with self._lock:
            failures = self._failures.get(method)
            if failures and failures[0].after > 0:
                failures[0].after -= 1
            elif failures:
                failure = failures.pop(0)
                response = {"ok": False, "error": failure.error}
                self._record(Call(method, args, response, failure.status))
                return failure.status, failure.headers, response
        if not auth or not auth.startswith("Bearer x"):
            response = {"ok": False, "error": "not_authed"}
        else:
            response = self._answer(method, args)
        with self._lock:
            self._record(Call(method, args, response))
        return 200, {}, response

    def _record(self, call: Call) -> None:
        self.calls.append(call)
        self._condition.notify_all()

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://test.slack.com/",
                "team": "Test",
                "user": "sgbot",
                "team_id": TEAM,
                "user_id": BOT_USER,
                "bot_id": "BBOT0001",
                "is_enterprise_install": False,
            }
        if method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
            return self._post(method, args)
        if method == "conversations.open":
            users = args.get("users")
            user = users[0] if isinstance(users, list) else str(users).split(",")[0]
            return {"ok": True, "channel": {"id": f"D{user[1:]}"}}
        if method == "users.info":
            user = str(args.get("user"))
            profile = self.users.get(
                user, {"display_name": f"name-{user}", "email": f"{user.lower()}@example.org"}
            )
            return {"ok": True, "user": {"id": user, "name": user.lower(), "profile": profile}}
        if method in ("views.open", "views.push", "views.update", "views.publish"):
            view = args.get("view")
            error = _view_error(view)
            if error:
                return {"ok": False, "error": "invalid_arguments", "response_metadata": {"messages": [error]}}
            return {"ok": True, "view": {**(view or {}), "id": f"V{next(self._ts):06d}"}}
        if method == "chat.getPermalink":
            return {
                "ok": True,
                "permalink": f"https://test.slack.com/archives/{args.get('channel')}/p{args.get('message_ts')}",
            }
        if method == "apps.connections.open":
            return (
                {"ok": True, "url": self.socket_url}
                if self.socket_url
                else {"ok": False, "error": "no_socket"}
            )
        return {"ok": False, "error": "unknown_method"}

    def _post(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel") or "")
        if channel in self.not_in_channel:
            return {"ok": False, "error": "not_in_channel"}
        text = str(args.get("text") or "")
        blocks = args.get("blocks")
        if len(text) > 40_000:
            return {"ok": False, "error": "msg_too_long"}
        if not text and not blocks:
            return {"ok": False, "error": "no_text"}
        if blocks is not None:
            error = _blocks_error(blocks, 50)
            if error:
                return {"ok": False, "error": "invalid_blocks", "errors": [error]}
        if method == "chat.update":
            ts = str(args.get("ts"))
            key = (channel, ts)
            if key not in self.messages:
                return {"ok": False, "error": "message_not_found"}
            self.messages[key] = {**self.messages[key], "text": text, "blocks": blocks or []}
            return {"ok": True, "channel": channel, "ts": ts, "text": text}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"{time.time():.6f}"}
        ts = f"{1_700_000_000 + next(self._ts)}.000100"
        message = {"type": "message", "user": BOT_USER, "text": text, "ts": ts, "blocks": blocks or []}
        if args.get("thread_ts"):
            message["thread_ts"] = str(args["thread_ts"])
        self.messages[(channel, ts)] = message
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    # ------------------------------------------------------------ for the tests

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [call for call in self.calls if call.method == method and call.response.get("ok")]

    def wait_for(self, method: str, count: int = 1, timeout: float = 60.0, **match: Any) -> list[Call]:
        """The first `count` successful calls to `method` whose args match, waiting for them."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while True:
                found = [
                    call
                    for call in self.calls
                    if call.method == method
                    and call.response.get("ok")
                    and all(call.args.get(k) == v for k, v in match.items())
                ]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [(c.method, c.response.get("error")) for c in self.calls]
                    raise AssertionError(f"expected {count} x {method} {match}; calls so far: {seen}")
                self._condition.wait(remaining)

    def posted_text(self, call: Call) -> str:
        """Everything a person would read in a posted message: blocks' text, fields and buttons."""
        return "\n".join(_texts(call.args.get("blocks") or [])) or str(call.args.get("text") or "")


def _texts(blocks: list[dict[str, Any]]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        text = block.get("text")
        if isinstance(text, dict):
            out.append(str(text.get("text", "")))
        for item in block.get("fields") or []:
            out.append(str(item.get("text", "")))
        for element in block.get("elements") or []:
            if isinstance(element.get("text"), dict):
                out.append(str(element["text"].get("text", "")))
            elif isinstance(element.get("text"), str):
                out.append(element["text"])
        accessory = block.get("accessory")
        if isinstance(accessory, dict) and isinstance(accessory.get("text"), dict):
            out.append(str(accessory["text"].get("text", "")))
    return out


def _blocks_error(blocks: Any, limit: int) -> str | None:
    """The Block Kit rules Slack enforces that our rendering must respect."""
    if not isinstance(blocks, list):
        return "blocks must be a list"
    if len(blocks) > limit:
        return f"no more than {limit} items allowed [json-pointer:/blocks]"
    ids = [block.get("block_id") for block in blocks if block.get("block_id")]
    if len(ids) != len(set(ids)):
        return "duplicate block_id"
    for index, block in enumerate(blocks):
        kind = block.get("type")
        text = block.get("text")
        if kind == "section":
            if text is None and not block.get("fields"):
                return f"section without text [/blocks/{index}]"
            if isinstance(text, dict) and not (1 <= len(text.get("text", "")) <= 3000):
                return f"must be between 1 and 3000 characters [/blocks/{index}/text]"
            if len(block.get("fields") or []) > 10:
                return f"no more than 10 fields [/blocks/{index}/fields]"
            for field_ in block.get("fields") or []:
                if len(field_.get("text", "")) > 2000:
                    return f"field over 2000 characters [/blocks/{index}]"
        elif kind == "header":
            if len(text.get("text", "")) > 150:
                return f"header over 150 characters [/blocks/{index}]"
        elif kind == "actions":
            elements = block.get("elements") or []
            if not 1 <= len(elements) <= 25:
                return f"actions must have 1 to 25 elements [/blocks/{index}]"
            action_ids = [element.get("action_id") for element in elements]
            if len(action_ids) != len(set(action_ids)):
                return "duplicate action_id"
            for element in elements:
                if len(element.get("text", {}).get("text", "")) > 75:
                    return f"button text over 75 characters [/blocks/{index}]"
                if len(element.get("value", "")) > 2000:
                    return f"button value over 2000 characters [/blocks/{index}]"
        elif kind == "context":
            if len(block.get("elements") or []) > 10:
                return f"context over 10 elements [/blocks/{index}]"
        elif kind == "input":
            if len(block.get("label", {}).get("text", "")) > 2000:
                return f"label over 2000 characters [/blocks/{index}]"
        elif kind not in ("divider",):
            return f"unknown block type {kind!r}"
    return None


def _view_error(view: Any) -> str | None:
    if not isinstance(view, dict):
        return "view must be an object"
    if view.get("type") == "modal" and len(view.get("title", {}).get("text", "")) > 24:
        return "title over 24 characters"
    return _blocks_error(view.get("blocks") or [], 100)


def form_body(fields: dict[str, Any]) -> str:
    return urlencode(fields)
