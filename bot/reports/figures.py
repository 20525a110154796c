"""The performance figures of the "How are we doing?" report, computed from the database.

Every figure counts what happened in the quarter (local dates in the partnership's time zone):
referrals received (submitted) and decided, decision times in working days, Panel notifications
recorded within 5 working days of the local authority becoming aware, rapid reviews completed within
15 working days of the notification, practice reviews completed within 6 months of commissioning, and
how far action plans have got. Only dates and statuses are read, never what a referrer wrote.
"""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.config import Settings
from bot.db import Database
from bot.referral import statuses as st
from bot.referral.clocks import Clocks, working_days_between
from bot.referral.models import Referral, ReferralEvent
from bot.reports.quarter import Quarter
from bot.reviews.models import ACTION_STATUSES, COMPLETED, FINISHED, ActionItem, ReviewTheme

DECISION_ACTIONS = ("accepted", "redirected", "not_accepted")


@dataclass(frozen=True)
class Timeliness:
    """How many of the things a clock measures were done on time in the quarter."""

    clock: str
    title: str
    on_time: int
    late: int

    @property
    def total(self) -> int:
        return self.on_time + self.late

    @property
    def percent(self) -> int | None:
        return round(100 * self.on_time / self.total) if self.total else None


@dataclass
class Figures:
    quarter: str
    period: str
    received: int = 0
    decided: int = 0
    decisions_by_outcome: dict[str, int] = field(default_factory=dict)
    decision_days_median: float | None = None
    decision_days_mean: float | None = None
    by_month: list[dict[str, Any]] = field(default_factory=list)  # {"month", "received", "decided"}
    timeliness: list[Timeliness] = field(default_factory=list)
    actions_total: int = 0
    actions_by_status: dict[str, int] = field(default_factory=dict)
    actions_due: int = 0  # due by the end of the quarter
    actions_due_completed: int = 0
    actions_overdue: int = 0  # not finished and past due at the end of the quarter
    themes: list[tuple[str, int]] = field(default_factory=list)

    @property
    def action_completion_percent(self) -> int | None:
        return round(100 * self.actions_due_completed / self.actions_due) if self.actions_due else None

    def clock(self, name: str) -> Timeliness:
        return next(t for t in self.timeliness if t.clock == name)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["timeliness"] = [
            {**asdict(t), "total": t.total, "percent": t.percent} for t in self.timeliness
        ]
        data["action_completion_percent"] = self.action_completion_percent
        return data


def compute(database: Database, settings: Settings, quarter: Quarter) -> Figures:
    clocks = Clocks.from_settings(settings)
    zone = ZoneInfo(settings.timezone)
    start, end = quarter.start, quarter.end
    # The quarter as UTC instants (local midnights), with a day's margin so local dates decide.
    since = datetime.combine(start - timedelta(days=1), time(), zone).astimezone(UTC)
    until = datetime.combine(end + timedelta(days=2), time(), zone).astimezone(UTC)

    def local(moment: datetime) -> date:
        return moment.astimezone(zone).date()

    def inside(day: date | None) -> bool:
        return day is not None and start <= day <= end

    figures = Figures(quarter=quarter.code, period=quarter.title)
    months: dict[int, dict[str, Any]] = {
        m.month: {"month": m.strftime("%B %Y"), "received": 0, "decided": 0} for m in quarter.months
    }
    with database.sessions() as session:
        received = session.scalars(
            select(Referral.submitted_at).where(Referral.submitted_at >= since, Referral.submitted_at < until)
        ).all()
        for moment in received:
            if moment is None:
                continue
            day = local(moment)
            if inside(day):
                figures.received += 1
                months[day.month]["received"] += 1

        decisions = session.execute(
            select(ReferralEvent.at, ReferralEvent.action, Referral.submitted_at)
            .join(Referral, Referral.id == ReferralEvent.referral_id)
            .where(ReferralEvent.action.in_(DECISION_ACTIONS), ReferralEvent.at >= since, ReferralEvent.at < until)
        ).all()
        days: list[int] = []
        decision_on_time = decision_late = 0
        for at, action, submitted_at in decisions:
            day = local(at)
            if not inside(day):
                continue
            figures.decided += 1
            months[day.month]["decided"] += 1
            figures.decisions_by_outcome[action] = figures.decisions_by_outcome.get(action, 0) + 1
            if submitted_at is not None:
                taken = working_days_between(local(submitted_at), day)
                days.append(taken)
                if taken <= clocks.decision_working_days:
                    decision_on_time += 1
                else:
                    decision_late += 1
        if days:
            figures.decision_days_median = float(statistics.median(days))
            figures.decision_days_mean = round(statistics.fmean(days), 1)

        # Panel notifications made in the quarter, against 5 working days from awareness.
        notified = session.execute(
            select(Referral.panel_notified_on, Referral.la_aware_on, Referral.submitted_at).where(
                Referral.panel_notified_on >= start, Referral.panel_notified_on <= end
            )
        ).all()
        notify_on_time = notify_late = 0
        for notified_on, aware_on, submitted_at in notified:
            if notified_on is None:
                continue
            aware = aware_on or (local(submitted_at) if submitted_at else notified_on)
            if notified_on <= clocks.notification_due(aware):
                notify_on_time += 1
            else:
                notify_late += 1

        # Reviews completed in the quarter, against their clocks.
        completed = session.execute(
            select(ReferralEvent.at, Referral.decision, Referral.rapid_review_due_on, Referral.report_due_on)
            .join(Referral, Referral.id == ReferralEvent.referral_id)
            .where(ReferralEvent.action == "completed", ReferralEvent.at >= since, ReferralEvent.at < until)
        ).all()
        rapid_on_time = rapid_late = lcspr_on_time = lcspr_late = 0
        for at, decision, rapid_due, report_due in completed:
            day = local(at)
            if not inside(day):
                continue
            if decision == "rapid_review" and rapid_due is not None:
                rapid_on_time, rapid_late = (rapid_on_time + 1, rapid_late) if day <= rapid_due else (
                    rapid_on_time, rapid_late + 1)
            elif decision == "lcspr" and report_due is not None:
                lcspr_on_time, lcspr_late = (lcspr_on_time + 1, lcspr_late) if day <= report_due else (
                    lcspr_on_time, lcspr_late + 1)

        # Three columns, not whole rows: every action plan in the partnership is read here.
        items = session.execute(select(ActionItem.status, ActionItem.due_on, ActionItem.completed_on)).all()
        figures.actions_total = len(items)
        figures.actions_by_status = {s: 0 for s in ACTION_STATUSES}
        for status, due_on, completed_on in items:
            figures.actions_by_status[status] = figures.actions_by_status.get(status, 0) + 1
            if due_on <= end:
                figures.actions_due += 1
                if status == COMPLETED and (completed_on is None or completed_on <= end):
                    figures.actions_due_completed += 1
            if due_on < end and status not in FINISHED:
                figures.actions_overdue += 1

        theme_rows = session.execute(
            select(ReviewTheme.theme).join(Referral, Referral.id == ReviewTheme.referral_id).where(
                Referral.status != st.DRAFT
            )
        ).scalars().all()
    counts: dict[str, int] = {}
    for theme in theme_rows:
        counts[theme] = counts.get(theme, 0) + 1
    figures.themes = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    figures.by_month = list(months.values())
    figures.timeliness = [
        Timeliness("decision", f"Decisions within {clocks.decision_working_days} working days", decision_on_time,
                   decision_late),
        Timeliness("notification", f"Panel notified within {clocks.notification_working_days} working days",
                   notify_on_time, notify_late),
        Timeliness("rapid_review", f"Rapid reviews within {clocks.rapid_review_working_days} working days",
                   rapid_on_time, rapid_late),
        Timeliness("lcspr", f"Practice reviews within {clocks.practice_review_months} months", lcspr_on_time,
                   lcspr_late),
    ]
    return figures
