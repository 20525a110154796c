"""The outbox holds what happened, not what to say: a notification is worded when it is delivered.

The review queue writes each domain event (a referral submitted, a question for
the referrer, a decision and its reason, a clock due) to the outbox as facts,
in the change's transaction. The referral presenter words it when a delivery
worker claims it or when it is shown at the person's next message, so a change
to prompts/*.yaml reaches notifications not yet delivered, and the only text in
the row is what a person typed. Rows written before events (a worded reply)
still deliver. Every test runs against SQLite and PostgreSQL, through the real
queue, outbox and presenter; rows are read back from the database.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import SecretStr
from sqlalchemy import select

from bot import prompts
from bot.assistant import Assistant
from bot.config import Settings
from bot.db import Database
from bot.messages import Button, Reply
from bot.outbox import HeldNotification, Outbox, RetryPolicy
from bot.outbox.codec import reply_to_json
from bot.referral.conversation import ReferralConversation
from bot.referral.queue import Actor, ReviewQueue

from .helpers import CHILD_REFERRAL, Chat

REFERRER = "practitioner.one"
OFFICER = Actor("officer.one")
QUESTION = "Which hospital was J admitted to, and on which ward?"
REASON = "Serious harm, and agencies did not share what they knew: the threshold is met."


@pytest.fixture
def slack_settings(settings: Settings) -> Settings:
    """A Slack business-unit channel: the business unit's notifications go to the Slack worker."""
    return settings.model_copy(
        update={"slack_bot_token": SecretStr("xoxb-test"), "slack_business_unit_channel": "CBUSINESS1"}
    )


@pytest.fixture
def assistant(database: Database, slack_settings: Settings) -> Assistant:
    return Assistant(slack_settings, referrals=ReferralConversation(database, slack_settings))


@pytest.fixture
def queue(database: Database, slack_settings: Settings) -> ReviewQueue:
    return ReviewQueue(database, slack_settings)


@pytest.fixture
def new_wording(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of prompts/ that a test rewords; the bot reads it once the test has changed it."""
    copy = tmp_path / "prompts"
    shutil.copytree(prompts.prompts_dir(), copy)
    monkeypatch.setenv("SGBOT_PROMPTS_DIR", str(copy))
    yield copy
    monkeypatch.delenv("SGBOT_PROMPTS_DIR")
    forget_wording()


def forget_wording() -> None:
    prompts.load_yaml.cache_clear()
    prompts.load_text.cache_clear()
    prompts._templates.cache_clear()


def reword(directory: Path, file: str, **templates: str) -> None:
    path = directory / file
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(templates)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    forget_wording()


def submit(assistant: Assistant) -> str:
    chat = Chat(assistant, REFERRER)
    chat.send("refer")
    chat.answer_all(CHILD_REFERRAL)
    [notification] = chat.press("submit").notifications
    assert notification.referral_reference is not None
    return notification.referral_reference


def stored(database: Database, event: str) -> list[HeldNotification]:
    with database.sessions() as session:
        return list(
            session.scalars(
                select(HeldNotification).where(HeldNotification.event == event).order_by(HeldNotification.id)
            )
        )


def insert_as_before_events(database: Database, **row: Any) -> None:
    """A row as the outbox wrote it before it stored events: the worded reply in the `reply` column."""
    with database.transaction() as session:
        session.execute(HeldNotification.__table__.insert().values(attempts=0, **row))


def test_the_outbox_row_holds_the_event_not_text(
    assistant: Assistant, queue: ReviewQueue, database: Database, slack_settings: Settings
) -> None:
    reference = submit(assistant)
    queue.request_info(OFFICER, reference, QUESTION)
    queue.provide_info(Actor(REFERRER), reference, "The Royal Infirmary, ward 4; discharged on the 3rd.")
    queue.decide(OFFICER, reference, "accepted", REASON, review_type="rapid_review")

    [submitted] = stored(database, "submitted")
    assert submitted.channel == "slack" and submitted.user_id == "business_unit"
    assert set(submitted.payload) == {"event"}
    event = submitted.payload["event"]
    assert (event["kind"], event["reference"]) == ("submitted", reference)
    submitted_version = event["version"]  # the version "assign to me" acts on
    assert submitted_version == queue.show(OFFICER, reference).version - 3  # before question, reply, decision
    assert {clock["name"] for clock in event["clocks"]} == {"decision", "notification"}
    # The question: one event, told to the referrer and to the business unit, who asked it.
    asked, asked_told_business_unit = stored(database, "info_requested")
    assert (asked.audience, asked_told_business_unit.audience) == (REFERRER, "business_unit")
    assert asked.payload == asked_told_business_unit.payload == {
        "event": {"kind": "info_requested", "reference": reference, "question": QUESTION,
                  "referrer": "Sam Jones", "by": None}  # officer.one has no display name: no raw id either
    }
    [answered] = stored(database, "info_provided")  # the business unit is told of it, not what it said
    assert answered.payload == {"event": {"kind": "info_provided", "reference": reference, "referrer": "Sam Jones"}}
    # One decision, two audiences (the referrer, held; the business unit, in Slack): the same facts in each.
    to_referrer, to_business_unit = stored(database, "decided")
    assert (to_referrer.audience, to_business_unit.audience) == (REFERRER, "business_unit")
    assert to_referrer.payload == to_business_unit.payload == {
        "event": {"kind": "decided", "reference": reference, "decision": "rapid_review", "reason": REASON,
                  "outcome": "accepted", "referrer": "Sam Jones", "by": None}
    }
    decided = to_referrer
    # What is stored is the facts: no sentence the assistant wrote is in any of these rows.
    for row in (submitted, asked, answered, decided):
        assert "text" not in row.payload and "buttons" not in row.payload

    # Worded when delivered: the referrer (held for their next message) and the business unit (Slack).
    outbox = Outbox(database, slack_settings)
    told = [n.reply for n in outbox.take(REFERRER)]
    assert [reply.text.splitlines()[0] for reply in told] == [
        f"The safeguarding partnership business unit needs more information about your referral **{reference}**:",
        f"The business unit has made a decision on your referral **{reference}**: "
        f"**accepted for a rapid review**. Reason: {REASON}",
    ]
    assert QUESTION in told[0].text and [b.label for b in told[0].buttons] == ["Reply"]
    delivery, question_told, reply_told, decision_told = outbox.claim("slack", "worker-1")
    assert question_told.reply.text.startswith(
        f"More information requested on **{reference}**: an officer asked Sam Jones:"
    )
    assert reply_told.reply.text.startswith(
        f"Sam Jones replied to your request for more information on **{reference}**"
    )
    assert delivery.reply.text.startswith(f"New practice review referral **{reference}**")
    assert delivery.reply.card == {"kind": "referral_submitted", "reference": reference, "review_type": "serious_child"}
    assert len(delivery.reply.buttons) == 2 and f'"version":{submitted_version}' in delivery.reply.buttons[1].value
    assert decision_told.reply.text.startswith(f"Decision on **{reference}** (referred by Sam Jones)")


def test_one_decision_is_worded_for_the_referrer_and_for_the_business_unit(
    assistant: Assistant, queue: ReviewQueue, database: Database, slack_settings: Settings
) -> None:
    from bot.people import People
    from bot.roles import Role, Roles

    People(database).identify("slack", "U0OLU", display_name="Olu Officer")
    Roles(database).grant("U0OLU", Role.BUSINESS_UNIT)
    reference = submit(assistant)
    queue.decide(Actor("U0OLU"), reference, "redirected", REASON)
    outbox = Outbox(database, slack_settings)

    # The referrer reads about their own referral: the decision and the reason, nothing about next steps.
    [for_referrer] = [n.reply for n in outbox.take(REFERRER)]
    assert for_referrer.text == (
        f"The business unit has made a decision on your referral **{reference}**: **redirected**. Reason: {REASON}"
    )
    # The business unit reads who referred, who decided, and what to do next for this decision.
    claimed = outbox.claim("slack", "worker-1")  # the new referral, then the decision
    [for_business_unit] = [d.reply for d in claimed if d.reply.text.startswith("Decision on")]
    assert for_business_unit.text.splitlines() == [
        f"Decision on **{reference}** (referred by Sam Jones), recorded by Olu Officer: **redirected**."
        f" Reason: {REASON}",
        f"Next: make sure the body it was redirected to has it, then close the referral (`close {reference}`);"
        " Sam Jones has been told.",
    ]
    assert [b.label for b in for_business_unit.buttons] == ["Show"]
    assert "your referral" not in for_business_unit.text


def test_a_decision_held_before_the_business_unit_was_told_is_still_worded_for_the_referrer(
    database: Database, settings: Settings
) -> None:
    insert_as_before_events(  # the facts as they were stored then: no outcome, referrer or officer
        database, user_id="sam", audience="sam", channel="held", event="decided",
        reply={"event": {"kind": "decided", "reference": "PR-2026-0003", "decision": "lcspr", "reason": REASON}},
    )
    [shown] = Outbox(database, settings).take("sam")
    assert shown.reply.text == (
        "The business unit has made a decision on your referral **PR-2026-0003**: "
        f"**accepted for a local child safeguarding practice review**. Reason: {REASON}"
    )


def test_a_notification_stored_before_a_wording_change_is_delivered_in_the_new_wording(
    assistant: Assistant, queue: ReviewQueue, database: Database, slack_settings: Settings, new_wording: Path
) -> None:
    reference = submit(assistant)
    queue.decide(OFFICER, reference, "not_accepted", REASON)
    assert stored(database, "decided")[0].delivered_at is None  # waiting for the referrer's next message

    reword(
        new_wording,
        "referral_notices.yaml",
        decided={"referrer": "Your referral {reference} was considered ({decision}). Why: {reason}",
                 "business_unit": "{by} decided {reference} from {referrer}: {decision}. Next: {next}"},
        submitted={"business_unit": "Referral {reference} arrived from {referrer}."},
    )
    outbox = Outbox(database, slack_settings)
    assert [n.reply.text for n in outbox.take(REFERRER)] == [
        f"Your referral {reference} was considered (not accepted). Why: {REASON}"
    ]
    submitted, decided = outbox.claim("slack", "worker-1")
    assert submitted.reply.text == f"Referral {reference} arrived from Sam Jones."
    assert decided.reply.text.startswith(f"an officer decided {reference} from Sam Jones: not accepted. Next: close")


def test_rows_written_before_events_still_deliver_their_stored_words(
    database: Database, slack_settings: Settings
) -> None:
    for_business_unit = Reply(
        text="New practice review referral **PR-2026-0007** (worded before events).",
        buttons=[Button("Show", '{"kind":"show","reference":"PR-2026-0007"}', "primary")],
        card={"kind": "referral_submitted", "reference": "PR-2026-0007", "review_type": None},
    )
    insert_as_before_events(
        database, user_id="business_unit", audience="business_unit", channel="slack", event="submitted",
        referral_reference="PR-2026-0007", reply=reply_to_json(for_business_unit),
        idempotency_key="referral-event:7:business_unit:slack:business_unit",
    )
    insert_as_before_events(
        database, user_id="referrer.old", audience="referrer.old", channel="held", event="decided",
        referral_reference="PR-2026-0007", reply=reply_to_json(Reply("Decision on PR-2026-0007 (held before events)")),
    )
    outbox = Outbox(database, slack_settings)
    [delivery] = outbox.claim("slack", "worker-1")
    assert delivery.reply == for_business_unit
    assert [n.reply for n in outbox.take("referrer.old")] == [Reply("Decision on PR-2026-0007 (held before events)")]


def test_a_failed_delivery_is_told_to_the_business_unit_as_an_event_worded_when_sent(
    assistant: Assistant, database: Database, slack_settings: Settings
) -> None:
    reference = submit(assistant)
    outbox = Outbox(database, slack_settings)
    [delivery] = outbox.claim("slack", "worker-1")
    assert outbox.fail(delivery, "channel_not_found", permanent=True)

    [notice] = stored(database, "dead_letter")
    assert notice.payload == {
        "event": {
            "kind": "dead_letter", "outbox_id": delivery.id, "attempts": 1, "audience": "business_unit",
            "channel": "slack", "reference": reference, "error": "channel_not_found",
        }
    }
    [told] = outbox.claim("slack", "worker-1")
    assert told.reply.text.startswith("A notification could not be delivered after 1 attempts")
    assert f"about **{reference}**" in told.reply.text and "channel_not_found" in told.reply.text


def test_an_event_this_process_cannot_word_is_tried_again_then_set_aside_and_the_business_unit_told(
    database: Database, slack_settings: Settings
) -> None:
    insert_as_before_events(
        database, user_id="U0SAM", audience="sam", channel="slack", event="from_a_newer_version",
        reply={"event": {"kind": "from_a_newer_version", "reference": "PR-2026-0001"}},
    )
    outbox = Outbox(database, slack_settings, policy=RetryPolicy(base_seconds=0, cap_seconds=0, max_attempts=2))
    assert outbox.claim("slack", "worker-1") == []  # nothing half-worded is handed to the channel
    [row] = stored(database, "from_a_newer_version")
    assert (row.attempts, row.last_error, row.dead_at, row.delivered_at) == (1, "unworded_event", None, None)

    assert outbox.claim("slack", "worker-1") == []  # the second try: set aside
    [row] = stored(database, "from_a_newer_version")
    assert row.dead_at is not None and row.delivered_at is None
    [told] = outbox.claim("slack", "worker-1")
    assert told.address == "business_unit" and "unworded_event" in told.reply.text
    assert outbox.take("sam") == []  # nothing it cannot word is held for the person either


def test_a_damaged_row_is_set_back_and_the_channels_other_notifications_are_still_delivered(
    database: Database, slack_settings: Settings
) -> None:
    insert_as_before_events(database, user_id="U0SAM", audience="sam", channel="slack", event="damaged", reply={})
    insert_as_before_events(database, user_id="U0KIM", audience="kim", channel="slack", event="worded",
                            reply=reply_to_json(Reply(text="Your referral PR-2026-0002 has been received.")))
    outbox = Outbox(database, slack_settings, policy=RetryPolicy(base_seconds=0, cap_seconds=0, max_attempts=2))

    [delivered] = outbox.claim("slack", "worker-1")  # no exception: the damaged row does not stop the channel
    assert delivered.address == "U0KIM" and delivered.reply.text.startswith("Your referral PR-2026-0002")
    [damaged] = stored(database, "damaged")
    assert (damaged.attempts, damaged.last_error, damaged.dead_at) == (1, "unworded_event", None)
    outbox.claim("slack", "worker-1")  # the second try: set aside, and the business unit told
    [damaged] = stored(database, "damaged")
    assert damaged.dead_at is not None and damaged.delivered_at is None


def test_a_wording_missing_for_one_audience_sets_that_row_back_and_the_rest_is_delivered(
    assistant: Assistant, queue: ReviewQueue, database: Database, slack_settings: Settings, new_wording: Path
) -> None:
    reference = submit(assistant)
    queue.decide(OFFICER, reference, "not_accepted", REASON)
    path = new_wording / "referral_notices.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["decided"]["business_unit"]  # an edit to prompts/ that lost the business unit's wording
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    forget_wording()

    outbox = Outbox(database, slack_settings)
    [delivered] = outbox.claim("slack", "worker-1")  # no exception: the channel's other rows still go
    assert delivered.reply.text.startswith(f"New practice review referral **{reference}**")
    [for_business_unit] = [r for r in stored(database, "decided") if r.audience == "business_unit"]
    assert (for_business_unit.attempts, for_business_unit.last_error) == (1, "unworded_event")
    assert for_business_unit.delivered_at is None and for_business_unit.dead_at is None
    [for_referrer] = outbox.take(REFERRER)  # the referrer's wording is there: they are told
    assert for_referrer.reply.text.startswith("The business unit has made a decision on your referral")


def test_a_held_event_this_process_cannot_word_stays_held_and_the_rest_is_shown(
    database: Database, settings: Settings
) -> None:
    insert_as_before_events(
        database, user_id="sam", audience="sam", channel="held", event="from_a_newer_version",
        reply={"event": {"kind": "from_a_newer_version", "reference": "PR-2026-0001"}},
    )
    insert_as_before_events(
        database, user_id="sam", audience="sam", channel="held", event="decided",
        reply={"event": {"kind": "decided", "reference": "PR-2026-0001", "decision": "redirected", "reason": REASON}},
    )
    outbox = Outbox(database, settings)
    [shown] = outbox.take("sam")
    assert shown.reply.text.startswith("The business unit has made a decision on your referral **PR-2026-0001**")
    assert outbox.pending("sam") == 1  # kept for a process that can word it
    [row] = stored(database, "from_a_newer_version")
    assert row.delivered_at is None


@pytest.fixture
def two_business_unit_channels(slack_settings: Settings) -> Settings:
    """The business unit in Slack and in Teams: each of its notifications goes to both."""
    return slack_settings.model_copy(
        update={"teams_app_id": "teams-app-1", "teams_business_unit_conversation": "19:business-unit@thread.v2"}
    )


def test_a_request_for_information_is_told_to_every_business_unit_channel_with_who_asked_whom(
    assistant: Assistant, database: Database, two_business_unit_channels: Settings
) -> None:
    from bot.people import People
    from bot.roles import Role, Roles

    People(database).identify("teams", "29:olu-aad", display_name="Olu Officer")
    Roles(database).grant("29:olu-aad", Role.BUSINESS_UNIT)
    reference = submit(assistant)
    ReviewQueue(database, two_business_unit_channels).request_info(Actor("29:olu-aad"), reference, QUESTION)
    outbox = Outbox(database, two_business_unit_channels)

    for channel in ("slack", "teams"):  # an officer in Teams asked: the business unit in Slack hears it too
        claimed = outbox.claim(channel, "worker-1")
        [told] = [d.reply for d in claimed if d.reply.text.startswith("More information requested")]
        assert told.text.splitlines() == [
            f"More information requested on **{reference}**: Olu Officer asked Sam Jones:",
            "",
            f"> {QUESTION}",
            "",
            f"Next: wait for Sam Jones's reply; you will be told here when it comes. Open it with `show {reference}`.",
        ]
        assert [b.label for b in told.buttons] == ["Show"]  # the Reply button is the referrer's alone
    [for_referrer] = outbox.take(REFERRER)
    assert [b.label for b in for_referrer.reply.buttons] == ["Reply"] and "your referral" in for_referrer.reply.text


def test_a_review_started_and_completed_is_told_to_the_referrer_and_to_every_business_unit_channel(
    assistant: Assistant, database: Database, two_business_unit_channels: Settings
) -> None:
    reference = submit(assistant)
    queue = ReviewQueue(database, two_business_unit_channels)
    queue.decide(OFFICER, reference, "accepted", REASON, review_type="rapid_review")
    queue.move(OFFICER, reference, "in_review")
    queue.move(OFFICER, reference, "completed")
    outbox = Outbox(database, two_business_unit_channels)

    for channel in ("slack", "teams"):
        progress = [d.reply for d in outbox.claim(channel, "worker-1") if d.reply.text.startswith("The review of")]
        assert [reply.text.splitlines() for reply in progress] == [
            [
                f"The review of **{reference}** (referred by Sam Jones) was started by an officer;"
                " Sam Jones has been told.",
                f"Next: complete it when the review's report is done (`complete {reference}`).",
            ],
            [
                f"The review of **{reference}** (referred by Sam Jones) was completed by an officer;"
                " Sam Jones has been told.",
                f"Next: share the learning, then close the referral (`close {reference}`).",
            ],
        ]
        assert all([b.label for b in reply.buttons] == ["Show"] for reply in progress)
    told = [n.reply.text for n in outbox.take(REFERRER)]
    assert told[-2:] == [
        f"The review of your referral **{reference}** has started.",
        f"The review of your referral **{reference}** has been completed.",
    ]


def test_a_request_or_progress_held_before_the_business_unit_was_told_is_still_worded_for_the_referrer(
    database: Database, settings: Settings
) -> None:
    insert_as_before_events(  # the facts as they were stored then: no referrer or officer
        database, user_id="sam", audience="sam", channel="held", event="info_requested",
        reply={"event": {"kind": "info_requested", "reference": "PR-2026-0003", "question": QUESTION}},
    )
    insert_as_before_events(
        database, user_id="sam", audience="sam", channel="held", event="review_started",
        reply={"event": {"kind": "review_started", "reference": "PR-2026-0003"}},
    )
    asked, started = Outbox(database, settings).take("sam")
    assert QUESTION in asked.reply.text and [b.label for b in asked.reply.buttons] == ["Reply"]
    assert started.reply.text == "The review of your referral **PR-2026-0003** has started."


def test_an_officer_whose_platform_gave_no_name_is_an_officer_to_the_business_unit_never_a_raw_id(
    assistant: Assistant, database: Database, slack_settings: Settings
) -> None:
    from bot.people import People
    from bot.roles import Role, Roles

    People(database).identify("slack", "UOFFICER1")  # users.info refused (no users:read scope): no name
    People(database).identify("slack", "UOFFICER2", display_name="Priya Patel")
    for officer in ("UOFFICER1", "UOFFICER2"):
        Roles(database).grant(officer, Role.BUSINESS_UNIT)
    reference = submit(assistant)
    queue = ReviewQueue(database, slack_settings)
    queue.assign(Actor("UOFFICER1"), reference, "UOFFICER2")
    queue.request_info(Actor("UOFFICER1"), reference, QUESTION)
    queue.provide_info(Actor(REFERRER), reference, "Ward 4.")
    queue.decide(Actor("UOFFICER1"), reference, "not_accepted", REASON)
    outbox = Outbox(database, slack_settings)

    said = [d.reply.text for d in outbox.claim("slack", "worker-1")]
    said += [n.reply.text for n in outbox.take("UOFFICER2")]  # the assignee (last seen in Slack: held here)
    assert not any("UOFFICER1" in text for text in said)
    assert any(text.startswith(f"More information requested on **{reference}**: an officer asked") for text in said)
    assert any("recorded by an officer: **not accepted**" in text for text in said)
    assert any(f"**{reference}** has been assigned to you (by an officer)" in text for text in said)
