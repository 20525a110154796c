"""The ingest side of "what changed": hand what was indexed and removed to the version record.

Kept apart from the pipeline so the pipeline needs one call. The index is
updated first: if the database cannot be reached the documents are still
searchable, and the report says that no versions were recorded and how to fix it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from bot.config import Settings
from bot.index.store import FileRecord, NewChunk

if TYPE_CHECKING:
    from ingest.pipeline import IngestReport

log = logging.getLogger(__name__)


def record_versions(
    settings: Settings,
    written: Sequence[tuple[FileRecord, Sequence[NewChunk]]],
    removed: Sequence[FileRecord],
    report: IngestReport,
) -> None:
    from bot.db import get_database
    from bot.procedures.versions import IngestedDocument, RemovedDocument, record_ingest

    documents = [
        IngestedDocument(record.path, record.source, record.sha256, record.meta,
                         [(chunk.section, chunk.text) for chunk in chunks])
        for record, chunks in written
    ]
    gone = [RemovedDocument(record.path, record.source, record.meta) for record in removed]
    try:
        report.changes = record_ingest(get_database(settings), documents, gone, settings=settings)
    except (SQLAlchemyError, OSError) as exc:
        log.warning("ingest.versions_not_recorded", extra={"error": exc.__class__.__name__})
        report.warnings.append(
            f"the documents were indexed, but their versions were not recorded: the database is unavailable "
            f"({exc.__class__.__name__}). Start it (or check DATABASE_URL); this run's changes are missing "
            "from `sgbot changes`."
        )
