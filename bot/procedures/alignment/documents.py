"""Procedures to align: the latest recorded version of each document, or documents read from files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from bot.db import Database
from bot.procedures.diff import Section, sections_from_chunks


@dataclass(frozen=True)
class ProcedureDoc:
    path: str
    title: str
    areas: tuple[str, ...]
    kind: str
    topic: str | None
    effective: str | None
    review_by: str | None
    source_url: str | None
    sections: tuple[Section, ...] = field(default_factory=tuple)

    @property
    def name(self) -> str:
        return Path(self.path).name

    def effective_date(self) -> dt.date | None:
        return _date(self.effective)

    def review_date(self) -> dt.date | None:
        return _date(self.review_by)


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def recorded_procedures(database: Database, kinds: Sequence[str] = ("procedure",)) -> list[ProcedureDoc]:
    """The latest version of every document still in the knowledge base, of the given kinds."""
    from bot.procedures.models import DocumentVersion

    with database.sessions() as session:
        rows = session.scalars(select(DocumentVersion).order_by(DocumentVersion.path, DocumentVersion.version)).all()
    latest: dict[str, DocumentVersion] = {}
    for row in rows:
        latest[row.path] = row
    return [
        ProcedureDoc(
            path=v.path, title=v.title, areas=tuple(v.areas or []), kind=v.kind, topic=v.topic,
            effective=v.effective, review_by=v.review_by, source_url=v.source_url,
            sections=tuple(Section(p, t) for p, t in v.sections),
        )
        for v in latest.values()
        if v.removed_at is None and v.kind in kinds
    ]


def read_procedure(path: Path) -> ProcedureDoc:
    """A document read straight from a file (evaluation, and reports over a folder)."""
    from ingest.chunking import chunk_blocks
    from ingest.loaders import load
    from ingest.metadata import build_meta, read_sidecar

    document = load(path)
    meta = build_meta(path, read_sidecar(path), document.front_matter, {}, fallback_title=document.title)
    pieces = chunk_blocks(document.blocks, meta.title)
    data = meta.to_dict()
    return ProcedureDoc(
        path=str(path), title=str(data["title"]), areas=tuple(data.get("areas") or []), kind=str(data["kind"]),
        topic=data.get("topic"), effective=_text(data.get("effective")), review_by=_text(data.get("review_by")),
        source_url=data.get("source_url"),
        sections=tuple(sections_from_chunks((p.section, p.text) for p in pieces)),
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)
