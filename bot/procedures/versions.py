"""Versions of knowledge documents and what changed between them, recorded at ingest.

`sgbot ingest` hands over every document it (re)indexed and every document it
removed; each gets a new `DocumentVersion` (or its last version marked removed)
and a `DocumentChange` with the section-level difference from the version
before. Subscribed channels get a notice in the outbox in the same
transaction, so a notice exists if and only if its change was recorded.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.config import Settings, get_settings
from bot.db import Database, utcnow
from bot.procedures.diff import SECTION_SEPARATOR, DocumentDiff, Section, diff_sections, sections_from_chunks
from bot.procedures.models import DocumentChange, DocumentVersion

log = logging.getLogger(__name__)

RECENT_DAYS = 30  # answers quoting a section changed this recently say when it changed


@dataclass(frozen=True)
class IngestedDocument:
    """A document ingest has just indexed: where it is, its metadata and its chunks (section, text)."""

    path: str
    source: str
    sha256: str
    meta: dict[str, Any]
    chunks: Sequence[tuple[str, str]]


@dataclass(frozen=True)
class RemovedDocument:
    path: str
    source: str
    meta: dict[str, Any]


@dataclass(frozen=True)
class ChangeView:
    """A recorded change, as `sgbot changes`, notices and the dashboard show it."""

    id: int
    changed_at: dt.datetime
    change: str
    path: str
    source: str
    title: str
    kind: str
    areas: list[str]
    topic: str | None
    source_url: str | None
    version: int | None
    previous_version: int | None
    diff: DocumentDiff

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "changed_at": self.changed_at.isoformat(timespec="seconds"), "change": self.change,
            "source": self.source, "title": self.title, "kind": self.kind, "areas": self.areas,
            "topic": self.topic, "source_url": self.source_url, "version": self.version,
            "previous_version": self.previous_version, **self.diff.as_dict(),
        }


def section_label(section_path: str) -> str:
    """The heading path without the document title (the title itself for a section with no heading)."""
    return section_path.split(SECTION_SEPARATOR, 1)[1] if SECTION_SEPARATOR in section_path else section_path


def _latest(session: Session, path: str) -> DocumentVersion | None:
    return session.scalars(
        select(DocumentVersion).where(DocumentVersion.path == path).order_by(DocumentVersion.version.desc()).limit(1)
    ).first()


def _sections(version: DocumentVersion) -> list[Section]:
    return [Section(path, text) for path, text in version.sections]


def record_ingest(
    database: Database,
    written: Sequence[IngestedDocument],
    removed: Sequence[RemovedDocument],
    *,
    now: dt.datetime | None = None,
    settings: Settings | None = None,
) -> list[int]:
    """Record a version and a change for each document; returns the ids of the changes recorded.

    A document whose sections are unchanged (only its metadata or the chunker changed) gets a new
    version but no change: nothing a reader would notice."""
    from bot.procedures.subscriptions import owe_notices

    at = now or utcnow()
    changes: list[DocumentChange] = []
    with database.transaction() as session:
        for document in written:
            sections = sections_from_chunks(document.chunks)
            previous = _latest(session, document.path)
            meta = document.meta
            version = DocumentVersion(
                path=document.path, source=document.source, version=(previous.version + 1) if previous else 1,
                sha256=document.sha256, title=str(meta.get("title") or document.source),
                kind=str(meta.get("kind") or ""), areas=list(meta.get("areas") or []), topic=meta.get("topic"),
                effective=_text(meta.get("effective")), review_by=_text(meta.get("review_by")),
                source_url=meta.get("source_url"), sections=[[s.path, s.text] for s in sections], recorded_at=at,
            )
            session.add(version)
            if previous is None or previous.removed_at is not None:
                diff = DocumentDiff(added=[section_label(s.path) for s in sections])
                kind = "added"
            else:
                diff = diff_sections(_sections(previous), sections)
                kind = "updated"
                if diff.empty:
                    continue
            changes.append(_change(version, kind, previous.version if previous else None, diff, at))
        for gone in removed:
            previous = _latest(session, gone.path)
            if previous is not None and previous.removed_at is None:
                previous.removed_at = at
            meta = gone.meta
            diff = DocumentDiff(removed=[section_label(p) for p, _ in previous.sections] if previous else [])
            changes.append(DocumentChange(
                path=gone.path, source=gone.source, title=str(meta.get("title") or gone.source),
                kind=str(meta.get("kind") or ""), areas=list(meta.get("areas") or []), topic=meta.get("topic"),
                source_url=meta.get("source_url"), change="removed", version=None,
                previous_version=previous.version if previous else None, diff=diff.as_dict(), changed_at=at,
            ))
        session.add_all(changes)
        session.flush()
        # Who hears of them: one notice per matching subscription, in the outbox, in this transaction.
        owe_notices(session, changes, at, database=database, settings=settings or get_settings())
        ids = [c.id for c in changes]
    if ids:
        log.info("procedures.changes_recorded", extra={"changes": ids})
    return ids


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _change(version: DocumentVersion, kind: str, previous: int | None, diff: DocumentDiff,
            at: dt.datetime) -> DocumentChange:
    return DocumentChange(
        path=version.path, source=version.source, title=version.title, kind=version.kind, areas=version.areas,
        topic=version.topic, source_url=version.source_url, change=kind, version=version.version,
        previous_version=previous, diff=diff.as_dict(), changed_at=at,
    )


def view(change: DocumentChange) -> ChangeView:
    return ChangeView(
        id=change.id, changed_at=change.changed_at, change=change.change, path=change.path, source=change.source,
        title=change.title, kind=change.kind, areas=list(change.areas or []), topic=change.topic,
        source_url=change.source_url, version=change.version, previous_version=change.previous_version,
        diff=DocumentDiff.from_dict(change.diff),
    )


def in_areas(areas: Sequence[str], wanted: Sequence[str]) -> bool:
    """Does a document for `areas` concern someone interested in `wanted` (empty = everything)?"""
    if not wanted:
        return True
    lowered = {a.lower() for a in areas}
    return any(w.lower() in lowered for w in wanted)


def list_changes(
    database: Database, *, since: dt.date | None = None, area: str | None = None, limit: int | None = None
) -> list[ChangeView]:
    """Recorded changes, newest first, optionally from a date and for one area."""
    statement = select(DocumentChange).order_by(DocumentChange.changed_at.desc(), DocumentChange.id.desc())
    if since is not None:
        statement = statement.where(
            DocumentChange.changed_at >= dt.datetime.combine(since, dt.time.min, tzinfo=dt.UTC)
        )
    with database.sessions() as session:
        rows = session.scalars(statement).all()
    found = [view(row) for row in rows if area is None or in_areas(row.areas or [], [area])]
    return found[:limit] if limit else found


def recent_section_updates(
    database: Database, sources: Sequence[str], *, today: dt.date | None = None, days: int = RECENT_DAYS
) -> dict[tuple[str, str], dt.date]:
    """(source file name, section label) -> the date it last changed, for changes in the last `days`."""
    if not sources:
        return {}
    today = today or utcnow().date()
    start = dt.datetime.combine(today - dt.timedelta(days=days), dt.time.min, tzinfo=dt.UTC)
    statement = (
        select(DocumentChange)
        .where(DocumentChange.source.in_(list(set(sources))), DocumentChange.change == "updated",
               DocumentChange.changed_at >= start)
        .order_by(DocumentChange.changed_at)
    )
    with database.sessions() as session:
        rows = session.scalars(statement).all()
    updated: dict[tuple[str, str], dt.date] = {}
    for row in rows:
        diff = DocumentDiff.from_dict(row.diff)
        for label in [*(c.section for c in diff.changed), *diff.added]:
            updated[(row.source, label)] = row.changed_at.date()  # later rows overwrite: the last change
    return updated
