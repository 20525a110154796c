"""Practitioners' typing slips are read as the documents' words; real words, names and acronyms never are."""

from __future__ import annotations

import pytest

from bot.index.tokens import tokenize
from bot.index.words import CorpusWords
from bot.qa.service import Answerer
from bot.qa.spelling import Speller, build_speller


def _speller(text: str, frequency: dict[str, str] | None = None) -> Speller:
    """A speller for an index whose passages use the words of `text`."""
    forms = sorted(set(text.lower().split()))
    stems = [tokenize(form)[0] if tokenize(form) else form for form in forms]
    counts = {tokenize(word)[0]: int(n) for word, n in (frequency or {}).items()}
    return build_speller(CorpusWords(forms=tuple(forms), stems=tuple(stems)), counts)


DOCUMENTS = ("safeguarding referral referrals neglect designated children number concerns staff check part "
             "appear start launch setting county activity oversight writing")


@pytest.mark.parametrize(("typed", "meant"), [
    ("is this safegaurding or neglet?", "is this safeguarding or neglect?"),  # letters swapped; one missed
    ("how do I make a referal", "how do I make a referral"),
    ("referals from the desginated lead", "referrals from the designated lead"),
    ("Chidlren left at home", "children left at home"),  # the first word of a question may be capitalised
    ("whats the numbr for the MASH", "whats the number for the MASH"),
])
def test_a_slip_of_the_keyboard_is_read_as_the_index_word_it_stands_for(typed: str, meant: str) -> None:
    assert _speller(DOCUMENTS).read(typed) == meant


def test_an_english_word_the_documents_never_use_is_never_read_as_a_slip() -> None:
    # What out-of-scope questions ask about, a keystroke from a word of the documents: left as asked, so that
    # the question still reads as asking about something the documents never mention.
    question = "is there stuff for the party, a cheek swab, a lunch treat, any waiting, a print launch?"
    assert _speller(DOCUMENTS).read(question) == question


def test_an_acronym_a_name_a_number_a_short_word_or_a_word_of_the_vocabulary_is_never_read_as_a_slip() -> None:
    speller = _speller(DOCUMENTS + " marf jayden")
    for question in ("the NEGLET team", "my colleague Jaydan said", "born 20244", "a chld", "is it the marfs"):
        assert speller.read(question) == question


def test_a_place_typed_with_a_slip_is_read_as_the_place_so_another_areas_question_is_still_seen_as_one() -> None:
    # prompts/places.yaml names Manchester and Walsall; the documents need not.
    speller = _speller(DOCUMENTS)
    assert speller.read("who is the LADO in manchesteer") == "who is the LADO in manchester"
    assert speller.read("whats the number for Walsal MASH") == "whats the number for Walsall MASH"


def test_of_several_words_as_close_the_commonest_in_the_index_is_meant() -> None:
    # "carring": a letter doubled in "caring" or one missed from "carrying".
    assert _speller("caring carrying", {"caring": "9", "carrying": "1"}).read("carring") == "caring"
    assert _speller("caring carrying", {"caring": "1", "carrying": "9"}).read("carring") == "carrying"


def test_a_typod_question_is_answered_with_the_fact_of_the_spelled_one(sample_answerer: Answerer) -> None:
    spelled = sample_answerer.answer("How many working days does the partnership have to complete a rapid review?")
    typed = sample_answerer.answer("How many wokring days does the partnreship have to complete a rapid reveiw?")

    assert spelled.answered and typed.answered
    assert "15 working days" in typed.text
    assert typed.passages == spelled.passages
    assert typed.question.startswith("How many wokring")  # the question is kept as it was asked


def test_a_near_miss_the_documents_cannot_answer_still_abstains(sample_answerer: Answerer) -> None:
    assert not sample_answerer.answer("is there parkign at the office for the christmas party").answered
