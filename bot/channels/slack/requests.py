"""What reaches Bolt over HTTP: bounded, signed, fresh, well-formed, and never a replay.

Checked here before Bolt sees the request, so that every problem is a 4xx
with a short reason and nothing is logged but that reason:

- the body is read up to `SGBOT_MAX_REQUEST_BYTES` (413 beyond);
- the Slack signature is checked (401), a malformed timestamp included (Bolt's
  own check raised on `abc` and logged the whole body of every failure);
- the body must be what Slack sends: an event envelope, a slash command or an
  interactive payload, ids of sensible length (400 otherwise);
- a slash command or interactive payload is acted on once: Slack never sends
  one twice, so the same signed request again is a replay and is acknowledged
  without doing anything. Events are de-duplicated by their event id instead
  (Slack's own retries carry a new signature).
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import parse_qs

from slack_sdk.signature import SignatureVerifier
from starlette.requests import Request

from bot.channels.inbound import Refused, json_object, text_of

# Slack ids (users, channels, teams, timestamps, triggers) are short; anything longer is not Slack.
ID_FIELDS = frozenset(
    {"user", "user_id", "channel", "channel_id", "team", "team_id", "ts", "thread_ts", "event_ts",
     "trigger_id", "event_id", "api_app_id", "action_ts", "message_ts", "enterprise_id", "bot_id"}
)
ID_LIMIT = 200


def verify_signature(verifier: SignatureVerifier, body: bytes, request: Request) -> str:
    """The request's signature if it is valid and fresh (5 minutes), else `Refused(401)`."""
    timestamp = request.headers.get("x-slack-request-timestamp", "")
    signature = request.headers.get("x-slack-signature", "")
    if not timestamp.isdigit() or len(timestamp) > 12 or not signature or len(signature) > 200:
        raise Refused(401, "invalid request")
    if not verifier.is_valid(body=body, timestamp=timestamp, signature=signature):
        raise Refused(401, "invalid request")
    return signature


def parse(body: bytes, content_type: str) -> tuple[str, dict[str, Any]]:
    """("event" | "command" | "interaction" | "ssl_check", the parsed body), or `Refused(400)`."""
    text = text_of(body)
    if content_type.startswith("application/json"):
        data = json_object(text)
        if not isinstance(data.get("type"), str):
            raise Refused(400, "the JSON body has no type")
        if data["type"] == "event_callback" and not (
            isinstance(data.get("event"), dict) and isinstance(data["event"].get("type"), str)
        ):
            raise Refused(400, "the event has no type")
        _bounded_ids(data)
        return "event", data
    if content_type.startswith("application/x-www-form-urlencoded"):
        try:
            fields = {k: v[0] for k, v in parse_qs(text, strict_parsing=bool(text), max_num_fields=200).items()}
        except ValueError:
            raise Refused(400, "the form body is malformed") from None
        if "ssl_check" in fields:
            return "ssl_check", fields
        if "payload" in fields:
            payload = json_object(fields["payload"], "the payload")
            if not isinstance(payload.get("type"), str):
                raise Refused(400, "the payload has no type")
            view = payload.get("view")
            if view is not None and not (isinstance(view, dict) and isinstance(view.get("type"), str)):
                raise Refused(400, "the payload's view has no type")
            actions = payload.get("actions")
            if payload["type"] == "block_actions" and not (
                isinstance(actions, list)
                and actions
                and all(isinstance(a, dict) and isinstance(a.get("action_id"), str) for a in actions)
            ):
                raise Refused(400, "the payload's actions are malformed")
            for part in ("container", "channel", "team", "message"):
                if payload.get(part) is not None and not isinstance(payload[part], dict):
                    raise Refused(400, f"the payload's {part} is not an object")
            user = payload.get("user")
            if user is not None and not (isinstance(user, dict) and isinstance(user.get("id"), str)):
                raise Refused(400, "the payload's user has no id")
            _bounded_ids(payload)
            return "interaction", payload
        if isinstance(fields.get("command"), str) and isinstance(fields.get("user_id"), str):
            _bounded_ids(fields)
            return "command", fields
        raise Refused(400, "not a Slack command or interactive payload")
    raise Refused(415, "unsupported content type: Slack sends JSON or a form")


def replay_key(signature: str) -> str:
    """The same signature means the same timestamp and body: the same request."""
    return hashlib.sha256(signature.encode()).hexdigest()


def _bounded_ids(data: Any) -> None:
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key in ID_FIELDS and isinstance(value, str) and len(value) > ID_LIMIT:
                    raise Refused(400, f"{key} is longer than {ID_LIMIT} characters")
                if isinstance(value, dict | list):
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(v for v in item if isinstance(v, dict | list))
