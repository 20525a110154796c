"""The pre-referral checklist as a conversation: one question at a time, every step type, branches,
back/change/help/cancel, the urgent stop and the summary. No knowledge index is needed for any of it."""

from __future__ import annotations

import json

from sqlalchemy import select

from bot.assistant import Assistant
from bot.db import get_database
from bot.referral.models import Referral

from .helpers import CHILD_REFERRAL, Chat, text_of


def start(chat: Chat) -> None:
    outcome = chat.send("I want to refer a case for a review")
    assert chat.step == "review_type"
    assert "one question at a time" in text_of(outcome)


def test_refer_starts_the_checklist_with_the_first_question_and_its_choices(chat: Chat) -> None:
    outcome = chat.send("/refer")
    expects = outcome.expects
    assert expects is not None and expects.step == "review_type" and expects.type == "choice"
    assert expects.options == [
        "serious_child",
        "multi_agency_learning",
        "good_outcome",
        "adult_sar",
        "domestic_homicide",
    ]
    question = outcome.replies[-1]
    pressed = [json.loads(b.value) for b in question.buttons]  # typed: what the button means, not words
    assert [p["payload"]["value"] for p in pressed] == expects.options
    assert {(p["kind"], p["step"]) for p in pressed} == {("answer", "review_type")}
    assert "Which kind of review" in question.text


def test_a_complete_referral_ends_in_a_summary_then_a_reference(chat: Chat) -> None:
    start(chat)
    summary = chat.answer_all(CHILD_REFERRAL)
    assert chat.step == "summary"
    reply, prompt = summary.replies[-2:]  # the summary, then (a message of its own) what to do with it
    assert [json.loads(b.value)["kind"] for b in prompt.buttons] == ["submit", "change", "cancel"]
    assert not reply.buttons and "Submit" in prompt.text
    assert reply.card is not None and reply.card["kind"] == "referral_summary"
    rows = {row["step"]: row["answer"] for row in reply.card["answers"]}
    assert rows["initials"] == "JB"
    assert rows["agencies"] == "Children's social care, Police, Health: hospital"
    assert rows["incident_date"] == "2 March 2026"
    assert rows["family_consulted"] == "No: it would not be appropriate or safe"
    assert "About the child" in reply.text  # the pen picture, under its own heading

    outcome = chat.click("Submit")
    assert "PR-2026-0001" in text_of(outcome) or "PR-" in text_of(outcome)
    [notification] = outcome.notifications
    assert notification.audience == "business_unit"
    assert notification.referral_reference and notification.referral_reference.startswith("PR-")
    assert outcome.expects is None


def test_invalid_answers_are_asked_again_with_the_reason(chat: Chat) -> None:
    start(chat)
    outcome = chat.send("a rapid review please")  # not one of the choices
    assert "isn't one of the choices" in text_of(outcome)
    assert chat.step == "review_type"
    chat.send("serious_child")  # a button value
    outcome = chat.send("maybe")
    assert "yes** or **no" in text_of(outcome) and chat.step == "safe_now"


def test_text_steps_check_length_and_pattern_number_steps_check_range(chat: Chat) -> None:
    start(chat)
    chat.answer_all(CHILD_REFERRAL[:9])
    assert chat.step == "initials"
    outcome = chat.send("Jasmine Brown")
    assert "initials only" in text_of(outcome) and chat.step == "initials"
    chat.send("jb")
    outcome = chat.send("four")
    assert "isn't a whole number" in text_of(outcome) and chat.step == "age"
    outcome = chat.send("130")
    assert "from 0 to 120" in text_of(outcome) and chat.step == "age"
    chat.send("4")
    chat.send("NHV-1")
    outcome = chat.send("Lovely girl.")
    assert "at least 80" in text_of(outcome) and chat.step == "about"


def test_dates_must_be_real_and_not_in_the_future(chat: Chat) -> None:
    start(chat)
    chat.answer_all(CHILD_REFERRAL[:13])
    assert chat.step == "incident_date"
    assert "isn't a real date" in text_of(chat.send("31/02/2026"))
    assert "isn't a real date" in text_of(chat.send("2026-13-01"))
    assert "is in the future" in text_of(chat.send("01/01/2099"))
    assert "couldn't read" in text_of(chat.send("last spring"))
    assert "more than 30 years ago" in text_of(chat.send("01/01/1950"))
    assert chat.step == "incident_date"
    chat.send("14 March 2026")
    assert chat.step == "what_happened"


def test_multiselect_takes_numbers_or_words(chat: Chat) -> None:
    start(chat)
    chat.answer_all(CHILD_REFERRAL[:15])
    assert chat.step == "agencies"
    outcome = chat.send("police and 20")
    assert "isn't one of the choices" in text_of(outcome)
    chat.send("Police, school, housing")
    chat.send("back")
    assert "Police, School, college or early years, Housing" in text_of(chat.transcript[-1])


def test_back_returns_to_the_previous_question_showing_the_answer_given(chat: Chat) -> None:
    start(chat)
    assert "first question" in text_of(chat.send("back"))
    chat.send("1")
    chat.send("yes")
    assert chat.step == "abuse_or_neglect"
    outcome = chat.send("back")
    assert chat.step == "safe_now"
    assert "Your answer so far" in text_of(outcome)
    chat.send("back")
    assert chat.step == "review_type"
    chat.send("1")  # the same answer again: carries on where it was
    assert chat.step == "abuse_or_neglect"


def test_change_from_the_summary_returns_to_the_summary(chat: Chat) -> None:
    start(chat)
    chat.answer_all(CHILD_REFERRAL)
    menu = chat.click("Change an answer")
    assert {"kind": "change", "to": "age"}.items() <= {
        **json.loads(chat.button("Age").value),
        **json.loads(chat.button("Age").value)["payload"],
    }.items()
    chat.click("Age", menu)
    assert chat.step == "age"
    outcome = chat.send("5")
    assert chat.step == "summary"
    card = outcome.replies[-2].card
    assert card is not None
    assert {r["step"]: r["answer"] for r in card["answers"]}["age"] == "5"
    assert "There is no question called" in text_of(chat.send("change shoe size"))


def test_changing_the_review_type_changes_the_questions_that_follow(chat: Chat) -> None:
    start(chat)
    chat.answer_all(CHILD_REFERRAL)
    chat.send("change review_type")
    chat.send("An adult with care and support needs (safeguarding adults review)")
    # The adult criteria have not been answered yet, so they are asked now.
    assert chat.step == "care_and_support_needs"
    assert "the adult" in text_of(chat.send("yes")).lower() or chat.step == "agencies_concern"
    chat.send("yes")
    outcome = chat.send("yes")
    assert chat.step == "summary"
    answers = {r["step"] for r in outcome.replies[-2].card["answers"]}  # type: ignore[index]
    assert "abuse_or_neglect" not in answers  # the child criteria no longer apply
    assert "About the person" in outcome.replies[-2].text


def test_criteria_not_met_explains_and_offers_a_different_review(chat: Chat) -> None:
    start(chat)
    chat.send("1")
    chat.send("yes")
    chat.send("no")  # abuse or neglect not suspected
    chat.send("yes")
    assert chat.step == "criteria_not_met"
    chat.send("Choose a different kind of review")
    assert chat.step == "review_type"
    chat.send("2")  # multi-agency learning
    assert chat.step == "person"
    chat.send("child")
    assert chat.step == "learning_reasons"
    chat.send("1, 3")
    assert chat.step == "discussed_with_manager"  # criteria_not_met no longer applies


def test_the_good_outcome_branch_asks_what_went_well(chat: Chat) -> None:
    start(chat)
    chat.send("good outcome")
    chat.send("yes")
    chat.send("an adult")
    assert chat.step == "what_went_well"
    outcome = chat.send("Too short")
    assert "at least 40" in text_of(outcome)
    chat.send("Housing and adult social care met weekly, so the tenancy was saved and she stayed safe.")
    assert chat.step == "discussed_with_manager"


def test_a_death_from_domestic_abuse_alone_is_redirected_to_the_community_safety_partnership(
    chat: Chat, assistant: Assistant
) -> None:
    start(chat)
    chat.send("5")
    chat.send("yes")
    assert chat.step == "dhr_others_involved"
    outcome = chat.send("no")
    assert "Community Safety Partnership" in text_of(outcome)
    assert outcome.expects is None
    with get_database(assistant.settings).sessions() as session:
        assert session.scalars(select(Referral)).all() == []  # nothing kept, nothing sent


def test_not_safe_now_stops_with_the_emergency_route_first(chat: Chat) -> None:
    start(chat)
    chat.send("1")
    outcome = chat.send("no")
    first = outcome.replies[0]
    assert first.urgent and "999" in first.text
    assert "not** a safeguarding referral" in first.text or "not a safeguarding referral" in text_of(outcome)
    # The draft is kept: once everyone is safe, the referrer carries on from the same question.
    chat.send("continue")
    assert chat.step == "safe_now"


def test_pre_referral_actions_not_done_yet_keep_the_draft_and_ask_again(chat: Chat) -> None:
    start(chat)
    chat.answer_all(CHILD_REFERRAL[:4])
    outcome = chat.send("not yet")
    assert "line manager" in text_of(outcome) and chat.step == "discussed_with_manager"


def test_help_explains_the_question_and_says_plainly_when_guidance_cannot_be_looked_up(chat: Chat) -> None:
    start(chat)
    outcome = chat.send("help")
    text = text_of(outcome)
    assert "safeguarding partners make the final decision" in text
    assert "couldn't look up the passage itself in the partnership's documents" in text
    assert chat.step == "review_type"


def test_data_minimisation_is_explained_where_identifying_details_are_asked(chat: Chat) -> None:
    start(chat)
    outcome = chat.answer_all(CHILD_REFERRAL[:9])
    assert "initials and age, not full names" in text_of(outcome)


def test_cancel_deletes_the_draft(chat: Chat, assistant: Assistant) -> None:
    start(chat)
    chat.answer_all(CHILD_REFERRAL[:5])
    assert "deleted" in text_of(chat.send("cancel"))
    with get_database(assistant.settings).sessions() as session:
        assert session.scalars(select(Referral)).all() == []
    assert "don't have a referral in progress" in text_of(chat.send("continue"))
    assert "no referral in progress to cancel" in text_of(chat.send("cancel"))


def test_a_free_text_answer_that_starts_like_a_command_is_kept_as_the_answer(chat: Chat) -> None:
    start(chat)
    chat.answer_all(CHILD_REFERRAL[:14])
    assert chat.step == "what_happened"
    chat.send("Change of school in January; J was then admitted to hospital with an unexplained injury.")
    assert chat.step == "agencies"
    chat.send("back")
    assert "Change of school in January" in text_of(chat.transcript[-1])


def test_control_characters_are_removed_and_the_user_is_told(chat: Chat) -> None:
    start(chat)
    chat.answer_all(CHILD_REFERRAL[:6])
    outcome = chat.send("R. Patel\x07, named\u202e nurse")
    assert "removed 2 invisible control character" in text_of(outcome)
    chat.send("back")
    assert "R. Patel, named nurse" in text_of(chat.transcript[-1])


def test_empty_and_overlong_answers_are_refused_with_the_limit(chat: Chat) -> None:
    start(chat)
    chat.answer_all(CHILD_REFERRAL[:6])
    assert "didn't get an answer" in text_of(chat.send("   "))
    outcome = chat.send("x" * 250)
    assert "250 characters; the limit here is 200" in text_of(outcome)
    outcome = chat.send("x" * 9000)
    assert "9000 characters" in text_of(outcome)
    assert chat.step == "senior_lead"


def test_each_user_has_their_own_draft(assistant: Assistant) -> None:
    first, second = Chat(assistant, "user.a"), Chat(assistant, "user.b")
    start(first)
    start(second)
    first.send("1")
    assert first.step == "safe_now" and second.step == "review_type"
    second.send("4")
    second.send("yes")
    assert second.step == "care_and_support_needs"
    first.send("yes")
    assert first.step == "abuse_or_neglect"
