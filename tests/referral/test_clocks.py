"""Statutory clocks count England & Wales working days: weekends and bank holidays do not count."""

from __future__ import annotations

from datetime import date

from bot.config import Settings
from bot.referral.clocks import Clocks, add_months, add_working_days, is_working_day, working_days_between


def test_bank_holidays_and_weekends_are_not_working_days() -> None:
    assert not is_working_day(date(2025, 12, 25))  # Christmas Day
    assert not is_working_day(date(2025, 12, 26))  # Boxing Day
    assert not is_working_day(date(2026, 4, 3))  # Good Friday
    assert not is_working_day(date(2026, 4, 6))  # Easter Monday
    assert not is_working_day(date(2026, 5, 4))  # early May bank holiday
    assert not is_working_day(date(2026, 8, 31))  # summer bank holiday (England, not Scotland)
    assert not is_working_day(date(2026, 11, 21))  # a Saturday
    assert is_working_day(date(2026, 11, 23))


def test_notification_is_due_five_working_days_after_the_local_authority_became_aware() -> None:
    clocks = Clocks()
    assert clocks.notification_due(date(2026, 3, 9)) == date(2026, 3, 16)  # Monday → next Monday
    assert clocks.notification_due(date(2026, 3, 13)) == date(2026, 3, 20)  # over one weekend
    # Aware on Friday 19 December 2025: Christmas, Boxing Day and a weekend in between.
    assert clocks.notification_due(date(2025, 12, 19)) == date(2025, 12, 30)
    # Aware on Wednesday 1 April 2026: Good Friday and Easter Monday in between.
    assert clocks.notification_due(date(2026, 4, 1)) == date(2026, 4, 10)


def test_rapid_review_is_due_fifteen_working_days_after_the_notification() -> None:
    clocks = Clocks()
    assert clocks.rapid_review_due(date(2026, 3, 16)) == date(2026, 4, 8)  # Good Friday, Easter Monday inside
    assert working_days_between(date(2026, 3, 16), date(2026, 4, 8)) == 15


def test_awareness_on_a_weekend_counts_from_the_next_working_day() -> None:
    assert add_working_days(date(2026, 11, 21), 1) == date(2026, 11, 23)


def test_practice_review_report_is_due_six_months_after_commissioning() -> None:
    clocks = Clocks()
    assert clocks.report_due(date(2026, 3, 14)) == date(2026, 9, 14)
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)  # no 31 February


def test_final_report_goes_to_the_panel_seven_working_days_before_publication() -> None:
    assert Clocks().final_report_to_panel_by(date(2026, 6, 1)) == date(2026, 5, 20)  # skips 25 May


def test_every_clock_length_is_configuration() -> None:
    settings = Settings(SGBOT_NOTIFICATION_WORKING_DAYS="3", SGBOT_RAPID_REVIEW_WORKING_DAYS="10")
    clocks = Clocks.from_settings(settings)
    assert clocks.notification_due(date(2026, 3, 9)) == date(2026, 3, 12)
    assert clocks.rapid_review_due(date(2026, 3, 9)) == date(2026, 3, 23)


def test_due_soon_and_overdue_flags() -> None:
    clocks = Clocks(due_soon_working_days=2)
    due = date(2026, 3, 16)  # a Monday
    assert clocks.state("notification", due, False, date(2026, 3, 12)).due_soon  # Thursday: 2 working days
    assert not clocks.state("notification", due, False, date(2026, 3, 11)).due_soon  # 3 working days
    overdue = clocks.state("notification", due, False, date(2026, 3, 17))
    assert overdue.overdue and not overdue.due_soon
    assert not clocks.state("notification", due, True, date(2026, 3, 17)).overdue  # done is done
