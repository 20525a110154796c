"""What the queue shows: plain data built from a referral, ready for JSON, CSV or a chat reply."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from bot.referral.clocks import Clocks, ClockState
from bot.referral.models import Referral, ReferralEvent
from bot.referral.statuses import CLOSED, COMPLETED, MORE_INFO_REQUESTED, SUBMITTED
from bot.referral.text import label


@dataclass(frozen=True)
class ClockView:
    name: str
    label: str
    due: str
    done: bool
    overdue: bool
    due_soon: bool
    working_days_left: int


@dataclass(frozen=True)
class ReferralSummary:
    reference: str
    status: str
    review_type: str | None
    decision: str | None
    assigned_to: str | None
    referrer: str
    referrer_name: str | None
    submitted_at: str | None
    notification_due: str | None
    rapid_review_due: str | None
    report_due: str | None
    decision_due: str | None
    next_due: str | None
    overdue: bool
    due_soon: bool
    clocks: list[ClockView]
    version: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class EventView:
    at: str
    actor: str
    action: str
    from_status: str | None
    to_status: str | None
    reason: str | None
    detail: dict[str, Any] | None


@dataclass(frozen=True)
class AnswerView:
    step: str
    label: str
    answer: str


@dataclass(frozen=True)
class ReferralDetail(ReferralSummary):
    area: str | None = None
    decision_reason: str | None = None
    la_aware_on: str | None = None
    panel_notified_on: str | None = None
    commissioned_on: str | None = None
    answers: list[AnswerView] = field(default_factory=list)
    events: list[EventView] = field(default_factory=list)


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def clock_states(referral: Referral, clocks: Clocks, today: date) -> list[ClockState]:
    """Each clock that applies to the referral, with whether it is done, due soon or overdue."""
    finished = referral.status in {COMPLETED, CLOSED}
    states: list[ClockState] = []
    if referral.decision_due_on is not None:
        done = referral.status not in {SUBMITTED, MORE_INFO_REQUESTED}
        states.append(clocks.state("decision", referral.decision_due_on, done, today))
    if referral.notification_due_on is not None:
        done = referral.panel_notified_on is not None or referral.decision in {"redirected", "not_accepted"}
        states.append(clocks.state("notification", referral.notification_due_on, done, today))
    if referral.rapid_review_due_on is not None:
        done = finished or referral.decision not in {None, "rapid_review", "lcspr"}
        states.append(clocks.state("rapid_review", referral.rapid_review_due_on, done, today))
    if referral.report_due_on is not None:
        states.append(clocks.state("report", referral.report_due_on, finished, today))
    return states


def summary(referral: Referral, clocks: Clocks, today: date) -> ReferralSummary:
    states = clock_states(referral, clocks, today)
    return ReferralSummary(**_summary_fields(referral, states))


def _summary_fields(referral: Referral, states: list[ClockState]) -> dict[str, Any]:
    open_states = [s for s in states if not s.done]
    return {
        "reference": referral.reference or f"draft-{referral.id}",
        "status": referral.status,
        "review_type": referral.review_type,
        "decision": referral.decision,
        "assigned_to": referral.assigned_to,
        "referrer": referral.user_id,
        "referrer_name": referral.referrer_name,
        "submitted_at": _iso(referral.submitted_at),
        "notification_due": _iso(referral.notification_due_on),
        "rapid_review_due": _iso(referral.rapid_review_due_on),
        "report_due": _iso(referral.report_due_on),
        "decision_due": _iso(referral.decision_due_on),
        "next_due": _iso(referral.next_due_on),
        "overdue": any(s.overdue for s in open_states),
        "due_soon": any(s.due_soon for s in open_states),
        "clocks": [
            ClockView(
                name=s.name,
                label=label("clock", s.name),
                due=s.due.isoformat(),
                done=s.done,
                overdue=s.overdue,
                due_soon=s.due_soon,
                working_days_left=s.working_days_left,
            )
            for s in states
        ],
        "version": referral.version,
    }


def detail(referral: Referral, clocks: Clocks, today: date, step_labels: dict[str, str]) -> ReferralDetail:
    states = clock_states(referral, clocks, today)
    return ReferralDetail(
        **_summary_fields(referral, states),
        area=referral.area,
        decision_reason=referral.decision_reason,
        la_aware_on=_iso(referral.la_aware_on),
        panel_notified_on=_iso(referral.panel_notified_on),
        commissioned_on=_iso(referral.commissioned_on),
        answers=[
            AnswerView(step=a.step_id, label=step_labels.get(a.step_id, a.step_id), answer=a.display)
            for a in referral.answers
        ],
        events=[event_view(e) for e in referral.events],
    )


def event_view(event: ReferralEvent) -> EventView:
    return EventView(
        at=event.at.isoformat(timespec="seconds"),
        actor=event.actor,
        action=event.action,
        from_status=event.from_status,
        to_status=event.to_status,
        reason=event.reason,
        detail=event.detail,
    )


def describe_event(event: ReferralEvent) -> str:
    """One line for "what changed": who, what, when (used to tell the loser of a race)."""
    when = event.at.strftime("%H:%M")
    what = event.action.replace("_", " ")
    if event.action == "assigned" and event.detail:
        what = f"assigned it to {event.detail.get('to')}"
    elif event.to_status and event.to_status != event.from_status:
        what = f"{what} (now {label('status', event.to_status)})"
    if event.detail and event.action.endswith("_recorded"):
        what += f": {event.detail.get('date')}"
    if event.reason:
        what += f", because: {event.reason}"
    return f"{event.actor} {what} at {when}"
