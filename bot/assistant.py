"""The assistant: decides which job a message is for, and nothing else.

It routes a channel-neutral `Message` to a case discussion, the referral
checklist, the review queue or Q&A and returns an `Outcome`. It holds no per-user state in memory:
where each user is lives in the database, so any process can take the next
message.

Loading the knowledge index and embedding model takes seconds, so the
answerer is created only when a question (or a checklist step's cited
guidance) actually needs it; the checklist and queue never wait for it.

Every message tells the core who is speaking and where (`People.identify`:
one person across Slack, Teams and the terminal, written only when something
changed), which is where that person's notifications are then delivered.
Notifications held for a person (someone no delivery worker can reach, such as
a terminal user) come first in the `Outcome` of their next message, whichever
channel it arrives in; each is handed over exactly once.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import threading
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from bot.config import Settings, get_settings
from bot.messages import Citation, Message, Notification, Outcome, Reply

# The people and referral tables keep user ids of up to 255 characters (PostgreSQL enforces it).
MAX_USER_ID_LENGTH = 255

if TYPE_CHECKING:
    from bot.channel_settings import AnswerMode, ChannelSettings
    from bot.db import Database
    from bot.discussion.results import DiscussionTurn
    from bot.discussion.service import DiscussionService
    from bot.inbox import Answer, Counter, Inbox, Sender
    from bot.messages import Feedback, HandoffRequest
    from bot.outbox import Outbox
    from bot.people import People
    from bot.qa.answer import Answer as QuestionAnswer
    from bot.qa.service import Answerer, LastAnswer
    from bot.referral.conversation import ReferralConversation, Turn

log = logging.getLogger(__name__)


def load_notification_wording() -> None:
    """Register every feature's wording for the events it puts in the outbox (bot/outbox/events.py).

    The features load lazily, at a process's first message; a delivery worker starts before that
    (a restarted server drains what was left), and must be able to word every event it claims.
    """
    import bot.discussion.presenter  # noqa: F401 - invitations to a case discussion
    import bot.feedback.service  # noqa: F401 - questions handed off to the business unit
    import bot.procedures.notice_text  # noqa: F401 - "what changed" notices to subscribed channels
    import bot.referral.presenter  # noqa: F401 - referral events (submitted, decided, clocks, …)


class Assistant:
    def __init__(
        self,
        settings: Settings | None = None,
        answerer: Answerer | None = None,
        *,
        referrals: ReferralConversation | None = None,
        database: Database | None = None,
    ) -> None:
        self.settings = settings or get_settings()
        self._answerer = answerer
        # The core's database: given (a test's second replica, with its own engine), the given
        # checklist's, or the settings' (opened at first use). Channels never open it themselves.
        self._database = database if database is not None else referrals.database if referrals else None
        # Given by tests and benchmarks that set the clock.
        self._referrals = self._with_dashboard_links(referrals) if referrals is not None else None
        self._outbox: Outbox | None = None
        self._discussions: DiscussionService | None = None
        self._people: People | None = None
        self._lock = threading.Lock()
        # The guidance queries are fixed text from the checklist YAML: cache what they find.
        self._guidance: dict[tuple[str, str | None, int], Reply] = {}

    @property
    def answerer(self) -> Answerer:
        with self._lock:
            if self._answerer is None:
                from bot.qa.service import Answerer

                self._answerer = Answerer.from_settings(self.settings)
            return self._answerer

    @property
    def loaded_answerer(self) -> Answerer | None:
        """The answerer if it is loaded already (readiness asks without loading it)."""
        return self._answerer

    def use_answerer(self, answerer: Answerer) -> None:
        """Switch to another index generation: questions already being answered finish on the old one."""
        with self._lock:
            self._answerer = answerer
            self._guidance.clear()

    def _with_dashboard_links(self, referrals: ReferralConversation) -> ReferralConversation:
        """`dashboard` typed in chat answers with a sign-in link: the assistant, above both, hands the
        web dashboard's links to the triage commands, so the referral domain never imports the dashboard.
        Likewise the case discussion's button on a referral's card: discussions are built on referrals,
        so the referral domain is handed the offer rather than importing it."""
        from bot.dashboard.signin import SignIn
        from bot.discussion.actions import discuss_offer

        if referrals.triage.dashboard_links is None:
            referrals.use_dashboard_links(SignIn(referrals.database, self.settings, now=referrals.queue.now))
        referrals.offer_on_referrals(discuss_offer)
        return referrals

    @property
    def database(self) -> Database:
        """The core's database (opening it the first time may run migrations: not on an event loop)."""
        with self._lock:
            if self._database is None:
                from bot.db import get_database

                self._database = get_database(self.settings)
            return self._database

    @property
    def referrals(self) -> ReferralConversation:
        database = self.database  # outside the lock: it takes the lock itself
        with self._lock:
            if self._referrals is None:
                from bot.referral.conversation import ReferralConversation

                self._referrals = self._with_dashboard_links(ReferralConversation(database, self.settings))
            return self._referrals

    @property
    def discussions(self) -> DiscussionService:
        referrals = self.referrals  # outside the lock: it takes the lock itself
        with self._lock:
            if self._discussions is None:
                from bot.discussion.service import DiscussionService

                self._discussions = DiscussionService(referrals.database, self.settings, now=referrals.queue.now)
            return self._discussions

    @property
    def outbox(self) -> Outbox:
        database = self.database  # outside the lock: it takes the lock itself
        with self._lock:
            if self._outbox is None:
                from bot.outbox import Outbox

                self._outbox = Outbox(database, self.settings)
            return self._outbox

    @property
    def people(self) -> People:
        database = self.database
        with self._lock:
            if self._people is None:
                from bot.people import People

                self._people = People(database)
            return self._people

    def handle(self, message: Message) -> Outcome:
        if len(message.user_id) > MAX_USER_ID_LENGTH:
            return _user_id_refused(message)
        self._identify(message)
        outcome = self._route(message)
        outcome.notifications = self._publish_unpublished(outcome.notifications)
        # Taken after the message is handled, so that a failure handling it leaves them held
        # for the next one; shown before the replies, as they were waiting first, but never
        # before the emergency route: someone in danger now reads that first.
        urgent = 0
        while urgent < len(outcome.replies) and outcome.replies[urgent].urgent:
            urgent += 1
        outcome.replies[urgent:urgent] = [held.reply for held in self._take_held(message.user_id)]
        return outcome

    def _publish_unpublished(self, notifications: list[Notification]) -> list[Notification]:
        """Anything the core returned without putting it in the outbox goes there now: no channel
        delivers notifications itself. (The review queue publishes in the change's own transaction;
        this catches features that return a notification instead, such as discussion invitations.)"""
        waiting = [n for n in notifications if not n.channels]
        if not waiting:
            return notifications
        with self.database.transaction() as session:
            published = self.outbox.publish(session, waiting)
        by_id = {id(n): p for n, p in zip(waiting, published, strict=True)}
        return [by_id.get(id(n), n) for n in notifications]

    def _identify(self, message: Message) -> None:
        try:
            self.people.identify(
                message.channel, message.user_id, email=message.email, display_name=message.display_name
            )
        except Exception:  # where to notify them is not worth failing their message over
            log.warning("could not record who is speaking", extra={"user": message.user_id}, exc_info=True)

    def _route(self, message: Message) -> Outcome:
        from bot.discussion.actions import is_discussion
        from bot.referral.actions import is_typed

        if is_typed(message.action) and not is_discussion(message.action):
            # A triage or checklist button, or a triage form: the referral core's, in any thread.
            return self._resolve(self.referrals.handle(message), message)
        # A case discussion owns its thread (and `discuss PR-…` starts one); everything else is as before.
        discussion = self.discussions.handle(message)
        if discussion is not None:
            return self._resolve(discussion, message)
        from bot.procedures.chat import handle as procedures_command  # subscriptions, alignment (issue 13)

        procedures = procedures_command(self.settings, message)
        if procedures is not None:
            return Outcome(replies=[procedures])
        turn = self.referrals.handle(message)
        if not turn.handled:
            return Outcome(replies=[self._answer(message.content, message)])
        return self._resolve(turn, message)

    def listens_to(self, thread_id: str) -> bool:
        """True when every message in this thread is for the assistant (a case discussion runs
        there), so a channel passes on messages that do not mention the bot."""
        try:
            return self.discussions.open_thread_exists(thread_id)
        except Exception:  # a channel asking must never fail on it: it simply waits for a mention
            log.warning("could not check the thread for a discussion", exc_info=True)
            return False

    def _take_held(self, user_id: str) -> list[Notification]:
        try:
            load_notification_wording()  # a held event of a feature this message did not use
            return self.outbox.take(self.people.ids_of(user_id))
        except Exception:  # the user's message was handled: answer it; they stay held for next time
            log.warning("could not read held notifications", extra={"user": user_id}, exc_info=True)
            return []

    def _resolve(self, turn: Turn | DiscussionTurn, message: Message) -> Outcome:
        """A turn's parts as replies: a question answered first, a guidance slot looked up, the checklist's,
        the triage commands' and a case discussion's results worded by their presenters; replies already
        worded (the emergency route) as they are."""
        from bot.discussion.results import DiscussionResult
        from bot.referral.conversation import GuidanceSlot, Turn
        from bot.referral.triage_results import TriageChatResult

        outcome = Outcome(notifications=list(turn.notifications))
        if turn.question is not None:
            outcome.replies.append(self._answer(turn.question, message))
        for item in turn.replies:
            if isinstance(item, GuidanceSlot):
                outcome.replies.append(self._guidance_reply(item.query, message.area))
            elif isinstance(item, Reply):
                outcome.replies.append(item)
            elif isinstance(item, TriageChatResult):
                outcome.replies.extend(self.referrals.triage_words.present(item))
            elif isinstance(item, DiscussionResult):
                outcome.replies.extend(self.discussions.words.present(item))
            else:
                stamp = turn.stamp if isinstance(turn, Turn) else None
                outcome.replies.extend(self.referrals.words.present(item, stamp))
        return outcome

    def _answer(self, question: str, message: Message) -> Reply:
        # A fragment ("and in eastbrook?") is answered, and remembered, as the question it completes.
        context, last = self._thread_context(message)
        reading = self.answerer.read(question, context)
        answer = self.answerer.answer(reading.question, area=message.area, context=reading.context, last=last)
        if not answer.answered and not answer.urgent:
            self._record_gap(question, message.area)
        if answer.answered:
            self._remember_question(message, reading.question, follows=reading.context is not None, answer=answer)
        return answer.to_reply()

    def _record_gap(self, question: str, area: str | None) -> None:
        """A question the documents could not answer: kept for the business unit's knowledge gaps.

        Only its embedding and nearest documents, plus its text (redacted) if SGBOT_GAPS_KEEP_QUESTIONS
        is on. Never fails the answer.
        """
        try:
            from bot.gaps.service import record_gap

            retriever = self.answerer.retriever
            vector = retriever.encode_query(question)
            hits = retriever.search(question, k=3, area=area, query_vector=vector)
            nearest = [{"source": hit.chunk.source, "title": hit.chunk.title} for hit in hits]
            record_gap(self.database, self.settings, kind="declined", question=question,
                       vector=vector, nearest=nearest, area=area)
        except Exception:
            log.warning("could not record a knowledge gap", exc_info=True)

    # -- what a channel asks of the core besides a message: it never opens the database itself ------------

    def rate(self, feedback: Feedback) -> list[Reply]:
        """A 👍 or 👎 on an answer, from any channel; the replies to show (see `record_feedback`).

        A 👎 that carries the question it answered brings the question's embedding, so its knowledge
        gap is grouped by meaning with the declined questions; without the model it still counts,
        grouped by the documents it cited.
        """
        from bot.feedback import record_feedback

        vector = None
        if feedback.rating == "down" and feedback.question and self._knowledge_available():
            try:
                vector = self.answerer.retriever.encode_query(feedback.question)
            except Exception:  # the 👎 itself must be kept whatever happens to the embedding
                log.warning("could not embed a rated question", exc_info=True)
        return record_feedback(self.database, feedback, settings=self.settings, vector=vector)

    def hand_off(self, request: HandoffRequest) -> list[Reply]:
        """ "Ask the business unit" from any channel: recorded, and queued for every business-unit
        channel through the outbox; the replies to show the person (see `hand_off`)."""
        from bot.feedback import hand_off

        return hand_off(self.database, self.settings, request)

    def conversation_settings(self, platform: str, conversation: str) -> ChannelSettings:
        """The areas and answer mode of a conversation (a Slack channel, a Teams channel or chat)."""
        from bot import channel_settings

        return channel_settings.load(self.database, platform, conversation)

    def may_configure(self, user_id: str, email: str | None = None) -> bool:
        """Whether this person may change a conversation's settings (the one admin check)."""
        from bot import channel_settings

        return channel_settings.may_change(self.database, self.settings, user_id, email)

    def configure(
        self,
        platform: str,
        conversation: str,
        *,
        user_id: str,
        email: str | None = None,
        areas: list[str] | None = None,
        mode: AnswerMode | None = None,
    ) -> ChannelSettings:
        """Change a conversation's settings; raises `channel_settings.NotAllowed` for anyone but an admin."""
        from bot import channel_settings

        return channel_settings.change(
            self.database, self.settings, platform, conversation, user_id=user_id, email=email, areas=areas,
            mode=mode,
        )

    def inbox(
        self,
        platform: str,
        answer: Answer,
        sender: Sender,
        *,
        metrics: Counter | None = None,
        track: Callable[[str, Awaitable[None]], Awaitable[None]] | None = None,
    ) -> Inbox:
        """A channel's durable inbox (`bot.inbox`) over the core's database: the channel stores, claims
        and completes what it receives through it, and never opens the database itself."""
        from bot.inbox import Inbox

        async def database() -> Database:
            return await asyncio.to_thread(lambda: self.database)  # the first open may run migrations

        return Inbox(platform, self.settings, database, answer, sender, metrics=metrics, track=track)

    def keep_reference(self, place: str, key: str, value: object) -> None:
        """Keep where a channel can speak later (see `bot.channel_settings.references`)."""
        from bot.channel_settings import references

        references.keep(self.database, place, key, value)

    def reference(self, place: str, key: str) -> object:
        """What a channel kept with `keep_reference`, or None."""
        from bot.channel_settings import references

        return references.find(self.database, place, key)

    # Follow-up questions are read with the conversation's previous questions and what its last answer
    # cited and quoted (passage ids and document lines), kept in the database: any replica may take the
    # next message, and a restarted terminal chat keeps its last turn for SGBOT_FOLLOW_UP_MINUTES. Never
    # referral or discussion content. (Adding the last answer's first quoted line, or the headings it
    # quoted, to the context words was measured on tests/knowledge/data/followups_tune.jsonl: 2 of 7
    # follow-ups right, against 3 of 7 with the questions alone; the answer's passages are used instead,
    # see bot/qa/follow_up.py.)
    THREAD_QUESTIONS = 2

    @staticmethod
    def _conversation_key(message: Message) -> tuple[str, str]:
        """Where a conversation's last turn is kept: its thread, or (a chat with no threads, such
        as the terminal) the user's own conversation in that channel."""
        if message.thread_id:
            return f"thread:{message.channel}", message.thread_id
        return f"conversation:{message.channel}", message.user_id

    def _thread_context(self, message: Message) -> tuple[str | None, LastAnswer | None]:
        """The thread's previous questions, and what its last answer cited and quoted."""
        from bot.db import get_channel_state
        from bot.qa.service import LastAnswer

        channel, key = self._conversation_key(message)
        stored = get_channel_state(self.database, channel, key)
        if not isinstance(stored, dict):
            return None, None
        at = stored.get("at")
        if at is not None:
            try:
                age = dt.datetime.now(dt.UTC) - dt.datetime.fromisoformat(at)
            except (TypeError, ValueError):
                return None, None
            if age > dt.timedelta(minutes=self.settings.follow_up_minutes):
                return None, None
        elif not message.thread_id:
            return None, None  # an undated turn outside a thread: too old to lean on
        context = " ".join(str(q) for q in stored.get("questions", [])) or None
        return context, LastAnswer.from_state(stored.get("answer")) if context else None

    def _remember_question(self, message: Message, question: str, *, follows: bool,
                           answer: QuestionAnswer | None = None) -> None:
        """This turn becomes the conversation's last one; a follow-up keeps the question it followed."""
        from bot.db import get_channel_state, put_channel_state
        from bot.qa.service import LastAnswer, reads_as_follow_up

        db = self.database
        channel, key = self._conversation_key(message)
        questions: list[str] = []
        if follows and reads_as_follow_up(question):
            stored = get_channel_state(db, channel, key)
            questions = list((stored or {}).get("questions", [])) if isinstance(stored, dict) else []
        questions = (questions + [question])[-self.THREAD_QUESTIONS :]
        state: dict[str, object] = {"questions": questions,
                                    "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
        if answer is not None and answer.passages:
            state["answer"] = LastAnswer(tuple(answer.passages), tuple(answer.quoted)).to_state()
        put_channel_state(db, channel, key, state)

    def _guidance_reply(self, query: str, area: str | None) -> Reply:
        """A cited passage for a checklist step; only the YAML's query text is searched."""
        from bot.referral.text import say

        unavailable = Reply(say("guidance_unavailable", contact=self.settings.contact))
        if not self._knowledge_available():
            return unavailable
        try:
            # Cached per generation of the index: a re-ingest (any process) makes it look again.
            generation = self.answerer.index.catalog.generation()
        except Exception:  # the checklist must carry on without guidance, never fail on it
            log.warning("guidance lookup failed", exc_info=True)
            return unavailable
        key = (query, area, generation)
        cached = self._guidance.get(key)
        if cached is not None:
            return cached
        try:
            answer = self.answerer.answer(query, area=area)
        except Exception:  # the checklist must carry on without guidance, never fail on it
            log.warning("guidance lookup failed", exc_info=True)
            return unavailable
        if not answer.answered or not answer.citations:
            return unavailable
        reply = Reply(
            text=f"{say('guidance_heading')}\n{answer.text}",
            citations=list[Citation](answer.citations),
        )
        if len(self._guidance) > 1000:  # entries of older generations are never asked for again
            self._guidance.clear()
        self._guidance[key] = reply
        return reply

    def _knowledge_available(self) -> bool:
        if self._answerer is not None or self.settings.chroma_host:
            return True
        index = self.settings.index_dir
        return index.exists() and any(index.iterdir())


def _user_id_refused(message: Message) -> Outcome:
    """A user id no table can hold: refused in words (never a database error), the emergency route
    still first if the message is a disclosure; nothing is stored."""
    from bot.prompts import say
    from bot.safety.emergency import emergency_first

    refusal = Reply(say("user_id_too_long", length=len(message.user_id), limit=MAX_USER_ID_LENGTH))
    urgent = emergency_first(message.text, path="message from an over-long user id")
    return Outcome(replies=[urgent, refusal] if urgent else [refusal])
