"""Statutory clocks in working days: weekends and England & Wales bank holidays excluded.

Bank holidays come from the maintained `holidays` package (England's list; Wales
has the same bank holidays), so new years need no code change. Every length is
configuration (see Settings); the defaults follow Working Together 2023:

- the local authority notifies the national Panel within 5 working days of becoming aware;
- the rapid review goes to the Panel within 15 working days of the notification;
- a local child safeguarding practice review reports within 6 months of the decision to commission;
- the business unit aims to decide on other referrals within a few working days of submission.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from bot.config import Settings


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (the day of the event itself does not count)."""
    current = start
    remaining = days
    step = 1 if days >= 0 else -1
    while remaining:
        current += timedelta(days=step)
        if is_working_day(current):
            remaining -= step
    return current


@lru_cache(maxsize=8192)  # the queue asks the same (today, due) pairs for every row on a page
def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative if `end` is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    return sum(1 for n in range(1, (end - start).days + 1) if is_working_day(start + timedelta(days=n)))


def add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class ClockState:
    name: str  # notification | rapid_review | report | decision
    due: date
    done: bool
    overdue: bool
    due_soon: bool
    working_days_left: int


@dataclass(frozen=True)
class Clocks:
    """The clock lengths, from settings, and today's date in the partnership's time zone."""

    notification_working_days: int = 5
    rapid_review_working_days: int = 15
    practice_review_months: int = 6
    final_report_working_days: int = 7
    decision_working_days: int = 5
    due_soon_working_days: int = 2
    timezone: str = "Europe/London"

    @classmethod
    def from_settings(cls, settings: Settings) -> Clocks:
        return cls(
            notification_working_days=settings.notification_working_days,
            rapid_review_working_days=settings.rapid_review_working_days,
            practice_review_months=settings.practice_review_months,
            final_report_working_days=settings.final_report_working_days,
            decision_working_days=settings.decision_working_days,
            due_soon_working_days=settings.due_soon_working_days,
            timezone=settings.timezone,
        )

    def today(self, now: datetime | None = None) -> date:
        moment = now or datetime.now(ZoneInfo(self.timezone))
        return moment.astimezone(ZoneInfo(self.timezone)).date()

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(ZoneInfo(self.timezone)).date()

    def notification_due(self, la_aware_on: date) -> date:
        return add_working_days(la_aware_on, self.notification_working_days)

    def rapid_review_due(self, panel_notified_on: date) -> date:
        return add_working_days(panel_notified_on, self.rapid_review_working_days)

    def report_due(self, commissioned_on: date) -> date:
        return add_months(commissioned_on, self.practice_review_months)

    def final_report_to_panel_by(self, publication_on: date) -> date:
        return add_working_days(publication_on, -self.final_report_working_days)

    def decision_due(self, submitted_on: date) -> date:
        return add_working_days(submitted_on, self.decision_working_days)

    def state(self, name: str, due: date, done: bool, today: date) -> ClockState:
        left = working_days_between(today, due)
        return ClockState(
            name=name,
            due=due,
            done=done,
            overdue=not done and due < today,
            due_soon=not done and today <= due and left <= self.due_soon_working_days,
            working_days_left=left,
        )
