"""What a channel adds to the server, and what the core asks of a channel.

The server (`bot.server`) assembles `Component`s; the channels build them. It
lives here, below both, so that neither imports the other.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from starlette.routing import BaseRoute

from bot.outbox.worker import Notifier

__all__ = ["Component", "Notifier"]


@dataclass
class Component:
    """What one channel adds to the server: routes, metrics, and what to start and stop with it
    (a Socket Mode connection, the channel's notification delivery worker)."""

    name: str
    routes: list[BaseRoute] = field(default_factory=list)
    metrics: Callable[[], str] | None = None
    startup: Callable[[], Awaitable[None]] | None = None
    shutdown: Callable[[], Awaitable[None]] | None = None
