"""Feedback on answers (👍 / 👎 with a reason) and "Ask the business unit", as card actions.

Teams has no modals for bots without a task module, so the reason form opens
inline under the answer (`Action.ShowCard`) and insists on a choice.
"""

from __future__ import annotations

from typing import Any

from bot.messages import Feedback, Rating, Reply, feedback_form

FEEDBACK_KEY = "sgbot_feedback"
SOURCES_KEY = "sgbot_sources"
CATEGORY_KEY = "sgbot_feedback_category"
COMMENT_KEY = "sgbot_feedback_comment"
HANDOFF_KEY = "sgbot_handoff"
HANDOFF_QUESTION_KEY = "sgbot_question"
ASKED_KEY = "sgbot_asked"  # the question a 👎 answer answered, for the knowledge gaps


def feedback_actions(reply: Reply, question: str | None) -> list[dict[str, Any]]:
    sources = sorted({citation.source for citation in reply.citations})
    form = feedback_form()
    return [
        {
            "type": "Action.Submit",
            "title": form.up,
            "data": {FEEDBACK_KEY: "up", SOURCES_KEY: sources},
        },
        {
            "type": "Action.ShowCard",
            "title": form.down,
            "card": {
                "type": "AdaptiveCard",
                "body": [
                    {"type": "TextBlock", "text": form.intro, "wrap": True},
                    {
                        "type": "Input.ChoiceSet",
                        "id": CATEGORY_KEY,
                        "label": form.choice_label,
                        "style": "expanded",
                        "isRequired": True,
                        "errorMessage": form.choice_missing,
                        "choices": [{"title": title, "value": key} for key, title in form.choices.items()],
                    },
                    {
                        "type": "Input.Text",
                        "id": COMMENT_KEY,
                        "label": form.reason_label,
                        "placeholder": form.reason_placeholder,
                        "isMultiline": True,
                        "maxLength": 2000,
                    },
                ],
                "actions": [
                    {
                        "type": "Action.Submit",
                        "title": form.send,
                        "data": {FEEDBACK_KEY: "down", SOURCES_KEY: sources, ASKED_KEY: (question or "")[:1500]},
                    }
                ],
            },
        },
        {
            "type": "Action.ShowCard",
            "title": form.handoff_button,
            "card": {
                "type": "AdaptiveCard",
                "body": [
                    {"type": "TextBlock", "text": form.handoff_intro, "wrap": True},
                    {
                        "type": "Input.Text",
                        "id": HANDOFF_QUESTION_KEY,
                        "label": form.handoff_question_label,
                        "value": (question or "")[:1500],
                        "isMultiline": True,
                        "isRequired": True,
                        "maxLength": 3000,
                    },
                ],
                "actions": [{"type": "Action.Submit", "title": form.send, "data": {HANDOFF_KEY: True}}],
            },
        },
    ]


def feedback_from_card(*, user_id: str, conversation_id: str, message_id: str, value: dict[str, Any]) -> Feedback:
    """The card's submission as the core's `Feedback` (the assistant's `rate` records it)."""
    rating: Rating = "up" if value.get(FEEDBACK_KEY) == "up" else "down"
    raw_sources = value.get(SOURCES_KEY)
    sources = [str(s) for s in raw_sources] if isinstance(raw_sources, list) else []
    category = str(value.get(CATEGORY_KEY) or "") if rating == "down" else ""
    comment = str(value.get(COMMENT_KEY) or "").strip()
    asked = str(value.get(ASKED_KEY) or "").strip() if rating == "down" else ""
    return Feedback(
        platform="teams",
        conversation=conversation_id,
        message=message_id,
        user_id=user_id,
        rating=rating,
        reason=comment or None,
        category=category or None,
        sources=sources,
        question=asked or None,
    )
