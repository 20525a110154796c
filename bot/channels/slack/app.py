"""The Slack app: Bolt listeners that turn Slack events into `Message`s, and `Outcome`s into posts.

Every listener acknowledges first (Slack wants an answer within 3 seconds)
and only then does the slow part: the assistant runs in a worker thread
(`asyncio.to_thread`), and so do the core's services the channel asks for
(feedback, hand-offs, channel settings): the channel never opens the database. With Bolt's
async app and `process_before_response=False` the HTTP response (or the
Socket Mode envelope ack) goes back as soon as `ack()` is called; the rest of
the listener carries on in the background.

Nothing here knows about safeguarding: routing, roles and state are the
assistant's. Logs carry Slack ids, never what anyone typed.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.assistant import Assistant
from bot.channel_settings import AnswerMode, ChannelSettings, NotAllowed, parse_areas, settings_text
from bot.channels.slack import blocks as kit
from bot.channels.slack import modals, triage
from bot.channels.slack.client import SlackNotConfigured, make_client
from bot.channels.slack.delivery import Poster, error_code
from bot.channels.slack.home import home_view
from bot.channels.slack.mrkdwn import escape, to_mrkdwn, truncate
from bot.channels.slack.text import slack_text
from bot.channels.slack.users import UserDirectory
from bot.config import Settings
from bot.inbox import LeaseLost, answering_now
from bot.messages import Feedback, HandoffRequest, Message, Outcome, Reply
from bot.metrics import Metrics
from bot.safety.logs import keep_content_out_of_library_logs, library_logger

log = logging.getLogger(__name__)

PLATFORM = "slack"
# Message subtypes that are a person saying something; edits, joins, bot posts are not.
ANSWERABLE_SUBTYPES = {None, "file_share", "thread_broadcast"}
MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
# What the referral checklist is started with (the assistant's command word).
REFER_ACTION = "refer"
REFER_BUTTON = "sgbot.refer"
# How long a modal submission may wait for the assistant before the modal closes
# and the outcome is posted in the thread instead (Slack allows 3 s in all).
MODAL_ANSWER_SECONDS = 2.0
# The gauge of work acked but not finished: a graceful stop waits for it to reach 0.
IN_FLIGHT = "in_flight"

Ack = Callable[..., Awaitable[Any]]


def thread_key(channel_id: str, thread_ts: str) -> str:
    """The core's thread id: a Slack ts is unique only within its channel."""
    return f"{channel_id}:{thread_ts}"


class SlackChannel:
    """One Slack workspace's app around one `Assistant`.

    `assistant` is the core the channel translates for (one is made from settings
    by default; it owns the database); `client` defaults to a Web API client built
    from settings (`SLACK_API_URL` points it at a stand-in in tests).
    """

    def __init__(
        self,
        settings: Settings,
        *,
        assistant: Assistant | None = None,
        client: AsyncWebClient | None = None,
        socket_mode: bool = False,
    ) -> None:
        if not socket_mode and settings.slack_signing_secret is None:
            raise SlackNotConfigured(
                "SLACK_SIGNING_SECRET is not set: copy the Signing Secret from your Slack app's "
                "'Basic Information' page (or run `sgbot serve --socket-mode` with SLACK_APP_TOKEN)."
            )
        self.settings = settings
        self.assistant = assistant or Assistant(settings)
        self.client = client or make_client(settings)
        self.metrics = Metrics("sgbot_slack", gauges=(IN_FLIGHT,))
        self.poster = Poster(self.client, self.metrics)
        self.users = UserDirectory(self.client)
        # Messages are stored with their claim before the ack and answered by any replica if this one dies.
        self.inbox = self.assistant.inbox(
            PLATFORM, self._answer_stored, stored_sender, metrics=self.metrics, track=self._tracked
        )
        # Each message posted for a stored event is a part of its answer: a retry posts only the rest.
        self.poster.parts = self.inbox.part
        signing_secret = settings.slack_signing_secret
        self.app = AsyncApp(
            client=self.client,
            signing_secret=signing_secret.get_secret_value() if signing_secret else None,
            # Socket Mode envelopes are authenticated by the connection, not signed.
            request_verification_enabled=not socket_mode,
            process_before_response=False,
            name="sgbot",
            # Every logger Bolt makes copies this one's filter: request bodies never reach the logs.
            logger=library_logger("slack_bolt.sgbot"),
        )
        self._register()
        keep_content_out_of_library_logs()

    # ----------------------------------------------------------------- plumbing

    async def _core(self, function: Callable[..., Any], *args: Any) -> Any:
        """A core service, off the event loop (it reads the database; the first use opens it)."""
        return await asyncio.to_thread(function, *args)

    async def claim_request(self, key: str) -> bool:
        """True the first time a signed request or a Socket Mode envelope arrives (in any replica); False after."""
        first = await self.inbox.once("slack-request", key)
        if not first:
            self.metrics.count("replays")
            log.info("replayed slack request ignored")
        return first

    async def _tracked(self, kind: str, work: Awaitable[Any]) -> None:
        """Background work after an ack: counted, timed, and never silently lost."""
        self.metrics.adjust(IN_FLIGHT, 1)
        started = time.perf_counter()
        try:
            await work
        except Exception:
            self.metrics.count("failures", kind)
            log.exception("slack %s failed", kind)
        finally:
            self.metrics.adjust(IN_FLIGHT, -1)
            self.metrics.observe(f"{kind}_work", time.perf_counter() - started)

    async def channel_settings(self, channel_id: str) -> ChannelSettings:
        result: ChannelSettings = await self._core(self.assistant.conversation_settings, PLATFORM, channel_id)
        return result

    async def _may_configure(self, user_id: str) -> bool:
        profile = await self.users.profile(user_id)
        allowed: bool = await self._core(self.assistant.may_configure, user_id, profile.email)
        return allowed

    @property
    def business_unit_channel(self) -> str | None:
        return self.settings.slack_business_unit_channel

    def _register(self) -> None:
        app = self.app
        app.event("message")(self._on_message)
        app.event("app_mention")(self._on_mention)
        app.event("app_home_opened")(self._on_home_opened)
        app.command("/safeguarding")(self._on_safeguarding_command)
        app.command("/refer")(self._on_refer_command)
        app.action(re.compile(r"^sgbot\.button\.\d+$"))(self._on_button)
        app.action(REFER_BUTTON)(self._on_refer_button)
        app.action(kit.FEEDBACK_UP)(self._on_feedback_up)
        app.action(kit.FEEDBACK_DOWN)(self._on_feedback_down)
        app.action(kit.HANDOFF)(self._on_handoff_button)
        app.view(modals.FEEDBACK_VIEW)(self._on_feedback_submitted)
        app.view(modals.HANDOFF_VIEW)(self._on_handoff_submitted)
        app.view(modals.SETTINGS_VIEW)(self._on_settings_submitted)
        app.action(triage.REQUEST_INFO)(self._on_triage_button)
        app.action(triage.DECIDE)(self._on_triage_button)
        app.view(triage.TRIAGE_VIEW)(self._on_triage_submitted)
        app.event("app_uninstalled")(self._ignore)
        app.event("tokens_revoked")(self._ignore)

    async def _ignore(self, ack: Ack) -> None:
        await ack()

    # ------------------------------------------------------------------- events

    async def _on_message(self, ack: Ack, body: dict[str, Any], event: dict[str, Any], context: Any) -> None:
        self.metrics.count("events", "message")
        if event.get("subtype") not in ANSWERABLE_SUBTYPES or event.get("bot_id") or not event.get("user"):
            await ack()
            return
        channel_id = str(event.get("channel", ""))
        text = str(event.get("text") or "")
        if event.get("channel_type") != "im":
            bot_user = context.get("bot_user_id")
            if bot_user and f"<@{bot_user}" in text:
                await ack()
                return  # the app_mention event for the same message answers it
            # Decided before the ack, so that only messages for the assistant are stored.
            settings = await self.channel_settings(channel_id)
            if settings.mode != "all" and not await self._listened_thread(channel_id, event):
                await ack()
                return
        await self._accept(ack, "message", body.get("event_id"), stored_event(event, text))

    async def _listened_thread(self, channel_id: str, event: dict[str, Any]) -> bool:
        """A thread where the assistant takes every message (a case discussion), mention or not."""
        thread_ts = event.get("thread_ts")
        if not thread_ts:
            return False
        return bool(await self._core(self.assistant.listens_to, thread_key(channel_id, str(thread_ts))))

    async def _on_mention(self, ack: Ack, body: dict[str, Any], event: dict[str, Any]) -> None:
        self.metrics.count("events", "app_mention")
        if event.get("bot_id") or not event.get("user"):
            await ack()
            return
        text = MENTION.sub("", str(event.get("text") or "")).strip()
        await self._accept(ack, "mention", body.get("event_id"), stored_event(event, text))

    async def _accept(self, ack: Ack, kind: str, key: Any, payload: dict[str, Any]) -> None:
        """Store what was sent with this replica's claim, then acknowledge it, then answer it.

        Stored before the ack: Slack does not send an acknowledged event, button press or
        slash command again, so a replica that dies after the ack leaves it for any replica's
        sweeper (the inbox). Had storing failed, the listener raises before acking (Slack
        retries an event; a person sees the command or press fail and can try again).
        """
        if not key:  # nothing to claim it by (not an Events API delivery): answered, not stored
            await ack()
            await self._tracked(kind, self._answer_stored(payload))
            return
        first = await self.inbox.receive(str(key), payload)
        await ack()
        if first:
            await self._tracked(kind, self.inbox.work(str(key), payload))

    async def _answer_stored(self, payload: dict[str, Any]) -> None:
        """The answer to what was stored: the same whether it was just received or swept up."""
        if "press" in payload:
            press = payload["press"]
            answer = self._press_answers().get(str(press["action"].get("action_id") or ""), self._press)
            await answer(press["body"], press["action"])
            return
        if "view" in payload:
            submitted = payload["view"]
            await self._view_answers()[str(submitted["view"].get("callback_id"))](submitted["body"], submitted["view"])
            return
        if "settings" in payload:
            await self._open_settings(payload["settings"])
            return
        if "command" in payload:
            command = payload["command"]
            await self._answer_command(command, str(command["text"]))
            return
        if "refer" in payload:
            await self.start_referral(str(payload["refer"]))
            return
        await self._answer_claimed(payload["event"], str(payload["text"]))

    async def _answer_claimed(self, event: dict[str, Any], text: str) -> None:
        channel_id = str(event["channel"])
        thread_ts = str(event.get("thread_ts") or event["ts"])
        area = None
        if event.get("channel_type") != "im":
            area = (await self.channel_settings(channel_id)).area
        await self.converse(
            user_id=str(event["user"]),
            text=text,
            channel_id=channel_id,
            thread_ts=thread_ts,
            area=area,
        )

    async def converse(
        self,
        *,
        user_id: str,
        channel_id: str,
        thread_ts: str,
        text: str | None = None,
        action: str | None = None,
        area: str | None = None,
    ) -> Outcome | None:
        """Hand one message to the assistant and post what it says in the thread."""
        profile = await self.users.profile(user_id)
        message = Message(
            channel="slack",
            user_id=user_id,
            text=text,
            action=action,
            thread_id=thread_key(channel_id, thread_ts),
            area=area,
            display_name=profile.display_name,
            email=profile.email,
        )
        outcome = await self.ask_assistant(message, channel_id, thread_ts)
        await self.deliver(outcome, channel_id, thread_ts, question=text)
        return outcome

    async def ask_assistant(self, message: Message, channel_id: str, thread_ts: str | None) -> Outcome:
        """The assistant's outcome; if it fails, the user is told (once per message) and the failure raised.

        Raised, the failure leaves a stored message unhandled: the durable inbox tries it again
        later. The outcome is kept with the stored message once made, so a retry posts what was
        decided then (the rest of it) and never asks the assistant a second time.
        """
        started = time.perf_counter()

        try:
            replies, _ = await self.inbox.outcome(lambda: self.assistant.handle(message))
        except LeaseLost:  # another worker answers this message now: nothing failed, nothing to say
            raise
        except Exception:
            self.metrics.count("failures", "assistant")
            log.exception(
                "assistant failed",
                extra={"slack_channel": channel_id, "slack_thread": thread_ts, "slack_user": message.user_id},
            )
            await self.say_error(channel_id, thread_ts)
            raise
        finally:
            self.metrics.observe("assistant", time.perf_counter() - started)
        return Outcome(replies=replies)

    async def say_error(self, channel_id: str, thread_ts: str | None) -> None:
        """Sorry, once per message: a stored one is kept and answered later, so it says so (never "try again")."""
        kept = answering_now() is not None
        text = slack_text("error_kept" if kept else "error", contact=self.settings.contact)
        messages = kit.render_reply(Reply(text=text), contact=self.settings.contact)

        async def post() -> list[str]:
            return await self.poster.post_together(channel_id, messages, thread_ts)

        try:
            await self.inbox.part(post, name="apology")
        except SlackApiError as exc:
            log.error("could not tell the user about a failure: %s", error_code(exc))

    async def deliver(
        self, outcome: Outcome, channel_id: str, thread_ts: str | None, *, question: str | None = None
    ) -> None:
        """Post the replies in the thread (notifications are the outbox's delivery workers' job)."""
        # 👍 / 👎 / hand-off belong under an answer to a question, not under checklist steps.
        answered = question is not None and len(outcome.replies) == 1 and is_answer(outcome.replies[0])
        for reply in outcome.replies:
            messages = self.render(reply, channel_id, feedback=answered, question=question)
            await self.poster.post(channel_id, messages, thread_ts)

    def render(
        self, reply: Reply, channel_id: str, *, feedback: bool = False, question: str | None = None
    ) -> list[kit.SlackMessage]:
        extra = triage.triage_blocks(reply) if channel_id == self.business_unit_channel else []
        return kit.render_reply(
            reply, contact=self.settings.contact, feedback=feedback, question=question, extra=extra
        )

    # ---------------------------------------------------------------- commands

    async def _on_safeguarding_command(self, ack: Ack, command: dict[str, Any]) -> None:
        text = str(command.get("text") or "").strip()
        self.metrics.count("commands", "safeguarding")
        if not text or text.lower() in ("help", "?"):
            await ack(text=slack_text("help"))
            return
        if text.lower().startswith("settings"):
            # Stored too: answered later, it asks for the command again (its form can no longer open).
            opened = {key: str(command.get(key) or "") for key in ("user_id", "channel_id", "trigger_id")}
            await self._accept(ack, "settings", _keyed("settings", command.get("trigger_id")), {"settings": opened})
            return
        # A question: stored like a typed message (Slack does not send an acknowledged command again).
        stored = {key: str(command.get(key) or "") for key in ("user_id", "channel_id")}
        await self._accept(ack, "command", _keyed("command", command.get("trigger_id")),
                           {"command": {**stored, "text": text}})

    async def _answer_command(self, command: dict[str, Any], text: str) -> None:
        user_id = str(command["user_id"])
        channel_id = str(command["channel_id"])
        asked = kit.SlackMessage(
            text=truncate(slack_text("slash_question", user=user_id, question=""), 300),
            blocks=kit.sections(slack_text("slash_question", user=user_id, question=escape(text))),
        )
        area = None
        try:
            posted = await self.poster.post(channel_id, [asked])
            if not channel_id.startswith("D"):
                area = (await self.channel_settings(channel_id)).area
        except SlackApiError as exc:
            if error_code(exc) not in ("not_in_channel", "channel_not_found", "is_archived"):
                raise
            # The bot is not in that channel: answer privately instead of not at all.
            notice = slack_text("answered_in_dm", channel=channel_id)
            channel_id = await self.poster.open_dm(user_id)
            posted = await self.poster.post(
                channel_id, [kit.SlackMessage(text=notice, blocks=[kit.section(notice)]), asked]
            )
        await self.converse(
            user_id=user_id, text=text, channel_id=channel_id, thread_ts=posted[-1], area=area
        )

    async def _on_refer_command(self, ack: Ack, command: dict[str, Any]) -> None:
        self.metrics.count("commands", "refer")
        user_id = str(command["user_id"])
        await self._accept(ack, "refer", _keyed("refer", command.get("trigger_id")), {"refer": user_id})

    async def _on_refer_button(self, ack: Ack, body: dict[str, Any]) -> None:
        user_id = str(body["user"]["id"])
        await self._accept(ack, "refer", _keyed("refer", body.get("trigger_id")), {"refer": user_id})

    async def start_referral(self, user_id: str) -> None:
        """The checklist runs in a DM thread, so a referrer's answers stay private."""
        dm = await self.poster.open_dm(user_id)
        intro = slack_text("refer_started")
        posted = await self.poster.post(dm, [kit.SlackMessage(text=intro, blocks=[kit.section(intro)])])
        await self.converse(user_id=user_id, action=REFER_ACTION, channel_id=dm, thread_ts=posted[0])

    async def _open_settings(self, command: dict[str, Any]) -> None:
        user_id = str(command["user_id"])
        channel_id = str(command["channel_id"])
        if not await self._may_configure(user_id):
            await self._tell(channel_id, user_id, None, to_mrkdwn(settings_text("not_allowed")))
            return
        if self.inbox.retrying():  # its trigger (3 seconds) is long gone
            await self._tell(channel_id, user_id, None, slack_text("settings_again"))
            return
        current = await self.channel_settings(channel_id)
        view = modals.settings_modal(current, {"c": channel_id})
        await self.client.views_open(trigger_id=command["trigger_id"], view=view)

    async def _tell(self, channel_id: str, user_id: str, thread_ts: str | None, text: str) -> None:
        """A note only `user_id` sees (once per stored event)."""
        async def post() -> list[str]:
            arguments: dict[str, Any] = {"channel": channel_id, "user": user_id, "text": text}
            if thread_ts:
                arguments["thread_ts"] = thread_ts
            response = await self.client.chat_postEphemeral(**arguments)
            return [str(response.get("message_ts") or "")]

        await self.inbox.part(post)

    async def _on_settings_submitted(self, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        await self._accept_view(ack, "settings", body, view)

    async def _accept_view(self, ack: Ack, kind: str, body: dict[str, Any], view: dict[str, Any]) -> None:
        """A modal submission, stored like a message: what was typed in it is answered whoever answers it."""
        await self._accept(ack, kind, _keyed("view", body.get("trigger_id") or view.get("id")),
                           {"view": stored_view(body, view)})

    def _view_answers(self) -> dict[str, Callable[[dict[str, Any], dict[str, Any]], Awaitable[None]]]:
        return {
            modals.FEEDBACK_VIEW: self._feedback_submitted,
            modals.HANDOFF_VIEW: self._handoff_submitted,
            modals.SETTINGS_VIEW: self._save_settings,
            triage.TRIAGE_VIEW: self._triage_submitted,
        }

    def _press_answers(self) -> dict[str, Callable[[dict[str, Any], dict[str, Any]], Awaitable[None]]]:
        """Presses that are not a checklist or discussion answer, by action id (those go to `_press`)."""
        return {
            kit.FEEDBACK_UP: self._feedback_up,
            kit.FEEDBACK_DOWN: self._feedback_down,
            kit.HANDOFF: self._handoff_button,
            triage.REQUEST_INFO: self._triage_button,
            triage.DECIDE: self._triage_button,
        }

    async def _save_settings(self, body: dict[str, Any], view: dict[str, Any]) -> None:
        user_id = str(body["user"]["id"])
        channel_id = str(modals.read_metadata(view).get("c") or "")
        if not channel_id:
            return
        profile = await self.users.profile(user_id)
        values = modals.submitted_values(view)
        mode: AnswerMode = "all" if values.get(modals.MODE_BLOCK) == "all" else "mentions"
        try:
            chosen: ChannelSettings = await self._core(
                lambda: self.assistant.configure(
                    PLATFORM, channel_id, user_id=user_id, email=profile.email,
                    areas=parse_areas(values.get(modals.AREAS_BLOCK, "")), mode=mode,
                )
            )
        except NotAllowed:
            return
        areas = ", ".join(escape(area) for area in chosen.areas) or settings_text("no_areas")
        mode_text = settings_text(f"mode_{mode}")
        note = slack_text("settings_saved", user=user_id, areas=areas, mode=mode_text)
        await self.poster.post(channel_id, [kit.SlackMessage(text=note, blocks=[kit.section(note)])])

    # ------------------------------------------------------------------ buttons

    async def _on_button(self, ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        """A choice (a checklist answer, a discussion step): stored like a message, as it is an answer too."""
        self.metrics.count("actions", "button")
        press = stored_press(body, action)
        await self._accept(ack, "button", press_key(press), {"press": press})

    async def _press(self, body: dict[str, Any], action: dict[str, Any]) -> None:
        user_id = str(body["user"]["id"])
        value = str(action.get("value") or "")
        label = str((action.get("text") or {}).get("text") or value)
        container = body.get("container") or {}
        if container.get("type") == "view":  # a button on the App Home
            dm = await self.poster.open_dm(user_id)
            intro = kit.choice_made(user_id, label)
            posted = await self.poster.post(dm, [kit.SlackMessage(text=escape(label), blocks=[intro])])
            channel_id, thread_ts, message_ts = dm, posted[0], None
        else:
            channel_id = str(container.get("channel_id") or body["channel"]["id"])
            message = body.get("message") or {}
            message_ts = str(container.get("message_ts") or message.get("ts"))
            thread_ts = str(message.get("thread_ts") or message_ts)
        in_business_unit = channel_id == self.business_unit_channel
        if message_ts and not in_business_unit:
            # One answer per question: the buttons give way to what was chosen.
            blocks = kit.replace_choices(
                (body.get("message") or {}).get("blocks") or [], kit.choice_made(user_id, label)
            )
            try:
                await self.poster.update(channel_id, message_ts, kit.SlackMessage(text=escape(label), blocks=blocks))
            except SlackApiError as exc:
                log.warning("could not update the pressed message: %s", error_code(exc))
        area = None
        if not channel_id.startswith("D") and not in_business_unit:
            area = (await self.channel_settings(channel_id)).area
        await self.converse(user_id=user_id, channel_id=channel_id, thread_ts=thread_ts, action=value, area=area)

    # ------------------------------------------------------------------- triage

    async def _on_triage_button(self, ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        """Stored, then the reason modal opened at once: the trigger id is valid for 3 seconds only."""
        self.metrics.count("actions", "triage")
        press = stored_press(body, action)
        await self._accept(ack, "triage", press_key(press), {"press": press})

    async def _triage_button(self, body: dict[str, Any], action: dict[str, Any]) -> None:
        value = str(action.get("value") or "")
        container = body.get("container") or {}
        message = body.get("message") or {}
        channel_id = str(container.get("channel_id") or (body.get("channel") or {}).get("id") or "")
        thread_ts = str(message.get("thread_ts") or container.get("message_ts") or "")
        form = triage.form_of(value)
        if form is None:  # not an action a form can be drawn for: the core says what is wrong
            await self.converse(
                user_id=str(body["user"]["id"]), action=triage.as_action(value),
                channel_id=channel_id, thread_ts=thread_ts,
            )
            return
        if await self._too_late_for_a_form(body, channel_id, thread_ts):
            return
        view = triage.triage_modal(form, {"c": channel_id, "t": thread_ts})
        await self.client.views_open(trigger_id=body["trigger_id"], view=view)

    async def _too_late_for_a_form(self, body: dict[str, Any], channel_id: str, thread_ts: str | None) -> bool:
        """A press answered on a retry cannot open its form (its trigger lasts 3 seconds): ask for it again."""
        if not self.inbox.retrying():
            return False
        await self._tell(channel_id, str(body["user"]["id"]), thread_ts or None, slack_text("press_again"))
        return True

    async def _on_triage_submitted(self, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        metadata = modals.read_metadata(view)
        command = triage.triage_command(metadata, modals.submitted_values(view))
        if isinstance(command, tuple):  # no reason, or no decision: say so next to the box
            block, problem = command
            await ack(response_action="errors", errors={block: problem})
            return
        await self._accept_view(ack, "triage", body, view)

    async def _triage_submitted(self, body: dict[str, Any], view: dict[str, Any]) -> None:
        metadata = modals.read_metadata(view)
        command = triage.triage_command(metadata, modals.submitted_values(view))
        if isinstance(command, tuple):  # refused before it was stored
            return
        await self.converse(
            user_id=str(body["user"]["id"]),
            action=command,
            channel_id=str(metadata.get("c")),
            thread_ts=str(metadata.get("t")),
        )

    # ----------------------------------------------------------------- feedback

    async def _on_feedback_up(self, ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        self.metrics.count("feedback", "up")
        press = stored_press(body, action)
        await self._accept(ack, "feedback", press_key(press), {"press": press})

    async def _feedback_up(self, body: dict[str, Any], action: dict[str, Any]) -> None:
        await self._record_rating(body, action, "up", None, None)

    async def _record_rating(
        self,
        body: dict[str, Any],
        action: dict[str, Any] | None,
        rating: str,
        reason: str | None,
        category: str | None,
        where: dict[str, Any] | None = None,
    ) -> None:
        user_id = str(body["user"]["id"])
        if where is None:
            container = body.get("container") or {}
            where = {
                "c": container.get("channel_id"),
                "m": container.get("message_ts"),
                "s": _sources(action),
                "q": str(_json_value(action).get("q") or "") or None,
                "b": (body.get("message") or {}).get("blocks") or [],
            }
        channel_id, message_ts = str(where["c"]), str(where["m"])
        feedback = Feedback(
            platform=PLATFORM,
            conversation=channel_id,
            message=message_ts,
            user_id=user_id,
            rating="up" if rating == "up" else "down",
            reason=reason,
            category=category,
            sources=list(where.get("s") or []),
            question=where.get("q"),
        )
        replies: list[Reply] = await self._core(self.assistant.rate, feedback)
        *urgent, said = replies
        for reply in urgent:  # someone at risk now, in the reason: the emergency route, in the thread
            await self.poster.post(channel_id, self.render(reply, channel_id), message_ts)
        blocks = where.get("b")
        if blocks:
            thanks = kit.context(slack_text("feedback_thanks_by", user=user_id, thanks=to_mrkdwn(said.text)))
            updated = kit.replace_block(blocks, f"{kit.FEEDBACK_BLOCK_ID}0", thanks)
            try:
                await self.poster.update(channel_id, message_ts, kit.SlackMessage(text="…", blocks=updated))
            except SlackApiError as exc:
                log.warning("could not update the rated message: %s", error_code(exc))

    async def _on_feedback_down(self, ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        """👎 counts at once (the buttons give way to thanks); the modal adds the reason."""
        self.metrics.count("feedback", "down")
        press = stored_press(body, action)
        await self._accept(ack, "feedback", press_key(press), {"press": press})

    async def _feedback_down(self, body: dict[str, Any], action: dict[str, Any]) -> None:
        container = body.get("container") or {}
        metadata = {"c": container.get("channel_id"), "m": container.get("message_ts"), "s": _sources(action)}
        if not self.inbox.retrying():  # on a retry the form cannot open any more: the 👎 counts all the same
            try:
                await self.client.views_open(trigger_id=body["trigger_id"], view=modals.feedback_modal(metadata))
            except SlackApiError as exc:
                log.warning("could not open the feedback form: %s", error_code(exc))
        await self._record_rating(body, action, "down", None, None)

    async def _on_feedback_submitted(self, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        await self._accept_view(ack, "feedback", body, view)

    async def _feedback_submitted(self, body: dict[str, Any], view: dict[str, Any]) -> None:
        metadata = modals.read_metadata(view)
        values = modals.submitted_values(view)
        reason = values.get(modals.INPUT_BLOCK) or None
        category = values.get(modals.CHOICE_BLOCK) or None
        where = {**metadata, "b": []}  # the message already shows the thanks
        await self._record_rating(body, None, "down", reason, category, where=where)

    # ------------------------------------------------------------------ hand-off

    async def _on_handoff_button(self, ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        self.metrics.count("actions", "handoff")
        press = stored_press(body, action)
        await self._accept(ack, "handoff", press_key(press), {"press": press})

    async def _handoff_button(self, body: dict[str, Any], action: dict[str, Any]) -> None:
        container = body.get("container") or {}
        message = body.get("message") or {}
        question = _json_value(action).get("q") or ""
        metadata = {
            "c": container.get("channel_id"),
            "t": message.get("thread_ts") or container.get("message_ts"),
        }
        if await self._too_late_for_a_form(body, str(metadata["c"] or ""), metadata["t"]):
            return
        await self.client.views_open(trigger_id=body["trigger_id"], view=modals.handoff_modal(question, metadata))

    async def _on_handoff_submitted(self, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        await self._accept_view(ack, "handoff", body, view)

    async def _handoff_submitted(self, body: dict[str, Any], view: dict[str, Any]) -> None:
        metadata = modals.read_metadata(view)
        question = modals.submitted_values(view).get(modals.INPUT_BLOCK, "")
        await self._hand_off(str(body["user"]["id"]), metadata, question)

    async def _hand_off(self, user_id: str, metadata: dict[str, Any], question: str) -> None:
        """The core records the question and queues it for the business unit (the outbox posts it)."""
        channel_id, thread_ts = str(metadata.get("c")), str(metadata.get("t"))
        permalink = None
        try:
            link = await self.client.chat_getPermalink(channel=channel_id, message_ts=thread_ts)
            permalink = str(link.get("permalink") or "") or None
        except SlackApiError as exc:
            log.info("no permalink for a hand-off: %s", error_code(exc))
        profile = await self.users.profile(user_id)
        request = HandoffRequest(
            platform=PLATFORM,
            conversation=channel_id,
            thread=thread_ts,
            user_id=user_id,
            question=question,
            display_name=profile.display_name,
            link=permalink,
        )
        # Recorded once per stored submission: a retry posts the replies, it does not hand off again.
        replies = await self.inbox.replies(lambda: self.assistant.hand_off(request), name="handoff")
        for reply in replies:
            await self.poster.post(channel_id, self.render(reply, channel_id), thread_ts)

    # --------------------------------------------------------------------- home

    async def _on_home_opened(self, ack: Ack, event: dict[str, Any]) -> None:
        await ack()
        if event.get("tab") not in (None, "home"):
            return
        await self._tracked("home", self.publish_home(str(event["user"])))

    async def publish_home(self, user_id: str) -> None:
        profile = await self.users.profile(user_id)
        view = await asyncio.to_thread(home_view, self.settings, self.assistant, profile)
        await self.client.views_publish(user_id=user_id, view=view)


# What is kept of an event to answer it again (its text only in the database, blanked once answered).
STORED_EVENT_FIELDS = ("channel", "channel_type", "user", "ts", "thread_ts")


def stored_event(event: dict[str, Any], text: str) -> dict[str, Any]:
    return {"event": {key: event[key] for key in STORED_EVENT_FIELDS if event.get(key) is not None}, "text": text}


def stored_press(body: dict[str, Any], action: dict[str, Any]) -> dict[str, Any]:
    """What `_press` reads of a button press (the pressed message's blocks included, to replace its buttons)."""
    message = body.get("message") or {}
    return {
        "body": {
            "user": {"id": (body.get("user") or {}).get("id")},
            "trigger_id": body.get("trigger_id"),  # for the presses that open a form (3 seconds)
            "container": body.get("container") or {},
            "channel": body.get("channel") or {},
            "message": {key: message[key] for key in ("ts", "thread_ts", "blocks") if key in message},
        },
        "action": {key: action[key] for key in ("action_id", "value", "text", "action_ts") if key in action},
    }


def stored_view(body: dict[str, Any], view: dict[str, Any]) -> dict[str, Any]:
    """What a modal submission's answer reads: who submitted it, and the form (its metadata and values)."""
    return {
        "body": {"user": {"id": (body.get("user") or {}).get("id")}},
        "view": {key: view[key] for key in ("id", "callback_id", "private_metadata", "state") if key in view},
    }


def press_key(press: dict[str, Any]) -> str | None:
    """A press is one user's click at one moment on one message; None if Slack did not say when."""
    action_ts = press["action"].get("action_ts")
    container = press["body"]["container"]
    if not action_ts:
        return None
    where = container.get("message_ts") or container.get("view_id") or ""
    return f"press:{press['body']['user']['id']}:{where}:{action_ts}"


def _keyed(kind: str, trigger_id: Any) -> str | None:
    """A slash command or the refer button by its trigger id (one per invocation); None without one."""
    return f"{kind}:{trigger_id}" if isinstance(trigger_id, str) and trigger_id else None


def stored_sender(payload: dict[str, Any]) -> tuple[str, str]:
    """(user, channel) of a stored message, press or command, for the business unit's notice if it is set aside."""
    if "command" in payload:
        return str(payload["command"].get("user_id") or "?"), str(payload["command"].get("channel_id") or "?")
    if "refer" in payload:
        return str(payload["refer"]), "DM"
    if "settings" in payload:
        return str(payload["settings"].get("user_id") or "?"), str(payload["settings"].get("channel_id") or "?")
    if "view" in payload:
        metadata = modals.read_metadata(payload["view"]["view"])
        return str(payload["view"]["body"]["user"].get("id") or "?"), str(metadata.get("c") or "a form")
    if "press" in payload:
        body = payload["press"]["body"]
        channel = body["container"].get("channel_id") or body["channel"].get("id") or "App Home"
        return str(body["user"].get("id") or "?"), str(channel)
    event = payload.get("event") or {}
    return str(event.get("user") or "?"), str(event.get("channel") or "?")


def is_answer(reply: Reply) -> bool:
    """Replies to a question (answers and "I don't know"), which get 👍 / 👎 / hand-off buttons;
    a checklist step or a summary does not."""
    return not reply.buttons and reply.expects is None and reply.card is None


def _json_value(action: dict[str, Any] | None) -> dict[str, Any]:
    if not action:
        return {}
    try:
        data = json.loads(str(action.get("value") or "{}"))
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}


def _sources(action: dict[str, Any] | None) -> list[str]:
    sources = _json_value(action).get("s") or []
    return [str(source) for source in sources][:50]


__all__ = ["SlackChannel", "SlackNotConfigured", "is_answer", "thread_key", "to_mrkdwn"]
