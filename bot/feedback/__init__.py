"""Feedback on answers (👍 / 👎 with a reason) and hand-offs to the business unit, as core services.

Each has its own table (`answer_feedback`, `handoffs`); channels only turn
their buttons and forms into a `Feedback` or a `HandoffRequest` (channel-neutral
messages, in `bot.messages`) and hand them to the assistant, which calls `service`:
channels never import this package.
"""

from bot.feedback.models import AnswerFeedback, HandoffRecord
from bot.feedback.service import (
    Handoff,
    feedback_choices,
    feedback_text,
    hand_off,
    handoff_text,
    list_feedback,
    list_handoffs,
    record_feedback,
)
from bot.messages import Feedback, HandoffRequest, Rating

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
