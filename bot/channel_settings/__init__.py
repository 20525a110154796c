"""Channel settings as a core service: one table, every platform (see `service`)."""

from bot.channel_settings.models import ChannelSettingsRow
from bot.channel_settings.service import (
    MODES,
    AnswerMode,
    ChannelSettings,
    NotAllowed,
    change,
    conversation_key,
    load,
    may_change,
    parse_areas,
    parse_mode,
    settings_text,
)

__all__ = [
    "MODES",
    "AnswerMode",
    "ChannelSettings",
    "ChannelSettingsRow",
    "NotAllowed",
    "change",
    "conversation_key",
    "load",
    "may_change",
    "parse_areas",
    "parse_mode",
    "settings_text",
]
