"""The referral checklist as a conversation, with its state in the database.

Each message is one unit of work: the user's conversation session, the draft
and its answers are read, changed and committed together, so an answer is
either saved with the step that follows it or not at all, whichever process
handles the next message. Nothing here knows which channel the user is in.

The conversation never calls Q&A itself (that can take seconds, and must not
hold a database transaction open): it returns the question, or the guidance
queries to look up, in the `Turn` for the assistant to resolve. Nor does it word
anything: it returns what happened as typed results (checklist_results.py; the
triage commands' are triage_results.py), and the assistant has the checklist
presenter (`words`) and the triage presenter (`triage_words`) turn them into replies.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.db import Database
from bot.db.base import utcnow
from bot.messages import Message, Notification, Reply
from bot.qa.urgent_rules import normalise, rule_verdict
from bot.referral import actions, checklist_actions, commands, statuses
from bot.referral.answers import InvalidAnswer, parse_answer
from bot.referral.checklist_actions import ChecklistAction, InvalidChecklistAction
from bot.referral.checklist_presenter import ChecklistPresenter
from bot.referral.checklist_results import (
    AlreadySubmitted,
    Cancelled,
    ChangeMenu,
    ChecklistResult,
    DraftWaiting,
    EmergencyRoute,
    EmergencyStop,
    Filed,
    GuidanceSlot,
    NoChecklist,
    Note,
    Notice,
    Problem,
    Question,
    ReplyAttached,
    ReplyPrompt,
    Stamp,
    StepHelp,
    Summary,
    UnknownStep,
)
from bot.referral.commands import Command
from bot.referral.definition import ChecklistDefinition, Step, load_checklist
from bot.referral.errors import InvalidTriage, QueueError
from bot.referral.models import Referral
from bot.referral.presenter import ReferralOffer, TriagePresenter
from bot.referral.queue import Actor, ReviewQueue
from bot.referral.repository import ReferralRepository
from bot.referral.triage_chat import DashboardLinks, TriageChat
from bot.referral.triage_results import TriageChatResult
from bot.safety.emergency import emergency_first
from bot.sessions.models import ConversationSession

log = logging.getLogger(__name__)

FREE_TEXT = {"text"}
EXACT_START = {"refer", "/refer", "start", "/start", "new referral"}
# Someone who comes back to a draft after this long is told it is waiting and shown where they
# were; what they typed is not taken as the answer to a question they may no longer have in mind.
RESUME_AFTER = timedelta(hours=4)


# One part of a turn: a reply already worded, or a result for the checklist's or the triage presenter to word.
TurnPart = Reply | ChecklistResult | TriageChatResult


@dataclass
class Turn:
    """What the conversation produced; the assistant fills in Q&A and guidance, and has the checklist's
    results worded (`ReferralConversation.words`) and the triage commands' (`triage_words`). Replies
    already worded (a case discussion's) pass through as they are."""

    handled: bool = True  # False: not for the referral feature; route to Q&A
    replies: list[TurnPart] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)
    question: str | None = None  # asked mid-checklist: answer it before `replies`
    # The draft and version this turn's checklist buttons are shown at (set once its changes are flushed).
    stamp: Stamp | None = None


class ReferralConversation:
    def __init__(self, database: Database, settings: Settings, queue: ReviewQueue | None = None) -> None:
        self.database = database
        self.settings = settings
        self.definition: ChecklistDefinition = load_checklist(settings.checklist)
        self.queue = queue or ReviewQueue(database, settings, checklist=self.definition)
        self.triage = TriageChat(self.queue)
        self.words = ChecklistPresenter(self.definition, contact=settings.contact)
        self.triage_words = TriagePresenter(self.queue.settings.checklist)

    def use_dashboard_links(self, links: DashboardLinks) -> None:
        """Where `dashboard` gets its sign-in link from (the assistant connects the web dashboard's)."""
        self.triage.dashboard_links = links

    def offer_on_referrals(self, offer: ReferralOffer) -> None:
        """Show `offer`'s button on the business unit's view of a referral (once, however often asked):
        the assistant connects the features built on referrals, such as a case discussion."""
        if offer not in self.triage_words.offers:
            self.triage_words.offers.append(offer)

    # --- entry point -------------------------------------------------------------------

    def handle(self, message: Message) -> Turn:
        if checklist_actions.is_checklist(message.action):
            return self._checked(message)
        if actions.is_typed(message.action):
            return self._typed(message)
        text = message.content
        command = commands.parse(text)
        actor = Actor(message.user_id, message.email)
        if command is not None and command.kind in TriageChat.KINDS:
            replies, notifications = self.triage.handle(actor, command)
            return Turn(replies=list(replies), notifications=notifications)
        if command is None and not self._in_progress(message.user_id):
            # A plain question from someone not mid-checklist: not ours, and nothing to write.
            return Turn(handled=False)
        try:
            return self._in_transaction(message, command)
        except IntegrityError:
            # Two first messages from a new user raced to create their session row: the
            # other one won, so this one simply runs again against it.
            return self._in_transaction(message, command, last_try=True)

    def _typed(self, message: Message) -> Turn:
        """A button or form's typed action: checked, then done (never parsed as words)."""
        try:
            typed = actions.read(message.action or "")
        except actions.InvalidAction as refused:  # unreadable, forged or incomplete: say so, change nothing
            log.info("typed action refused", extra={"user": message.user_id, "problem": refused.problem.value})
            return Turn(replies=[Problem(refused)])
        if typed.kind == "reply":  # the referrer's own conversation: their next message is the reply
            return self._in_transaction(message, Command("reply", typed.reference))
        replies, notifications = self.triage.perform(Actor(message.user_id, message.email), typed)
        return Turn(replies=list(replies), notifications=notifications)

    def has_draft(self, user_id: str) -> bool:
        """Whether the user has a checklist in progress (a chat that starts says it is waiting)."""
        with self.database.sessions() as session:
            state = session.scalars(
                select(ConversationSession).where(ConversationSession.user_id == user_id)
            ).first()
            return state is not None and state.step is not None and state.referral_id is not None

    def _in_transaction(self, message: Message, command: Command | None, *, last_try: bool = False) -> Turn:
        first: list[ChecklistResult] = []  # the emergency route, decided before what was typed is stored
        try:
            with self.database.transaction() as session:
                state = self._session(session, message.user_id)
                turn = _with_route(first, self._route(session, state, message, command, first))
                session.flush()
                return _stamped(turn, state)
        except Exception as failure:
            if not first or (isinstance(failure, IntegrityError) and not last_try):
                raise
            # Storing failed after the route was decided: the route is still shown, first, and the
            # person is told that what they typed was not kept. The error's text can carry what was
            # typed (SQL parameters), so only its kind is logged.
            log.error("typed text not stored", extra={"user": message.user_id, "error": type(failure).__name__})
            return Turn(replies=[*first, Notice("not_stored")])

    def _checked(self, message: Message) -> Turn:
        """A checklist button: done only if it belongs to the draft and question on screen now."""
        try:
            typed = checklist_actions.read(message.action or "")
        except InvalidChecklistAction as refused:
            log.info("checklist action refused", extra={"user": message.user_id, "problem": str(refused)})
            return Turn(replies=[Notice("button_unreadable")])
        if typed.kind == "start":
            return self.handle(replace(message, action=None, text="refer"))
        try:
            return self._checked_in_transaction(message, typed)
        except IntegrityError:  # two first messages raced to create the session row: run again
            return self._checked_in_transaction(message, typed)

    def _checked_in_transaction(self, message: Message, typed: ChecklistAction) -> Turn:
        with self.database.transaction() as session:
            state = self._session(session, message.user_id)
            turn = self._press(session, state, message, typed)
            session.flush()
            return _stamped(turn, state)

    def _press(self, session: Session, state: ConversationSession, message: Message, typed: ChecklistAction) -> Turn:
        """What a checklist button does, if its draft, question and version are the ones current now."""
        referral = self._draft(session, state)
        if referral is None or referral.id != typed.draft:
            return Turn(replies=[Notice("button_other_draft")])
        if referral.status != statuses.DRAFT:
            if typed.kind == "submit":  # a retried Submit: the referral was filed once
                return Turn(replies=[AlreadySubmitted(referral.reference or "")])
            return Turn(replies=[Notice("button_other_draft")])
        step = self.definition.step(state.step or "") if state.step else None
        if step is None:
            return Turn(replies=[Notice("button_other_draft")])
        answers = referral.answer_values()
        expected_step = "change" if typed.kind == "change" and typed.payload.get("to") else None
        on_screen = typed.step in {step.id, expected_step} if typed.step else True
        if typed.version != state.version or not on_screen:
            log.info("stale checklist button refused", extra={"referral_id": referral.id, "user": message.user_id})
            return Turn(replies=[Notice("button_stale"), *self._ask(step, answers)])
        if typed.kind == "answer":
            if step.option(typed.payload["value"]) is None:  # a button only ever carries one of its choices
                return Turn(replies=[Notice("button_unreadable"), *self._ask(step, answers)])
            return self._answer(session, state, referral, step, typed.payload["value"], message)
        if typed.kind == "change":
            target_id = typed.payload.get("to")
            if not target_id:
                return Turn(replies=[self._change_menu(answers)])
            target = next((s for s in self._answered_steps(answers) if s.id == target_id), None)
            if target is None:
                return Turn(replies=[Notice("button_stale"), *self._ask(step, answers)])
            state.step = target.id
            return Turn(replies=[*self._ask(target, answers)])
        if typed.kind == "cancel":
            return self._cancel(session, state, referral, Cancelled("cancelled"))
        if step.type != "confirm":
            return Turn(replies=[Notice("still_incomplete"), *self._ask(step, answers)])
        return self._submit(session, state, referral, message)

    # --- routing -----------------------------------------------------------------------

    def _route(
        self,
        session: Session,
        state: ConversationSession,
        message: Message,
        command: Command | None,
        first: list[ChecklistResult],
    ) -> Turn:
        """One message's turn. Wherever the person typed free text, the emergency route is decided
        into `first` before the text is stored (and stored as usual: nothing is lost)."""
        actor = Actor(message.user_id, message.email)
        text = message.content
        if command is not None and command.kind == "reply":
            if command.argument:
                first.extend(_urgent_route(command.argument, "reply to a request for information"))
            return self._reply_command(session, state, actor, command)
        if state.replying_to is not None:
            if command is not None and command.kind == "cancel":
                state.replying_to = None
                return Turn(replies=[Notice("cancelled_reply")])
            first.extend(_urgent_route(message.text, "reply to a request for information"))
            return self._attach_reply(session, state, actor, state.replying_to, text)
        referral = self._draft(session, state)
        if referral is None or state.step is None:
            return self._idle(session, state, message, command, referral)
        step = self.definition.step(state.step) or self._next_step(referral.answer_values())
        if _away_since(state.updated_at) > RESUME_AFTER:
            state.updated_at = utcnow()  # back now: from here on, messages are answers again
            if command is None and not self._emergency_answer(step, text):
                first.extend(_urgent_route(message.text, "checklist answer"))
                return self._waiting(referral, step, text)
        free_text = step.type in FREE_TEXT
        if command is not None and free_text and not self._command_at_free_text(command, text):
            command = None  # "Change of school in May…" is an answer, not a command
        if command is not None:
            return self._checklist_command(session, state, referral, step, command, message)
        question = commands.question_in(text, free_text_step=free_text)
        if question is not None:
            answers = referral.answer_values()
            return Turn(question=question, replies=[Notice("carry_on"), *self._ask(step, answers)])
        confirmed = self._safety_confirmed(referral.answer_values(), step, text)
        first.extend(_urgent_route(message.text, "checklist answer", safety_confirmed=confirmed))
        return self._answer(session, state, referral, step, text, message)

    def _emergency_answer(self, step: Step, text: str) -> bool:
        """Whether `text` answers `step` with its emergency stop ("no, not safe"): never held back."""
        try:
            option = step.option(str(parse_answer(step, text, self.queue.today()).value))
        except InvalidAnswer:
            return False
        return option is not None and option.stop == "emergency"

    def _safety_confirmed(self, answers: dict[str, Any], step: Step, text: str) -> bool:
        """Whether the referrer has told us everyone is safe now (in this message or before).

        The safety checks are the questions with an emergency stop ("is everyone safe now?"). Once
        they are answered "safe", the meaning detector's reading of an incident described for the
        review (which is about harm, by its nature) no longer puts the 999 banner first; danger now
        in so many words still does (the rules, `_urgent_route`).
        """
        checks = [s for s in self.definition.applicable(answers) if any(o.stop == "emergency" for o in s.options)]
        if not checks:
            return False
        if step in checks and step.id not in answers:
            try:
                option = step.option(str(parse_answer(step, text, self.queue.today()).value))
            except InvalidAnswer:
                return False
            answers = {**answers, step.id: option.value} if option is not None and not option.stop else answers
        return all(s.id in answers for s in checks)  # an "unsafe" answer is never saved

    def _command_at_free_text(self, command: Command, text: str) -> bool:
        lowered = " ".join(text.lower().split())
        if command.kind == "start":
            return lowered in EXACT_START
        if command.kind == "change":
            return command.argument == "" or self._resolve_step(command.argument, {}) is not None
        return True

    def _idle(
        self,
        session: Session,
        state: ConversationSession,
        message: Message,
        command: Command | None,
        referral: Referral | None,
    ) -> Turn:
        kind = command.kind if command else None
        if kind == "start":
            return self._start(session, state, message)
        if kind == "submit" and referral is not None and referral.status != statuses.DRAFT:
            return Turn(replies=[AlreadySubmitted(referral.reference or "")])
        if kind == "cancel":
            return Turn(replies=[Notice("nothing_to_cancel")])
        if kind in {"continue", "back", "change", "submit"}:
            return Turn(
                replies=[NoChecklist()]
            )
        return Turn(handled=False)

    # --- starting, resuming ------------------------------------------------------------

    def _start(self, session: Session, state: ConversationSession, message: Message) -> Turn:
        referral = ReferralRepository(session).add(
            Referral(
                checklist=self.definition.id,
                status=statuses.DRAFT,
                user_id=message.user_id,
                referrer_email=message.email,
                channel=message.channel,
                area=message.area,
            )
        )
        state.referral_id = referral.id
        state.history = []
        first = self._next_step({})
        state.step = first.id
        log.info("referral draft started", extra={"referral_id": referral.id, "user": message.user_id})
        return Turn(replies=[Notice("start"), *self._present(first, {})])

    def _waiting(self, referral: Referral, step: Step, text: str) -> Turn:
        """Back after a while: the draft is waiting; what was typed is not taken as an answer."""
        answers = referral.answer_values()
        saved = len(self._answered_steps(answers))
        waiting = DraftWaiting(referral.created_at, saved)
        question = commands.question_in(text, free_text_step=step.type in FREE_TEXT)
        return Turn(question=question, replies=[waiting, *self._ask(step, answers)])

    def _resume(self, referral: Referral, step: Step) -> Turn:
        answers = referral.answer_values()
        if step.type == "confirm":
            return Turn(replies=[Notice("resume"), *self._summary(answers)])
        return Turn(replies=[Notice("resume"), *self._ask(step, answers)])

    # --- checklist commands ------------------------------------------------------------

    def _checklist_command(
        self,
        session: Session,
        state: ConversationSession,
        referral: Referral,
        step: Step,
        command: Command,
        message: Message,
    ) -> Turn:
        answers = referral.answer_values()
        kind = command.kind
        if kind in {"start", "continue"}:
            return self._resume(referral, step)
        if kind == "help":
            replies: list[TurnPart] = [StepHelp(step, answers)]
            query = self._help_query(step)
            if query:
                replies.append(GuidanceSlot(query))
            replies.extend(self._ask(step, answers, show_help=False))
            return Turn(replies=replies)
        if kind == "cancel":
            return self._cancel(session, state, referral, Cancelled("cancelled"))
        if kind == "back":
            history = list(state.history or [])
            while history and history[-1] == step.id:
                history.pop()
            if not history:
                return Turn(replies=[Notice("back_at_start"), *self._ask(step, answers)])
            previous = self.definition.step(history.pop())
            state.history = history
            assert previous is not None
            state.step = previous.id
            return Turn(replies=[*self._ask(previous, answers)])
        if kind == "change":
            if not command.argument:
                return Turn(replies=[self._change_menu(answers)])
            target = self._resolve_step(command.argument, answers)
            if target is None:
                names = [s.id for s in self._answered_steps(answers)]
                return Turn(replies=[UnknownStep(command.argument, names)])
            state.step = target.id
            return Turn(replies=[*self._ask(target, answers)])
        if kind == "submit":
            if step.type != "confirm":
                return Turn(replies=[Notice("still_incomplete"), *self._ask(step, answers)])
            return self._submit(session, state, referral, message)
        return Turn(replies=[*self._ask(step, answers)])

    def _cancel(self, session: Session, state: ConversationSession, referral: Referral, ended: Cancelled) -> Turn:
        state.step = None
        state.history = []
        state.referral_id = None
        if referral.status == statuses.DRAFT:
            ReferralRepository(session).delete_draft(referral)
        log.info("referral draft cancelled", extra={"referral_id": referral.id})
        return Turn(replies=[ended])

    # --- answering ---------------------------------------------------------------------

    def _answer(
        self,
        session: Session,
        state: ConversationSession,
        referral: Referral,
        step: Step,
        text: str,
        message: Message,
    ) -> Turn:
        answers = referral.answer_values()
        if step.type == "confirm":
            lowered = text.strip().lower()
            if lowered in {"submit", "send", "yes", "1"}:
                return self._submit(session, state, referral, message)
            if lowered in {"change", "2"}:
                return Turn(replies=[self._change_menu(answers)])
            if lowered in {"3"}:
                return self._cancel(session, state, referral, Cancelled("cancelled"))
            return Turn(replies=[*self._summary(answers)])
        try:
            parsed = parse_answer(step, text, self.queue.today())
        except InvalidAnswer as problem:
            return Turn(replies=[Problem(problem), *self._ask(step, answers, show_help=False)])
        option = step.option(str(parsed.value)) if step.type in {"choice", "yesno"} else None
        notes: list[TurnPart] = [Note(n) for n in parsed.notes]
        if option is not None and option.block:
            return Turn(replies=[*notes, Note(option.block), *self._ask(step, answers, show_help=False)])
        if option is not None and option.stop == "emergency":
            # Not saved: on `continue` the same question is asked again.
            return Turn(replies=[EmergencyStop()])
        if option is not None and option.stop == "redirect":
            return self._cancel(session, state, referral, Cancelled("redirected", option.message or ""))
        if option is not None and option.stop == "cancel":
            return self._cancel(session, state, referral, Cancelled("criteria"))
        repository = ReferralRepository(session)
        repository.save_answer(
            referral, step.id, self.definition.index(step.id), parsed.value, parsed.display
        )
        answers[step.id] = parsed.value
        history = [s for s in (state.history or []) if s != step.id]
        state.history = [*history, step.id]
        if option is not None and option.goto:
            repository.remove_answer(referral, step.id)  # asked again once the earlier answer changes
            answers.pop(step.id, None)
            target = self.definition.step(option.goto)
            assert target is not None
            state.step = target.id
            return Turn(replies=[*notes, *self._ask(target, answers)])
        following = self._next_step(answers)
        state.step = following.id
        return Turn(replies=[*notes, *self._present(following, answers)])

    # --- submission --------------------------------------------------------------------

    def _submit(
        self, session: Session, state: ConversationSession, referral: Referral, message: Message
    ) -> Turn:
        answers = referral.answer_values()
        missing = self._next_step(answers)
        if missing.type != "confirm":
            state.step = missing.id
            return Turn(replies=[Notice("still_incomplete"), *self._ask(missing, answers)])
        applicable = {s.id for s in self.definition.applicable(answers)}
        repository = ReferralRepository(session)
        for step_id in list(answers):
            if step_id not in applicable:  # answers on a branch not taken are not sent
                repository.remove_answer(referral, step_id)
        session.flush()
        reference, created, notifications = self.queue.submit(
            session, referral, Actor(message.user_id, message.email)
        )
        state.step = None
        state.history = []
        state.referral_id = referral.id  # a retried Submit finds it, and files nothing new
        if not created:
            return Turn(replies=[AlreadySubmitted(reference)])
        log.info("referral submitted", extra={"referral_id": referral.id, "reference": reference})
        return Turn(replies=[Filed(reference)], notifications=notifications)

    # --- replies to requests for more information --------------------------------------

    def _reply_command(
        self, session: Session, state: ConversationSession, actor: Actor, command: Command
    ) -> Turn:
        reference = command.reference or ""
        if command.argument:
            return self._attach_reply(session, state, actor, reference, command.argument)
        try:  # refused now, not after the reply has been typed
            self.queue.check_reply(session, actor, reference)
        except QueueError as problem:
            return Turn(replies=[Problem(problem)])
        state.replying_to = reference
        return Turn(replies=[ReplyPrompt(reference)])

    def _attach_reply(
        self, session: Session, state: ConversationSession, actor: Actor, reference: str, text: str
    ) -> Turn:
        cleaned = text.strip()
        if not cleaned:
            return Turn(replies=[ReplyPrompt(reference)])
        try:
            result = self.queue.provide_info(actor, reference, cleaned, session=session)
        except InvalidTriage as too_long:  # still replying, so the shortened reply is attached
            try:  # to a referral the referrer can reply to; else refused as any other
                self.queue.check_reply(session, actor, reference)
            except QueueError as problem:
                state.replying_to = None
                return Turn(replies=[Problem(problem)])
            state.replying_to = reference
            return Turn(replies=[Problem(too_long)])
        except QueueError as problem:
            state.replying_to = None
            return Turn(replies=[Problem(problem)])
        state.replying_to = None
        turn = Turn(
            replies=[ReplyAttached(reference)], notifications=result.notifications
        )
        if state.step is not None and state.referral_id is not None:
            referral = self._draft(session, state)
            step = self.definition.step(state.step)
            if referral is not None and step is not None:
                turn.replies.append(Notice("carry_on"))
                turn.replies.extend(self._ask(step, referral.answer_values()))
        return turn

    # --- presenting steps --------------------------------------------------------------

    def _present(self, step: Step, answers: dict[str, Any]) -> list[ChecklistResult]:
        """A step shown for the first time: guidance (cited) first, then the question."""
        if step.type == "confirm":
            return [*self._summary(answers)]
        parts: list[ChecklistResult] = []
        if step.guidance_query:
            parts.append(GuidanceSlot(step.guidance_query))
        parts.extend(self._ask(step, answers))
        return parts

    def _ask(self, step: Step, answers: dict[str, Any], *, show_help: bool = True) -> list[ChecklistResult]:
        """The question for `step` (the summary, then the Submit prompt, for the last step)."""
        if step.type == "confirm":
            return self._summary(answers)
        return [Question(step, answers, show_help)]

    def _help_query(self, step: Step) -> str | None:
        """What to look up in the knowledge base for `help` (only the YAML's words, never the user's)."""
        if step.guidance_query:
            return step.guidance_query
        document = self.definition.document
        if step.source and document is not None:
            return f"{document.title}: {step.source}"
        return None

    def _summary(self, answers: dict[str, Any]) -> list[ChecklistResult]:
        return [Summary(self._answered_steps(answers), answers)]

    def _change_menu(self, answers: dict[str, Any]) -> ChecklistResult:
        return ChangeMenu(self._answered_steps(answers), answers)

    # --- helpers -----------------------------------------------------------------------

    def _in_progress(self, user_id: str) -> bool:
        """Whether the user is mid-checklist or replying to the business unit (a read: no lock)."""
        with self.database.sessions() as session:
            state = session.scalars(
                select(ConversationSession).where(ConversationSession.user_id == user_id)
            ).first()
            return state is not None and (state.step is not None or state.replying_to is not None)

    def _session(self, session: Session, user_id: str) -> ConversationSession:
        statement = select(ConversationSession).where(ConversationSession.user_id == user_id)
        state = session.scalars(statement.with_for_update()).first()
        if state is None:
            state = ConversationSession(user_id=user_id, history=[])
            session.add(state)
            session.flush()
        return state

    def _draft(self, session: Session, state: ConversationSession) -> Referral | None:
        if state.referral_id is None:
            return None
        return ReferralRepository(session).get(state.referral_id)

    def _next_step(self, answers: dict[str, Any]) -> Step:
        for step in self.definition.applicable(answers):
            if step.type == "confirm" or step.id not in answers:
                return step
        return self.definition.steps[-1]

    def _answered_steps(self, answers: dict[str, Any]) -> list[Step]:
        return [s for s in self.definition.applicable(answers) if s.id in answers and s.type != "confirm"]

    def _resolve_step(self, name: str, answers: dict[str, Any]) -> Step | None:
        wanted = name.strip().lower().replace(" ", "_")
        candidates = self._answered_steps(answers) if answers else list(self.definition.steps)
        if wanted.isdigit():
            index = int(wanted) - 1
            return candidates[index] if 0 <= index < len(candidates) else None
        for step in candidates:
            if wanted in {
                step.id.lower(),
                self.definition.fill(step.label, answers).lower().replace(" ", "_"),
            }:
                return step
        return None


def _explicit_danger(typed: str | None, path: str) -> bool:
    """Whether the words of `typed` say someone is in danger now (the rules alone)."""
    if not typed or not typed.strip():
        return False
    verdict = rule_verdict(normalise(typed))
    if not verdict.urgent:
        return False
    log.info("emergency route shown", extra={"path": path, "rule": verdict.reason})
    return True


def _stamped(turn: Turn, state: ConversationSession) -> Turn:
    """The turn with the draft and version its checklist buttons are shown at (the presenter stamps them).

    Called after the flush, so `state.version` is the version this turn's changes committed.
    """
    turn.stamp = Stamp(state.referral_id, state.version)
    return turn


def _away_since(when: datetime | None) -> timedelta:
    return timedelta(0) if when is None else utcnow() - when


def _urgent_route(typed: str | None, path: str, *, safety_confirmed: bool = False) -> list[ChecklistResult]:
    """The emergency route, as a list of at most one result, when what was typed calls for it.

    `typed` is None for a button press (its value is ours, not the person's words). Once the
    referrer has said everyone is safe now, only danger now in so many words (the rules) shows it.
    """
    urgent = _explicit_danger(typed, path) if safety_confirmed else emergency_first(typed, path=path) is not None
    return [EmergencyRoute()] if urgent else []


def _with_route(first: list[ChecklistResult], turn: Turn) -> Turn:
    """`turn` with the emergency route decided for it before everything else."""
    said_already = any(
        isinstance(part, EmergencyRoute | EmergencyStop) or (isinstance(part, Reply) and part.urgent)
        for part in turn.replies
    )
    if first and not said_already:
        turn.replies[:0] = first  # else the checklist's own emergency stop already says it
    return turn
