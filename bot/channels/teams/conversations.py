"""Where the bot can speak later: Teams conversation references, kept in the database.

A proactive message (a referral for the business unit, a request for more
information for a referrer) needs the service URL and conversation of the
place it goes to. They are kept on every activity the bot receives so that
they survive a restart: the core keeps them (`Assistant.keep_reference`), the
channel only says what they are.

Teams conversation ids can be long, so the places they are kept under use a
short digest of the id; the id itself is in the kept value.
"""

from __future__ import annotations

import hashlib
from typing import Any, Protocol

from microsoft_agents.activity import (
    Activity,
    ChannelAccount,
    ChannelId,
    Channels,
    ConversationAccount,
    ConversationReference,
)

REFERENCE_KEY = "reference"


class References(Protocol):
    """Where the core keeps what a channel needs to speak later (the assistant)."""

    def keep_reference(self, place: str, key: str, value: object) -> None: ...

    def reference(self, place: str, key: str) -> object: ...


def digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]


def conversation_channel(conversation_id: str) -> str:
    """The place a Teams conversation's (or channel thread's) reference is kept under."""
    return f"teams:conversation:{digest(conversation_id)}"


def user_channel(user_id: str) -> str:
    return f"teams:user:{digest(user_id)}"


def base_conversation_id(conversation_id: str) -> str:
    """A channel thread's id without ';messageid=…': the channel itself."""
    return conversation_id.split(";", 1)[0]


def inbound_event_id(activity: Activity) -> str:
    """Activity ids are unique within a conversation only, so qualify them with it."""
    conversation = activity.conversation.id if activity.conversation else ""
    return f"{digest(conversation)[:16]}:{activity.id}"


def reference_of(activity: Activity) -> dict[str, Any]:
    reference = activity.get_conversation_reference()
    return reference.model_dump(mode="json", by_alias=True, exclude_none=True)


def remember(core: References, activity: Activity, user_id: str) -> None:
    """Store where this conversation (and, for a 1:1 chat, this user) can be reached."""
    if not activity.conversation or not activity.service_url:
        return
    reference = reference_of(activity)
    reference.pop("activityId", None)
    conversation_id = activity.conversation.id
    core.keep_reference(conversation_channel(conversation_id), REFERENCE_KEY, reference)
    base = base_conversation_id(conversation_id)
    if base != conversation_id:
        # Posting to the channel itself (a new thread) uses the id without the message part.
        channel_reference = dict(reference)
        channel_reference["conversation"] = {**reference["conversation"], "id": base}
        core.keep_reference(conversation_channel(base), REFERENCE_KEY, channel_reference)
    if (activity.conversation.conversation_type or "personal") == "personal":
        core.keep_reference(user_channel(user_id), REFERENCE_KEY, reference)


def stored_reference(core: References, place: str) -> ConversationReference | None:
    data = core.reference(place, REFERENCE_KEY)
    if not isinstance(data, dict) or not data:
        return None
    return ConversationReference.model_validate(data)


def channel_reference(
    core: References, conversation_id: str, *, service_url: str, tenant_id: str | None, bot_id: str | None
) -> ConversationReference:
    """The reference for a configured channel, stored or built from settings.

    Before the bot has seen any message in the business unit's channel it can
    still post there, given the Teams service URL and the channel id.
    """
    stored = stored_reference(core, conversation_channel(conversation_id))
    if stored is not None:
        return stored
    return ConversationReference(
        channel_id=ChannelId(Channels.ms_teams),
        service_url=service_url,
        conversation=ConversationAccount(
            id=conversation_id, is_group=True, conversation_type="channel", tenant_id=tenant_id
        ),
        agent=ChannelAccount(id=f"28:{bot_id}" if bot_id else "bot"),
    )

