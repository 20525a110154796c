"""The review queue: submission and triage, as a service layer over the database.

Every change runs in one transaction, appends an event (who, when, what, why)
and recomputes the clocks. Changes are optimistically locked: a caller passes
the version it looked at, and if someone else got there first nothing is
written and the caller is told what changed (`StaleReferral`). Callers that
have not looked at a version (a one-off CLI command) act on the current one.

Every notification a change makes (the business unit told of a new referral
or a reply, the referrer asked for information or told a decision, …) is
published to the outbox in the same transaction as the change, keyed by the
change's event: it is delivered if and only if the change is committed, and
at most once per audience and channel, whoever made the change and wherever.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy.orm import Session, object_session
from sqlalchemy.orm.exc import StaleDataError

from bot.config import Settings
from bot.db import Database, utcnow
from bot.messages import Notification
from bot.outbox import HELD, Outbox
from bot.people import People
from bot.referral import notices
from bot.referral import statuses as st
from bot.referral.clocks import Clocks
from bot.referral.definition import ChecklistDefinition, load_checklist
from bot.referral.errors import (
    IllegalTransition,
    InvalidTriage,
    NotAllowed,
    ReferralNotFound,
    StaleReferral,
)
from bot.referral.models import Referral, ReferralEvent
from bot.referral.repository import ReferralRepository
from bot.referral.roles import Role, role_of, sees_every_referral
from bot.referral.text import label, say
from bot.referral.views import (
    ReferralDetail,
    ReferralSummary,
    clock_states,
    describe_event,
    detail,
    summary,
)
from bot.safety.text import csv_cell

# Longest text a person may type into the queue: a reply to a request for information, the
# business unit's question or a decision's reason. A summary, not a case record; longer is
# refused with the limit named (and nothing stored), never cut.
MAX_REPLY_LENGTH = 8000
MAX_TRIAGE_TEXT_LENGTH = 4000


def notification(audience: str, notice: notices.ReferralNotice) -> Notification:
    """A referral event for `audience`, never worded here: the outbox stores the event and words it at
    delivery for that audience, and the referral presenter words it where it is shown at once (the
    terminal, the command line: `Notification.reply`)."""
    return Notification(
        audience=audience,
        referral_reference=notice.reference,
        event=notice.kind,
        notice=notice,
    )


def _name_of(referral: Referral, user_id: str) -> str | None:
    """How the business unit knows an officer: the display name their platform's profile gave, or None
    (worded "an officer": a raw platform id such as UOFFICER1 tells a reader nothing)."""
    session = object_session(referral)
    person = People.find_in(session, user_id) if session is not None else None
    return person.display_name if person is not None else None


def _referrer_of(referral: Referral) -> str:
    """How the business unit knows the referrer: the name they gave in the checklist, else their
    platform's display name, else their id (the one way left to find them)."""
    return referral.referrer_name or _name_of(referral, referral.user_id) or referral.user_id


def bounded(text: str, what: str, limit: int) -> str:
    """`text`, or `InvalidTriage` saying how long it is and what the limit is."""
    if len(text) > limit:
        raise InvalidTriage(say("typed_too_long", what=what, length=len(text), limit=limit))
    return text

Now = Callable[[], datetime]

# Events that record something other than a change to the referral.
NOT_CHANGES = frozenset({"viewed", "clock_due_soon", "clock_overdue"})
# Review types the referrer picks that start the Panel notification clock.
CHILD_SERIOUS = "serious_child"


@dataclass
class TriageResult:
    """What a change did: the referral as it now is, what was done, and who is told."""

    referral: ReferralDetail
    action: str  # the event recorded: "assigned", "info_requested", "accepted", …
    details: dict[str, Any]  # what the event recorded with it (the assignee, the decision, the date)
    notifications: list[Notification] = field(default_factory=list)
    held: list[Notification] = field(default_factory=list)  # of those, held in the outbox


@dataclass
class Actor:
    user_id: str
    email: str | None = None


class ReviewQueue:
    def __init__(
        self,
        database: Database,
        settings: Settings,
        *,
        now: Now = utcnow,
        checklist: ChecklistDefinition | None = None,
        outbox: Outbox | None = None,
    ) -> None:
        self.database = database
        self.outbox = outbox or Outbox(database, settings, now=now)
        self.settings = settings
        self.clocks = Clocks.from_settings(settings)
        self.now = now
        self.checklist = checklist or load_checklist(settings.checklist)

    # --- reading -------------------------------------------------------------------

    def role(self, actor: Actor) -> Role:
        return role_of(self.settings, actor.user_id, actor.email, database=self.database)

    def today(self) -> date:
        return self.clocks.today(self.now())

    def listing(
        self,
        actor: Actor,
        *,
        include_closed: bool = False,
        limit: int | None = 50,
        offset: int = 0,
        status: str | None = None,
        review_type: str | None = None,
        area: str | None = None,
        assigned_to: str | None = None,
        statuses: frozenset[str] | None = None,
        accepted_only: bool = False,
    ) -> list[ReferralSummary]:
        """The queue for a business-unit user; a practitioner's own referrals for anyone else.

        Filters (the dashboard's): one status, a review type (considered or accepted for), an area,
        an assignee ("-" for nobody).
        """
        owner = None if sees_every_referral(self.role(actor)) else actor.user_id
        if statuses is None:
            statuses = None if include_closed else st.OPEN
        if status:
            statuses = frozenset({status})
        today = self.today()
        with self.database.sessions() as session:
            rows = ReferralRepository(session).queue(
                user_id=owner,
                statuses=statuses,
                limit=limit,
                offset=offset,
                review_type=review_type,
                area=area,
                assigned_to=assigned_to,
                accepted_only=accepted_only,
            )
            return [summary(r, self.clocks, today) for r in rows]

    def facets(self) -> dict[str, list[str]]:
        with self.database.sessions() as session:
            return ReferralRepository(session).facets()

    def record_view(self, actor: Actor, reference: str, *, where: str) -> None:
        """A page view of a referral, as an event in its history (who looked, when, from where)."""
        with self.database.transaction() as session:
            referral = self._visible(session, actor, reference)
            event = self._event(referral, actor, "viewed", None, None, None, {"where": where})
            event.version = referral.version  # a look changes nothing: the version stays
            ReferralRepository(session).add_event(event)

    def show(self, actor: Actor, reference: str) -> ReferralDetail:
        with self.database.sessions() as session:
            referral = self._visible(session, actor, reference)
            return self._detail(session, referral)

    def export_csv(self, actor: Actor, *, include_closed: bool = True) -> str:
        rows = self.listing(actor, include_closed=include_closed, limit=None)
        out = io.StringIO()
        columns = [
            "reference",
            "status",
            "review_type",
            "decision",
            "assigned_to",
            "referrer",
            "referrer_name",
            "submitted_at",
            "decision_due",
            "notification_due",
            "rapid_review_due",
            "report_due",
            "next_due",
            "overdue",
            "due_soon",
            "version",
        ]
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:  # a referrer name like =HYPERLINK(…) must stay text in a spreadsheet
            writer.writerow({key: csv_cell(value) for key, value in row.to_dict().items()})
        return out.getvalue()

    # --- submission (called by the checklist, inside its own transaction) ------------

    def submit(
        self, session: Session, referral: Referral, actor: Actor
    ) -> tuple[str, bool, list[Notification]]:
        """File a draft: (reference, created, notifications). Submitting it again files nothing new."""
        repository = ReferralRepository(session)
        locked = repository.get(referral.id, for_update=True)
        if locked is None:
            raise ReferralNotFound(say("not_found", reference=f"draft {referral.id}"))
        if locked.status != st.DRAFT:
            return locked.reference or "", False, []
        now = self.now()
        year = self.clocks.local_date(now).year
        number = repository.next_reference_number(year)
        answers = locked.answer_values()
        locked.reference = f"PR-{year}-{number:04d}"
        locked.status = st.SUBMITTED
        locked.submitted_at = now
        locked.review_type = answers.get("review_type")
        locked.referrer_name = answers.get("referrer_name")
        self._recompute_clocks(locked)
        submitted = self._event(locked, actor, "submitted", st.DRAFT, st.SUBMITTED, None, None)
        repository.add_event(submitted)
        session.flush()
        published = self.outbox.publish(
            session, [self._submitted_notification(locked)], key=f"referral-event:{submitted.id}", at=now
        )
        return locked.reference, True, published

    def _submitted_notification(self, referral: Referral) -> Notification:
        today = self.clocks.local_date(referral.submitted_at or self.now())
        running = clock_states(referral, self.clocks, today)
        return notification(
            "business_unit",
            notices.Submitted(
                reference=referral.reference or "",
                review_type=referral.review_type,
                referrer=_referrer_of(referral),
                clocks=[notices.RunningClock(name=c.name, due=c.due.isoformat()) for c in running if not c.done],
                version=referral.version,
            ),
        )

    # --- triage ----------------------------------------------------------------------

    def assign(
        self, actor: Actor, reference: str, to: str | None = None, *, expected_version: int | None = None
    ) -> TriageResult:
        assignee = (to or actor.user_id).strip()
        if assignee == "me":
            assignee = actor.user_id

        def change(referral: Referral) -> tuple[dict[str, Any], list[Notification]]:
            if referral.status == st.CLOSED:
                raise _illegal("assign", reference, referral.status, allowed="nothing (it is closed)")
            referral.assigned_to = assignee
            notes = []
            if assignee != actor.user_id:  # an officer who takes a referral needs no telling
                assigned = notices.Assigned(reference=reference, by=_name_of(referral, actor.user_id))
                notes.append(notification(assignee, assigned))
            return {"to": assignee}, notes

        return self._change(actor, reference, "assigned", expected_version, change)

    def request_info(
        self, actor: Actor, reference: str, question: str, *, expected_version: int | None = None
    ) -> TriageResult:
        question = question.strip()
        if not question:
            raise InvalidTriage("Please say what information you need: the referrer will see your question.")
        bounded(question, "question", MAX_TRIAGE_TEXT_LENGTH)

        def change(referral: Referral) -> tuple[dict[str, Any], list[Notification]]:
            self._move(referral, st.MORE_INFO_REQUESTED, "request more information on", reference)
            asked = notices.InfoRequested(
                reference=reference, question=question,
                referrer=_referrer_of(referral), by=_name_of(referral, actor.user_id),
            )
            # The referrer is asked; every business-unit channel hears that they were, and by whom.
            notes = [notification(referral.user_id, asked), notification("business_unit", asked)]
            return {"question": question}, notes

        return self._change(actor, reference, "info_requested", expected_version, change)

    def provide_info(
        self, actor: Actor, reference: str, text: str, *, session: Session | None = None
    ) -> TriageResult:
        """The referrer's reply to a request for more information: attached, and back to submitted."""
        reply_text = bounded(text.strip(), "reply", MAX_REPLY_LENGTH)

        def change(referral: Referral) -> tuple[dict[str, Any], list[Notification]]:
            if referral.status != st.MORE_INFO_REQUESTED:
                raise IllegalTransition(say("reply_not_awaited", reference=reference))
            self._move(referral, st.SUBMITTED, "reply to", reference)
            note = notification(
                "business_unit",
                notices.InfoProvided(reference=reference, referrer=_referrer_of(referral)),
            )
            return {"reply": reply_text}, [note]

        return self._change(
            actor, reference, "info_provided", None, change, referrer_only=True, session=session
        )

    def check_reply(self, session: Session, actor: Actor, reference: str) -> None:
        """Raise what `provide_info` would, before the referrer types a reply that could not be sent."""
        referral = self._find(ReferralRepository(session), reference)
        if referral.user_id != actor.user_id:
            raise ReferralNotFound(say("not_found", reference=reference.strip()))
        if referral.status != st.MORE_INFO_REQUESTED:
            raise IllegalTransition(say("reply_not_awaited", reference=reference))

    def decide(
        self,
        actor: Actor,
        reference: str,
        outcome: str,
        reason: str,
        *,
        review_type: str | None = None,
        expected_version: int | None = None,
    ) -> TriageResult:
        """accepted (with a review type), redirected or not_accepted; always with a reason."""
        reason = (reason or "").strip()
        if not reason:
            raise InvalidTriage(say("reason_required"))
        bounded(reason, "reason", MAX_TRIAGE_TEXT_LENGTH)
        if outcome == "accepted":
            if review_type not in st.ACCEPTED_TYPES:
                raise InvalidTriage(
                    f"Accepted for which review? Give one of: {', '.join(st.ACCEPTED_TYPES)}"
                    f" (you gave {review_type!r})."
                )
            decision = review_type
        elif outcome in {"redirected", "not_accepted"}:
            decision = outcome
        else:
            raise InvalidTriage(f"Unknown decision {outcome!r}: use accepted, redirected or not_accepted.")

        def change(referral: Referral) -> tuple[dict[str, Any], list[Notification]]:
            self._move(referral, outcome, f"record the decision “{label('decision', decision)}” on", reference)
            referral.decision = decision
            referral.decision_reason = reason
            if decision == "lcspr":
                referral.commissioned_on = self.today()
            decided = notices.Decided(
                reference=reference, decision=decision, reason=reason, outcome=outcome,
                referrer=_referrer_of(referral), by=_name_of(referral, actor.user_id),
            )
            # One event, two audiences, each with its own wording: the referrer, and every business-unit
            # channel (an officer in Teams sees what one in Slack decided).
            notes = [notification(referral.user_id, decided), notification("business_unit", decided)]
            return {"decision": decision}, notes

        return self._change(actor, reference, outcome, expected_version, change, reason=reason)

    def record_date(
        self, actor: Actor, reference: str, which: str, when: date, *, expected_version: int | None = None
    ) -> TriageResult:
        """The date the local authority became aware (`la_aware`) or notified the Panel (`panel_notified`)."""
        if which not in {"la_aware", "panel_notified"}:
            raise InvalidTriage(f"Unknown date {which!r}: use la_aware or panel_notified.")
        if when > self.today():
            raise InvalidTriage(f"{when.isoformat()} is in the future: record the date it actually happened.")

        def change(referral: Referral) -> tuple[dict[str, Any], list[Notification]]:
            if referral.status in {st.DRAFT, st.CLOSED}:
                raise _illegal("record dates on", reference, referral.status, allowed="nothing")
            if which == "la_aware":
                referral.la_aware_on = when
            else:
                referral.panel_notified_on = when
            return {"date": when.isoformat()}, []

        return self._change(actor, reference, f"{which}_recorded", expected_version, change)

    def move(
        self,
        actor: Actor,
        reference: str,
        target: str,
        *,
        reason: str | None = None,
        expected_version: int | None = None,
    ) -> TriageResult:
        """in_review, completed or closed (decisions and replies have their own methods)."""
        if target not in {st.IN_REVIEW, st.COMPLETED, st.CLOSED}:
            raise InvalidTriage(f"Use decide() or request_info() to move a referral to {target!r}.")
        action = {st.IN_REVIEW: "review_started", st.COMPLETED: "completed", st.CLOSED: "closed"}[target]

        def change(referral: Referral) -> tuple[dict[str, Any], list[Notification]]:
            verb = {st.IN_REVIEW: "start the review of", st.COMPLETED: "complete", st.CLOSED: "close"}[target]
            self._move(referral, target, verb, reference)
            notes = []
            if action in {"review_started", "completed"}:  # the referrer and the business unit hear how it goes on
                kind: Literal["review_started", "completed"] = (
                    "review_started" if action == "review_started" else "completed"
                )
                progressed = notices.Progressed(
                    kind=kind, reference=reference,
                    referrer=_referrer_of(referral), by=_name_of(referral, actor.user_id),
                )
                notes += [notification(referral.user_id, progressed), notification("business_unit", progressed)]
            return {}, notes

        return self._change(actor, reference, action, expected_version, change, reason=reason)

    # --- machinery -------------------------------------------------------------------

    def _change(
        self,
        actor: Actor,
        reference: str,
        action: str,
        expected_version: int | None,
        change: Callable[[Referral], tuple[dict[str, Any], list[Notification]]],
        *,
        reason: str | None = None,
        referrer_only: bool = False,
        session: Session | None = None,
    ) -> TriageResult:
        if session is not None:  # part of the caller's unit of work (the conversation's turn)
            return self._apply(
                session, actor, reference, action, expected_version, change, reason, referrer_only
            )
        try:
            with self._transaction() as own:
                return self._apply(
                    own, actor, reference, action, expected_version, change, reason, referrer_only
                )
        except StaleDataError:
            # Between our read and our write someone else committed: say what they did.
            with self.database.sessions() as fresh:
                repository = ReferralRepository(fresh)
                referral = self._find(repository, reference)
                seen = expected_version if expected_version is not None else referral.version - 1
                raise self._stale(repository, referral, seen) from None

    def _apply(
        self,
        session: Session,
        actor: Actor,
        reference: str,
        action: str,
        expected_version: int | None,
        change: Callable[[Referral], tuple[dict[str, Any], list[Notification]]],
        reason: str | None,
        referrer_only: bool,
    ) -> TriageResult:
        # The role is checked before the reference is looked up, and someone else's referral is
        # "not found": no answer may tell a stranger which references exist.
        if not referrer_only and not sees_every_referral(self.role(actor)):
            raise NotAllowed(say("not_allowed_triage"))
        repository = ReferralRepository(session)
        referral = self._find(repository, reference)
        if referrer_only and referral.user_id != actor.user_id:
            raise ReferralNotFound(say("not_found", reference=reference.strip()))
        if expected_version is not None and referral.version != expected_version:
            raise self._stale(repository, referral, expected_version)
        from_status = referral.status
        details, notifications = change(referral)
        self._recompute_clocks(referral)
        event = self._event(referral, actor, action, from_status, referral.status, reason, details or None)
        repository.add_event(event)
        session.flush()  # the UPDATE ... WHERE version = <the version read> happens here
        notifications = self.outbox.publish(session, notifications, key=f"referral-event:{event.id}", at=self.now())
        held = [n for n in notifications if HELD in n.channels]
        return TriageResult(
            referral=self._detail(session, referral),
            action=action,
            details=details,
            notifications=notifications,
            held=held,
        )

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        with self.database.transaction() as session:
            yield session

    def _stale(self, repository: ReferralRepository, referral: Referral, seen: int) -> StaleReferral:
        # Looking at a referral changes nothing, so a view is not among "what changed".
        events = repository.events_since(referral.id, seen)
        # Clock notices (bot/referral/clock_notices.py) tell of time passing, not of a change either.
        changes = [describe_event(e) for e in events if e.action not in NOT_CHANGES]
        if not changes:
            changes = [f"it is now at version {referral.version}, you saw version {seen}"]
        message = say("stale", reference=referral.reference, changes="; ".join(changes))
        return StaleReferral(message, changes)

    def _find(self, repository: ReferralRepository, reference: str) -> Referral:
        referral = repository.by_reference(reference)
        if referral is None or referral.status == st.DRAFT:
            raise ReferralNotFound(say("not_found", reference=reference.strip()))
        return referral

    def _visible(self, session: Session, actor: Actor, reference: str) -> Referral:
        referral = self._find(ReferralRepository(session), reference)
        if referral.user_id != actor.user_id and not sees_every_referral(self.role(actor)):
            raise ReferralNotFound(say("not_found", reference=reference.strip()))
        return referral

    def _detail(self, session: Session, referral: Referral) -> ReferralDetail:
        loaded = ReferralRepository(session).with_details(referral.id) or referral
        labels = {s.id: self.checklist.fill(s.label, loaded.answer_values()) for s in self.checklist.steps}
        return detail(loaded, self.clocks, self.today(), labels)

    def _move(self, referral: Referral, target: str, action: str, reference: str) -> None:
        if not st.can_move(referral.status, target):
            allowed = (
                ", ".join(label("status", s) for s in sorted(st.TRANSITIONS[referral.status])) or "nothing"
            )
            raise _illegal(action, reference, referral.status, allowed=allowed)
        referral.status = target

    def _event(
        self,
        referral: Referral,
        actor: Actor,
        action: str,
        from_status: str | None,
        to_status: str | None,
        reason: str | None,
        details: dict[str, Any] | None,
    ) -> ReferralEvent:
        return ReferralEvent(
            referral_id=referral.id,
            at=self.now(),
            actor=actor.user_id,
            action=action,
            from_status=from_status,
            to_status=to_status,
            reason=reason,
            detail=details,
            version=(referral.version or 0) + 1,  # the referral's version once this change is flushed
        )

    def _recompute_clocks(self, referral: Referral) -> None:
        """Due dates from the facts recorded so far; `next_due_on` orders the queue."""
        clocks = self.clocks
        submitted_on = clocks.local_date(referral.submitted_at) if referral.submitted_at else None
        referral.decision_due_on = clocks.decision_due(submitted_on) if submitted_on else None
        child_serious = referral.review_type == CHILD_SERIOUS or referral.decision in {
            "rapid_review",
            "lcspr",
        }
        if child_serious and (referral.la_aware_on or submitted_on):
            # Until the business unit records when the local authority became aware, the
            # date of submission stands in for it: the clock is never silently missing.
            aware = referral.la_aware_on or submitted_on
            assert aware is not None
            referral.notification_due_on = clocks.notification_due(aware)
        else:
            referral.notification_due_on = None
        if child_serious and referral.panel_notified_on:
            referral.rapid_review_due_on = clocks.rapid_review_due(referral.panel_notified_on)
        else:
            referral.rapid_review_due_on = None
        if referral.decision == "lcspr" and referral.commissioned_on:
            referral.report_due_on = clocks.report_due(referral.commissioned_on)
        else:
            referral.report_due_on = None
        today = clocks.local_date(self.now())
        open_dues = [c.due for c in clock_states(referral, clocks, today) if not c.done]
        referral.next_due_on = min(open_dues) if open_dues and referral.status != st.CLOSED else None


def _illegal(action: str, reference: str, status: str, *, allowed: str) -> IllegalTransition:
    """The refusal of a move the referral's status does not allow, naming what is allowed instead."""
    return IllegalTransition(
        say("illegal_transition", action=action, reference=reference, status=label("status", status), allowed=allowed)
    )
