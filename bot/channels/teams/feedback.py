"""Feedback on answers (👍 / 👎 with a reason) and "Ask the business unit", as card actions.

Teams has no modals for bots without a task module, so the reason form opens
inline under the answer (`Action.ShowCard`) and insists on a choice.
"""

from __future__ import annotations

from typing import Any

from bot.db import Database
from bot.feedback import Feedback, Rating, feedback_choices, feedback_text, handoff_text
from bot.feedback import record_feedback as store_feedback
from bot.messages import Reply

FEEDBACK_KEY = "sgbot_feedback"
SOURCES_KEY = "sgbot_sources"
CATEGORY_KEY = "sgbot_feedback_category"
COMMENT_KEY = "sgbot_feedback_comment"
HANDOFF_KEY = "sgbot_handoff"
HANDOFF_QUESTION_KEY = "sgbot_question"


def feedback_actions(reply: Reply, question: str | None) -> list[dict[str, Any]]:
    sources = sorted({citation.source for citation in reply.citations})
    categories = feedback_choices()
    return [
        {
            "type": "Action.Submit",
            "title": feedback_text("up"),
            "data": {FEEDBACK_KEY: "up", SOURCES_KEY: sources},
        },
        {
            "type": "Action.ShowCard",
            "title": feedback_text("down"),
            "card": {
                "type": "AdaptiveCard",
                "body": [
                    {"type": "TextBlock", "text": feedback_text("intro"), "wrap": True},
                    {
                        "type": "Input.ChoiceSet",
                        "id": CATEGORY_KEY,
                        "label": feedback_text("choice_label"),
                        "style": "expanded",
                        "isRequired": True,
                        "errorMessage": feedback_text("choice_missing"),
                        "choices": [{"title": title, "value": key} for key, title in categories.items()],
                    },
                    {
                        "type": "Input.Text",
                        "id": COMMENT_KEY,
                        "label": feedback_text("reason_label"),
                        "placeholder": feedback_text("reason_placeholder"),
                        "isMultiline": True,
                        "maxLength": 2000,
                    },
                ],
                "actions": [
                    {
                        "type": "Action.Submit",
                        "title": feedback_text("send"),
                        "data": {FEEDBACK_KEY: "down", SOURCES_KEY: sources},
                    }
                ],
            },
        },
        {
            "type": "Action.ShowCard",
            "title": handoff_text("button"),
            "card": {
                "type": "AdaptiveCard",
                "body": [
                    {"type": "TextBlock", "text": handoff_text("intro"), "wrap": True},
                    {
                        "type": "Input.Text",
                        "id": HANDOFF_QUESTION_KEY,
                        "label": handoff_text("question_label"),
                        "value": (question or "")[:1500],
                        "isMultiline": True,
                        "isRequired": True,
                        "maxLength": 3000,
                    },
                ],
                "actions": [{"type": "Action.Submit", "title": feedback_text("send"), "data": {HANDOFF_KEY: True}}],
            },
        },
    ]


def record_feedback(
    db: Database, *, user_id: str, conversation_id: str, message_id: str, value: dict[str, Any]
) -> list[Reply]:
    """The card's submission as the core's `Feedback`; the replies to show (the emergency route
    first if the comment describes someone at risk now, then the thanks)."""
    rating: Rating = "up" if value.get(FEEDBACK_KEY) == "up" else "down"
    raw_sources = value.get(SOURCES_KEY)
    sources = [str(s) for s in raw_sources] if isinstance(raw_sources, list) else []
    category = str(value.get(CATEGORY_KEY) or "") if rating == "down" else ""
    comment = str(value.get(COMMENT_KEY) or "").strip()
    return store_feedback(
        db,
        Feedback(
            platform="teams",
            conversation=conversation_id,
            message=message_id,
            user_id=user_id,
            rating=rating,
            reason=comment or None,
            category=category or None,
            sources=sources,
        ),
    )
