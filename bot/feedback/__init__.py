"""Feedback on answers (👍 / 👎 with a reason) and hand-offs to the business unit, as core services.

Each has its own table (`answer_feedback`, `handoffs`); channels only turn
their buttons and forms into a `Feedback` or a `HandoffRequest` (see `service`).
"""

from bot.feedback.models import AnswerFeedback, HandoffRecord
from bot.feedback.service import (
    Feedback,
    Handoff,
    HandoffRequest,
    Rating,
    feedback_choices,
    feedback_text,
    hand_off,
    handoff_text,
    list_feedback,
    list_handoffs,
    record_feedback,
)

__all__ = [
    "AnswerFeedback",
    "Feedback",
    "Handoff",
    "HandoffRecord",
    "HandoffRequest",
    "Rating",
    "feedback_choices",
    "feedback_text",
    "hand_off",
    "handoff_text",
    "list_feedback",
    "list_handoffs",
    "record_feedback",
]
