"""Finding and storing referrals: the only module that writes SQL queries for them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload

from bot.referral.models import ReferenceCounter, Referral, ReferralAnswer, ReferralEvent
from bot.referral.statuses import ACCEPTED_TYPES, DRAFT, OPEN, TRANSITIONS

# The queue's order: what is due first, undated ones last, then the oldest. `next_due_on IS NULL` is
# spelt out (not NULLS LAST) because it is what the index ix_referrals_due_order holds, so the database
# walks the index in order and stops after a page instead of sorting every open referral.
QUEUE_ORDER = (Referral.next_due_on.is_(None), Referral.next_due_on.asc(), Referral.submitted_at.asc(),
               Referral.id.asc())


class ReferralRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, referral_id: int, *, for_update: bool = False) -> Referral | None:
        statement = select(Referral).where(Referral.id == referral_id)
        if for_update:
            statement = (
                statement.with_for_update()
            )  # PostgreSQL row lock; SQLite already holds the write lock
        return self.session.scalars(statement).first()

    def by_reference(self, reference: str) -> Referral | None:
        statement = select(Referral).where(Referral.reference == reference.strip().upper())
        return self.session.scalars(statement).first()

    def add(self, referral: Referral) -> Referral:
        self.session.add(referral)
        self.session.flush()
        return referral

    def delete_draft(self, referral: Referral) -> None:
        if referral.status != DRAFT:
            raise ValueError("only a draft can be deleted")
        self.session.delete(referral)

    def save_answer(
        self, referral: Referral, step_id: str, position: int, value: object, display: str
    ) -> None:
        for answer in referral.answers:
            if answer.step_id == step_id:
                answer.value = value
                answer.display = display
                answer.position = position
                return
        referral.answers.append(
            ReferralAnswer(step_id=step_id, position=position, value=value, display=display)
        )

    def remove_answer(self, referral: Referral, step_id: str) -> None:
        referral.answers[:] = [a for a in referral.answers if a.step_id != step_id]

    def add_event(self, event: ReferralEvent) -> None:
        self.session.add(event)

    def events_since(self, referral_id: int, version: int) -> Sequence[ReferralEvent]:
        statement = (
            select(ReferralEvent)
            .where(ReferralEvent.referral_id == referral_id, ReferralEvent.version > version)
            .order_by(ReferralEvent.id)
        )
        return self.session.scalars(statement).all()

    def next_reference_number(self, year: int) -> int:
        """Take the next number for `year`, atomically: one upsert, in the caller's transaction.

        Two submissions at once both increment the same row; the database makes the
        second wait for the first, so they get different numbers.
        """
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        upsert = insert(ReferenceCounter).values(year=year, last=1)
        statement = upsert.on_conflict_do_update(
            index_elements=["year"], set_={"last": ReferenceCounter.last + 1}
        ).returning(ReferenceCounter.last)
        return int(self.session.connection().execute(statement).scalar_one())

    def queue(
        self,
        *,
        user_id: str | None = None,
        statuses: frozenset[str] | None = OPEN,
        limit: int | None = 50,
        offset: int = 0,
        review_type: str | None = None,
        area: str | None = None,
        assigned_to: str | None = None,
        accepted_only: bool = False,
    ) -> Sequence[Referral]:
        """Submitted referrals, what is due first at the top (undated ones last, oldest first)."""
        statement = queue_statement(user_id=user_id, statuses=statuses, limit=limit, offset=offset,
                                    review_type=review_type, area=area, assigned_to=assigned_to,
                                    accepted_only=accepted_only)
        return self.session.scalars(statement).all()

    def count(self, *, user_id: str | None = None, statuses: frozenset[str] | None = OPEN) -> int:
        statement = select(func.count(Referral.id)).where(_status_filter(statuses))
        if user_id is not None:
            statement = statement.where(Referral.user_id == user_id)
        return int(self.session.scalar(statement) or 0)

    def with_details(self, referral_id: int) -> Referral | None:
        statement = (
            select(Referral)
            .where(Referral.id == referral_id)
            .options(selectinload(Referral.answers), selectinload(Referral.events))
        )
        return self.session.scalars(statement).first()

    def facets(self) -> dict[str, list[str]]:
        """The areas and assignees that occur in submitted referrals (for the queue's filters)."""
        submitted = Referral.status != DRAFT
        areas = self.session.scalars(
            select(Referral.area).where(submitted, Referral.area.is_not(None)).distinct().order_by(Referral.area)
        ).all()
        assignees = self.session.scalars(
            select(Referral.assigned_to)
            .where(submitted, Referral.assigned_to.is_not(None))
            .distinct()
            .order_by(Referral.assigned_to)
        ).all()
        return {"areas": [a for a in areas if a], "assignees": [a for a in assignees if a]}

    def due_between(self, start: date, end: date) -> Sequence[Referral]:
        statement = select(Referral).where(Referral.next_due_on >= start, Referral.next_due_on <= end)
        return self.session.scalars(statement).all()


def _status_filter(statuses: frozenset[str] | None) -> ColumnElement[bool]:
    """Submitted referrals in `statuses` (any, if None).

    One status is looked up by the index that starts with it. Several (the open ones, the review
    stages) are said as "none of the others": that cannot use a status index, so the database reads
    the due-order index and stops after a page instead of fetching every matching referral and sorting
    them all (444 ms for the first page at 10,000 referrals).
    """
    wanted = set(statuses) - {DRAFT} if statuses is not None else set(TRANSITIONS) - {DRAFT}
    if len(wanted) == 1:
        return Referral.status == next(iter(wanted))
    if not wanted:
        return Referral.status.in_([])
    return Referral.status.not_in(sorted(set(TRANSITIONS) - wanted))


def queue_statement(
    *,
    user_id: str | None = None,
    statuses: frozenset[str] | None = OPEN,
    limit: int | None = 50,
    offset: int = 0,
    review_type: str | None = None,
    area: str | None = None,
    assigned_to: str | None = None,
    accepted_only: bool = False,
) -> Select[Referral]:
    """The queue's query (see `ReferralRepository.queue`), apart so that its plan can be checked."""
    statement = select(Referral).where(_status_filter(statuses))
    if user_id is not None:
        statement = statement.where(Referral.user_id == user_id)
    if review_type:  # what the referrer considered, or the review it was accepted for
        statement = statement.where(or_(Referral.review_type == review_type, Referral.decision == review_type))
    if area:
        statement = statement.where(Referral.area == area)
    if accepted_only:  # reviews: referrals accepted for one
        statement = statement.where(Referral.decision.in_(ACCEPTED_TYPES))
    if assigned_to == "-":  # nobody yet
        statement = statement.where(Referral.assigned_to.is_(None))
    elif assigned_to:
        statement = statement.where(Referral.assigned_to == assigned_to)
    statement = statement.order_by(*QUEUE_ORDER)
    if limit is not None:
        statement = statement.limit(limit).offset(offset)
    return statement
