"""Per-channel settings: the areas a channel belongs to, and when the bot answers there.

Stored in the shared channel_state table under "slack:<channel id>", so every
replica and every restart sees the same settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from bot.db import Database, channel_state_items, put_channel_state

AnswerMode = Literal["mentions", "all"]
MODES: tuple[AnswerMode, ...] = ("mentions", "all")


@dataclass(frozen=True)
class ChannelSettings:
    areas: list[str] = field(default_factory=list)
    # In channels the bot answers only when mentioned unless told otherwise:
    # answering every message in a busy channel would be noise.
    mode: AnswerMode = "mentions"

    @property
    def area(self) -> str | None:
        """The area answers prefer (the first one configured)."""
        return self.areas[0] if self.areas else None


def state_key(channel_id: str) -> str:
    return f"slack:{channel_id}"


def load_channel_settings(db: Database, channel_id: str) -> ChannelSettings:
    items = channel_state_items(db, state_key(channel_id))
    areas = items.get("areas") or []
    mode = items.get("mode")
    return ChannelSettings(
        areas=[str(area) for area in areas] if isinstance(areas, list) else [],
        mode=mode if mode in MODES else "mentions",
    )


def save_channel_settings(db: Database, channel_id: str, settings: ChannelSettings) -> None:
    put_channel_state(db, state_key(channel_id), "areas", list(settings.areas))
    put_channel_state(db, state_key(channel_id), "mode", settings.mode)


def parse_areas(text: str) -> list[str]:
    """ "Northshire, Eastbrook" -> ["Northshire", "Eastbrook"] (order kept, duplicates dropped)."""
    seen: list[str] = []
    for part in text.replace(";", ",").replace("\n", ",").split(","):
        area = part.strip()
        if area and area.lower() not in (known.lower() for known in seen):
            seen.append(area)
    return seen
