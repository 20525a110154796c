"""Feedback on answers (👍 / 👎 with a reason) and "Ask the business unit", as card actions.

Teams has no modals for bots without a task module, so the reason form opens
inline under the answer (`Action.ShowCard`) and insists on a choice.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.channels.teams.text import choices, say
from bot.db import Database
from bot.feedback import Feedback, Rating
from bot.feedback import record_feedback as store_feedback
from bot.messages import Reply

log = logging.getLogger("sgbot.teams")

FEEDBACK_KEY = "sgbot_feedback"
SOURCES_KEY = "sgbot_sources"
CATEGORY_KEY = "sgbot_feedback_category"
COMMENT_KEY = "sgbot_feedback_comment"
HANDOFF_KEY = "sgbot_handoff"
HANDOFF_QUESTION_KEY = "sgbot_question"


def feedback_actions(reply: Reply, question: str | None) -> list[dict[str, Any]]:
    sources = sorted({citation.source for citation in reply.citations})
    categories = say_categories()
    return [
        {
            "type": "Action.Submit",
            "title": say("feedback_up"),
            "data": {FEEDBACK_KEY: "up", SOURCES_KEY: sources},
        },
        {
            "type": "Action.ShowCard",
            "title": say("feedback_down"),
            "card": {
                "type": "AdaptiveCard",
                "body": [
                    {"type": "TextBlock", "text": say("feedback_intro"), "wrap": True},
                    {
                        "type": "Input.ChoiceSet",
                        "id": CATEGORY_KEY,
                        "label": say("feedback_choice_label"),
                        "style": "expanded",
                        "isRequired": True,
                        "errorMessage": say("feedback_choice_missing"),
                        "choices": [{"title": title, "value": key} for key, title in categories.items()],
                    },
                    {
                        "type": "Input.Text",
                        "id": COMMENT_KEY,
                        "label": say("feedback_reason_label"),
                        "placeholder": say("feedback_reason_placeholder"),
                        "isMultiline": True,
                        "maxLength": 2000,
                    },
                ],
                "actions": [
                    {
                        "type": "Action.Submit",
                        "title": say("send"),
                        "data": {FEEDBACK_KEY: "down", SOURCES_KEY: sources},
                    }
                ],
            },
        },
        {
            "type": "Action.ShowCard",
            "title": say("ask_business_unit"),
            "card": {
                "type": "AdaptiveCard",
                "body": [
                    {"type": "TextBlock", "text": say("handoff_intro"), "wrap": True},
                    {
                        "type": "Input.Text",
                        "id": HANDOFF_QUESTION_KEY,
                        "label": say("handoff_question_label"),
                        "value": (question or "")[:1500],
                        "isMultiline": True,
                        "isRequired": True,
                        "maxLength": 3000,
                    },
                ],
                "actions": [{"type": "Action.Submit", "title": say("send"), "data": {HANDOFF_KEY: True}}],
            },
        },
    ]


def say_categories() -> dict[str, str]:
    return choices("feedback_choices")


def record_feedback(
    db: Database, *, user_id: str, conversation_id: str, message_id: str, value: dict[str, Any]
) -> str:
    """Keep the verdict (shared `bot.feedback` store) and thank the user.

    The comment is the user's own words: it goes to the database only, never
    to the logs; the log line carries the rating, category and document ids.
    """
    rating: Rating = "up" if value.get(FEEDBACK_KEY) == "up" else "down"
    raw_sources = value.get(SOURCES_KEY)
    sources = [str(s) for s in raw_sources] if isinstance(raw_sources, list) else []
    category = str(value.get(CATEGORY_KEY) or "") if rating == "down" else ""
    if category and category not in say_categories():
        category = "other"
    comment = str(value.get(COMMENT_KEY) or "").strip()[:2000]
    store_feedback(
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
    log.info("teams.feedback", extra={"rating": rating, "category": category, "sources": sources})
    return say("feedback_thanks_up" if rating == "up" else "feedback_thanks_down")
