"""What an outbox row holds: the domain event, worded by its feature's presenter at delivery.

A row's payload (the `reply` column, JSON) is one of two shapes:

    {"event": {"kind": "decided", "reference": "PR-2026-0001", "decision": "…", "reason": "…"}}
    {"text": "…", "buttons": [...], …}   # a worded Reply: rows written before events, and
                                         # document-change notices (bot/procedures), still worded

The outbox sits below the features, so it cannot import their presenters: each
feature registers, for the kinds of event it publishes, a presenter that reads
the event back (its own typed model) and words it for the audience and channel
(`register`). The outbox words a row when it is claimed for delivery or taken at
the user's next message (`present`), so wording changes reach notifications not
yet delivered. A process registers every feature's wording before its delivery
workers start (`bot.assistant.load_notification_wording`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from bot.errors import SgbotError
from bot.messages import Notification, Reply, word_notices_with
from bot.outbox.codec import reply_from_json, reply_to_json

# (the event as stored, the audience it is for, the channel delivering it) -> its wording
Presenter = Callable[[dict[str, Any], str, str], Reply]

EVENT = "event"
_presenters: dict[str, Presenter] = {}


class UnknownEvent(SgbotError):
    """An outbox row holds an event no feature in this process words (its presenter is not registered)."""


class UnwordedEvent(UnknownEvent):
    """The presenter could not word the event: its wording for this audience is missing from prompts/, or
    a template names a field the event does not have. Treated like an unknown event (tried again, then set
    aside with the business unit told), so one bad template never stops a channel's other deliveries."""


class MalformedPayload(UnknownEvent):
    """An outbox row whose stored payload is neither an event nor a worded reply (a row written by hand, or
    damaged): treated like an unknown event, so that one bad row never stops a channel's other deliveries."""


def register(kinds: Iterable[str], presenter: Presenter) -> None:
    """`presenter` words the events of these kinds; registering the same one again is harmless."""
    for kind in kinds:
        known = _presenters.get(kind)
        if known is not None and known is not presenter:
            raise ValueError(f"two presenters for outbox events of kind {kind!r}")
        _presenters[kind] = presenter


def payload(notification: Notification) -> dict[str, Any]:
    """What the outbox stores for a notification: its event if it has one, else its wording."""
    if notification.notice is not None:
        return {EVENT: notification.notice.model_dump(mode="json")}
    if notification.worded is None:
        raise ValueError("a notification with neither an event nor a wording")
    return reply_to_json(notification.worded)


def word(notification: Notification, channel: str = "") -> Reply:
    """A notification's wording where it is shown (the terminal, the command line): the wording it came
    with, if its feature gave one, else its event worded by its feature's presenter for its audience."""
    if notification.worded is not None:
        return notification.worded
    return present(payload(notification), notification.audience, channel)


word_notices_with(word)  # `Notification.reply`: a notification shown at once is worded here


def is_event(stored: dict[str, Any]) -> bool:
    return EVENT in stored


def present(stored: dict[str, Any], audience: str, channel: str) -> Reply:
    """The wording of a stored payload now: an event worded by its presenter, or a stored Reply."""
    if not is_event(stored):
        try:
            return reply_from_json(stored)  # written before events (or by a feature that stores wording)
        except (KeyError, TypeError, ValueError, AttributeError) as problem:
            raise MalformedPayload(f"the stored payload is neither an event nor a reply ({type(problem).__name__})")\
                from None
    event = stored[EVENT]
    kind = str(event.get("kind")) if isinstance(event, dict) else ""
    presenter = _presenters.get(kind)
    if presenter is None:
        raise UnknownEvent(f"no presenter registered for outbox events of kind {kind!r}")
    try:
        return presenter(event, audience, channel)
    except (KeyError, IndexError, ValueError) as problem:  # pydantic's ValidationError is a ValueError too
        raise UnwordedEvent(f"outbox event of kind {kind!r} could not be worded: {type(problem).__name__}") from None
