"""Structured logs for a served deployment: one JSON object per line, carrying ids, never text.

A log collector (Loki, Elasticsearch, CloudWatch…) reads these lines as they
are: `timestamp`, `level`, `logger`, `message` (a fixed event name such as
"inbox.duplicate", never what a user typed) and the `extra`
fields the call passed (`slack_event_id`, `referral`, …), plus `request_id`,
the id of the HTTP request or chat turn the line belongs to. Referral and
message text never reaches a log: log calls pass ids, and database errors hide
their SQL parameters (see `bot.db.engine.make_engine`).

A request id comes from the caller's `X-Request-ID` header when it looks like
an id (a reverse proxy's), or is made here; it is echoed in the response, and work
started for the request (Slack's answer after the ack, a Teams turn) carries it
because asyncio tasks and `asyncio.to_thread` copy the context they start in.
"""

from __future__ import annotations

import logging
import logging.config
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from asgi_correlation_id.context import correlation_id

# Attributes of a LogRecord that are not the call's own `extra` fields.
_RESERVED = {"color_message"}


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (the current request's or turn's, or None) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = correlation_id.get()
        for name in _RESERVED:
            record.__dict__.pop(name, None)
        return True


def logging_config(level: str = "INFO") -> dict[str, Any]:
    """dictConfig for JSON lines on stderr, for our loggers and uvicorn's alike."""
    handler = {
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stderr",
        "formatter": "json",
        "filters": ["request_id"],
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": RequestIdFilter}},
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
                "rename_fields": {"asctime": "timestamp", "levelname": "level", "name": "logger"},
                "timestamp": False,
            }
        },
        "handlers": {"json": handler},
        "root": {"handlers": ["json"], "level": level.upper()},
        # uvicorn's own handlers print text: route its loggers through ours instead.
        "loggers": {
            name: {"handlers": [], "propagate": True, "level": level.upper()}
            for name in ("uvicorn", "uvicorn.error", "uvicorn.access")
        },
    }


def configure_json_logging(level: str = "INFO") -> None:
    logging.config.dictConfig(logging_config(level))


def new_request_id() -> str:
    return uuid.uuid4().hex


_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def is_valid_request_id(value: str) -> bool:
    """A proxy's request id is kept if it looks like an id (UUID, hex, ULID…); anything else is replaced."""
    return bool(_REQUEST_ID.fullmatch(value))


@contextmanager
def request_id_for_turn(request_id: str | None = None) -> Iterator[str]:
    """The id for one turn that did not arrive as an HTTP request (a Socket Mode event, a CLI line).

    Keeps the id already set (an HTTP request's) when there is one.
    """
    current = correlation_id.get()
    if current and request_id is None:
        yield current
        return
    token = correlation_id.set(request_id or new_request_id())
    try:
        yield correlation_id.get() or ""
    finally:
        correlation_id.reset(token)
