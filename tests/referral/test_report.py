"""The "How are we doing?" report: figures computed from what happened in the quarter, a real PDF."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.assistant import Assistant
from bot.config import Settings
from bot.db import Database
from bot.referral.conversation import ReferralConversation
from bot.referral.queue import ReviewQueue
from bot.reports.figures import compute
from bot.reports.narrative import Narratives
from bot.reports.quarter import BadQuarter, Quarter
from bot.reports.render import report_html, report_pdf
from bot.reviews import ActionPlans, Themes

from .test_queue import OFFICER_ONE, Clock, submit

Q3 = Quarter.parse("2026Q3")


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> Clock:
    return Clock(at(date(2026, 10, 5)))  # Monday 5 October 2026


@pytest.fixture
def queue(database: Database, settings: Settings, clock: Clock) -> ReviewQueue:
    return ReviewQueue(database, settings, now=clock)


@pytest.fixture
def assistant(database: Database, settings: Settings, queue: ReviewQueue) -> Assistant:
    return Assistant(settings, referrals=ReferralConversation(database, settings, queue=queue))


@pytest.fixture
def quarter_of_work(assistant: Assistant, queue: ReviewQueue, clock: Clock, database: Database,
                    settings: Settings) -> dict[str, str]:
    """Three referrals in October–December 2026: one rapid review (late), one declined late, one waiting."""
    plans = ActionPlans(database, settings, now=clock)
    a, b = submit(assistant), submit(assistant)  # Monday 5 October
    clock.moment = at(date(2026, 10, 7))  # 2 working days later
    queue.decide(OFFICER_ONE, a, "accepted", "Criteria met", review_type="rapid_review")
    clock.moment = at(date(2026, 10, 9))
    queue.record_date(OFFICER_ONE, a, "la_aware", date(2026, 10, 5))
    queue.record_date(OFFICER_ONE, a, "panel_notified", date(2026, 10, 9))  # within 5 working days
    clock.moment = at(date(2026, 10, 20))  # 11 working days after submission
    queue.decide(OFFICER_ONE, b, "not_accepted", "Criteria not met")
    clock.moment = at(date(2026, 11, 2))
    c = submit(assistant)
    queue.move(OFFICER_ONE, a, "in_review")
    clock.moment = at(date(2026, 11, 10))  # rapid review due 30 October: late
    queue.move(OFFICER_ONE, a, "completed")
    done = plans.add("officer.one", a, recommendation="Share discharge information", owner_agency="Health",
                     due_on=date(2026, 11, 30))
    plans.close("officer.one", done.id, "Protocol in use since November")
    plans.add("officer.one", a, recommendation="Train nursery staff", owner_agency="Education",
              due_on=date(2026, 12, 1))
    Themes(database, settings).set("officer.one", a, ["Neglect"])
    return {"rapid_review": a, "declined": b, "waiting": c}


def test_quarters_are_financial_year_quarters_and_bad_ones_say_how_to_write_them() -> None:
    assert (Q3.start, Q3.end) == (date(2026, 10, 1), date(2026, 12, 31))
    assert Quarter.parse("2026Q4").start == date(2027, 1, 1)
    assert Quarter.containing(date(2026, 5, 1)).code == "2026Q1"
    assert "October to December 2026" in Q3.title
    with pytest.raises(BadQuarter, match="for example 2026Q3"):
        Quarter.parse("Q3 2026")


def test_the_figures_count_what_happened_in_the_quarter(
    quarter_of_work: dict[str, str], database: Database, settings: Settings
) -> None:
    figures = compute(database, settings, Q3)
    assert (figures.received, figures.decided) == (3, 2)
    assert [m["received"] for m in figures.by_month] == [2, 1, 0]
    assert figures.decisions_by_outcome == {"accepted": 1, "not_accepted": 1}
    assert (figures.decision_days_median, figures.decision_days_mean) == (6.5, 6.5)
    decision, notification, rapid, lcspr = figures.timeliness
    assert (decision.on_time, decision.late) == (1, 1)
    assert (notification.on_time, notification.late, notification.percent) == (1, 0, 100)
    assert (rapid.on_time, rapid.late, rapid.percent) == (0, 1, 0)
    assert lcspr.total == 0
    assert (figures.actions_due, figures.actions_due_completed, figures.action_completion_percent) == (2, 1, 50)
    assert figures.actions_overdue == 1
    assert figures.themes == [("Neglect", 1)]
    assert compute(database, settings, Quarter.parse("2026Q2")).received == 0


def test_the_report_pdf_has_the_templates_sections_the_figures_charts_and_written_narrative(
    quarter_of_work: dict[str, str], database: Database, settings: Settings, tmp_path: Path, db_url: str
) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("the PDF is the same whatever the database: rendered once, on SQLite")
    if not settings.chromium.exists() or not shutil.which("pdftoppm"):
        pytest.skip("needs Debian's chromium and poppler-utils (make test installs them)")
    Narratives(database, settings).save("officer.one", Q3, "doing_well", "Panel notifications were all on time.")
    html = report_html(database, settings, Q3)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(report_pdf(html, settings.chromium))
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2 and all(p.stat().st_size > 5_000 for p in pages)
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                                   text=True).stdout.split())
    for heading in ["How are we doing?", "1. Introduction", "2. Our strategic priorities", "4.1 Data",
                    "4.3 Voices", "horizon scanning", "6. Recommendations for the partnership", "Learning themes"]:
        assert heading in text, heading
    assert "October to December 2026" in text
    assert "Referrals received 3" in text and "Referrals decided 2" in text
    assert "Panel notified within 5 working days 100% (1 of 1)" in text
    assert "Rapid reviews within 15 working days 0% (0 of 1)" in text
    assert "50% (1 of 2)" in text  # action-plan completion
    assert "Panel notifications were all on time." in text
    assert "Neglect: 1 review" in text
    assert html.count("data:image/svg+xml;base64,") == 3


def test_charts_are_drawn_once_per_quarters_data_and_again_when_it_changes(
    quarter_of_work: dict[str, str], database: Database, settings: Settings, clock: Clock
) -> None:
    """Drawing is most of the report page's time: unchanged figures reuse the drawn charts, and a change
    in the quarter's data (here one more action closed) draws the chart it shows again."""
    from bot.reports import charts
    from bot.reports.render import report_context

    for chart in (charts._referrals_by_month, charts._timeliness, charts._actions_by_status):
        chart.cache_clear()  # the charts are kept per process: an earlier test may have drawn these figures
    first = report_context(database, settings, Q3)["charts"]
    drawn = charts._actions_by_status.cache_info().misses
    assert drawn == 1
    again = report_context(database, settings, Q3)["charts"]
    assert again == first and charts._actions_by_status.cache_info().misses == drawn  # nothing redrawn

    plans = ActionPlans(database, settings, now=clock)
    still_open = next(a for a in plans.for_review("officer.one", quarter_of_work["rapid_review"])
                      if a.status == "open")
    plans.close("officer.one", still_open.id, "Training delivered")
    changed = report_context(database, settings, Q3)["charts"]
    assert charts._actions_by_status.cache_info().misses == drawn + 1
    assert changed["actions"] != first["actions"]
    assert changed["months"] == first["months"]  # the referrals did not change: that chart is reused
