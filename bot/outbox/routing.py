"""Where a notification goes: decided once, in the core, for every channel.

- The business unit's go to every configured business-unit channel (Slack's
  `SLACK_BUSINESS_UNIT_CHANNEL`, Teams' `TEAMS_BUSINESS_UNIT_CONVERSATION`).
- A person's go to the channel where they last spoke to the assistant, under
  their id on that platform; a person who last spoke in the terminal (or a
  platform this deployment does not serve) has theirs held for their next
  message, in any channel.
- A conversation's (a subscribed Slack channel or Teams conversation, not a
  person) go to that conversation, through its platform's delivery worker.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.config import Settings
from bot.outbox.models import HELD
from bot.people.service import People

BUSINESS_UNIT = "business_unit"
CONVERSATION = "conversation:"


def conversation_audience(channel: str, conversation: str) -> str:
    """The audience of a notice for a whole conversation on one platform ("conversation:slack:C123")."""
    return f"{CONVERSATION}{channel}:{conversation}"


def conversation_of(audience: str) -> tuple[str, str] | None:
    """(platform, conversation id) of a conversation audience; None for a person or the business unit."""
    if not audience.startswith(CONVERSATION):
        return None
    channel, _, conversation = audience[len(CONVERSATION) :].partition(":")
    return (channel, conversation) if channel and conversation else None


@dataclass(frozen=True)
class Route:
    channel: str  # "slack" | "teams" | "held"
    address: str  # the user id on that channel, or "business_unit"
    person_id: int | None = None


def delivering_channels(settings: Settings) -> set[str]:
    """Channels this deployment has a delivery worker for."""
    channels = set()
    if settings.slack_bot_token is not None:
        channels.add("slack")
    if settings.teams_app_id or settings.teams_anonymous:
        channels.add("teams")
    return channels


def business_unit_routes(settings: Settings) -> list[Route]:
    live = delivering_channels(settings)
    found = []
    if "slack" in live and settings.slack_business_unit_channel:
        found.append(Route("slack", BUSINESS_UNIT))
    if "teams" in live and settings.teams_business_unit_conversation:
        found.append(Route("teams", BUSINESS_UNIT))
    return found


def routes(session: Session, settings: Settings, audience: str) -> list[Route]:
    if audience == BUSINESS_UNIT:
        return business_unit_routes(settings)
    conversation = conversation_of(audience)
    if conversation is not None:
        # Only that platform can post there; a deployment without it has nobody to tell.
        return [Route(conversation[0], audience)] if conversation[0] in delivering_channels(settings) else []
    person = People.find_in(session, audience)
    if person is None:
        return [Route(HELD, audience)]
    channel = person.last_channel or ""
    address = person.id_on(channel) if channel in delivering_channels(settings) else None
    if address:
        return [Route(channel, address, person.id)]
    return [Route(HELD, audience, person.id)]
