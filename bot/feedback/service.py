"""Feedback on answers and hand-offs to the business unit: written once, for every channel.

A channel turns a button, card or typed command into a `Feedback` or a
`HandoffRequest` and shows the replies it gets back; everything else is here.
Free text a person typed (a 👎 reason, a hand-off question) is checked for
someone at risk now before it is stored: the emergency route comes first, and
the text is still kept (nothing a user typed is lost). The text goes to the
database only, never to the logs; log lines carry ids.

The business unit hears of a hand-off through the outbox, in the same
transaction as the hand-off row: one delivery worker per channel posts it to
every configured business-unit channel, retrying until it is taken.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.config import Settings, get_settings
from bot.db import Database, utcnow
from bot.feedback.models import AnswerFeedback, HandoffRecord
from bot.messages import Feedback, HandoffRequest, NoticeEvent, Notification, Reply, feedback_choices
from bot.outbox import BUSINESS_UNIT, Outbox, events
from bot.outbox.routing import business_unit_routes
from bot.people import People
from bot.prompts import say_from
from bot.safety.emergency import emergency_first

log = logging.getLogger(__name__)

FEEDBACK_PROMPTS = "feedback.yaml"
HANDOFF_PROMPTS = "handoff.yaml"
# Longest free text kept from a form (the forms themselves stop people at about this).
MAX_TEXT = 3000


def feedback_text(name: str, **fields: object) -> str:
    return say_from(FEEDBACK_PROMPTS, name, **fields)


def handoff_text(name: str, **fields: object) -> str:
    return say_from(HANDOFF_PROMPTS, name, **fields)


HANDOFF = "handoff"


class HandoffPosted(NoticeEvent):
    """A question passed to the business unit, as the outbox keeps it: worded when it is delivered."""

    kind: Literal["handoff"] = "handoff"
    person: str  # their display name, or their user id
    link: str | None = None  # to the conversation, where the platform gives one
    question: str  # as they typed it
    urgent: bool = False  # it described someone at risk now: flagged for the business unit too


def handoff_notice(notice: HandoffPosted) -> Reply:
    return Reply(
        handoff_text(
            "posted",
            person=notice.person,
            where=handoff_text("link", url=notice.link) if notice.link else "",
            question="\n".join(f"> {line}" for line in notice.question.splitlines()),
        ),
        urgent=notice.urgent,
    )


def _word_handoff(event: dict[str, Any], audience: str, channel: str) -> Reply:
    return handoff_notice(HandoffPosted.model_validate(event))


events.register([HANDOFF], _word_handoff)


@dataclass(frozen=True)
class Handoff:
    """A hand-off as it was recorded."""

    platform: str
    conversation: str
    thread: str
    user_id: str
    question: str | None = None
    link: str | None = None
    posted_to: str | None = None
    posted_message: str | None = None
    at: str = ""


def _person_id(session: Session, user_id: str) -> int | None:
    person = People.find_in(session, user_id)
    return person.id if person is not None else None


def record_feedback(
    db: Database, feedback: Feedback, *, settings: Settings | None = None, vector: Any = None
) -> list[Reply]:
    """Keep the person's latest verdict on an answer; the replies to show them (the thanks, and
    the emergency route first if the reason describes someone at risk now).

    A 👎 is a knowledge gap (one per rated answer, however often its reason is updated): with the
    cited documents, the question's embedding (`vector`, numbers, from the caller that has the model)
    so it groups by meaning with declined questions, and the question and reason as the gaps keep them.
    A 👍 after a 👎 removes that gap."""
    reason = (feedback.reason or "").strip()[:MAX_TEXT] or None
    urgent = emergency_first(reason, path="feedback")  # before the text is stored
    category = feedback.category or None
    if category and category not in feedback_choices():
        category = "other"
    with db.transaction() as session:
        person_id = _person_id(session, feedback.user_id)
        row = session.scalars(
            select(AnswerFeedback).where(
                AnswerFeedback.platform == feedback.platform,
                AnswerFeedback.conversation == feedback.conversation,
                AnswerFeedback.message == feedback.message,
                AnswerFeedback.user_id == feedback.user_id,
            )
        ).first()
        if row is None:
            row = AnswerFeedback(
                platform=feedback.platform,
                conversation=feedback.conversation,
                message=feedback.message,
                user_id=feedback.user_id,
            )
            session.add(row)
        row.person_id = person_id
        row.rating = feedback.rating
        # 👎 first counts at once and the reason follows from the form: a later empty reason keeps it.
        if reason is not None or feedback.rating == "up":
            row.reason = reason
        if category is not None or feedback.rating == "up":
            row.category = category
        if feedback.sources or row.sources is None:
            row.sources = list(feedback.sources)[:50]
        row.created_at = utcnow()
        session.flush()
        feedback_id = row.id
    log.info(
        "feedback recorded",
        extra={"platform": feedback.platform, "rating": feedback.rating, "category": category,
               "sources": list(feedback.sources)[:50]},
    )
    if feedback.rating == "down":  # a knowledge gap: the documents it cited did not answer well
        from bot.gaps.service import record_gap

        record_gap(db, settings or get_settings(), kind="thumbs_down", question=feedback.question,
                   reason=reason, category=category, vector=vector,
                   nearest=[{"source": s, "title": s} for s in feedback.sources], feedback_id=feedback_id)
    else:
        from bot.gaps.service import forget_feedback_gap

        forget_feedback_gap(db, feedback_id)
    thanks = Reply(feedback_text("thanks_up" if feedback.rating == "up" else "thanks_down"))
    return [urgent, thanks] if urgent else [thanks]


def list_feedback(db: Database, platform: str) -> list[Feedback]:
    with db.sessions() as session:
        rows = session.scalars(
            select(AnswerFeedback).where(AnswerFeedback.platform == platform).order_by(AnswerFeedback.created_at)
        ).all()
        return [
            Feedback(
                platform=r.platform, conversation=r.conversation, message=r.message, user_id=r.user_id,
                rating="up" if r.rating == "up" else "down", reason=r.reason, category=r.category,
                sources=list(r.sources or []), at=r.created_at.isoformat(),
            )
            for r in rows
        ]


def hand_off(db: Database, settings: Settings, request: HandoffRequest) -> list[Reply]:
    """Record the question and queue the business unit's notice of it, in one transaction.

    Returns what to tell the person: the emergency route first if the question
    describes someone at risk now, then that it was sent (or, with no business-unit
    channel configured, who to ask instead; the question is kept all the same).
    """
    question = request.question.strip()[:MAX_TEXT]
    if not question:
        return [Reply(handoff_text("empty"))]
    urgent = emergency_first(question, path="handoff")  # before the text is stored
    routes = business_unit_routes(settings)
    notice = HandoffPosted(
        person=request.display_name or request.user_id, link=request.link, question=question,
        urgent=urgent is not None,
    )
    with db.transaction() as session:
        person_id = _person_id(session, request.user_id)
        row = HandoffRecord(
            platform=request.platform,
            conversation=request.conversation,
            thread=request.thread,
            user_id=request.user_id,
            person_id=person_id,
            question=question,
            link=request.link,
            created_at=utcnow(),
        )
        session.add(row)
        session.flush()
        if routes:
            notification = Notification(
                audience=BUSINESS_UNIT, reply=handoff_notice(notice), event=HANDOFF, notice=notice
            )
            Outbox(db, settings).publish(session, [notification], key=f"handoff:{row.id}")
        handoff_id = row.id
    log.info("handoff recorded", extra={"handoff_id": handoff_id, "platform": request.platform,
                                          "routes": [r.channel for r in routes]})
    told = Reply(handoff_text("done") if routes else handoff_text("no_channel", contact=settings.contact))
    return [urgent, told] if urgent else [told]


def list_handoffs(db: Database, platform: str) -> list[Handoff]:
    with db.sessions() as session:
        rows = session.scalars(
            select(HandoffRecord).where(HandoffRecord.platform == platform).order_by(HandoffRecord.created_at)
        ).all()
        return [
            Handoff(
                platform=r.platform, conversation=r.conversation, thread=r.thread, user_id=r.user_id,
                question=r.question, link=r.link, posted_to=r.posted_to, posted_message=r.posted_message,
                at=r.created_at.isoformat(),
            )
            for r in rows
        ]
