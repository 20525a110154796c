"""Where a channel can speak later, kept for it by the core: any replica, any restart.

A channel stores what only it can read (a Teams conversation reference, the
Slack thread a referral's first post started) under a place and a key it
names, e.g. ``("teams:conversation:<digest>", "reference")`` or
``("slack:C0123", "referral:PR-…")``, and asks for it again when the outbox
has something to deliver there. The values are the platform's addresses,
never what anyone typed. They live in the `channel_state` table, where they
always have: references kept before this service are still found.
"""

from __future__ import annotations

from typing import Any

from bot.db import Database, get_channel_state, put_channel_state


def keep(database: Database, place: str, key: str, value: Any) -> None:
    """Store (or replace) a JSON value for (place, key)."""
    put_channel_state(database, place, key, value)


def find(database: Database, place: str, key: str) -> Any:
    """The value kept for (place, key), or None."""
    return get_channel_state(database, place, key)
