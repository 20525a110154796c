"""Urgent routing errs towards recall: a false alarm costs a few lines, a miss far more."""

from __future__ import annotations

import pytest

from bot.qa.urgent import is_urgent


@pytest.mark.parametrize(
    "message",
    [
        "A child has just disclosed that she is being sexually abused at home",
        "A boy is threatening to jump from the bridge right now",
        "A teenager says she's being forced to carry drugs and will be hurt if she doesn't go tonight",
        "My pupil has bruises on her arm and says her dad hit her",
        "A 14 year old has not come home and her mum can't reach her",
        "child left alone at home all weekend",
        "one of my students told me he wants to kill himself",
        "Is it safe to send him home? He says his brother has a knife",
        "a resident with dementia is being hit by a carer",
        "The baby is unconscious",
        "There's a toddler alone in a car outside the school and it's very hot",
        "My student says she took a load of pills an hour ago",
        "A mum just told me her partner strangled her last night and the kids saw it",
    ],
)
def test_danger_now_is_urgent(message: str) -> None:
    assert is_urgent(message)


@pytest.mark.parametrize(
    "message",
    [
        "What does early help mean?",
        "Who funds the partnership?",
        "How do I start a referral for a practice review?",
        "What should I do if a child discloses abuse?",
        "What is the procedure for children missing from care?",
        "What level of need is neglect?",
        "Who do I tell about a child missing education?",
        "What is the domestic abuse procedure?",
        "How is the partnership funded by the police?",
        "",
    ],
)
def test_questions_about_procedure_are_not_urgent(message: str) -> None:
    assert not is_urgent(message)
