"""Errors a user can cause in the queue. Each message names the problem and the fix."""

from __future__ import annotations

from bot.errors import SgbotError


class QueueError(SgbotError):
    """Base class: `str(error)` is fit to show the user."""


class ReferralNotFound(QueueError):
    pass


class NotAllowed(QueueError):
    pass


class IllegalTransition(QueueError):
    pass


class StaleReferral(QueueError):
    """Someone else changed the referral since this user looked at it; nothing was written."""

    def __init__(self, message: str, changes: list[str]) -> None:
        super().__init__(message)
        self.changes = changes


class InvalidTriage(QueueError):
    """A triage command is missing something (a reason, a known review type, a valid date)."""
