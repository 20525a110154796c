"""Notifications held for a user until their next message: the outbox.

The command line (`sgbot queue triage`) has no chat channel to deliver what it
produces, so the notifications it makes for a referrer are held here, in the
same transaction as the change they describe, and the assistant hands them to
the referrer at the start of their next message in any channel.
"""

from bot.outbox.models import HeldNotification
from bot.outbox.store import Outbox, can_hold

__all__ = ["HeldNotification", "Outbox", "can_hold"]
