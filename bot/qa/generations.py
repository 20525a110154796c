"""Index generations shared through the database, so replicas hold no index of their own.

With `SGBOT_INDEX_STORE=local` (the default) the catalog and keyword index live
under `SGBOT_DATA_DIR`, beside the embedded Chroma: one process, one disk.

With `SGBOT_INDEX_STORE=database` (compose, Kubernetes) the vectors live in the
Chroma server and every finished ingest publishes the catalog and BM25 index,
packed, as a new row of `index_generations` in the application database. Each
replica follows the newest generation: it unpacks it into a directory of its
own, opens a complete new answerer on it, warms it, and only then swaps it in.
A question is answered wholly by one answerer, so every passage an answer
quotes comes from one generation: no mixed answers, no errors, no pause while
an ingest runs or a replica switches. The ingest job starts from the newest
published generation too, so a fresh pod ingests incrementally.

Each generation carries the documents' words with their embeddings (`bot/index/words.py`), made at
ingest: a replica reads them as it opens the generation and never embeds them itself (a generation
published before they travelled with it has them embedded once, as the replica opens it).

Only knowledge documents are in these rows (the same text as the index):
never referral content.
"""

from __future__ import annotations

import hashlib
import io
import logging
import shutil
import sqlite3
import tarfile
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Integer, LargeBinary, String, delete, func, select
from sqlalchemy.orm import Mapped, mapped_column

from bot.config import Settings
from bot.db.base import Base, UTCDateTime, utcnow
from bot.errors import ConfigurationError
from bot.index.words import WORDS, words_path

if TYPE_CHECKING:
    from bot.db import Database
    from bot.qa.service import Answerer

log = logging.getLogger(__name__)

# Generations kept in the database: the newest, plus a couple to roll back to by hand.
KEEP_GENERATIONS = 3
CATALOG = "catalog.sqlite3"
MARKER = "published-generation"


class IndexStoreError(ConfigurationError, RuntimeError):
    pass


class IndexGeneration(Base):
    __tablename__ = "index_generations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    catalog_generation: Mapped[int] = mapped_column(Integer, nullable=False)
    chunk_count: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    archive: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)


@dataclass(frozen=True)
class Published:
    id: int
    catalog_generation: int
    chunk_count: int


def uses_database(settings: Settings) -> bool:
    return settings.index_store == "database"


def check_store(settings: Settings) -> None:
    """Replicas can share an index only if the vectors are in a server they all reach."""
    if uses_database(settings) and not settings.chroma_host:
        raise IndexStoreError(
            "SGBOT_INDEX_STORE=database needs a Chroma server shared by every replica: set CHROMA_HOST "
            "(and CHROMA_PORT), or use SGBOT_INDEX_STORE=local for a single process."
        )


# ------------------------------------------------------------------ packing


def _pack(index_dir: Path, generation: int) -> bytes:
    """The catalog (a consistent copy, even while WAL is in use), the BM25 files and the documents' words
    of the catalog's `generation`, as tar.gz."""
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / CATALOG
        source = sqlite3.connect(index_dir / CATALOG)
        target = sqlite3.connect(copy)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
            archive.add(copy, arcname=CATALOG)
            bm25 = index_dir / "bm25"
            if bm25.is_dir():
                archive.add(bm25, arcname="bm25")
            words = words_path(index_dir, generation)
            if words.exists():
                archive.add(words, arcname=str(words.relative_to(index_dir)))
    return buffer.getvalue()


def _unpack(data: bytes, index_dir: Path) -> None:
    index_dir.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        archive.extractall(index_dir, filter="data")


# ------------------------------------------------------------------ publishing (ingest)


def newest(database: Database) -> Published | None:
    with database.sessions() as session:
        row = session.execute(
            select(IndexGeneration.id, IndexGeneration.catalog_generation, IndexGeneration.chunk_count)
            .order_by(IndexGeneration.id.desc()).limit(1)
        ).first()
    return None if row is None else Published(int(row[0]), int(row[1]), int(row[2]))


def _marker(index_dir: Path) -> int | None:
    try:
        return int((index_dir / MARKER).read_text().strip())
    except (OSError, ValueError):
        return None


def restore_newest(settings: Settings, database: Database) -> Published | None:
    """Before an ingest: bring the local index up to the newest published generation (if it is not already)."""
    latest = newest(database)
    if latest is None or _marker(settings.index_dir) == latest.id:
        return latest
    with database.sessions() as session:
        data = session.scalar(select(IndexGeneration.archive).where(IndexGeneration.id == latest.id))
    assert data is not None
    for name in (CATALOG, f"{CATALOG}-wal", f"{CATALOG}-shm"):
        (settings.index_dir / name).unlink(missing_ok=True)
    shutil.rmtree(settings.index_dir / "bm25", ignore_errors=True)
    shutil.rmtree(settings.index_dir / WORDS, ignore_errors=True)
    _unpack(data, settings.index_dir)
    (settings.index_dir / MARKER).write_text(str(latest.id))
    log.info("index.restored", extra={"index_generation": latest.id})
    return latest


def publish(settings: Settings, database: Database) -> Published:
    """After an ingest: the local catalog and BM25 index become the newest generation for every replica."""
    from bot.index.store import KnowledgeIndex
    from bot.qa.vocabulary import documents_words

    index = KnowledgeIndex(settings)
    keyword = index.keyword  # brings the saved BM25 index up to the catalog's generation
    documents_words(index)  # kept by the ingest that made this generation; embedded now if an older one did not
    data = _pack(settings.index_dir, keyword.generation)
    row = IndexGeneration(catalog_generation=index.catalog.generation(), chunk_count=index.catalog.count(),
                          sha256=hashlib.sha256(data).hexdigest(), archive=data, created_at=utcnow())
    with database.transaction() as session:
        session.add(row)
        session.flush()
        published = Published(row.id, row.catalog_generation, row.chunk_count)
        keep = select(IndexGeneration.id).order_by(IndexGeneration.id.desc()).limit(KEEP_GENERATIONS)
        session.execute(delete(IndexGeneration).where(IndexGeneration.id.not_in(keep.scalar_subquery())))
    (settings.index_dir / MARKER).write_text(str(published.id))
    log.info("index.published", extra={"index_generation": published.id, "chunks": published.chunk_count,
                                       "bytes": len(data)})
    return published


def generation_count(database: Database) -> int:
    with database.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(IndexGeneration)) or 0)


# ------------------------------------------------------------------ following (replicas)


class GenerationFollower:
    """Keeps one replica's answerer on the newest published generation."""

    def __init__(self, settings: Settings, database: Database) -> None:
        self.settings = settings
        self.database = database
        self.root = settings.data_dir / "generations"
        self.loaded: Published | None = None
        self._lock = threading.Lock()

    def refresh(self) -> Answerer | None:
        """A new answerer if a newer generation was published since the last call, else None."""
        with self._lock:
            latest = newest(self.database)
            if latest is None or (self.loaded is not None and latest.id <= self.loaded.id):
                return None
            with self.database.sessions() as session:
                data = session.scalar(select(IndexGeneration.archive).where(IndexGeneration.id == latest.id))
            if data is None:  # pruned since we looked: the next refresh sees a newer one
                return None
            directory = self.root / str(latest.id)
            shutil.rmtree(directory, ignore_errors=True)
            _unpack(data, directory / "index")
            answerer = self._open(directory)
            previous = self.loaded
            self.loaded = latest
            self._prune(keep={latest.id, previous.id if previous else latest.id})
            log.info("index.loaded", extra={"index_generation": latest.id, "chunks": latest.chunk_count})
            return answerer

    def _open(self, directory: Path) -> Answerer:
        from bot.qa.service import Answerer
        from bot.qa.vocabulary import documents_words

        settings = self.settings.model_copy(update={"data_dir": directory})
        answerer = Answerer.from_settings(settings)
        answerer.index.keyword  # noqa: B018 - load BM25 now, not on the first question
        answerer.index.dense.count()  # and reach the Chroma server once
        documents_words(answerer.index, answerer.retriever.encode_query)  # and read the documents' words
        return answerer

    def _prune(self, keep: set[int]) -> None:
        # The previous generation stays: an answer that started on it may still be reading it.
        if not self.root.is_dir():
            return
        for child in self.root.iterdir():
            if child.name.isdigit() and int(child.name) not in keep:
                shutil.rmtree(child, ignore_errors=True)


# ------------------------------------------------------------------ around `sgbot ingest`


def before_ingest(settings: Settings) -> Database | None:
    """In database mode: the database, with the local index brought up to the newest generation."""
    if not uses_database(settings):
        return None
    check_store(settings)
    from bot.db import get_database

    database = get_database(settings)
    restore_newest(settings, database)
    return database


def after_ingest(settings: Settings, database: Database | None, changed: bool) -> Published | None:
    """In database mode: publish what was ingested (or the first generation), so replicas switch to it."""
    if database is None:
        return None
    if not changed and newest(database) is not None:
        return None
    return publish(settings, database)
