"""A case discussion in a thread, through the assistant, on SQLite and PostgreSQL.

The business unit starts it on a referral in the queue, invites each agency's
representative, and facilitates; contributions are saved as written, under the
person and their agency, at the stage the discussion is at; the report follows
the method's stages; only invited people can read or add.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.assistant import Assistant
from bot.config import Settings
from bot.db import forget_databases
from bot.discussion.service import DiscussionService
from bot.messages import Message, Outcome
from bot.referral.errors import NotAllowed
from bot.referral.queue import Actor, ReviewQueue
from bot.reviews.action_plans import ActionPlans
from tests.referral.helpers import Chat

from .filing import file_accepted_review, file_referral
from .reading import docx_sections, docx_tables
from .script import ACTION_TEXT, AGENCIES, HEALTH, POLICE, SCHOOL, STEPS, check_report_sections

THREAD = "slack:CREVIEWS:1700000000.000100"
OFFICER = "officer.one"
PEOPLE = {POLICE: "police.rep", HEALTH: "health.rep", SCHOOL: "school.rep"}
EMAILS = {HEALTH: "hv.jones@example.org"}  # invited by email: recognised by it on any channel


@dataclass
class Thread:
    """People talking in one chat thread; each message goes through the assistant."""

    assistant: Assistant
    thread: str = THREAD
    said: list[Outcome] = field(default_factory=list)

    def say(self, user: str, text: str | None = None, *, action: str | None = None, email: str | None = None) -> str:
        message = Message(
            user_id=user,
            text=text,
            action=action,
            thread_id=self.thread,
            email=email,
            display_name=user.replace(".", " ").title(),
        )
        outcome = self.assistant.handle(message)
        self.said.append(outcome)
        return "\n".join(reply.text for reply in outcome.replies)


def settings_for(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        SGBOT_DATA_DIR=tmp_path / "data",
        DATABASE_URL=db_url if db_url.startswith("postgresql") else None,
        SGBOT_BUSINESS_UNIT=OFFICER,
    )


def start_with_agencies(thread: Thread, reference: str) -> None:
    started = thread.say(OFFICER, f"discuss {reference} kolb")
    assert "Kolb's learning cycle" in started and "Stage 1 of 4: What happened" in started
    for key, user in PEOPLE.items():
        who = EMAILS.get(key, user)
        assert AGENCIES[key] in thread.say(OFFICER, f"invite {who} {AGENCIES[key]}")


def speak(thread: Thread, who: str, text: str) -> str:
    if who == "facilitator":
        return thread.say(OFFICER, text)
    return thread.say(PEOPLE[who], text, email=EMAILS.get(who))


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    yield settings_for(db_url, tmp_path)
    forget_databases()


def test_three_agencies_discuss_a_review_and_the_report_follows_the_stages(settings: Settings) -> None:
    assistant = Assistant(settings)
    reference = file_accepted_review(assistant, OFFICER)
    thread = Thread(assistant)
    start_with_agencies(thread, reference)

    for number, (who, text) in enumerate(STEPS):
        if number == 6:
            # A restart in the middle: a new process, nothing in memory; the discussion carries on.
            thread.assistant = Assistant(settings)
        said = speak(thread, who, text)
        if text == "back":
            assert "Stage 1 of 4: What happened" in said and "back to stage 1" in said
        elif text == "stage 3":
            assert "Stage 3 of 4: Analysis" in said
        elif who != "facilitator" and not text.startswith(("learning", "action")):
            assert f"Saved: {AGENCIES[who]}'s contribution" in said, said
    assert "is closed" in said
    assert "Contributions: 6 from 3 agencies; learning: 1; agreed actions: 1" in said

    report = assistant.discussions.report(Actor(OFFICER), reference)
    check_report_sections(docx_sections(report.to_docx()))
    (actions,) = docx_tables(report.to_docx())
    assert actions[0] == ["Action", "Owner agency", "Due", "Agreed by"]
    assert actions[1][:3] == [ACTION_TEXT, AGENCIES[POLICE], "2027-01-31"]
    markdown = report.to_markdown()
    assert markdown.index("## 1. What happened") < markdown.index(f"### {AGENCIES[SCHOOL]}") < markdown.index("## 2.")
    assert "<h3>Northshire Police</h3>" in report.to_html()

    # The agreed action is on the review's action plan (owner agency, due date), and in its history.
    (item,) = ActionPlans(assistant.referrals.database, settings).for_review(OFFICER, reference)
    assert (item.recommendation, item.owner_agency, item.due_on, item.source) == (
        ACTION_TEXT,
        AGENCIES[POLICE],
        "2027-01-31",
        "discussion",
    )
    queue = ReviewQueue(assistant.referrals.database, settings)
    detail = queue.show(Actor(OFFICER), reference)
    (agreed,) = [e.detail for e in detail.events if e.action == "action_agreed"]
    assert agreed is not None and agreed["action_item"] == item.id
    assert (agreed["text"], agreed["owner_agency"], agreed["due"]) == (ACTION_TEXT, AGENCIES[POLICE], "2027-01-31")
    kinds = [e.action for e in detail.events]
    assert kinds.count("discussion_stage") == 4 and "discussion_started" in kinds and "discussion_closed" in kinds
    shown = Chat(assistant, user_id=OFFICER).send(f"show {reference}")
    assert ACTION_TEXT in "\n".join(r.text for r in shown.replies)

    # Closed: the thread is an ordinary conversation again, but the report can still be read there.
    assert "Case discussion report" in thread.say(PEOPLE[POLICE], "report")


def test_a_practitioner_who_is_not_invited_can_neither_read_nor_add(settings: Settings) -> None:
    assistant = Assistant(settings)
    reference = file_referral(assistant)
    thread = Thread(assistant)
    start_with_agencies(thread, reference)
    speak(thread, POLICE, "Officers attended twice.")

    for attempt in ("I was there too: the neighbours called again in March.", "report", "status", "next"):
        assert "not invited" in thread.say("nosy.practitioner", attempt)
    with pytest.raises(NotAllowed):
        assistant.discussions.report(Actor("nosy.practitioner"), reference)

    report = assistant.discussions.report(Actor(OFFICER), reference)
    texts = [item.text for stage in report.stages for group in stage.agencies for item in group.items]
    assert texts == ["Officers attended twice."]
    # An invited practitioner may read, but only the facilitator moves the discussion on.
    assert "Only the facilitator" in thread.say(PEOPLE[POLICE], "next")
    assert "Stage 1 of 4" in thread.say(PEOPLE[POLICE], "status")


def test_only_the_business_unit_starts_a_discussion_and_methods_are_named(settings: Settings) -> None:
    assistant = Assistant(settings)
    reference = file_referral(assistant)
    thread = Thread(assistant)

    assert "Only the partnership business unit" in thread.say("referrer.one", f"discuss {reference} kolb")
    unknown = thread.say(OFFICER, f"discuss {reference} fishbone")
    assert "kolb, problem_tree, signs_of_safety" in unknown
    assert "no submitted referral PR-2031-0999" in thread.say(OFFICER, "discuss PR-2031-0999 kolb")
    menu = thread.say(OFFICER, f"discuss {reference}")
    buttons = [json.loads(b.value) for b in thread.said[-1].replies[0].buttons]  # typed, not words
    assert "Which method" in menu and {
        "kind": "discussion_start", "reference": reference, "payload": {"method": "signs_of_safety"}
    } in buttons
    # The referral's own view offers it to the business unit once the review is accepted.
    Chat(assistant, user_id=OFFICER).send(f"accept {reference} lcspr meets the criteria")
    shown = Chat(assistant, user_id=OFFICER).send(f"show {reference}")
    discuss = next(b for r in shown.replies for b in r.buttons if b.label == "Start a case discussion")
    assert json.loads(discuss.value) == {"kind": "discussion_start", "reference": reference}
    assert "Which method" in thread.say(OFFICER, action=discuss.value)  # pressed in a thread: the methods
    # Outside a thread (the plain terminal chat) it says where discussions run.
    lonely = assistant.handle(Message(user_id=OFFICER, text=f"discuss {reference} kolb"))
    assert "sgbot discuss" in lonely.replies[0].text


def test_signs_of_safety_scale_records_each_agencys_rating_and_why(settings: Settings) -> None:
    assistant = Assistant(settings)
    reference = file_referral(assistant)
    thread = Thread(assistant)
    thread.say(OFFICER, f"discuss {reference} signs of safety")
    thread.say(OFFICER, f"invite {PEOPLE[POLICE]} {AGENCIES[POLICE]}")
    thread.say(OFFICER, f"invite {PEOPLE[SCHOOL]} {AGENCIES[SCHOOL]}")
    assert "from 0 to 10" in thread.say(OFFICER, "stage 4")

    assert "Saved" in speak(thread, POLICE, "4 because the calls have stopped but nothing else has changed")
    kept = speak(thread, SCHOOL, "Attendance is better since the new routine")
    assert "Saved" in kept and "no rating yet" in kept  # kept as written, and asked for the rating
    assert "outside the scale" in speak(thread, SCHOOL, "12 because she is thriving")
    speak(thread, SCHOOL, "7/10 because attendance is back to 95%")

    report = assistant.discussions.report(Actor(OFFICER), reference)
    scale = report.stages[3]
    by_agency = {g.agency: [(i.rating, i.text) for i in g.items] for g in scale.agencies}
    assert by_agency[AGENCIES[POLICE]] == [(4, "the calls have stopped but nothing else has changed")]
    assert by_agency[AGENCIES[SCHOOL]][-1] == (7, "attendance is back to 95%")
    assert by_agency[AGENCIES[SCHOOL]][0] == (None, "Attendance is better since the new routine")
    assert "Rating 4 of 10: the calls have stopped" in report.to_markdown()


def test_someone_in_danger_now_gets_the_emergency_route_first_and_the_contribution_is_kept(
    settings: Settings,
) -> None:
    assistant = Assistant(settings)
    reference = file_referral(assistant)
    thread = Thread(assistant)
    start_with_agencies(thread, reference)

    speak(
        thread, SCHOOL, "J's brother has just disclosed that he is being hit at home and is scared to go home tonight"
    )
    outcome = thread.said[-1]
    assert outcome.replies[0].urgent is True
    assert "Saved" in outcome.replies[-1].text
    report = assistant.discussions.report(Actor(OFFICER), reference)
    assert "scared to go home tonight" in report.stages[0].agencies[0].items[0].text


def test_actions_need_an_owner_and_a_date_and_belong_to_an_action_stage(settings: Settings) -> None:
    assistant = Assistant(settings)
    reference = file_referral(assistant)
    thread = Thread(assistant)
    start_with_agencies(thread, reference)

    early = speak(thread, POLICE, "action Police by 31/01/2027: share call-outs")
    assert "Actions are agreed at the stage" in early and "saved as a contribution" in early
    thread.say(OFFICER, "stage 4")
    assert "owner agency and a due date" in speak(thread, POLICE, "action share call-outs with health")
    assert "31/02/2027" in speak(thread, POLICE, "action Police by 31/02/2027: share call-outs")
    saved = speak(thread, POLICE, "action Police by 31 January 2027: share call-outs")
    # Not yet accepted for a review: no action plan, so it waits in the referral's history.
    assert "Agreed action saved" in saved and "no action plan until it is accepted" in saved
    report = assistant.discussions.report(Actor(OFFICER), reference)
    assert [(a.owner_agency, a.due, a.action_plan_item) for a in report.actions] == [("Police", "2027-01-31", None)]
    assert ActionPlans(assistant.referrals.database, settings).for_review(OFFICER, reference) == []


def test_a_discussion_is_reached_from_the_terminal_on_the_same_thread(settings: Settings) -> None:
    assistant = Assistant(settings)
    reference = file_referral(assistant)
    thread = Thread(assistant)
    start_with_agencies(thread, reference)
    service: DiscussionService = assistant.discussions
    assert service.open_thread(reference) == THREAD
    thread.say(OFFICER, "close")
    assert service.open_thread(reference) is None


def test_an_invitation_is_kept_as_an_event_and_worded_when_the_invitee_is_told(settings: Settings) -> None:
    from sqlalchemy import select

    from bot.outbox import HeldNotification, Outbox

    assistant = Assistant(settings)
    reference = file_referral(assistant)
    thread = Thread(assistant)
    thread.say(OFFICER, f"discuss {reference} kolb")
    thread.say(OFFICER, f"invite {PEOPLE[POLICE]} {AGENCIES[POLICE]}")
    database = assistant.referrals.database
    with database.sessions() as session:
        [row] = session.scalars(select(HeldNotification).where(HeldNotification.event == "discussion_invited"))
        assert row.payload == {
            "event": {
                "kind": "discussion_invited", "reference": reference, "title": "Kolb's learning cycle",
                "agency": AGENCIES[POLICE], "facilitator": row.payload["event"]["facilitator"],
            }
        }
    [told] = Outbox(database).take(PEOPLE[POLICE])
    assert told.reply.text.startswith(f"{row.payload['event']['facilitator']} has invited you to the Kolb's")
    assert f"on **{reference}**, for **{AGENCIES[POLICE]}**" in told.reply.text
