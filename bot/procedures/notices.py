"""A "what changed" notice as the outbox stores it: the facts of the changes, worded at delivery.

The row holds which documents changed and which of their sections (titles and
headings: the partnership's published documents, never anything a person
typed), not the notice's wording. `bot.procedures.notice_text` words it when a
delivery worker claims it, so a wording change reaches notices not yet posted,
like every other notification (bot/outbox/events.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict

from bot.messages import NoticeEvent
from bot.procedures.diff import DocumentDiff, SectionChange
from bot.procedures.versions import ChangeView

KIND: Final = "document_changed"
# A first ingest of a whole library matches every subscription with hundreds of documents: the row keeps
# the facts of the first few (more than a notice shows) and how many there were, not all of them.
MAX_STORED = 20


class ChangedSection(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    section: str
    previous_section: str | None = None  # set when the heading changed


class ChangedDocument(BaseModel):
    """One recorded change (`document_changes` row), without the sentences: a notice names sections only."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    change_id: int
    change: str  # added | updated | removed
    changed_on: str  # ISO date
    title: str
    kind: str
    areas: list[str]
    version: int | None
    previous_version: int | None
    source_url: str | None
    changed: list[ChangedSection]
    added: list[str]
    removed: list[str]

    @classmethod
    def of(cls, view: ChangeView) -> ChangedDocument:
        return cls(
            change_id=view.id, change=view.change, changed_on=view.changed_at.date().isoformat(), title=view.title,
            kind=view.kind, areas=list(view.areas), version=view.version, previous_version=view.previous_version,
            source_url=view.source_url,
            changed=[ChangedSection(section=c.section, previous_section=c.previous_section) for c in view.diff.changed],
            added=list(view.diff.added), removed=list(view.diff.removed),
        )

    def view(self) -> ChangeView:
        """Back as the view the change wording reads (sections without their sentences)."""
        day = dt.date.fromisoformat(self.changed_on)
        return ChangeView(
            id=self.change_id, changed_at=dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC), change=self.change,
            path="", source="", title=self.title, kind=self.kind, areas=list(self.areas), topic=None,
            source_url=self.source_url, version=self.version, previous_version=self.previous_version,
            diff=DocumentDiff(
                added=list(self.added), removed=list(self.removed),
                changed=[SectionChange(section=c.section, previous_section=c.previous_section) for c in self.changed],
            ),
        )


class DocumentsChanged(NoticeEvent):
    """Documents a subscription cares about changed, told to the subscribed conversation or user."""

    kind: Literal["document_changed"] = KIND
    documents: list[ChangedDocument]  # the first MAX_STORED, oldest change first
    total: int  # how many changed in all

    @classmethod
    def of(cls, views: Sequence[ChangeView]) -> DocumentsChanged:
        return cls(documents=[ChangedDocument.of(v) for v in views[:MAX_STORED]], total=len(views))
