"""The review queue, against SQLite and PostgreSQL: submission, references, triage, clocks, roles,
optimistic locking and the audit trail."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from bot.assistant import Assistant
from bot.config import Settings
from bot.db import Database
from bot.referral.actions import decode
from bot.referral.conversation import ReferralConversation
from bot.referral.errors import IllegalTransition, InvalidTriage, NotAllowed, ReferralNotFound, StaleReferral
from bot.referral.queue import Actor, ReviewQueue

from .helpers import CHILD_REFERRAL, Chat, text_of

OFFICER_ONE = Actor("officer.one")
OFFICER_TWO = Actor("u-two", "officer.two@example.org")  # in the business unit by email
PRACTITIONER = Actor("practitioner.one")


class Clock:
    """The time the queue believes it is, moved by the test."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 3, 9, 10, 0, tzinfo=UTC))  # Monday 9 March 2026


@pytest.fixture
def queue(database: Database, settings: Settings, clock: Clock) -> ReviewQueue:
    return ReviewQueue(database, settings, now=clock)


@pytest.fixture
def assistant(database: Database, settings: Settings, queue: ReviewQueue) -> Assistant:
    return Assistant(settings, referrals=ReferralConversation(database, settings, queue=queue))


def fill_in(assistant: Assistant, user: str, script: list[tuple[str, str]] = CHILD_REFERRAL) -> Chat:
    chat = Chat(assistant, user)
    chat.send("refer")
    chat.answer_all(script)
    assert chat.step == "summary"
    return chat


def submit(
    assistant: Assistant, user: str = "practitioner.one", script: list[tuple[str, str]] = CHILD_REFERRAL
) -> str:
    outcome = fill_in(assistant, user, script).press("submit")
    [notification] = outcome.notifications
    assert notification.referral_reference is not None
    return notification.referral_reference


ADULT_REFERRAL = [
    ("review_type", "4"),
    ("safe_now", "yes"),
    ("care_and_support_needs", "yes"),
    ("agencies_concern", "yes"),
    ("death_or_serious_abuse", "yes"),
    *CHILD_REFERRAL[4:],
]


def test_submission_files_the_answers_and_gives_a_reference(assistant: Assistant, queue: ReviewQueue) -> None:
    reference = submit(assistant)
    assert reference == "PR-2026-0001"
    view = queue.show(OFFICER_ONE, reference)
    assert view.status == "submitted" and view.review_type == "serious_child"
    answers = {a.step: a.answer for a in view.answers}
    assert answers["initials"] == "JB" and answers["case_reference"] == "NHV-20931"
    assert [e.action for e in view.events] == ["submitted"]
    # The Panel notification clock runs from submission until the date the LA became aware is recorded.
    assert view.notification_due == "2026-03-16" and view.decision_due == "2026-03-16"
    assert submit(assistant, "practitioner.two") == "PR-2026-0002"


def test_the_same_draft_submitted_twice_files_one_referral(assistant: Assistant, queue: ReviewQueue) -> None:
    chat = fill_in(assistant, "practitioner.one")
    first = chat.press("submit")
    again = chat.press("submit")  # a retried click
    assert "already been submitted" in text_of(again) and "PR-2026-0001" in text_of(again)
    assert again.notifications == [] and len(first.notifications) == 1
    assert len(queue.listing(OFFICER_ONE)) == 1


def test_simultaneous_submit_clicks_file_one_referral(assistant: Assistant, queue: ReviewQueue) -> None:
    fill_in(assistant, "practitioner.one")
    outcomes = _together([lambda: Chat(assistant, "practitioner.one").press("submit") for _ in range(4)])
    assert sum(len(o.notifications) for o in outcomes) == 1
    assert all("PR-2026-0001" in text_of(o) for o in outcomes)
    assert len(queue.listing(OFFICER_ONE)) == 1


def test_references_are_unique_when_many_submit_at_once(assistant: Assistant, queue: ReviewQueue) -> None:
    users = [f"referrer.{n}" for n in range(6)]
    for user in users:
        fill_in(assistant, user)
    outcomes = _together([lambda user=user: Chat(assistant, user).press("submit") for user in users])
    references = sorted(o.notifications[0].referral_reference or "" for o in outcomes)
    assert references == [f"PR-2026-{n:04d}" for n in range(1, 7)]


def test_triage_from_submission_to_closed_with_a_full_history(
    assistant: Assistant, queue: ReviewQueue, clock: Clock
) -> None:
    reference = submit(assistant)
    queue.assign(OFFICER_ONE, reference)
    asked = queue.request_info(OFFICER_ONE, reference, "Which hospital was J admitted to?")
    to_referrer, to_business_unit = asked.notifications
    assert (to_referrer.audience, to_business_unit.audience) == ("practitioner.one", "business_unit")
    assert "Which hospital" in to_referrer.reply.text
    reply_button = decode(to_referrer.reply.buttons[0].value)  # a typed action, not words to parse
    assert reply_button is not None and (reply_button.kind, reply_button.reference) == ("reply", reference)

    referrer = Chat(assistant, "practitioner.one")
    assert "Type your reply" in text_of(referrer.press(to_referrer.reply.buttons[0].value))
    replied = referrer.send("Northshire General, children's ward.")
    assert "has been added" in text_of(replied)
    assert replied.notifications[0].audience == "business_unit"

    clock.moment = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    queue.record_date(OFFICER_ONE, reference, "la_aware", date(2026, 3, 6))
    queue.record_date(OFFICER_ONE, reference, "panel_notified", date(2026, 3, 10))
    decided = queue.decide(
        OFFICER_TWO, reference, "accepted", "Meets the serious case criteria.", review_type="rapid_review"
    )
    assert decided.notifications[0].audience == "practitioner.one"
    assert "Meets the serious case criteria" in decided.notifications[0].reply.text
    view = decided.referral
    assert view.status == "accepted" and view.decision == "rapid_review"
    assert view.notification_due == "2026-03-13"  # 5 working days from 6 March
    assert view.rapid_review_due == "2026-03-31"  # 15 working days from 10 March
    clocks = {c.name: c for c in view.clocks}
    assert clocks["notification"].done and not clocks["rapid_review"].done
    assert view.next_due == "2026-03-31"

    queue.move(OFFICER_ONE, reference, "in_review")
    queue.move(OFFICER_ONE, reference, "completed")
    closed = queue.move(OFFICER_ONE, reference, "closed", reason="Learning published.").referral
    assert closed.next_due is None
    assert [(e.actor, e.action, e.to_status) for e in closed.events] == [
        ("practitioner.one", "submitted", "submitted"),
        ("officer.one", "assigned", "submitted"),
        ("officer.one", "info_requested", "more_info_requested"),
        ("practitioner.one", "info_provided", "submitted"),
        ("officer.one", "la_aware_recorded", "submitted"),
        ("officer.one", "panel_notified_recorded", "submitted"),
        ("u-two", "accepted", "accepted"),
        ("officer.one", "review_started", "in_review"),
        ("officer.one", "completed", "completed"),
        ("officer.one", "closed", "closed"),
    ]
    reply_event = closed.events[3]
    assert reply_event.detail == {"reply": "Northshire General, children's ward."}
    assert closed.events[6].reason == "Meets the serious case criteria."


def test_illegal_moves_and_missing_reasons_are_clear_errors(assistant: Assistant, queue: ReviewQueue) -> None:
    reference = submit(assistant)
    with pytest.raises(IllegalTransition, match="it is submitted.*only go to"):
        queue.move(OFFICER_ONE, reference, "closed")
    with pytest.raises(InvalidTriage, match="reason"):
        queue.decide(OFFICER_ONE, reference, "not_accepted", "  ")
    with pytest.raises(InvalidTriage, match="rapid_review, lcspr"):
        queue.decide(OFFICER_ONE, reference, "accepted", "ok", review_type="big_review")
    queue.decide(OFFICER_ONE, reference, "redirected", "A domestic homicide review: passed to the CSP.")
    with pytest.raises(IllegalTransition, match="redirected"):
        queue.move(OFFICER_ONE, reference, "in_review")
    with pytest.raises(IllegalTransition):
        Chat(assistant, "practitioner.one")  # the referrer replying when nothing was asked
        queue.provide_info(PRACTITIONER, reference, "More detail")
    queue.move(OFFICER_ONE, reference, "closed")
    with pytest.raises(IllegalTransition, match="closed"):
        queue.assign(OFFICER_ONE, reference)


def test_a_practice_review_decision_starts_the_six_month_clock(
    assistant: Assistant, queue: ReviewQueue
) -> None:
    reference = submit(assistant)
    view = queue.decide(
        OFFICER_ONE, reference, "accepted", "Rapid review recommended an LCSPR.", review_type="lcspr"
    ).referral
    assert view.commissioned_on == "2026-03-09" and view.report_due == "2026-09-09"


def test_two_officers_at_once_one_wins_and_the_other_is_told_what_changed(
    assistant: Assistant, queue: ReviewQueue
) -> None:
    reference = submit(assistant)
    seen = queue.show(OFFICER_ONE, reference).version
    queue.assign(OFFICER_ONE, reference, expected_version=seen)
    with pytest.raises(StaleReferral) as lost:
        queue.decide(
            OFFICER_TWO, reference, "not_accepted", "No multi-agency learning.", expected_version=seen
        )
    assert "officer.one assigned it to officer.one" in str(lost.value)
    view = queue.show(OFFICER_ONE, reference)
    assert view.status == "submitted" and view.assigned_to == "officer.one"  # nothing overwritten


def test_truly_simultaneous_triage_lets_exactly_one_through(assistant: Assistant, queue: ReviewQueue) -> None:
    reference = submit(assistant)
    seen = queue.show(OFFICER_ONE, reference).version

    def attempt(actor: Actor) -> Callable[[], object]:
        def run() -> object:
            try:
                return queue.assign(actor, reference, expected_version=seen)
            except StaleReferral as problem:
                return problem

        return run

    results = _together([attempt(OFFICER_ONE), attempt(OFFICER_TWO)])
    assert sum(isinstance(r, StaleReferral) for r in results) == 1
    events = queue.show(OFFICER_ONE, reference).events
    assert [e.action for e in events] == ["submitted", "assigned"]


def test_triage_buttons_carry_the_version_seen(assistant: Assistant) -> None:
    reference = submit(assistant)
    officer = Chat(assistant, "officer.one")
    shown = officer.send(f"show {reference}")
    assign = next(b for r in shown.replies for b in r.buttons if b.label == "Assign to me")
    other = Chat(assistant, "u-two", email="officer.two@example.org")
    other.send(f"assign {reference} to u-two")
    outcome = officer.press(assign.value)  # pressed on the old view
    assert "changed while you were looking at it" in text_of(outcome)
    assert "u-two assigned it to u-two" in text_of(outcome)


def test_only_the_business_unit_sees_other_peoples_referrals(
    assistant: Assistant, queue: ReviewQueue, settings: Settings
) -> None:
    mine = submit(assistant, "practitioner.one")
    theirs = submit(assistant, "practitioner.two")
    assert [r.reference for r in queue.listing(PRACTITIONER)] == [mine]
    assert {r.reference for r in queue.listing(OFFICER_TWO)} == {mine, theirs}
    assert len(queue.listing(Actor("admin.user"))) == 2
    assert queue.show(PRACTITIONER, mine).reference == mine
    with pytest.raises(ReferralNotFound, match=f"There is no referral {theirs} that you can see"):
        queue.show(PRACTITIONER, theirs)
    with pytest.raises(NotAllowed, match="Only the safeguarding partnership business unit can triage"):
        queue.assign(PRACTITIONER, mine)
    practitioner = Chat(assistant, "practitioner.one")
    assert "can triage referrals" in text_of(practitioner.send(f"accept {mine} rapid_review fine"))
    # Someone else's referral and one that does not exist get the same answer: no enumeration oracle.
    not_yours = text_of(practitioner.send(f"show {theirs}"))
    missing = text_of(practitioner.send("show PR-2026-0099"))
    assert not_yours.replace(theirs, "PR-X") == missing.replace("PR-2026-0099", "PR-X")
    assert "that you can see" in missing
    assert "can triage referrals" in text_of(practitioner.send("assign PR-2026-0099 me"))


def test_the_queue_lists_what_is_due_first_and_flags_overdue(
    assistant: Assistant, queue: ReviewQueue, clock: Clock
) -> None:
    adult = submit(assistant, "a", ADULT_REFERRAL)  # decision due 16 March; no Panel clock
    clock.moment = datetime(2026, 3, 11, 9, 0, tzinfo=UTC)
    child = submit(assistant, "b")  # decision and notification due 18 March
    queue.record_date(OFFICER_ONE, child, "la_aware", date(2026, 3, 2))  # notification due 9 March: overdue
    clock.moment = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)
    later = submit(assistant, "c")
    rows = queue.listing(OFFICER_ONE)
    assert [r.reference for r in rows] == [child, adult, later]
    assert rows[0].overdue and rows[0].next_due == "2026-03-09"
    assert rows[1].due_soon and not rows[1].overdue  # 16 March is two working days after 12 March
    assert not rows[2].due_soon and not rows[2].overdue


def test_the_audit_trail_cannot_be_changed_even_with_raw_sql(
    assistant: Assistant, database: Database
) -> None:
    submit(assistant)
    for statement in ("UPDATE referral_events SET actor = 'someone else'", "DELETE FROM referral_events"):
        with pytest.raises(Exception, match="append-only"), database.engine.begin() as connection:
            connection.execute(text(statement))


def test_queue_export_is_csv_of_status_and_clocks_without_content(
    assistant: Assistant, queue: ReviewQueue
) -> None:
    submit(assistant)
    exported = queue.export_csv(OFFICER_ONE)
    header, row = exported.strip().splitlines()
    assert header.startswith("reference,status,review_type")
    assert row.startswith("PR-2026-0001,submitted,serious_child")
    assert "JB" not in exported and "head injury" not in exported


def _together(calls: list[Callable[[], object]]) -> list:  # type: ignore[type-arg]
    """Run the calls in threads released at the same moment; return their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index: int, call: Callable[[], object]) -> None:
        barrier.wait()
        try:
            results[index] = call()
        except BaseException as exc:  # surfaced below, with the thread's own traceback
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]
    return results
