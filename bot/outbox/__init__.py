"""The outbox: every notification is written with the change it tells of, then delivered.

- `Outbox.publish(session, notifications, key=…)` in the change's own
  transaction: one row per audience and channel (`routing`), idempotent by key.
  A row holds the domain event (`events`), worded by its feature's presenter
  when it is delivered; older rows hold a worded reply and deliver as written.
- One `DeliveryWorker` per channel (`worker`) claims due rows and hands each
  to its channel's `Notifier`; retries with backoff and jitter, then a dead
  letter the business unit is told about.
- Rows no worker can deliver (the terminal, the command line) are held and
  shown to the user at the start of their next message (`Outbox.take`).
"""

from bot.outbox.models import HELD, HeldNotification
from bot.outbox.routing import BUSINESS_UNIT, Route, conversation_audience, conversation_of
from bot.outbox.store import Delivery, Outbox, RetryPolicy, can_hold

__all__ = [
    "BUSINESS_UNIT",
    "HELD",
    "Delivery",
    "HeldNotification",
    "Outbox",
    "RetryPolicy",
    "Route",
    "can_hold",
    "conversation_audience",
    "conversation_of",
]
