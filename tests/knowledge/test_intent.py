"""What a question asks for, read from its words: the kind of fact the answer should lead with."""

from __future__ import annotations

import pytest

from bot.qa.intent import carries, wants


@pytest.mark.parametrize("question", [
    "cant get through on the phone so can i just email the front door the referral instead?",
    "should I phone the parents first?",
    "newstead preschool - is it ok for a member of staff to be on their own 1:1 with a child?",
    "one of our u15s sent our coach an inappropriate text, what should he do about it",
    "DSL is off, what now?",
])
def test_a_question_about_what_may_or_must_be_done_asks_for_the_rule(question: str) -> None:
    assert wants(question)[:1] == ["rule"]
    assert "contact" not in wants(question)


@pytest.mark.parametrize("question", [
    "skelton club welfare officer phone no", "FA safeguarding team number?", "whats the email for the LADO",
    "phone for eastbrook adult care", "who do I ring out of hours?", "LADO email address",
])
def test_a_question_for_a_number_an_address_or_a_person_asks_for_a_contact(question: str) -> None:
    assert "contact" in wants(question)


@pytest.mark.parametrize(("sentence", "is_time"), [
    ("We evaluate practice to ensure organisations within Salford keep all children safe.", False),
    ("Contact the LADO within one working day.", True),
    ("Follow up in writing within 24 hours.", True),
    ("This was launched at a workshop on 31st January.", True),
])
def test_within_is_a_time_only_when_a_time_follows(sentence: str, is_time: bool) -> None:
    assert (carries("time", sentence) == 1.0) is is_time
