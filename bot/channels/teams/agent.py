"""The Teams agent: Agents SDK activities in, the assistant's `Outcome` out.

It only translates. An activity becomes a channel-neutral `Message`; the
synchronous `Assistant.handle` runs in a worker thread; each `Reply` is
rendered as text and Adaptive Cards and sent into the same conversation.
Notifications are not sent here: the core writes them to the outbox and the
Teams delivery worker (`notifier.TeamsNotifier`) posts them proactively,
using conversation references the core keeps for it. Feedback, hand-offs
and conversation settings are the core's too: the agent asks the assistant,
and never opens the database.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from microsoft_agents.activity import Activity, ActivityTypes, ConversationReference
from microsoft_agents.hosting.core import (
    AgentApplication,
    ApplicationOptions,
    ClaimsIdentity,
    MemoryStorage,
    TurnContext,
    TurnState,
)
from microsoft_agents.hosting.core.connector import ConnectorClientBase
from microsoft_agents.hosting.core.connector.teams import TeamsConnectorClient
from microsoft_agents.hosting.core.security import OutboundHostValidator
from microsoft_agents.hosting.fastapi import CloudAdapter

from bot.assistant import Assistant, load_notification_wording
from bot.channel_settings import ChannelSettings, NotAllowed, parse_areas, parse_mode, settings_text
from bot.channels.teams import conversations
from bot.channels.teams.auth import ProviderFactory, auth_configuration, connection_manager
from bot.channels.teams.feedback import (
    FEEDBACK_KEY,
    HANDOFF_KEY,
    HANDOFF_QUESTION_KEY,
    feedback_actions,
    feedback_from_card,
)
from bot.channels.teams.notifier import TeamsNotifier
from bot.channels.teams.render import (
    ACTION_KEY,
    CHOICES_KEY,
    CHOICES_SUBMIT_KEY,
    REASON_KEY,
    TEXT_KEY,
    TEXT_SUBMIT_KEY,
    RenderOptions,
    render_reply,
)
from bot.channels.teams.text import say
from bot.channels.teams.triage import TRIAGE_KEY, triage_actions, triage_command
from bot.config import Settings
from bot.inbox import InboxError, LeaseLost, answering_now
from bot.messages import HandoffRequest, Message, Outcome
from bot.metrics import Metrics
from bot.outbox.worker import DeliveryWorker

log = logging.getLogger("sgbot.teams")

_GROUP_TYPES = {"channel", "groupChat"}
# Set on the turn of an activity the inbox's sweeper took over: its claim is already held.
SWEPT = "sgbot.swept"
# Set on a turn whose answer failed: the person has been told (once), and the inbox tries it again.
FAILED = "sgbot.failed"


def _user_id(activity: Activity) -> str:
    sender = activity.from_property
    if sender is None:
        return "unknown"
    # The Entra object id is stable across chats and is what admins can list in SGBOT_BUSINESS_UNIT.
    return str(sender.aad_object_id or sender.id or "unknown")


def _in_group(activity: Activity) -> bool:
    conversation = activity.conversation
    return bool(conversation and (conversation.conversation_type in _GROUP_TYPES or conversation.is_group))


def _value(activity: Activity) -> dict[str, Any]:
    value = activity.value
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return value if isinstance(value, dict) else {}


def stored_activity(activity: Activity) -> dict[str, Any]:
    """The activity as the inbox stores it (what someone typed lives only in the database)."""
    return activity.model_dump(mode="json", by_alias=True, exclude_none=True)


def stored_sender(payload: dict[str, Any]) -> tuple[str, str]:
    """(user, conversation) of a stored activity, for the business unit's notice if it is set aside."""
    sender = payload.get("from") or {}
    conversation = payload.get("conversation") or {}
    user = sender.get("aadObjectId") or sender.get("id") or "?"
    return str(user), str(conversation.get("id") or "?")


class TeamsBot:
    """One Agents SDK application and adapter around the assistant core."""

    def __init__(
        self,
        settings: Settings,
        *,
        assistant: Assistant | None = None,
        provider_factory: ProviderFactory | None = None,
    ) -> None:
        self.settings = settings
        self.assistant = assistant or Assistant(settings)
        self.auth_config = auth_configuration(settings)
        self.connections = connection_manager(self.auth_config, provider_factory)
        check_hosts = settings.teams_check_service_url and not settings.teams_anonymous
        self.adapter = CloudAdapter(
            connection_manager=self.connections,
            host_validator=OutboundHostValidator(enabled=check_hosts),
        )
        # The SDK's default turn-error handler posts the exception text into the
        # chat; ours (`_on_error`) apologises without details, and proactive
        # sends must raise so that `deliver` can report them.
        self.adapter.on_turn_error = None  # type: ignore[assignment]
        # Conversation state lives in our database, not the SDK's storage; the
        # SDK only needs somewhere to keep its own (empty) turn state.
        self.app: AgentApplication[TurnState] = AgentApplication[TurnState](
            ApplicationOptions(
                storage=MemoryStorage(),
                bot_app_id=settings.teams_app_id or "",
                start_typing_timer=True,
                remove_recipient_mention=True,
            ),
            connection_manager=self.connections,
        )
        self.app.activity(ActivityTypes.message)(self._on_message)
        self.app.conversation_update("membersAdded")(self._on_members_added)
        self.app.error(self._on_error)
        self.metrics = Metrics("sgbot_teams")
        # Activities are stored with their claim as the turn starts: if this replica dies mid-turn
        # (its HTTP answer never comes), any replica's sweeper answers the stored activity.
        self.inbox = self.assistant.inbox("teams", self._answer_stored, stored_sender, metrics=self.metrics)
        self._delivery: DeliveryWorker | None = None
        # user id → email from the Teams member API; only a cache, so a restart merely re-asks.
        self._emails: dict[str, str | None] = {}
        # user id → name from the same look-up, for an activity that carries none (the business unit then
        # reads who did what by name, not by a raw id).
        self._names: dict[str, str | None] = {}

    @property
    def delivery(self) -> DeliveryWorker:
        """The outbox's delivery worker for Teams (runs while the server does: `start_delivery`)."""
        if self._delivery is None:
            load_notification_wording()
            self._delivery = DeliveryWorker(
                self.assistant.outbox,
                TeamsNotifier(self),
                poll_seconds=self.settings.outbox_poll_seconds,
                lease_seconds=self.settings.outbox_lease_seconds,
                metrics=self.metrics,
            )
        return self._delivery

    async def start_delivery(self) -> None:
        await asyncio.to_thread(lambda: self.assistant.outbox)  # opening the database may run migrations
        await self.delivery.start()
        await self.inbox.start()

    async def stop_delivery(self) -> None:
        await self.inbox.stop()
        if self._delivery is not None:
            await self._delivery.stop()

    # -- inbound ------------------------------------------------------------------

    async def _on_members_added(self, context: TurnContext, state: TurnState) -> None:
        activity = context.activity
        bot_id = activity.recipient.id if activity.recipient else None
        await asyncio.to_thread(conversations.remember, self.assistant, activity, _user_id(activity))
        # Installed in a 1:1 chat: say hello once. In a team or group chat, stay quiet.
        added_bot = any(member.id == bot_id for member in activity.members_added or [])
        if added_bot and not _in_group(activity):
            name = activity.from_property.name if activity.from_property else ""
            await context.send_activity(say("welcome", person=name or "there"))

    async def _on_message(self, context: TurnContext, state: TurnState) -> None:
        activity = context.activity
        event_id = conversations.inbound_event_id(activity)
        if context.turn_state.get(SWEPT) or not activity.id:
            # A swept activity: the inbox holds its claim, renews it and marks it handled.
            await self._answer_turn(context, event_id)
            return
        if not await self.inbox.receive(event_id, stored_activity(activity)):
            log.info("teams.duplicate", extra={"event_id": event_id})
            self.metrics.count("activities", "duplicate")
            return
        # Handled only once the reply is sent: had this process died mid-turn, the stored activity
        # would be answered by a sweeper (or a redelivery) once the lease ran out; had the answer
        # failed, a sweeper tries it again after a backoff.
        async with self.inbox.answering(event_id):
            await self._answer_turn(context, event_id)

    async def _answer_turn(self, context: TurnContext, event_id: str) -> None:
        """The turn's answer; if it fails, one apology per activity (not per try) and the failure raised."""
        try:
            await self._on_claimed_message(context, event_id)
        except LeaseLost:  # another worker answers this activity now: no apology (and none from the SDK)
            context.turn_state[FAILED] = True
            raise
        except Exception:
            context.turn_state[FAILED] = True
            await self._apologise(context)
            raise

    async def _apologise(self, context: TurnContext) -> None:
        """Sorry, said once per activity: a stored one is kept and answered later, so it says so."""
        text = say("error_kept" if answering_now() is not None else "error", contact=self.settings.contact)
        try:
            await self.inbox.part(lambda: self._sent(context, text), name="apology")
        except Exception:  # the connector itself may be what failed
            log.exception("teams.error_reply_failed")

    async def _send(self, context: TurnContext, activity: Activity | str) -> None:
        """Send one part of the answer to the activity being answered (once, whatever the retries)."""
        await self.inbox.part(lambda: self._sent(context, activity))

    @staticmethod
    async def _sent(context: TurnContext, activity: Activity | str) -> str:
        response = await context.send_activity(activity)
        return str(getattr(response, "id", "") or "")

    async def _answer_stored(self, payload: dict[str, Any]) -> None:
        """A stored activity whose replica died mid-turn, run through the same turn as a live one.

        Its replies go to the conversation through the connector (never buffered for an
        HTTP answer that no one is waiting for any more).
        """
        activity = Activity.model_validate({key: value for key, value in payload.items() if key != "deliveryMode"})
        # As a proactive send's: our own app's identity, or none when testing anonymously on loopback.
        if self.settings.teams_app_id:
            identity = self.adapter.create_claims_identity(self.settings.teams_app_id)
        else:
            identity = ClaimsIdentity()

        async def turn(context: TurnContext) -> None:
            context.turn_state[SWEPT] = True
            await self.app.on_turn(context)
            if context.turn_state.get(FAILED):  # the SDK's error handler took it: still unanswered
                raise InboxError("the stored activity's answer failed")

        await self.adapter.process_activity(identity, activity, turn)

    async def _on_claimed_message(self, context: TurnContext, event_id: str) -> None:
        activity = context.activity
        self.metrics.count("activities", "message")
        user_id = _user_id(activity)
        await asyncio.to_thread(conversations.remember, self.assistant, activity, user_id)
        value = _value(activity)
        in_group = _in_group(activity)
        conversation_id = activity.conversation.id if activity.conversation else user_id
        here = await asyncio.to_thread(self._settings_of, conversation_id)

        mentions_only = here.mode != "all"
        # A channel conversation between people, not addressed to the bot, unless the
        # assistant takes every message in this thread (a case discussion runs there).
        if (
            in_group
            and not value
            and mentions_only
            and not activity.is_recipient_mentioned()
            and not await asyncio.to_thread(self.assistant.listens_to, conversation_id)
        ):
            return

        if FEEDBACK_KEY in value:
            feedback = feedback_from_card(
                user_id=user_id,
                conversation_id=conversation_id,
                message_id=str(activity.reply_to_id or activity.id or ""),
                value=value,
            )
            said = await asyncio.to_thread(self.assistant.rate, feedback)  # one rating however often retried
            await self.send_outcome(context, Outcome(replies=said), in_group=in_group)
            return
        if HANDOFF_KEY in value:
            await self._hand_off(context, user_id, str(value.get(HANDOFF_QUESTION_KEY) or ""), in_group)
            return

        email = await self._email(context, user_id)
        if TRIAGE_KEY in value:
            command, problem = triage_command(value)
            if problem is not None:
                await self._send(context, problem)
                return
            value = {ACTION_KEY: command}  # the typed action, as any button's
        text = (activity.text or "").strip()
        if not value:
            command_reply = await self._channel_command(text, conversation_id, user_id, email, in_group)
            if command_reply is not None:
                await self._send(context, command_reply)
                return

        message = self._message(activity, value, user_id, conversation_id, here, email)
        if message is None:
            return
        log.info(
            "teams.message", extra={"event_id": event_id, "user": user_id, "action": bool(message.action)}
        )

        try:
            replies, notify = await self.inbox.outcome(lambda: self.assistant.handle(message))
        except LeaseLost:
            raise
        except Exception:
            log.exception("teams.assistant_failed", extra={"event_id": event_id})
            self.metrics.count("errors", "assistant")
            raise
        await self.send_outcome(context, Outcome(replies=replies), in_group=in_group, question=message.text,
                                notify=notify)

    def _message(
        self,
        activity: Activity,
        value: dict[str, Any],
        user_id: str,
        conversation_id: str,
        here: ChannelSettings,
        email: str | None = None,
    ) -> Message | None:
        """The core's `Message` for a typed message or a card submission."""
        sender = activity.from_property
        common: dict[str, Any] = {
            "user_id": user_id,
            "email": email,
            "thread_id": conversation_id,
            "display_name": (sender.name if sender else None) or self._names.get(user_id),
            "channel": "teams",
            "area": here.area,
        }
        if ACTION_KEY in value:
            reason = str(value.get(REASON_KEY) or "").strip()
            return Message(action=str(value[ACTION_KEY]), text=reason or None, **common)
        if TEXT_SUBMIT_KEY in value:
            return Message(text=str(value.get(TEXT_KEY) or ""), **common)
        if CHOICES_SUBMIT_KEY in value:
            # Input.ChoiceSet posts a multi-select as "a,b,c".
            return Message(text=str(value.get(CHOICES_KEY) or "").replace(",", ", "), **common)
        text = (activity.text or "").strip()
        if not text:
            return None
        return Message(text=text, **common)

    async def _channel_command(
        self, text: str, conversation_id: str, user_id: str, email: str | None, in_group: bool
    ) -> str | None:
        """`area …` and `mode …`: settings of the conversation the bot is in (admins only)."""
        words = text.split(maxsplit=1)
        command = words[0].lower() if words else ""
        # Plain "help" belongs to the checklist (help on the current step).
        if command in {"about", "/help"} and len(words) == 1:
            return say("help")
        if command not in {"area", "areas", "mode"}:
            return None
        if await asyncio.to_thread(self.assistant.listens_to, conversation_id):
            return None  # "Area teams were not told…" in a case discussion is a contribution
        current = await asyncio.to_thread(self._settings_of, conversation_id)
        if len(words) == 1:
            shown = say("area_show", areas=", ".join(current.areas)) if current.areas else say("area_none")
            return shown + "\n\n" + say("mode_show", mode=settings_text(f"mode_{current.mode}"))
        argument = words[1].strip()
        mode = parse_mode(argument) if command == "mode" else None
        if command == "mode" and mode is None:
            return say("mode_unknown", given=argument[:40])
        areas = None
        if command != "mode":
            areas = [] if argument.lower() in {"none", "clear", "-"} else parse_areas(argument)
        try:
            await asyncio.to_thread(
                self.assistant.configure,
                "teams",
                conversations.base_conversation_id(conversation_id),
                user_id=user_id,
                email=email,
                areas=areas,
                mode=mode,
            )
        except NotAllowed:
            return settings_text("not_allowed")
        if mode is not None:
            return say("mode_set", mode=settings_text(f"mode_{mode}"))
        return say("area_set", areas=", ".join(areas)) if areas else say("area_cleared")

    def _settings_of(self, conversation_id: str) -> ChannelSettings:
        """A channel thread has its channel's settings."""
        return self.assistant.conversation_settings("teams", conversations.base_conversation_id(conversation_id))

    async def _email(self, context: TurnContext, user_id: str) -> str | None:
        """The sender's email from the Teams member API (one lookup per user per process).

        Roles may be configured by email, and a shared email makes a Teams user and
        a Slack user one person (notifications then follow them). The member's name is
        kept from the same look-up, for activities that carry no name.
        """
        if user_id in self._emails:
            return self._emails[user_id]
        client = context.services.get(ConnectorClientBase)  # type: ignore[type-abstract]
        activity = context.activity
        if (
            not isinstance(client, TeamsConnectorClient)
            or not activity.conversation
            or not activity.from_property
        ):
            return None  # expectReplies turns have no connector
        try:
            member = await client.get_conversation_member(activity.conversation.id, activity.from_property.id)
        except Exception:
            # Not asked again in this process: the email only links ids and gives email roles.
            log.info("teams.member_lookup_failed", extra={"user": user_id})
            member = None
        email = (member.email or member.user_principal_name) if member is not None else None
        if len(self._emails) > 5000:
            self._emails.clear()
            self._names.clear()
        self._emails[user_id] = email
        if member is not None:
            full = " ".join(part for part in (member.given_name, member.surname) if part)
            self._names[user_id] = member.name or full or None
        return email

    # -- outbound -----------------------------------------------------------------

    async def send_outcome(
        self, context: TurnContext, outcome: Outcome, *, in_group: bool, question: str | None = None,
        notify: bool = False,
    ) -> None:
        options = RenderOptions(in_channel=in_group)
        for reply in outcome.replies:
            extra = feedback_actions(reply, question) if reply.citations else []
            extra += triage_actions(reply)
            for activity in render_reply(reply, options, extra_actions=extra):
                await self._send(context, activity)
                self.metrics.count("sent", "reply")
        if outcome.notifications or notify:
            # What this turn queued for Teams goes out before the turn ends.
            await self.delivery.drain()

    async def send_proactive(self, reference: ConversationReference, activities: list[Activity]) -> None:
        async def send(context: TurnContext) -> None:
            for activity in activities:
                await context.send_activity(activity)

        continuation = reference.get_continuation_activity()
        # A new message, not a reply to the (made-up) id of the continuation event.
        continuation.id = None
        if self.settings.teams_app_id:
            await self.adapter.continue_conversation(self.settings.teams_app_id, continuation, send)
        else:
            # Anonymous local testing: no identity, no token on outgoing calls.
            await self.adapter.continue_conversation_with_claims(ClaimsIdentity(), continuation, send)

    async def _hand_off(self, context: TurnContext, user_id: str, question: str, in_group: bool) -> None:
        """ "Ask the business unit": the core records it and queues it for the business unit's channels."""
        activity = context.activity
        request = HandoffRequest(
            platform="teams",
            conversation=activity.conversation.id if activity.conversation else "",
            thread=str(activity.reply_to_id or activity.id or ""),
            user_id=user_id,
            question=question,
            display_name=activity.from_property.name if activity.from_property else None,
        )
        # Recorded once per stored activity: a retry sends the replies, it does not hand off again.
        replies = await self.inbox.replies(lambda: self.assistant.hand_off(request), name="handoff")
        # The notice queued for Teams goes out before the turn ends (other channels' workers wake too).
        await self.delivery.drain()
        await self.send_outcome(context, Outcome(replies=replies), in_group=in_group)

    async def _on_error(self, context: TurnContext, error: Exception) -> None:
        log.error("teams.turn_failed", exc_info=error)
        if context.turn_state.get(FAILED):
            return  # a message's answer: the person was told once, and the inbox tries it again
        try:
            await context.send_activity(say("error", contact=self.settings.contact))
        except Exception:  # the connector itself may be what failed
            log.exception("teams.error_reply_failed")
