"""Action plans: the recommendations of a review and the actions that answer them, as a service.

Only referrals accepted for a review have an action plan. Every change runs in one transaction and
appends an event to the referral's history (who, when, what); items are optimistically locked, so a
change made from an out-of-date page is refused with what changed instead of overwriting it.

`ActionPlans` is what people reach (dashboard, chat, CLI): it checks the business-unit role.
`add_action_item` is for the core's own callers that already run a unit of work and decided who may
act (a case discussion recording an agreed action).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, literal_column, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from bot.config import Settings
from bot.db import Database, utcnow
from bot.referral import statuses as st
from bot.referral.clocks import Clocks
from bot.referral.errors import NotAllowed, QueueError, ReferralNotFound
from bot.referral.models import Referral, ReferralEvent
from bot.referral.repository import ReferralRepository
from bot.referral.text import label
from bot.referral.text import say as say_referral
from bot.reviews.models import ACTION_STATUSES, COMPLETED, FINISHED, FINISHED_SQL, OPEN, ActionItem
from bot.reviews.text import action_status_label, say
from bot.reviews.views import ActionView, action_view
from bot.roles import in_business_unit
from bot.spreadsheet import safe_cell

Now = Callable[[], datetime]
MAX_TEXT = 4000


class ActionPlanError(QueueError):
    """A change to an action plan that cannot be made; `str(error)` names the problem and the fix."""


class StaleAction(ActionPlanError):
    pass


@dataclass(frozen=True)
class Completion:
    """How far the action plans have got: counts by status, and the overdue ones."""

    total: int
    by_status: dict[str, int]
    overdue: int

    @property
    def completed_share(self) -> float | None:
        return self.by_status.get(COMPLETED, 0) / self.total if self.total else None


def is_review(referral: Referral) -> bool:
    return referral.decision in st.ACCEPTED_TYPES


def add_action_item(
    session: Session,
    *,
    reference: str,
    recommendation: str,
    owner_agency: str,
    due_on: date,
    actor: str,
    action: str | None = None,
    status: str = OPEN,
    evidence_of_impact: str | None = None,
    source: str = "discussion",
    now: datetime | None = None,
) -> ActionItem:
    """Add one action to a review's plan inside the caller's transaction, with its event."""
    moment = now or utcnow()
    referral = ReferralRepository(session).by_reference(reference)
    if referral is None or referral.status == st.DRAFT:
        raise ReferralNotFound(say_referral("not_found", reference=reference.strip()))
    if not is_review(referral):
        raise ActionPlanError(
            say("not_a_review", reference=referral.reference, status=label("status", referral.status))
        )
    recommendation = _text(recommendation, "recommendation_required")
    owner_agency = _text(owner_agency, "owner_required", limit=255)
    if not isinstance(due_on, date):
        raise ActionPlanError(say("due_required"))
    _check_status(status)
    item = ActionItem(
        referral_id=referral.id,
        recommendation=recommendation,
        action=(action or "").strip()[:MAX_TEXT] or None,
        owner_agency=owner_agency,
        due_on=due_on,
        status=status,
        evidence_of_impact=(evidence_of_impact or "").strip()[:MAX_TEXT] or None,
        source=source,
        created_by=actor,
        created_at=moment,
        updated_at=moment,
        completed_on=moment.date() if status == COMPLETED else None,
    )
    session.add(item)
    session.flush()
    _record(session, referral, actor, "action_added", moment, {"action_item": item.id, "owner_agency": owner_agency,
                                                               "due_on": due_on.isoformat(), "status": status})
    return item


def _record(
    session: Session, referral: Referral, actor: str, action: str, at: datetime, detail: dict[str, Any]
) -> None:
    # An action-plan change does not change the referral itself, so its version stays: the event
    # carries the current one (a triage button shown before the action was added stays valid).
    session.add(
        ReferralEvent(
            referral_id=referral.id,
            at=at,
            actor=actor,
            action=action,
            from_status=None,
            to_status=None,
            reason=None,
            detail=detail,
            version=referral.version,
        )
    )


def _text(value: str | None, problem: str, *, limit: int = MAX_TEXT) -> str:
    cleaned = " ".join((value or "").split())
    if not cleaned:
        raise ActionPlanError(say(problem))
    return cleaned[:limit]


def _check_status(status: str) -> None:
    if status not in ACTION_STATUSES:
        allowed = ", ".join(ACTION_STATUSES)
        raise ActionPlanError(say("unknown_action_status", status=status, allowed=allowed))


def listing_statement(*, status: str | None, overdue_only: bool, today: date, limit: int | None = None,
                      offset: int = 0) -> Select[ActionItem, str | None]:
    """`ActionPlans.listing`'s query, apart so that its plan can be checked."""
    statement = select(ActionItem, Referral.reference).join(Referral, Referral.id == ActionItem.referral_id)
    if status:
        statement = statement.where(ActionItem.status == status)
    if overdue_only:
        statement = statement.where(ActionItem.status.not_in(sorted(FINISHED)), ActionItem.due_on < today)
    # Unfinished ones by due date are the overdue first: no need for today's date in the order, which
    # would stop an index serving it.
    if status:
        statement = statement.order_by(ActionItem.due_on.asc(), ActionItem.id.asc())
    else:
        finished_last: ColumnElement[bool] = literal_column(f"{ActionItem.__tablename__}.{FINISHED_SQL}")
        statement = statement.order_by(finished_last, ActionItem.due_on.asc(), ActionItem.id.asc())
    if limit is not None:
        statement = statement.limit(limit).offset(offset)
    return statement


class ActionPlans:
    def __init__(self, database: Database, settings: Settings, *, now: Now = utcnow) -> None:
        self.database = database
        self.settings = settings
        self.clocks = Clocks.from_settings(settings)
        self.now = now

    def today(self) -> date:
        return self.clocks.today(self.now())

    def _check_role(self, actor_id: str, email: str | None = None) -> None:
        if not in_business_unit(self.settings, self.database, actor_id, email):
            raise NotAllowed(say("not_allowed_actions"))

    # --- changes -------------------------------------------------------------------------

    def add(
        self,
        actor_id: str,
        reference: str,
        *,
        recommendation: str,
        owner_agency: str,
        due_on: date,
        action: str | None = None,
        status: str = OPEN,
        evidence_of_impact: str | None = None,
        source: str = "dashboard",
        email: str | None = None,
    ) -> ActionView:
        self._check_role(actor_id, email)
        with self.database.transaction() as session:
            item = add_action_item(
                session,
                reference=reference,
                recommendation=recommendation,
                owner_agency=owner_agency,
                due_on=due_on,
                actor=actor_id,
                action=action,
                status=status,
                evidence_of_impact=evidence_of_impact,
                source=source,
                now=self.now(),
            )
            referral = session.get(Referral, item.referral_id)
            assert referral is not None
            return action_view(item, referral.reference or "", self.today())

    def update(
        self,
        actor_id: str,
        item_id: int,
        *,
        status: str | None = None,
        evidence_of_impact: str | None = None,
        due_on: date | None = None,
        owner_agency: str | None = None,
        expected_version: int | None = None,
        email: str | None = None,
    ) -> ActionView:
        """Change an action's status, evidence, due date or owner; completing one needs evidence."""
        self._check_role(actor_id, email)
        if status is not None:
            _check_status(status)
        try:
            with self.database.transaction() as session:
                item = self._get(session, item_id)
                if expected_version is not None and item.version != expected_version:
                    raise self._stale(item, expected_version)
                changes: dict[str, Any] = {"action_item": item.id}
                if evidence_of_impact is not None and evidence_of_impact.strip():
                    item.evidence_of_impact = evidence_of_impact.strip()[:MAX_TEXT]
                    changes["evidence"] = True
                if due_on is not None and due_on != item.due_on:
                    item.due_on = due_on
                    changes["due_on"] = due_on.isoformat()
                if owner_agency is not None and owner_agency.strip() and owner_agency.strip() != item.owner_agency:
                    item.owner_agency = _text(owner_agency, "owner_required", limit=255)
                    changes["owner_agency"] = item.owner_agency
                if status is not None and status != item.status:
                    if status == COMPLETED and not item.evidence_of_impact:
                        raise ActionPlanError(say("evidence_required"))
                    changes["from"], changes["to"] = item.status, status
                    item.status = status
                    item.completed_on = self.today() if status == COMPLETED else None
                item.updated_at = self.now()
                session.flush()  # UPDATE ... WHERE version = <read>: a concurrent change fails here
                referral = session.get(Referral, item.referral_id)
                assert referral is not None
                action = "action_closed" if item.status in FINISHED and "to" in changes else "action_updated"
                _record(session, referral, actor_id, action, self.now(), changes)
                return action_view(item, referral.reference or "", self.today())
        except StaleDataError:
            raise StaleAction(say("action_stale", changes="it was changed at the same moment")) from None

    def close(
        self,
        actor_id: str,
        item_id: int,
        evidence_of_impact: str,
        *,
        expected_version: int | None = None,
        email: str | None = None,
    ) -> ActionView:
        """Complete an action with the evidence of its impact (required)."""
        if not (evidence_of_impact or "").strip():
            raise ActionPlanError(say("evidence_required"))
        return self.update(
            actor_id,
            item_id,
            status=COMPLETED,
            evidence_of_impact=evidence_of_impact,
            expected_version=expected_version,
            email=email,
        )

    # --- reading -------------------------------------------------------------------------

    def for_review(self, actor_id: str, reference: str, *, email: str | None = None) -> list[ActionView]:
        self._check_role(actor_id, email)
        with self.database.sessions() as session:
            referral = ReferralRepository(session).by_reference(reference)
            if referral is None or referral.status == st.DRAFT:
                raise ReferralNotFound(say_referral("not_found", reference=reference.strip()))
            items = session.scalars(
                select(ActionItem).where(ActionItem.referral_id == referral.id).order_by(ActionItem.id)
            ).all()
            today = self.today()
            return [action_view(i, referral.reference or "", today) for i in items]

    def listing(
        self,
        actor_id: str,
        *,
        status: str | None = None,
        overdue_only: bool = False,
        email: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[ActionView]:
        """Actions on every review: overdue first, then open ones, then finished; each by due date.

        Ordered and cut to a page by the database: a page of the list reads only that page's rows.
        """
        self._check_role(actor_id, email)
        if status:
            _check_status(status)
        today = self.today()
        with self.database.sessions() as session:
            statement = listing_statement(status=status, overdue_only=overdue_only, today=today, limit=limit,
                                          offset=offset)
            return [action_view(item, reference or "", today) for item, reference in session.execute(statement)]

    def open_counts(self, references: list[str] | None = None) -> dict[str, tuple[int, int]]:
        """Per review: (actions open or in progress, of which overdue); all reviews, or those listed."""
        today = self.today()
        unfinished = ActionItem.status.not_in(sorted(FINISHED))
        with self.database.sessions() as session:
            statement = (
                select(
                    Referral.reference,
                    func.count(ActionItem.id),
                    func.sum(case((ActionItem.due_on < today, 1), else_=0)),
                )
                .join(Referral, Referral.id == ActionItem.referral_id)
                .where(unfinished)
                .group_by(Referral.reference)
            )
            if references is not None:
                statement = statement.where(Referral.reference.in_(references))
            return {str(ref): (int(n), int(late or 0)) for ref, n, late in session.execute(statement)}

    def completion(self, *, due_by: date | None = None) -> Completion:
        """Counts by status (for the report): every action, or those due by a date."""
        today = self.today()
        unfinished = ActionItem.status.not_in(sorted(FINISHED))
        with self.database.sessions() as session:
            statement = select(
                ActionItem.status,
                func.count(ActionItem.id),
                func.sum(case((and_(unfinished, ActionItem.due_on < today), 1), else_=0)),
            ).group_by(ActionItem.status)
            if due_by is not None:
                statement = statement.where(ActionItem.due_on <= due_by)
            by_status = {s: 0 for s in ACTION_STATUSES}
            overdue = 0
            for status, n, late in session.execute(statement):
                by_status[status] = by_status.get(status, 0) + int(n)
                overdue += int(late or 0)
            return Completion(sum(by_status.values()), by_status, overdue)

    def export_csv(self, actor_id: str, *, email: str | None = None) -> str:
        """Status and dates of every action: never the recommendation's or the evidence's text."""
        rows = self.listing(actor_id, email=email)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["action_id", "reference", "owner_agency", "due_on", "status", "completed_on", "overdue"])
        for row in rows:
            writer.writerow(
                [
                    row.id,
                    safe_cell(row.reference),
                    safe_cell(row.owner_agency),
                    row.due_on,
                    action_status_label(row.status),
                    row.completed_on or "",
                    "yes" if row.overdue else "no",
                ]
            )
        return out.getvalue()

    # --- machinery -----------------------------------------------------------------------

    def _get(self, session: Session, item_id: int) -> ActionItem:
        item = session.get(ActionItem, item_id)
        if item is None:
            raise ActionPlanError(say("action_not_found", item=item_id))
        return item

    def _stale(self, item: ActionItem, seen: int) -> StaleAction:
        changes = (
            f"it is now {action_status_label(item.status)}, version {item.version}; you saw version {seen}"
        )
        return StaleAction(say("action_stale", changes=changes))
