"""The review a discussion is about: a referral filed through the checklist and accepted by the business unit."""

from __future__ import annotations

from bot.assistant import Assistant
from tests.referral.helpers import CHILD_REFERRAL, Chat


def file_referral(assistant: Assistant, referrer: str = "referrer.one") -> str:
    chat = Chat(assistant, user_id=referrer)
    chat.send("refer")
    chat.answer_all(CHILD_REFERRAL)
    receipt = chat.press("submit")
    return str((receipt.replies[-1].card or {})["reference"])


def file_accepted_review(assistant: Assistant, officer: str, referrer: str = "referrer.one") -> str:
    """Accepted for a local child safeguarding practice review: it has an action plan."""
    reference = file_referral(assistant, referrer)
    decided = Chat(assistant, user_id=officer).send(f"accept {reference} lcspr Meets the criteria for a review")
    assert "practice review" in decided.replies[0].text.lower(), decided.replies[0].text
    return reference
