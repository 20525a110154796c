"""The case discussion engine: runs any method from prompts/discussions/, with its state in the database.

Each message is one unit of work: the discussion is read, the contribution or
the facilitator's move is written, and the referral's history gets its event,
in one transaction, so a contribution is either saved or not, whichever
process handles the next message. Nothing here knows which channel it is in:
a discussion is bound to the core's thread id (a Slack or Teams channel
thread, or a terminal session named after the referral).

Nor does it word anything: it returns what happened as typed results
(results.py), and the assistant has the discussion presenter (`words`,
presenter.py) turn them into replies.

Who may do what, as for referrals: the business unit starts a discussion and
can always read it; only invited people (and the facilitator) can read or add
to it; only the facilitator moves between stages, invites and closes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from bot.config import Settings
from bot.db import Database, utcnow
from bot.discussion import actions, commands, models
from bot.discussion import results as r
from bot.discussion.actions import InvalidDiscussionAction
from bot.discussion.commands import DiscussionCommand
from bot.discussion.method import DiscussionMethod, Stage, UnknownMethod, available_methods, load_method
from bot.discussion.models import Discussion, DiscussionContribution, DiscussionParticipant
from bot.discussion.presenter import DiscussionPresenter, not_invited
from bot.discussion.report import DiscussionReport, build_report
from bot.discussion.results import INVITED, DiscussionInvited, DiscussionPart, DiscussionTurn
from bot.discussion.text import say
from bot.messages import Message, Notification, Reply
from bot.outbox import Outbox
from bot.referral import statuses as st
from bot.referral.answers import InvalidAnswer, clean_text, parse_date
from bot.referral.checklist_results import GuidanceSlot
from bot.referral.clocks import Clocks
from bot.referral.errors import NotAllowed, ReferralNotFound
from bot.referral.models import Referral, ReferralEvent
from bot.referral.queue import Actor
from bot.referral.repository import ReferralRepository
from bot.referral.roles import role_of, sees_every_referral
from bot.reviews.action_plans import ActionPlanError, add_action_item, is_review
from bot.safety.emergency import emergency_first

log = logging.getLogger(__name__)

MAX_CONTRIBUTION = 8000
Now = Callable[[], datetime]


@dataclass
class _Context:
    """What one message in a discussion's thread is handled with."""

    session: Session
    discussion: Discussion
    method: DiscussionMethod
    referral: Referral
    message: Message
    participant: DiscussionParticipant | None

    @property
    def reference(self) -> str:
        return self.referral.reference or ""

    @property
    def stage(self) -> Stage:
        return self.method.stage(self.discussion.stage) or self.method.stages[0]


class DiscussionService:
    def __init__(self, database: Database, settings: Settings, *, now: Now = utcnow) -> None:
        self.database = database
        self.settings = settings
        self.now = now
        self.clocks = Clocks.from_settings(settings)
        self.words = DiscussionPresenter(settings.contact)

    # --- entry point -------------------------------------------------------------------

    def handle(self, message: Message) -> DiscussionTurn | None:
        """The discussion's turn for this message, or None when it is not for a discussion."""
        if actions.is_discussion(message.action):
            return self._pressed(message)
        text = message.content
        start = commands.parse_start(text)
        if start is None and not self._concerns_discussion(message):
            return None  # decided on a plain read: most messages take no write lock here
        try:
            with self.database.transaction() as session:
                if start is not None:
                    return self._stamped(session, message, self._start(session, message, start))
                if not message.thread_id:
                    return None
                discussion = self._in_thread(session, message.thread_id)
                if discussion is None:
                    return None
                turn = self._in_discussion(session, discussion, message)
                return None if turn is None else self._stamped(session, message, turn)
        except StaleDataError:
            # Another facilitator's move won the race: nothing of this message was written.
            return DiscussionTurn(replies=[r.Notice("concurrent_change")])

    def _pressed(self, message: Message) -> DiscussionTurn:
        """A discussion button: done only if its discussion, stage and version are still current."""
        try:
            typed = actions.read(message.action or "")
        except InvalidDiscussionAction as refused:
            log.info("discussion action refused", extra={"user": message.user_id, "problem": str(refused)})
            return DiscussionTurn(replies=[r.Notice("button_unreadable")])
        try:
            with self.database.transaction() as session:
                if typed.kind == "discussion_start":
                    chosen = typed.payload.get("method", "")
                    start = DiscussionCommand("start", reference=typed.reference, argument=chosen)
                    turn = self._start(session, message, start)
                    return self._stamped(session, message, turn)
                discussion = self._in_thread(session, message.thread_id) if message.thread_id else None
                if discussion is None or discussion.id != typed.discussion or discussion.status != models.OPEN:
                    return DiscussionTurn(replies=[r.OtherDiscussion(typed.reference)])
                if discussion.stage != typed.stage or discussion.version != typed.version:
                    log.info("stale discussion button refused", extra={"discussion_id": discussion.id})
                    method = load_method(discussion.method)
                    stage = method.stage(discussion.stage) or method.stages[0]
                    stage_now = self._present(method, stage, typed.reference)
                    turn = DiscussionTurn(replies=[r.Notice("button_stale"), *stage_now])
                    return self._stamped(session, message, turn)
                command = DiscussionCommand(actions.COMMAND[typed.kind])
                turn = self._in_discussion(session, discussion, message, command=command) or DiscussionTurn()
                return self._stamped(session, message, turn)
        except StaleDataError:
            return DiscussionTurn(replies=[r.Notice("concurrent_change")])

    def _stamped(self, session: Session, message: Message, turn: DiscussionTurn) -> DiscussionTurn:
        """The turn with its stage prompts naming the discussion and its version (after the flush): the
        presenter stamps their buttons with them."""
        session.flush()
        discussion = self._in_thread(session, message.thread_id) if message.thread_id else None
        if discussion is None:
            return turn
        stamp = r.Stamp(discussion.id, discussion.version)
        turn.replies = [replace(part, stamp=stamp) if isinstance(part, r.StagePrompt) else part
                        for part in turn.replies]
        return turn

    def _concerns_discussion(self, message: Message) -> bool:
        if not message.thread_id:
            return False
        with self.database.sessions() as session:
            statement = (
                select(Discussion.status)
                .where(Discussion.thread_key == message.thread_id)
                .order_by(Discussion.id.desc())
                .limit(1)
            )
            status = session.scalars(statement).first()
        if status is None:
            return False
        if status == models.OPEN:
            return True
        command = commands.parse(message.content)
        return command is not None and command.kind in {"report", "status"}

    # --- starting ----------------------------------------------------------------------

    def _start(self, session: Session, message: Message, command: DiscussionCommand) -> DiscussionTurn:
        reference = command.reference or ""
        actor = Actor(message.user_id, message.email)
        if not sees_every_referral(role_of(self.settings, actor.user_id, actor.email, database=self.database)):
            return DiscussionTurn(replies=[r.NotBusinessUnit(reference)])
        referral = ReferralRepository(session).by_reference(reference)
        if referral is None or referral.status == st.DRAFT:
            return DiscussionTurn(replies=[r.ReferralMissing(reference)])
        if not command.argument:
            return DiscussionTurn(replies=[r.MethodMenu(reference)])
        try:
            method = load_method(command.argument)
        except UnknownMethod:
            methods = tuple(available_methods())
            return DiscussionTurn(replies=[r.UnknownMethodAsked(command.argument, methods, reference)])
        if not message.thread_id:
            return DiscussionTurn(replies=[r.NoThread(reference, method.id)])
        running = self._in_thread(session, message.thread_id)
        if running is not None and running.status == models.OPEN:
            return DiscussionTurn(replies=[r.AlreadyRunning(load_method(running.method), reference)])
        discussion = Discussion(
            referral_id=referral.id,
            method=method.id,
            stage=method.stages[0].id,
            status=models.OPEN,
            thread_key=message.thread_id,
            channel=message.channel,
            facilitator=message.user_id,
            created_at=self.now(),
        )
        discussion.participants.append(
            DiscussionParticipant(
                identity=message.user_id.lower(),
                name=message.display_name,
                agency=say("business_unit_agency"),
                role=models.FACILITATOR,
                invited_by=message.user_id,
                invited_at=self.now(),
            )
        )
        session.add(discussion)
        session.flush()
        self._event(session, referral, actor, "discussion_started", {"discussion": discussion.id, "method": method.id})
        log.info("discussion started", extra={"discussion_id": discussion.id, "referral_id": referral.id})
        intro = r.Started(method, referral.reference or "", self._name(discussion.participants[0]))
        return DiscussionTurn(replies=[intro, *self._present(method, method.stages[0], referral.reference or "")])

    # --- in a discussion's thread ------------------------------------------------------

    def _in_discussion(
        self,
        session: Session,
        discussion: Discussion,
        message: Message,
        *,
        command: DiscussionCommand | None = None,
    ) -> DiscussionTurn | None:
        """`command`: a button's, already checked; otherwise what the message says."""
        command = command or commands.parse(message.content)
        referral = ReferralRepository(session).get(discussion.referral_id)
        assert referral is not None  # a discussion's referral is never deleted (submitted referrals are kept)
        context = _Context(
            session=session,
            discussion=discussion,
            method=load_method(discussion.method),
            referral=referral,
            message=message,
            participant=self._participant(discussion, message),
        )
        if discussion.status == models.CLOSED:
            if command is not None and command.kind in {"report", "status"}:
                if not self._may_read(context):
                    return DiscussionTurn(replies=[self._not_invited(discussion)])
                return DiscussionTurn(
                    replies=[self._status(context) if command.kind == "status" else self._report(context)]
                )
            return None  # the thread is an ordinary conversation again
        if not self._may_read(context):
            # Not stored (they are not in the discussion), but someone in danger now still comes first.
            typed = message.content if command is None or command.kind in {"learning", "action"} else None
            refusal = self._not_invited(discussion)
            return DiscussionTurn(replies=[*_emergency_first(typed, "discussion, not invited"), refusal])
        if context.participant is not None and message.display_name and not context.participant.name:
            context.participant.name = message.display_name
        if command is None:
            return self._contribute(context, message.content)
        kind = command.kind
        if kind == "help":
            return DiscussionTurn(replies=[r.Notice("usage")])
        if kind == "status":
            # Where it is and what the stage asks, for someone joining (the terminal starts with it).
            present = self._present(context.method, context.stage, context.reference)
            stage = [p for p in present if isinstance(p, r.StagePrompt)]
            return DiscussionTurn(replies=[self._status(context), *stage])
        if kind == "report":
            return DiscussionTurn(replies=[self._report(context)])
        if kind == "ask":
            return DiscussionTurn(question=command.argument)
        if kind == "start":
            return DiscussionTurn(replies=[r.AlreadyRunning(context.method, context.reference)])
        if kind == "learning":
            return self._contribute(context, command.argument, kind=models.LEARNING)
        if kind == "action":
            return self._action(context, command)
        # Everything else is the facilitator's.
        if not self._is_facilitator(context):
            what: Literal["invite", "close", "move"] = "move"
            if kind in {"invite", "close"}:
                what = "invite" if kind == "invite" else "close"
            return DiscussionTurn(replies=[r.NotFacilitator(self._facilitator_name(discussion), what)])
        if kind == "invite":
            return self._invite(context, command)
        if kind == "close":
            return self._close(context)
        return self._move(context, command)

    # --- contributions -----------------------------------------------------------------

    def _contribute(self, context: _Context, raw: str, *, kind: str = models.CONTRIBUTION) -> DiscussionTurn:
        # The emergency route first, before the contribution is stored or refused.
        replies: list[DiscussionPart] = _emergency_first(raw, f"discussion {kind}")
        if context.participant is None:  # the business unit reads every discussion, but adds only if invited
            return DiscussionTurn(replies=[*replies, self._not_invited(context.discussion)])
        if len(raw) > MAX_CONTRIBUTION:
            return DiscussionTurn(replies=[*replies, r.TooLong(len(raw), MAX_CONTRIBUTION)])
        text, _removed = clean_text(raw)
        if not text:
            return DiscussionTurn(replies=[r.Notice("empty")])
        stage = context.stage
        rating, problem = None, None
        if stage.scale is not None and kind == models.CONTRIBUTION:
            # Kept even without a valid rating (nothing typed is lost); the person is asked for it.
            rating, text, problem = _rating(text, stage)
        participant = context.participant
        context.session.add(
            DiscussionContribution(
                discussion_id=context.discussion.id,
                stage=stage.id,
                kind=kind,
                author=context.message.user_id,
                author_name=context.message.display_name or participant.name,
                agency=participant.agency,
                text=text,
                rating=rating,
                created_at=self.now(),
            )
        )
        name = context.message.display_name or self._name(participant)
        said: Literal["contribution", "learning"] = "learning" if kind == models.LEARNING else "contribution"
        log.info("discussion contribution saved", extra={"discussion_id": context.discussion.id, "stage": stage.id})
        return DiscussionTurn(replies=[*replies, r.Saved(said, participant.agency, stage.title, name, problem)])

    def _action(self, context: _Context, command: DiscussionCommand) -> DiscussionTurn:
        stage = context.stage
        if context.participant is None:
            return DiscussionTurn(replies=[*_emergency_first(command.argument, "discussion action, not invited"),
                                           self._not_invited(context.discussion)])
        if not stage.actions:
            stages = tuple(s.title for s in context.method.stages if s.actions)
            turn = self._contribute(context, context.message.content)
            # After the emergency route, if there is one: someone in danger now reads that first.
            first = sum(1 for reply in turn.replies if isinstance(reply, Reply) and reply.urgent)
            turn.replies.insert(first, r.ActionNotHere(stages, stage.title))
            return turn
        replies: list[DiscussionPart] = _emergency_first(command.argument, "discussion action")
        if not command.agency or not command.due or not command.argument:
            return DiscussionTurn(replies=[*replies, r.ActionUsage()])
        try:
            due = parse_date(command.due, self._today())
        except InvalidAnswer as problem:
            return DiscussionTurn(replies=[*replies, r.ActionUsage(problem)])
        text, _ = clean_text(command.argument)
        actor = Actor(context.message.user_id, context.message.email)
        plan_item = None
        if is_review(context.referral):
            # An accepted review has an action plan: the agreed action becomes an item on it, in
            # this same transaction (owner agency, due date), tracked from the dashboard.
            try:
                plan_item = add_action_item(
                    context.session,
                    reference=context.reference,
                    recommendation=text,
                    owner_agency=command.agency,
                    due_on=due,
                    actor=actor.user_id,
                    source="discussion",
                    now=self.now(),
                )
            except ActionPlanError as problem:
                return DiscussionTurn(replies=[*replies, r.ActionRefused(problem)])
        contribution = DiscussionContribution(
            discussion_id=context.discussion.id,
            stage=stage.id,
            kind=models.ACTION,
            author=context.message.user_id,
            author_name=context.message.display_name or context.participant.name,
            agency=context.participant.agency,
            text=text,
            owner_agency=command.agency,
            due_on=due,
            action_plan_item=str(plan_item.id) if plan_item is not None else None,
            created_at=self.now(),
        )
        context.session.add(contribution)
        context.session.flush()
        # The discussion's own record of it, in the referral's history, with what was agreed.
        self._event(
            context.session,
            context.referral,
            actor,
            "action_agreed",
            {
                "discussion": context.discussion.id,
                "action": contribution.id,
                "action_item": plan_item.id if plan_item is not None else None,
                "owner_agency": command.agency,
                "due": due.isoformat(),
                "text": text,
            },
        )
        saved = r.ActionSaved(command.agency, due, text, context.reference, on_plan=plan_item is not None)
        return DiscussionTurn(replies=[*replies, saved])

    # --- the facilitator ---------------------------------------------------------------

    def _invite(self, context: _Context, command: DiscussionCommand) -> DiscussionTurn:
        identity = command.argument.strip().lower()
        agency = " ".join(command.agency.split())
        if not identity or not agency:
            return DiscussionTurn(replies=[r.Notice("invite_usage")])
        existing = next((p for p in context.discussion.participants if p.identity == identity), None)
        if existing is not None:
            existing.agency = agency
            invited = r.Invited(command.argument, agency, again=True)
        else:
            context.discussion.participants.append(
                DiscussionParticipant(
                    identity=identity,
                    agency=agency,
                    role=models.PARTICIPANT,
                    invited_by=context.message.user_id,
                    invited_at=self.now(),
                )
            )
            invited = r.Invited(command.argument, agency, again=False)
        context.session.flush()
        self._event(
            context.session,
            context.referral,
            Actor(context.message.user_id, context.message.email),
            "discussion_invited",
            {"discussion": context.discussion.id, "who": command.argument, "agency": agency},
        )
        # The invitee hears of it where they can be reached (a Slack DM, their Teams chat, or held
        # for their next message); the reference and method only, never case content.
        invitation = DiscussionInvited(
            reference=context.reference,
            title=context.method.title,
            agency=agency,
            facilitator=self._facilitator_name(context.discussion),
        )
        note = Notification(audience=command.argument,
                            referral_reference=context.reference, event=INVITED, notice=invitation)
        # In the invitation's own transaction: the invitee is told if and only if they were invited.
        published = Outbox(self.database, self.settings, now=self.now).publish(context.session, [note])
        return DiscussionTurn(replies=[invited], notifications=published)

    def _move(self, context: _Context, command: DiscussionCommand) -> DiscussionTurn:
        method = context.method
        current = method.index(context.stage.id)
        if command.kind == "next":
            if current + 1 >= len(method.stages):
                return DiscussionTurn(replies=[r.Notice("at_last_stage")])
            target = current + 1
        elif command.kind == "back":
            if current == 0:
                return DiscussionTurn(replies=[r.Notice("at_first_stage")])
            target = current - 1
        else:
            found = method.find(command.argument)
            if found is None:
                return DiscussionTurn(replies=[r.UnknownStage(command.argument, method)])
            target = method.index(found.id)
        stage = method.stages[target]
        previous = context.discussion.stage
        context.discussion.stage = stage.id
        context.session.flush()  # the UPDATE … WHERE version = <the one read> happens here
        self._event(
            context.session,
            context.referral,
            Actor(context.message.user_id, context.message.email),
            "discussion_stage",
            {"discussion": context.discussion.id, "from": previous, "to": stage.id},
        )
        moved = r.Moved(self._facilitator_name(context.discussion), target + 1, back=target < current)
        return DiscussionTurn(replies=[moved, *self._present(method, stage, context.reference)])

    def _close(self, context: _Context) -> DiscussionTurn:
        discussion = context.discussion
        discussion.status = models.CLOSED
        discussion.closed_at = self.now()
        context.session.flush()
        report = build_report(discussion, context.method, context.referral)
        self._event(
            context.session,
            context.referral,
            Actor(context.message.user_id, context.message.email),
            "discussion_closed",
            {
                "discussion": discussion.id,
                "method": discussion.method,
                "contributions": report.contribution_count,
                "actions": len(report.actions),
            },
        )
        log.info("discussion closed", extra={"discussion_id": discussion.id})
        return DiscussionTurn(replies=[r.Closed(context.method, context.reference, report)])

    # --- reading -----------------------------------------------------------------------

    def _status(self, context: _Context) -> r.Status:
        discussion = context.discussion
        return r.Status(
            method=context.method,
            reference=context.reference,
            open=discussion.status == models.OPEN,
            stage=context.stage,
            facilitator=self._facilitator_name(discussion),
            participants=tuple((self._name(p), p.agency) for p in discussion.participants),
        )

    def _report(self, context: _Context) -> r.Report:
        return r.Report(build_report(context.discussion, context.method, context.referral))

    def report(self, actor: Actor, reference: str, *, discussion_id: int | None = None) -> DiscussionReport:
        """The report of the latest discussion on `reference` (or of `discussion_id`), for whoever may read it."""
        with self.database.sessions() as session:
            referral = ReferralRepository(session).by_reference(reference)
            if referral is None or referral.status == st.DRAFT:
                raise ReferralNotFound(say("referral_missing", reference=reference))
            statement = select(Discussion).where(Discussion.referral_id == referral.id)
            if discussion_id is not None:
                statement = statement.where(Discussion.id == discussion_id)
            discussion = session.scalars(statement.order_by(Discussion.id.desc())).first()
            if discussion is None:
                raise ReferralNotFound(say("no_discussion", reference=referral.reference))
            message = Message(user_id=actor.user_id, email=actor.email)
            context = _Context(
                session,
                discussion,
                load_method(discussion.method),
                referral,
                message,
                self._participant(discussion, message),
            )
            if not self._may_read(context):
                raise NotAllowed(not_invited(self._facilitator_name(discussion)))
            return build_report(discussion, context.method, referral)

    def open_thread(self, reference: str) -> str | None:
        """The thread an open discussion on `reference` runs in, so the terminal can join it."""
        with self.database.sessions() as session:
            referral = ReferralRepository(session).by_reference(reference)
            if referral is None:
                return None
            statement = (
                select(Discussion.thread_key)
                .where(Discussion.referral_id == referral.id, Discussion.status == models.OPEN)
                .order_by(Discussion.id.desc())
            )
            return session.scalars(statement).first()

    def open_thread_exists(self, thread_key: str) -> bool:
        with self.database.sessions() as session:
            statement = select(Discussion.id).where(
                Discussion.thread_key == thread_key, Discussion.status == models.OPEN
            )
            return session.scalars(statement.limit(1)).first() is not None

    # --- presenting a stage ------------------------------------------------------------

    def _present(self, method: DiscussionMethod, stage: Stage, reference: str) -> list[DiscussionPart]:
        """A stage: the passage its guidance query finds (if it has one), then what it asks."""
        parts: list[DiscussionPart] = []
        if stage.guidance_query:
            parts.append(GuidanceSlot(stage.guidance_query))
        parts.append(r.StagePrompt(method, stage, reference))
        return parts

    # --- helpers -----------------------------------------------------------------------

    def _in_thread(self, session: Session, thread_key: str) -> Discussion | None:
        statement = (
            select(Discussion).where(Discussion.thread_key == thread_key).order_by(Discussion.id.desc()).limit(1)
        )
        return session.scalars(statement).first()

    @staticmethod
    def _participant(discussion: Discussion, message: Message) -> DiscussionParticipant | None:
        identities = {message.user_id.strip().lower()}
        if message.email:
            identities.add(message.email.strip().lower())
        return next((p for p in discussion.participants if p.identity in identities), None)

    def _may_read(self, context: _Context) -> bool:
        if context.participant is not None:
            return True
        role = role_of(self.settings, context.message.user_id, context.message.email, database=self.database)
        return sees_every_referral(role)

    def _is_facilitator(self, context: _Context) -> bool:
        return context.participant is not None and context.participant.role == models.FACILITATOR

    def _not_invited(self, discussion: Discussion) -> r.NotInvited:
        return r.NotInvited(self._facilitator_name(discussion))

    def _facilitator_name(self, discussion: Discussion) -> str:
        facilitator = next((p for p in discussion.participants if p.role == models.FACILITATOR), None)
        return self._name(facilitator) if facilitator else discussion.facilitator

    @staticmethod
    def _name(participant: DiscussionParticipant) -> str:
        return participant.name or participant.identity

    def _today(self) -> date:
        return self.clocks.today(self.now())

    def _event(
        self, session: Session, referral: Referral, actor: Actor, action: str, detail: dict[str, object]
    ) -> None:
        """An entry in the referral's history. The referral itself is not changed (its version
        stays), so an officer's open view of it is not made stale by a discussion."""
        ReferralRepository(session).add_event(
            ReferralEvent(
                referral_id=referral.id,
                at=self.now(),
                actor=actor.user_id,
                action=action,
                from_status=referral.status,
                to_status=referral.status,
                reason=None,
                detail=detail,
                version=referral.version,
            )
        )


def _rating(text: str, stage: Stage) -> tuple[int | None, str, r.RatingProblem | None]:
    """(rating, why, problem): a scale stage's contribution starts with the rating."""
    assert stage.scale is not None
    scale = stage.scale
    head, _, rest = text.partition(" ")
    number = head.split("/")[0].rstrip(".,:;")
    if not number.lstrip("-").isdigit():
        return None, text, r.RatingProblem(None, scale.minimum, scale.maximum)
    rating = int(number)
    if not scale.minimum <= rating <= scale.maximum:
        return None, text, r.RatingProblem(rating, scale.minimum, scale.maximum)
    why = rest.strip()
    for filler in ("out of 10", "because", "-", "–", ":"):
        if why.lower().startswith(filler):
            why = why[len(filler) :].strip()
    return rating, why or text, None


def _emergency_first(typed: str | None, path: str) -> list[DiscussionPart]:
    """Someone in danger now comes before the discussion: the shared emergency route
    (`bot.safety.emergency`, the one every free-text path uses), then it carries on."""
    route = emergency_first(typed, path=path)
    return [route] if route is not None else []
