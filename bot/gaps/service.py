"""Recording knowledge gaps (never failing the answer that found one) and grouping them into themes.

Grouping is by meaning: each gap's question embedding is compared (cosine) with each theme's first gap;
close enough (`SIMILAR`) joins it, otherwise it starts a theme. A 👎 without a question embedding joins
the theme of the document its answer cited. A theme is named by the document its gaps were nearest to
most often, and shows kept (redacted) questions as examples when there are any.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import numpy as np
from sqlalchemy import delete, select

from bot.config import Settings
from bot.db import Database, utcnow
from bot.gaps.models import KnowledgeGap
from bot.gaps.redact import redact

log = logging.getLogger(__name__)
SIMILAR = 0.6
MAX_TEXT = 1000


@dataclass
class GapTheme:
    label: str
    count: int = 0
    declined: int = 0
    thumbs_down: int = 0
    documents: list[tuple[str, int]] = field(default_factory=list)  # (title, how many gaps were nearest)
    examples: list[str] = field(default_factory=list)  # redacted questions or reasons, when kept
    centre: np.ndarray | None = None


def record_gap(
    database: Database,
    settings: Settings,
    *,
    kind: str,
    question: str | None = None,
    reason: str | None = None,
    category: str | None = None,
    vector: Any = None,
    nearest: list[dict[str, Any]] | None = None,
    area: str | None = None,
    feedback_id: int | None = None,
) -> None:
    """Keep one gap; a failure is logged (ids only) and never reaches the person asking.

    With `feedback_id` (a 👎), the gap of that feedback row is updated if there is one: a reason or a
    question given later fills it in, what was not given again is kept, so one 👎 is one gap.
    """
    keep = settings.gaps_keep_questions
    kept_question = redact(question)[:MAX_TEXT] if keep and question else None
    kept_reason = redact(reason)[:MAX_TEXT] if keep and reason else None
    numbers = [round(float(x), 5) for x in np.asarray(vector).ravel()] if vector is not None else None
    documents = [{"source": str(n.get("source", "")), "title": str(n.get("title", ""))}
                 for n in (nearest or [])][:3]
    try:
        with database.transaction() as session:
            gap = None
            if feedback_id is not None:
                gap = session.scalars(
                    select(KnowledgeGap).where(KnowledgeGap.feedback_id == feedback_id).order_by(KnowledgeGap.id)
                ).first()
            if gap is None:
                session.add(
                    KnowledgeGap(
                        at=utcnow(), kind=kind, area=area, question=kept_question, reason=kept_reason,
                        category=category, vector=numbers, nearest=documents, feedback_id=feedback_id,
                    )
                )
            else:
                gap.at = utcnow()
                gap.question = kept_question or gap.question
                gap.reason = kept_reason or gap.reason
                gap.category = category or gap.category
                gap.vector = numbers or gap.vector
                gap.nearest = documents or gap.nearest
            # Retention: whatever is older than the configured number of days is forgotten.
            cutoff = utcnow() - timedelta(days=settings.gaps_retention_days)
            session.execute(delete(KnowledgeGap).where(KnowledgeGap.at < cutoff))
    except Exception:
        log.warning("could not record a knowledge gap", extra={"kind": kind}, exc_info=True)


def forget_feedback_gap(database: Database, feedback_id: int) -> None:
    """A 👎 changed to 👍: the answer was fine after all, so its gap goes. Never fails the feedback."""
    try:
        with database.transaction() as session:
            session.execute(delete(KnowledgeGap).where(KnowledgeGap.feedback_id == feedback_id))
    except Exception:
        log.warning("could not forget a knowledge gap", extra={"feedback_id": feedback_id}, exc_info=True)


def themes(database: Database, settings: Settings) -> list[GapTheme]:
    cutoff = utcnow() - timedelta(days=settings.gaps_retention_days)
    with database.sessions() as session:
        gaps = session.scalars(select(KnowledgeGap).where(KnowledgeGap.at >= cutoff).order_by(KnowledgeGap.id)).all()
    groups: list[tuple[GapTheme, list[KnowledgeGap]]] = []
    by_document: dict[str, tuple[GapTheme, list[KnowledgeGap]]] = {}
    for gap in gaps:
        group = None
        if gap.vector:
            vector = np.asarray(gap.vector, dtype=np.float32)
            vector /= float(np.linalg.norm(vector)) or 1.0
            for theme, members in groups:
                if theme.centre is not None and float(theme.centre @ vector) >= SIMILAR:
                    group = (theme, members)
                    break
            if group is None:
                group = (GapTheme(label="", centre=vector), [])
                groups.append(group)
        else:
            title = gap.nearest[0]["title"] if gap.nearest else "No document cited"
            group = by_document.get(title)
            if group is None:
                group = (GapTheme(label=""), [])
                by_document[title] = group
                groups.append(group)
        group[1].append(gap)
    result = []
    for theme, members in groups:
        documents = Counter(n["title"] for gap in members for n in gap.nearest[:1] if n.get("title"))
        theme.documents = documents.most_common(3)
        theme.label = theme.documents[0][0] if theme.documents else "Nothing in the documents was close"
        theme.count = len(members)
        theme.declined = sum(1 for g in members if g.kind == "declined")
        theme.thumbs_down = theme.count - theme.declined
        theme.examples = [text for g in members for text in (g.question, g.reason) if text][:3]
        theme.centre = None
        result.append(theme)
    return sorted(result, key=lambda t: -t.count)
