"""How a follow-up is read with the thread's previous question (bot.qa.follow_up): a fragment that swaps
one part of the previous question becomes that question with the part swapped; a follow-up with words of
its own is answered as asked, the previous question as its context; a new question stands alone."""

from __future__ import annotations

from bot.qa.follow_up import Reading, named_area, read_follow_up, reads_as_follow_up

AREAS = ("Eastbrook", "Northshire", "Northshire Region")


def test_another_area_takes_the_place_of_the_area_the_last_question_named() -> None:
    assert read_follow_up("and northshire's?", "eastbrook front door number", AREAS) == \
        Reading("Northshire front door number", None)


def test_an_area_is_added_to_a_last_question_that_named_none() -> None:
    assert read_follow_up("and in eastbrook?", "whats the number for the MASH", AREAS) == \
        Reading("whats the number for the MASH in Eastbrook", None)


def test_another_numbered_part_takes_the_place_of_the_one_with_the_same_name() -> None:
    assert read_follow_up("and at stage 4?", "escalation stage 2 - who gets involved", AREAS).question == \
        "escalation stage 4 - who gets involved"
    assert read_follow_up("and level 1?", "what happens at level 4", AREAS).question == "what happens at level 1"


def test_a_bare_number_replaces_the_only_number_of_the_last_question() -> None:
    previous = "my foster child (10) hasnt come back from the park, how long do i wait"
    assert read_follow_up("what if shes 14", previous, AREAS).question == \
        "my foster child (14) hasnt come back from the park, how long do i wait"


def test_an_adult_takes_the_place_of_the_child_in_the_follow_ups_own_words() -> None:
    reading = read_follow_up("and if its an adult with care needs?", "who do i phone about a child at risk", AREAS)
    assert reading == Reading("who do i phone about an adult with care needs at risk", None)
    assert read_follow_up("and a vulnerable adult?", "who counts as a child in the policy", AREAS).question == \
        "who counts as a vulnerable adult in the policy"


def test_the_article_agrees_with_the_word_swapped_in() -> None:
    assert read_follow_up("and for an adult?", "when does a child's case need a review", AREAS).question == \
        "when does an adult's case need a review"
    assert read_follow_up("and a baby?", "can an adult refuse help", AREAS).question == "can a baby refuse help"


def test_what_exists_for_one_population_only_takes_its_counterparts_name() -> None:
    # A SAR is for adults: "and for a child?" asks for the child's kind of review, not a SAR for a child.
    assert read_follow_up("and for a child?", "what are the criteria for a SAR", AREAS) == \
        Reading("what are the criteria for a serious child safeguarding case", None)
    assert read_follow_up("and for an adult?", "when does a child's case need a rapid review", AREAS).question == \
        "when does an adult's case need a safeguarding adults review"


def test_another_kind_of_contact_detail_takes_the_place_of_the_one_asked_for() -> None:
    assert read_follow_up("and their email?", "FA safeguarding team number?", AREAS).question == \
        "FA safeguarding team email?"


def test_a_follow_up_with_words_of_its_own_is_answered_as_asked_with_the_last_question_as_context() -> None:
    previous = "MASH have said no further action and I disagree"
    assert read_follow_up("what if the team manager won't budge?", previous, AREAS) == \
        Reading("what if the team manager won't budge?", previous)
    # Long enough to say what it asks: not slotted into the last question, even though it names an adult.
    long = "what if its an adult telling me they're being abused now?"
    assert read_follow_up(long, "a kid has told me they're being hurt, what do i do", AREAS).context is not None


def test_a_fragment_with_nothing_to_swap_keeps_the_last_question_as_context() -> None:
    assert read_follow_up("and for the full LCSPR?", "whats the rapid review deadline", AREAS) == \
        Reading("and for the full LCSPR?", "whats the rapid review deadline")


def test_a_new_question_stands_alone() -> None:
    previous = "what should I put in my notes after a child discloses?"
    question = "How many working days does the partnership have to complete a rapid review?"
    assert read_follow_up(question, previous, AREAS) == Reading(question, None)
    assert read_follow_up("and in eastbrook?", None, AREAS) == Reading("and in eastbrook?", None)


def test_possessives_and_back_references_read_as_follow_ups() -> None:
    assert reads_as_follow_up("what are their opening hours?")
    assert reads_as_follow_up("how quickly do i have to ring them?")
    assert not reads_as_follow_up("what are the MASH opening hours on a friday in northshire?")


def test_one_area_named_is_the_area_two_are_none() -> None:
    assert named_area("LADO number for eastbrook pls", AREAS) == "Eastbrook"
    assert named_area("does the Northshire Region procedure apply", AREAS) == "Northshire Region"
    assert named_area("family moving from northshire to eastbrook", AREAS) is None
    assert named_area("who do I ring out of hours?", AREAS) is None
