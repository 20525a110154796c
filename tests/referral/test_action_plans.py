"""A review's action plan and themes: what the business unit tracks after accepting a referral."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.assistant import Assistant
from bot.config import Settings
from bot.db import Database
from bot.referral.conversation import ReferralConversation
from bot.referral.errors import NotAllowed
from bot.referral.queue import ReviewQueue
from bot.reviews import ActionPlanError, ActionPlans, Themes, add_action_item
from bot.reviews.action_plans import StaleAction

from .test_queue import OFFICER_ONE, Clock, submit

NOW = datetime(2026, 3, 9, 10, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def queue(database: Database, settings: Settings, clock: Clock) -> ReviewQueue:
    return ReviewQueue(database, settings, now=clock)


@pytest.fixture
def assistant(database: Database, settings: Settings, queue: ReviewQueue) -> Assistant:
    return Assistant(settings, referrals=ReferralConversation(database, settings, queue=queue))


@pytest.fixture
def plans(database: Database, settings: Settings, clock: Clock) -> ActionPlans:
    return ActionPlans(database, settings, now=clock)


@pytest.fixture
def review(assistant: Assistant, queue: ReviewQueue) -> str:
    """A referral accepted for a rapid review."""
    reference = submit(assistant)
    queue.decide(OFFICER_ONE, reference, "accepted", "Meets the criteria", review_type="rapid_review")
    return reference


def test_an_action_is_added_to_a_review_with_its_owner_due_date_and_an_event(
    plans: ActionPlans, queue: ReviewQueue, review: str
) -> None:
    item = plans.add(
        "officer.one",
        review,
        recommendation="Health and police share information before a discharge.",
        action="Agree a discharge information-sharing protocol",
        owner_agency="Northshire Police",
        due_on=date(2026, 6, 30),
    )
    assert (item.reference, item.owner_agency, item.due_on, item.status) == (
        review,
        "Northshire Police",
        "2026-06-30",
        "open",
    )
    assert not item.overdue
    [listed] = plans.for_review("officer.one", review)
    assert listed.id == item.id
    history = queue.show(OFFICER_ONE, review).events
    assert history[-1].action == "action_added"
    assert history[-1].actor == "officer.one"
    assert history[-1].detail is not None and history[-1].detail["owner_agency"] == "Northshire Police"


def test_an_action_past_its_due_date_is_flagged_overdue_until_closed_with_evidence(
    plans: ActionPlans, review: str, clock: Clock
) -> None:
    item = plans.add(
        "officer.one", review, recommendation="Train nursery staff", owner_agency="Education", due_on=date(2026, 3, 20)
    )
    clock.moment = datetime(2026, 3, 23, 9, 0, tzinfo=UTC)
    [overdue] = plans.listing("officer.one", overdue_only=True)
    assert overdue.id == item.id and overdue.overdue
    with pytest.raises(ActionPlanError, match="evidence of impact"):
        plans.update("officer.one", item.id, status="completed")
    evidence = "All 40 staff trained; audit in May shows referrals made"
    closed = plans.close("officer.one", item.id, evidence, expected_version=item.version)
    assert closed.status == "completed" and closed.completed_on == "2026-03-23" and not closed.overdue
    assert plans.listing("officer.one", overdue_only=True) == []
    completion = plans.completion()
    assert (completion.total, completion.by_status["completed"], completion.completed_share) == (1, 1, 1.0)


def test_closing_an_action_someone_else_changed_is_refused_not_overwritten(plans: ActionPlans, review: str) -> None:
    item = plans.add("officer.one", review, recommendation="R", owner_agency="Health", due_on=date(2026, 5, 1))
    plans.update("u-two", item.id, status="in_progress", email="officer.two@example.org", expected_version=item.version)
    with pytest.raises(StaleAction, match="in progress"):
        plans.close("officer.one", item.id, "done", expected_version=item.version)
    [current] = plans.for_review("officer.one", review)
    assert current.status == "in_progress" and current.evidence_of_impact is None


def test_only_reviews_have_action_plans_and_only_the_business_unit_changes_them(
    plans: ActionPlans, assistant: Assistant
) -> None:
    reference = submit(assistant)  # submitted, not yet accepted
    with pytest.raises(ActionPlanError, match="not a review"):
        plans.add("officer.one", reference, recommendation="R", owner_agency="Health", due_on=date(2026, 5, 1))
    with pytest.raises(NotAllowed, match="business unit"):
        plans.add("practitioner.one", reference, recommendation="R", owner_agency="Health", due_on=date(2026, 5, 1))
    with pytest.raises(NotAllowed):
        plans.listing("practitioner.one")


def test_bad_action_input_names_the_problem(plans: ActionPlans, review: str) -> None:
    with pytest.raises(ActionPlanError, match="recommendation"):
        plans.add("officer.one", review, recommendation="  ", owner_agency="Health", due_on=date(2026, 5, 1))
    with pytest.raises(ActionPlanError, match="agency"):
        plans.add("officer.one", review, recommendation="R", owner_agency="", due_on=date(2026, 5, 1))
    with pytest.raises(ActionPlanError, match="not an action status"):
        plans.add("officer.one", review, recommendation="R", owner_agency="H", due_on=date(2026, 5, 1), status="done")


def test_the_core_adds_an_agreed_action_inside_its_own_transaction(
    database: Database, plans: ActionPlans, review: str
) -> None:
    with database.transaction() as session:
        add_action_item(
            session,
            reference=review,
            recommendation="Learning shared at the next practitioner forum",
            owner_agency="Partnership business unit",
            due_on=date(2026, 4, 30),
            actor="facilitator.one",
        )
    [item] = plans.for_review("officer.one", review)
    assert item.source == "discussion" and item.created_by == "facilitator.one"


def test_action_csv_has_status_and_dates_never_text_and_cannot_run_formulas(plans: ActionPlans, review: str) -> None:
    plans.add(
        "officer.one", review, recommendation="SECRET recommendation text", owner_agency="=HYPERLINK(\"x\")",
        due_on=date(2026, 5, 1), evidence_of_impact="secret evidence",
    )
    exported = plans.export_csv("officer.one")
    assert exported.splitlines()[0] == "action_id,reference,owner_agency,due_on,status,completed_on,overdue"
    assert "SECRET" not in exported and "secret evidence" not in exported
    assert "'=HYPERLINK" in exported


def test_a_review_has_up_to_three_themes_from_the_configured_list(
    database: Database, settings: Settings, review: str, queue: ReviewQueue
) -> None:
    themes = Themes(database, settings)
    assert "Neglect" in themes.choices and len(themes.choices) == 7
    assert themes.set("officer.one", review, ["neglect", "Complex safeguarding", "Neglect"]) == [
        "Neglect",
        "Complex safeguarding",
    ]
    assert themes.of(review) == ["Neglect", "Complex safeguarding"]
    with pytest.raises(ActionPlanError, match="at most 3"):
        themes.set("officer.one", review, themes.choices[:4])
    with pytest.raises(ActionPlanError, match="not one of the partnership's themes"):
        themes.set("officer.one", review, ["Parking"])
    with pytest.raises(NotAllowed):
        themes.set("practitioner.one", review, ["Neglect"])
    counts = {c.theme: c.reviews for c in themes.counts()}
    assert counts["Neglect"] == 1 and counts["Early help"] == 0
    assert queue.show(OFFICER_ONE, review).events[-1].action == "themes_set"


def test_themes_are_configured_separated_by_semicolons() -> None:
    settings = Settings(SGBOT_REVIEW_THEMES="Neglect; Missing from home, care and education")
    assert settings.review_themes == ["Neglect", "Missing from home, care and education"]




def test_the_list_puts_overdue_first_then_open_then_finished_and_pages_in_that_order(
    plans: ActionPlans, review: str, clock: Clock
) -> None:
    def add(due: date) -> int:
        return plans.add("officer.one", review, recommendation="R", owner_agency="Health", due_on=due).id

    done = add(date(2026, 3, 1))
    plans.close("officer.one", done, "Audit shows it happened")
    later, overdue, soon = add(date(2026, 9, 1)), add(date(2026, 3, 2)), add(date(2026, 4, 1))
    expected = [overdue, soon, later, done]
    assert [v.id for v in plans.listing("officer.one")] == expected
    pages = [plans.listing("officer.one", limit=3, offset=0), plans.listing("officer.one", limit=3, offset=3)]
    assert [v.id for page in pages for v in page] == expected and len(pages[1]) == 1
    assert [v.overdue for v in pages[0]] == [True, False, False]
    assert plans.open_counts([review]) == {review: (3, 1)}
    assert plans.completion().overdue == 1
