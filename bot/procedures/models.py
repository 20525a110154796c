"""Tables: each version of each knowledge document, what changed, and who wants to hear (notices go to the outbox).

Document text is not referral content, but it is kept here (in the database)
rather than in logs: a version's sections are what "what changed" is computed from.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UTCDateTime, utcnow


class DocumentVersion(Base):
    """One version of a knowledge document, as ingested: its metadata and its sections."""

    __tablename__ = "document_versions"
    __table_args__ = (UniqueConstraint("path", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(String(1000), index=True)
    source: Mapped[str] = mapped_column(String(255))
    version: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(40))
    areas: Mapped[list[str]] = mapped_column(JSON)
    topic: Mapped[str | None] = mapped_column(String(200))
    effective: Mapped[str | None] = mapped_column(String(40))
    review_by: Mapped[str | None] = mapped_column(String(40))
    source_url: Mapped[str | None] = mapped_column(String(1000))
    sections: Mapped[list[list[str]]] = mapped_column(JSON)  # [[heading path, text], …] in order
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # set when the file is gone


class DocumentChange(Base):
    """A document added, updated or removed by an ingest, with its section-level difference."""

    __tablename__ = "document_changes"
    __table_args__ = (Index("ix_document_changes_changed_at", "changed_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(String(1000), index=True)
    source: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(40))
    areas: Mapped[list[str]] = mapped_column(JSON)
    topic: Mapped[str | None] = mapped_column(String(200))
    source_url: Mapped[str | None] = mapped_column(String(1000))
    change: Mapped[str] = mapped_column(String(20))  # added | updated | removed
    version: Mapped[int | None] = mapped_column(Integer)  # the new version (None when removed)
    previous_version: Mapped[int | None] = mapped_column(Integer)
    diff: Mapped[dict[str, Any]] = mapped_column(JSON)  # DocumentDiff.as_dict()
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ChangeSubscription(Base):
    """A channel (Slack channel, Teams conversation, terminal user) that wants "what changed" notices.

    Empty `areas` / `kinds` mean every area / every kind."""

    __tablename__ = "change_subscriptions"
    __table_args__ = (UniqueConstraint("channel", "target"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))  # slack | teams | terminal
    target: Mapped[str] = mapped_column(String(255))  # channel id, conversation id or user id
    areas: Mapped[list[str]] = mapped_column(JSON)
    kinds: Mapped[list[str]] = mapped_column(JSON)
    created_by: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

