"""One knowledge gap: a declined question or a 👎 answer. No user id is kept: the gap is the documents'."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UTCDateTime, utcnow


class KnowledgeGap(Base):
    __tablename__ = "knowledge_gaps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(16))  # declined | thumbs_down
    area: Mapped[str | None] = mapped_column(String(120))
    question: Mapped[str | None] = mapped_column(Text)  # redacted, and only when keeping questions is on
    reason: Mapped[str | None] = mapped_column(Text)  # a 👎's reason, redacted
    category: Mapped[str | None] = mapped_column(String(64))  # a 👎's category (wrong, out of date, …)
    # The question's embedding (numbers, not text): lets gaps be grouped by meaning without keeping text.
    vector: Mapped[list[float] | None] = mapped_column(JSON)
    # The documents nearest to the question (or cited by the 👎 answer): [{"source", "title"}].
    nearest: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # A 👎's feedback row (answer_feedback.id): its reason, given later, updates this gap; None for declined.
    feedback_id: Mapped[int | None] = mapped_column(Integer, index=True)
