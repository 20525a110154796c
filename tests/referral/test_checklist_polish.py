"""The checklist as a new user finds it: a count of questions that does not jump about, help that
cites the partnership's document, wording that fits the review, initials as people write them, the
summary apart from the Submit prompt, a draft waiting after a break, and buttons that mean what they
said when they were shown (an old one is refused, not applied to whatever is on screen now)."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from sqlalchemy import select, update

from bot.assistant import Assistant
from bot.db import get_database
from bot.db.base import utcnow
from bot.messages import Outcome
from bot.referral.models import Referral
from bot.sessions.models import ConversationSession

from .helpers import CHILD_REFERRAL, Chat, text_of

PROGRESS = re.compile(r"Question (\d+) of (at most )?(\d+)")


def progress(outcome: Outcome) -> tuple[int, int, bool]:
    """(N, M, exact) from the "Question N of [at most] M" the last question shows."""
    found = PROGRESS.findall(text_of(outcome))
    assert found, f"no question count in {text_of(outcome)!r}"
    number, at_most, total = found[-1]
    return int(number), int(total), not at_most


def answer_stored(assistant: Assistant, step: str) -> object:
    with get_database(assistant.settings).sessions() as session:
        referral = session.scalars(select(Referral)).one()
        return referral.answer_values().get(step)


# --- question N of M -----------------------------------------------------------------------------


def test_the_count_goes_up_by_one_and_the_total_never_grows_until_it_is_exact(chat: Chat) -> None:
    outcome = chat.send("refer")
    seen = []
    for _step, answer in CHILD_REFERRAL:
        seen.append(progress(outcome))
        outcome = chat.send(answer)
    numbers = [n for n, _, _ in seen]
    totals = [m for _, m, _ in seen]
    assert numbers == list(range(1, len(CHILD_REFERRAL) + 1))  # one more each time
    assert all(later <= earlier for earlier, later in zip(totals, totals[1:], strict=False))  # never jumps up
    assert not seen[0][2] and totals[0] >= len(CHILD_REFERRAL)  # "at most", and truthfully so
    assert seen[-1] == (len(CHILD_REFERRAL), len(CHILD_REFERRAL), True)  # "Question 20 of 20" at the end
    exact_from = next(i for i, (_, _, exact) in enumerate(seen) if exact)
    assert all(exact for _, _, exact in seen[exact_from:])  # once exact, it stays exact


def test_going_back_shows_the_same_count_for_the_same_question(chat: Chat) -> None:
    chat.send("refer")
    chat.answer_all(CHILD_REFERRAL[:4])
    asked = progress(chat.transcript[-1])
    chat.send("back")
    chat.send("yes")
    assert progress(chat.transcript[-1]) == asked


# --- help -------------------------------------------------------------------------------------------


def test_help_at_every_question_explains_it_and_cites_the_partnership_document(chat: Chat) -> None:
    chat.send("refer")
    for step, answer in CHILD_REFERRAL:
        helped = chat.send("help")
        text = text_of(helped)
        assert "Help with this question" in text, step
        assert "Source: *Practice reviews: when and how to refer a case*" in text, step
        assert re.search(r'section "[^"]+"', text), step
        assert "no extra help" not in text, step
        assert chat.step == step  # the same question is asked again, nothing answered
        chat.send(answer)
    assert "section \"What happens next\"" in text_of(chat.send("help"))  # at the summary too


def test_help_cites_the_section_the_question_comes_from(chat: Chat) -> None:
    chat.send("refer")
    chat.answer_all(CHILD_REFERRAL[:4])
    assert chat.step == "discussed_with_manager"
    text = text_of(chat.send("help"))
    assert 'section "Before you refer: pre-referral actions"' in text
    assert "line manager or designated safeguarding lead" in text


# --- wording by review type -------------------------------------------------------------------------

ADULT_WORDS = re.compile(r"\bthe adult\b|\babout the person\b|\bthe child or adult\b", re.IGNORECASE)


def _everything_shown(chat: Chat, script: list[tuple[str, str]]) -> str:
    """Every question, its help, and the summary, for this route through the checklist."""
    def said(outcome: Outcome) -> str:  # the emergency route is the same for everyone, by design
        return "\n".join(reply.text for reply in outcome.replies if not reply.urgent)

    shown = []
    for step, answer in script:
        assert chat.step == step, f"expected {step}, was asked {chat.step}"
        shown.append(said(chat.transcript[-1]))
        shown.append(said(chat.send("help")))
        chat.send(answer)
    shown.append(said(chat.transcript[-1]))
    return "\n".join(shown)


def test_a_serious_child_case_never_asks_about_the_adult(chat: Chat) -> None:
    chat.send("refer")
    shown = _everything_shown(chat, CHILD_REFERRAL)
    assert chat.step == "summary"
    assert ADULT_WORDS.findall(shown) == []
    assert "About the child" in shown


def test_a_child_learning_review_speaks_of_the_child_once_it_is_known(chat: Chat) -> None:
    chat.send("refer")
    chat.send("2")  # multi-agency learning: child or adult is asked after the safety check
    assert "the child or adult" in text_of(chat.transcript[-1])  # not yet known: neither is assumed
    chat.send("yes")
    assert chat.step == "person"
    chat.send("A child (under 18)")
    chat.send("1, 2")
    rest = [(step, answer) for step, answer in CHILD_REFERRAL if step not in {
        "review_type", "safe_now", "abuse_or_neglect", "died_or_seriously_harmed"}]
    shown = _everything_shown(chat, rest)
    assert ADULT_WORDS.findall(shown) == []
    assert "About the child" in shown and "the child" in shown


def test_an_adult_review_speaks_of_the_adult(chat: Chat) -> None:
    chat.send("refer")
    chat.send("4")
    assert "is the adult" in text_of(chat.send("yes")).lower() or chat.step == "care_and_support_needs"
    assert "the child" not in text_of(chat.transcript[-1]).lower()


# --- the emergency banner ---------------------------------------------------------------------------

DISCLOSURE = "She has just told me her stepfather hit her tonight and she is scared to go home"


def test_no_emergency_banner_right_after_yes_everyone_is_safe_now(chat: Chat, assistant: Assistant) -> None:
    chat.send("refer")
    chat.send("1")
    outcome = chat.send("Yes, safe now. He is in hospital but recovering.")
    assert not any(reply.urgent for reply in outcome.replies)
    assert "999" not in text_of(outcome)
    assert chat.step == "abuse_or_neglect" and answer_stored(assistant, "safe_now") == "yes"


def test_once_everyone_is_safe_describing_the_child_shows_no_banner_but_danger_now_still_does(
    chat: Chat,
) -> None:
    chat.send("refer")
    chat.answer_all(CHILD_REFERRAL[:12])
    assert chat.step == "about"
    pen_picture = chat.send(dict(CHILD_REFERRAL)["about"])
    assert not any(reply.urgent for reply in pen_picture.replies)
    assert chat.step == "incident_date"
    chat.send("back")
    disclosed = chat.send(DISCLOSURE + ". She is bright and funny and loves her nan and her little brother.")
    assert disclosed.replies[0].urgent and "999" in disclosed.replies[0].text  # first, before anything
    assert chat.step == "incident_date"  # and the answer was still taken


# --- initials ---------------------------------------------------------------------------------------


def test_initials_are_accepted_as_people_write_them(chat: Chat, assistant: Assistant) -> None:
    chat.send("refer")
    chat.answer_all(CHILD_REFERRAL[:9])
    assert chat.step == "initials"
    assert "initials only" in text_of(chat.send("Jasmine Brown"))  # a name is still refused
    assert chat.step == "initials"
    chat.send("J.T.")
    assert chat.step == "age"
    assert answer_stored(assistant, "initials") == "JT"
    chat.send("back")
    chat.send("j. t. b.")
    assert answer_stored(assistant, "initials") == "JTB"


# --- the summary, then Submit -----------------------------------------------------------------------


def test_the_summary_and_the_submit_prompt_are_separate_messages(chat: Chat) -> None:
    chat.send("refer")
    outcome = chat.answer_all(CHILD_REFERRAL)
    summary, prompt = outcome.replies[-2:]
    assert summary.card is not None and summary.card["kind"] == "referral_summary"
    assert not summary.buttons and "Submit" not in summary.text
    assert "Nothing is sent until you press **Submit**" in prompt.text
    assert [b.label for b in prompt.buttons] == ["Submit", "Change an answer", "Cancel"]
    assert prompt.card is None and "Sam Jones" not in prompt.text


# --- a draft waiting --------------------------------------------------------------------------------


def _away(assistant: Assistant, user: str, hours: int) -> None:
    """The user last spoke to the assistant `hours` ago (as if they had gone away)."""
    with get_database(assistant.settings).transaction() as session:
        session.execute(
            update(ConversationSession)
            .where(ConversationSession.user_id == user)
            .values(updated_at=utcnow() - timedelta(hours=hours))
        )


def test_after_a_break_the_next_message_says_a_draft_is_waiting_and_where_the_user_was(
    chat: Chat, assistant: Assistant
) -> None:
    chat.send("refer")
    chat.answer_all(CHILD_REFERRAL[:3])
    assert chat.step == "died_or_seriously_harmed"
    _away(assistant, chat.user_id, hours=20)

    outcome = chat.send("no")  # a day later: not taken as the answer to a question long out of mind
    text = text_of(outcome)
    assert "You have a referral draft waiting" in text and "3 answer(s) saved" in text
    assert "haven't taken your last message as an answer" in text
    assert chat.step == "died_or_seriously_harmed"
    assert answer_stored(assistant, "died_or_seriously_harmed") is None
    chat.send("yes")  # from now on, answers are answers again
    assert chat.step == "discussed_with_manager"


def test_after_a_break_a_question_is_answered_and_continue_resumes_without_a_second_notice(
    chat: Chat, assistant: Assistant
) -> None:
    chat.send("refer")
    chat.answer_all(CHILD_REFERRAL[:2])
    _away(assistant, chat.user_id, hours=6)
    resumed = chat.send("continue")
    assert "Welcome back" in text_of(resumed) and chat.step == "abuse_or_neglect"
    chat.send("yes")
    assert chat.step == "died_or_seriously_harmed"


def test_after_a_break_not_safe_now_is_never_held_back(chat: Chat, assistant: Assistant) -> None:
    chat.send("refer")
    chat.send("1")
    _away(assistant, chat.user_id, hours=20)
    outcome = chat.send("no")  # "not safe now", even after a day: the emergency route, at once
    assert outcome.replies[0].urgent and "999" in outcome.replies[0].text


def test_a_short_pause_is_not_a_break(chat: Chat, assistant: Assistant) -> None:
    chat.send("refer")
    chat.answer_all(CHILD_REFERRAL[:2])
    _away(assistant, chat.user_id, hours=1)
    chat.send("yes")
    assert chat.step == "died_or_seriously_harmed"


# --- typed buttons ----------------------------------------------------------------------------------


def test_a_checklist_button_carries_a_typed_command_naming_its_draft_question_and_version(chat: Chat) -> None:
    chat.send("refer")
    pressed = json.loads(chat.button("Yes, they are safe now", chat.send("1")).value)
    assert set(pressed) == {"kind", "draft", "step", "version", "payload"}
    assert pressed["kind"] == "answer" and pressed["step"] == "safe_now" and pressed["payload"] == {"value": "yes"}
    chat.click("Yes, they are safe now")
    assert chat.step == "abuse_or_neglect"


def test_an_old_answer_button_is_refused_and_changes_nothing(chat: Chat, assistant: Assistant) -> None:
    chat.send("refer")
    first = chat.transcript[-1]
    chat.click("A child has died", first)
    chat.send("yes")
    assert chat.step == "abuse_or_neglect"

    old = chat.click("An adult with care", first)  # the first question's buttons, pressed again later
    assert "belongs to an earlier point in your referral" in text_of(old)
    assert "nothing was changed" in text_of(old)
    assert chat.step == "abuse_or_neglect"  # where the user is now, asked again
    assert answer_stored(assistant, "review_type") == "serious_child"


def test_submit_from_a_summary_shown_before_an_answer_changed_is_refused(
    chat: Chat, assistant: Assistant
) -> None:
    chat.send("refer")
    first_summary = chat.answer_all(CHILD_REFERRAL)
    chat.click("Change an answer")
    chat.click("Age")
    chat.send("5")
    assert chat.step == "summary"

    stale = chat.click("Submit", first_summary)  # the old summary said age 4
    assert "belongs to an earlier point" in text_of(stale)
    with get_database(assistant.settings).sessions() as session:
        assert session.scalars(select(Referral)).one().status == "draft"  # nothing was sent

    on_screen = chat.transcript[-1]  # the summary as it is now, shown again with the refusal
    sent = chat.click("Submit", on_screen)
    assert "PR-" in text_of(sent) and len(sent.notifications) == 1
    again = chat.click("Submit", on_screen)  # pressed twice: filed once
    assert "already been submitted" in text_of(again) and not again.notifications


def test_a_button_from_a_cancelled_draft_is_refused(chat: Chat) -> None:
    chat.send("refer")
    question = chat.send("1")
    chat.send("cancel")
    refused = chat.click("Yes, they are safe now", question)
    assert "no longer in progress" in text_of(refused)
    assert "don't have a referral in progress" in text_of(chat.send("continue"))


def test_a_forged_or_unreadable_checklist_button_is_refused_in_words(chat: Chat) -> None:
    chat.send("refer")
    asked = chat.send("1")
    draft = json.loads(chat.button("Yes, they are safe now", asked).value)["draft"]
    for forged in (
        '{"kind": "answer", "step": "safe_now", "payload": {"value": "yes"}}',  # no draft, no version
        json.dumps({"kind": "answer", "draft": draft, "step": "safe_now", "version": "3",  # a string
                    "payload": {"value": "yes"}}),
        json.dumps({"kind": "submit", "draft": draft, "version": 1, "payload": {"sql": "drop"}}),
    ):
        refused = chat.press(forged)
        assert "couldn't read that button" in text_of(refused) and "nothing was changed" in text_of(refused)
    current = json.loads(chat.button("Yes, they are safe now", asked).value)  # the draft and version on screen
    not_a_choice = chat.press(json.dumps({**current, "payload": {"value": "I am a free-text answer"}}))
    assert "couldn't read that button" in text_of(not_a_choice)
    assert chat.step == "safe_now"  # nothing was answered


def test_another_users_button_does_not_touch_their_draft(assistant: Assistant) -> None:
    owner, other = Chat(assistant, "user.owner"), Chat(assistant, "user.other")
    owner.send("refer")
    question = owner.send("1")
    other.send("refer")
    refused = other.click("Yes, they are safe now", question)
    assert "no longer in progress" in text_of(refused)
    assert owner.send("continue") and owner.step == "safe_now"


def test_typed_words_still_work_where_buttons_are_shown(chat: Chat) -> None:
    chat.send("refer")
    chat.send("serious_child")
    chat.send("Yes")
    assert chat.step == "abuse_or_neglect"
