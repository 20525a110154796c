"""Per-user conversation state, kept in the database so that any process can carry on any conversation."""

from bot.sessions.models import ConversationSession

__all__ = ["ConversationSession"]
