"""Feedback on answers (👍 / 👎 with a reason) and hand-offs to the business unit.

Kept by ids: which message, who, which documents were cited, and the reason
the user typed (stored only in the database, never logged). Stored in the
shared channel_state store under the "feedback:<platform>" and
"handoff:<platform>" namespaces, one entry per (conversation, message, user),
so pressing 👍 twice, or 👍 then 👎, keeps the user's latest verdict.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

from bot.config import Settings, get_settings
from bot.db import Database, channel_state_items, put_channel_state, utcnow
from bot.messages import Notification

Rating = Literal["up", "down"]


@dataclass(frozen=True)
class Feedback:
    platform: str
    conversation: str  # channel / conversation id
    message: str  # the answer's message id (Slack ts)
    user_id: str
    rating: Rating
    reason: str | None = None
    category: str | None = None
    sources: list[str] = field(default_factory=list)  # cited document ids
    at: str = ""


@dataclass(frozen=True)
class Handoff:
    platform: str
    conversation: str
    thread: str
    user_id: str
    posted_to: str  # where the business unit sees it
    posted_message: str
    at: str = ""


def record_feedback(db: Database, feedback: Feedback, *, settings: Settings | None = None) -> None:
    stamped = Feedback(**{**asdict(feedback), "at": feedback.at or utcnow().isoformat()})
    key = f"{feedback.conversation}:{feedback.message}:{feedback.user_id}"
    put_channel_state(db, f"feedback:{feedback.platform}", key, asdict(stamped))
    if feedback.rating == "down":  # a knowledge gap: the documents it cited did not answer well
        from bot.gaps.service import record_gap

        record_gap(db, settings or get_settings(), kind="thumbs_down", reason=feedback.reason,
                   category=feedback.category, nearest=[{"source": s, "title": s} for s in feedback.sources])


def list_feedback(db: Database, platform: str) -> list[Feedback]:
    items = channel_state_items(db, f"feedback:{platform}")
    return sorted((Feedback(**value) for value in items.values()), key=lambda item: item.at)


def record_handoff(db: Database, handoff: Handoff) -> None:
    stamped = Handoff(**{**asdict(handoff), "at": handoff.at or utcnow().isoformat()})
    key = f"{handoff.conversation}:{handoff.thread}:{handoff.user_id}"
    put_channel_state(db, f"handoff:{handoff.platform}", key, asdict(stamped))


def hand_off(db: Database, settings: Settings, handoff: Handoff, notification: Notification) -> None:
    """Record a hand-off and queue the business unit's notification of it, in one transaction."""
    from bot.outbox import Outbox

    stamped = Handoff(**{**asdict(handoff), "at": handoff.at or utcnow().isoformat()})
    key = f"{handoff.conversation}:{handoff.thread}:{handoff.user_id}"
    with db.transaction() as session:
        put_channel_state(session, f"handoff:{handoff.platform}", key, asdict(stamped))
        Outbox(db, settings).publish(session, [notification], key=f"handoff:{handoff.platform}:{key}")


def list_handoffs(db: Database, platform: str) -> list[Handoff]:
    items = channel_state_items(db, f"handoff:{platform}")
    return sorted((Handoff(**value) for value in items.values()), key=lambda item: item.at)
