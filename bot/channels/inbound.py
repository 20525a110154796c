"""Guards every chat platform's HTTP endpoint shares: bounded bodies, well-formed JSON, 4xx not 5xx.

A request is read only up to a size limit (413 beyond it), and a body that is
not what the platform sends (not UTF-8, not JSON, not an object, nested
absurdly deep) is refused with 400 and a short reason, before any SDK code
can fail on it with a 500. Responses never echo the body, and log lines name
the reason only.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

log = logging.getLogger(__name__)

# Deeper than any real Slack payload or Teams activity (both stay under ~10 levels).
MAX_DEPTH = 64


class Refused(Exception):
    """A request refused with a 4xx status; `reason` is safe to return and to log (never the body)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason

    def response(self) -> JSONResponse:
        return JSONResponse({"error": self.reason}, status_code=self.status)


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, or `Refused(413)` as soon as it exceeds `limit` bytes (declared or sent)."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.strip().isdigit():
            raise Refused(400, "invalid Content-Length")
        if int(declared) > limit:
            raise Refused(413, f"request body over {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise Refused(413, f"request body over {limit} bytes")
        chunks.append(chunk)
    body = b"".join(chunks)
    request._body = body  # Starlette's cache: the SDK's own `await request.body()` reads it again
    return body


def text_of(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "request body is not UTF-8") from None


def json_object(text: str, what: str = "request body") -> dict[str, Any]:
    """`text` parsed as a JSON object of sensible depth, or `Refused(400)`."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        raise Refused(400, f"{what} is not valid JSON") from None
    if not isinstance(value, dict):
        raise Refused(400, f"{what} is not a JSON object")
    if depth(value) > MAX_DEPTH:
        raise Refused(400, f"{what} is nested too deeply")
    return value


def depth(value: Any) -> int:
    """How deeply lists and objects nest in `value` (iteratively: no recursion limit to hit)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in item.values())
        elif isinstance(item, list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in item)
    return deepest


def require_text(data: dict[str, Any], key: str, what: str, limit: int = 255) -> str:
    """A string field the platform always sends, bounded in length, or `Refused(400)`."""
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise Refused(400, f"{what} has no {key}")
    if len(value) > limit:
        raise Refused(400, f"{what} {key} is longer than {limit} characters")
    return value
