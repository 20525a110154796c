"""What a question asks for, read from its wording, and the abstention it leads to.

A near miss is a question made of words the documents know that asks for a thing they never give: "the
weekly fostering allowance", "the ofsted rating", "how many foster carers". These tests state how the
thing asked for and the kind of fact it needs are read from everyday English questions, and that either
one missing from the passages found turns the question away, however close its other words are.
"""

from __future__ import annotations

import pytest

from bot.index.tokens import tokenize
from bot.qa.answer import Evidence
from bot.qa.focus import asked_action, asked_thing, kinds_missing


@pytest.mark.parametrize("question, thing", [
    ("what's the weekly allowance for a foster carer", "weekly allowance"),
    ("which hotel is used for asylum accommodation?", "hotel"),
    ("whats the dress code on fridays", "dress code"),
    ("which team deals with adults at risk", "team"),  # after "which", the noun comes first
    ("what's the age limit for private fostering", ""),  # an age, a limit: kinds of fact, not things
    ("what's the concussion protocol for a player who took a knock", "concussion"),  # a protocol OF concussion
    ("what time does the Dudley MASH open in the morning", "dudley mash"),
    ("baby has a bruise - so what's the first step?", ""),  # "first step" names no thing of its own
    ("what kinds of abuse does the care act list", ""),  # "kinds of…": the thing is said in other words
    ("whats been the hardest bit for salford", ""),
    ("what should I put in my notes after a child discloses?", ""),  # a question about doing, not a thing
    ("what are the 6 principles?", "principles"),  # a number is no part of the thing
    ("What is Salford's 'good outcome review'?", "good outcome review"),  # whose it is says where
    ("whats the number for the MASH", ""),  # "number" says what kind of fact is wanted, judged by the lines
])
def test_the_thing_a_question_asks_for_is_read_from_its_wording(question: str, thing: str) -> None:
    assert asked_thing(question) == tokenize(thing)


def test_a_can_i_question_asks_about_its_first_verb() -> None:
    assert asked_action("can i park at the family hub") == tokenize("park")
    assert asked_action("local paper rang, can i talk to them") == tokenize("talk")
    assert asked_action("can i just email the front door the referral?") == []  # an adverb, not the doing


def test_a_question_that_can_only_be_answered_with_money_needs_a_line_that_gives_money() -> None:
    assert kinds_missing("how much does the assessment cost?", ["The assessment takes 45 working days."]) == ["money"]
    assert kinds_missing("how much does the assessment cost?", ["There is no charge for the assessment."]) == []
    assert kinds_missing("what do they pay foster carers per week", ["Foster carers are supported."]) == ["money"]
    assert kinds_missing("whats the total funding", ["Total Funding 285,550"]) == []


def test_a_count_needs_a_number_of_the_things_counted_not_any_number() -> None:
    lines = ["Phone the MASH on 01632 960120.", "The four levels at a glance", "within 3 working days"]
    assert kinds_missing("how many referrals did the mash get last year", lines) == ["count"]
    assert kinds_missing("how many levels of need are there", lines) == []
    assert kinds_missing("how many days have I got", lines) == []


@pytest.mark.parametrize("question, lines, missing", [
    ("whats the name of the mash team manager", ["Ask to speak to the MASH team manager."], ["name"]),
    ("who is the club welfare officer, whats their name", ["The Club Welfare Officer is Toby Batch."], []),
    ("what if it's a staff member she's named", ["Contact the LADO within one working day."], []),  # a verb
    ("what's the ofsted rating for the council", ["Ofsted re-inspected the council in 2018."], ["rating"]),
    ("whats the postcode for the port office", ["A social worker attends the port."], ["address"]),
    ("when's the next refresher course", ["Training is refreshed every three years."], ["date"]),
    ("whats the phone number for the business unit", ["The business unit supports the board."], ["contact"]),
    ("whats the phone number for the business unit", ["Business unit: 01632 960100"], []),
])
def test_a_kind_of_fact_asked_for_must_be_carried_by_a_line(question: str, lines: list[str],
                                                            missing: list[str]) -> None:
    assert kinds_missing(question, lines) == missing


def test_the_thing_asked_for_or_the_kind_of_fact_missing_turns_away_even_a_close_question() -> None:
    close = {"top_dense": 0.69, "coverage": 0.9}
    assert Evidence(**close).sufficient()  # type: ignore[arg-type]
    assert not Evidence(**close, unfound_thing=("week", "allow")).sufficient()  # type: ignore[arg-type]
    assert not Evidence(**close, kinds_missing=("money",)).sufficient()  # type: ignore[arg-type]
