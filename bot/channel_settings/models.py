"""The `channel_settings` table: per conversation (a Slack channel, a Teams channel or chat), whatever the platform."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UTCDateTime, utcnow


class ChannelSettingsRow(Base):
    __tablename__ = "channel_settings"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    # A digest of the conversation id: Teams ids can be long, and a key must be short.
    conversation_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    # The id itself (None for settings migrated from a Teams conversation the bot never kept a reference of).
    conversation: Mapped[str | None] = mapped_column(Text)
    areas: Mapped[list[str]] = mapped_column(JSON, default=list)
    mode: Mapped[str] = mapped_column(String(16), default="mentions")  # mentions | all
    updated_by: Mapped[str | None] = mapped_column(String(255))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
