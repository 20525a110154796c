"""Themes of a review: up to three, from the partnership's configured list (default: Salford's priorities).

Themes let the partnership see which of its priorities its reviews keep returning to. Setting them
replaces the review's previous themes, in one transaction, with an event in the referral's history.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.db import Database, utcnow
from bot.referral import statuses as st
from bot.referral.errors import NotAllowed, ReferralNotFound
from bot.referral.models import Referral, ReferralEvent
from bot.referral.repository import ReferralRepository
from bot.referral.text import say as say_referral
from bot.reviews.action_plans import ActionPlanError
from bot.reviews.models import ReviewTheme
from bot.reviews.text import say
from bot.roles import in_business_unit

MAX_THEMES = 3


@dataclass(frozen=True)
class ThemeCount:
    theme: str
    reviews: int
    references: list[str]


class Themes:
    def __init__(self, database: Database, settings: Settings) -> None:
        self.database = database
        self.settings = settings

    @property
    def choices(self) -> list[str]:
        return list(self.settings.review_themes)

    def normalise(self, themes: list[str]) -> list[str]:
        """The configured spelling of each theme given, in order, without repeats; refuses unknown ones."""
        known = {choice.lower(): choice for choice in self.choices}
        chosen: list[str] = []
        for theme in themes:
            cleaned = " ".join(theme.split())
            if not cleaned:
                continue
            match = known.get(cleaned.lower())
            if match is None:
                raise ActionPlanError(say("unknown_theme", theme=cleaned, allowed="; ".join(self.choices)))
            if match not in chosen:
                chosen.append(match)
        if len(chosen) > MAX_THEMES:
            raise ActionPlanError(say("too_many_themes", limit=MAX_THEMES, count=len(chosen)))
        return chosen

    def set(self, actor_id: str, reference: str, themes: list[str], *, email: str | None = None) -> list[str]:
        if not in_business_unit(self.settings, self.database, actor_id, email):
            raise NotAllowed(say("not_allowed_themes"))
        chosen = self.normalise(themes)
        with self.database.transaction() as session:
            referral = self._referral(session, reference)
            session.execute(delete(ReviewTheme).where(ReviewTheme.referral_id == referral.id))
            now = utcnow()
            for position, theme in enumerate(chosen, start=1):
                session.add(
                    ReviewTheme(referral_id=referral.id, theme=theme, position=position, set_by=actor_id, set_at=now)
                )
            session.add(
                ReferralEvent(
                    referral_id=referral.id,
                    at=now,
                    actor=actor_id,
                    action="themes_set",
                    detail={"themes": chosen},
                    version=referral.version,
                )
            )
        return chosen

    def of(self, reference: str) -> list[str]:
        with self.database.sessions() as session:
            referral = self._referral(session, reference)
            rows = session.scalars(
                select(ReviewTheme.theme).where(ReviewTheme.referral_id == referral.id).order_by(ReviewTheme.position)
            )
            return list(rows)

    def counts(self) -> list[ThemeCount]:
        """Each configured theme with the reviews that have it (most frequent first), then any others."""
        with self.database.sessions() as session:
            rows = session.execute(
                select(ReviewTheme.theme, Referral.reference)
                .join(Referral, Referral.id == ReviewTheme.referral_id)
                .order_by(Referral.reference)
            ).all()
        references: dict[str, list[str]] = {}
        for theme, ref in rows:
            references.setdefault(theme, []).append(ref or "")
        counter = Counter({theme: len(refs) for theme, refs in references.items()})
        ordered = [*self.choices, *sorted(set(references) - set(self.choices))]
        result = [ThemeCount(t, counter.get(t, 0), references.get(t, [])) for t in ordered]
        return sorted(result, key=lambda c: -c.reviews)

    def _referral(self, session: Session, reference: str) -> Referral:
        referral = ReferralRepository(session).by_reference(reference)
        if referral is None or referral.status == st.DRAFT:
            raise ReferralNotFound(say_referral("not_found", reference=reference.strip()))
        return referral
