"""Per-conversation settings, for every channel: the areas a conversation belongs to, and when the bot answers.

A Slack channel, a Teams channel or group chat: the channel names the
platform and passes the conversation id; the core keeps the settings (one
row, any replica, any restart) and decides who may change them (the admin
check in `bot.roles`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

from bot.channel_settings.models import ChannelSettingsRow
from bot.config import Settings
from bot.db import Database, utcnow
from bot.errors import SgbotError
from bot.prompts import say_from
from bot.roles import may_configure_channels

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


def settings_text(name: str, **fields: object) -> str:
    """Wording about a conversation's settings (prompts/channel_settings.yaml)."""
    return say_from("channel_settings.yaml", name, **fields)


class NotAllowed(SgbotError):
    """Only the admins change a conversation's settings."""


def conversation_key(conversation: str) -> str:
    return hashlib.sha256(conversation.encode("utf-8")).hexdigest()[:32]


def parse_areas(text: str) -> list[str]:
    """ "Northshire, Eastbrook" -> ["Northshire", "Eastbrook"] (order kept, duplicates dropped)."""
    seen: list[str] = []
    for part in text.replace(";", ",").replace("\n", ",").split(","):
        area = part.strip()
        if area and area.lower() not in (known.lower() for known in seen):
            seen.append(area)
    return seen


def parse_mode(text: str) -> AnswerMode | None:
    mode = text.strip().lower()
    return mode if mode in MODES else None  # type: ignore[return-value]


def load(database: Database, platform: str, conversation: str) -> ChannelSettings:
    with database.sessions() as session:
        row = session.get(ChannelSettingsRow, (platform, conversation_key(conversation)))
    if row is None:
        return ChannelSettings()
    areas = row.areas if isinstance(row.areas, list) else []
    mode: AnswerMode = "all" if row.mode == "all" else "mentions"
    return ChannelSettings(areas=[str(a) for a in areas], mode=mode)


def may_change(database: Database, settings: Settings, user_id: str, email: str | None = None) -> bool:
    return may_configure_channels(settings, user_id, email, database=database)


def change(
    database: Database,
    settings: Settings,
    platform: str,
    conversation: str,
    *,
    user_id: str,
    email: str | None = None,
    areas: list[str] | None = None,
    mode: AnswerMode | None = None,
) -> ChannelSettings:
    """Change what is given (areas, mode, or both); raises `NotAllowed` for anyone but an admin."""
    if not may_change(database, settings, user_id, email):
        raise NotAllowed(user_id)
    key = conversation_key(conversation)
    with database.transaction() as session:
        row = session.get(ChannelSettingsRow, (platform, key))
        if row is None:
            row = ChannelSettingsRow(platform=platform, conversation_key=key, areas=[], mode="mentions")
            session.add(row)
        row.conversation = conversation
        if areas is not None:
            row.areas = list(areas)
        if mode is not None:
            row.mode = mode
        row.updated_by = user_id
        row.updated_at = utcnow()
    return load(database, platform, conversation)

