"""The knowledge index: a catalog of files and chunks, a dense index (Chroma) and a keyword index (BM25).

- The catalog (SQLite, stdlib `sqlite3`) is the record of what was ingested: each
  file's content hash and metadata, each chunk's text and section path. Citations
  are read from it.
- Chroma holds one vector per chunk, with the chunk id; embedded
  (`PersistentClient` under SGBOT_DATA_DIR) or a server (CHROMA_HOST/CHROMA_PORT).
  We always pass vectors we computed: Chroma's default embedding function
  would download a model, so it is switched off.
- Each passage's quotable units (sentences, list items, table rows: `bot.index.units`) have a
  meaning vector each, computed at ingest and kept in the catalog (int8), so that choosing
  the sentence to quote never waits for the model.
- BM25 (`bm25s`) is rebuilt from the catalog's stored tokens whenever the catalog
  changes. A generation counter ties it to the catalog, so an index left behind by
  an interrupted ingest is noticed and rebuilt rather than silently used.

Only knowledge documents enter this index. Referral content never does.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bot.config import Settings
from bot.errors import UnavailableError

DIMENSIONS = 384  # all-MiniLM-L6-v2
# Dense search compares every vector up to this many (50,000 x 384 float64: ~154 MB, ~5 ms a question);
# past it, Chroma's approximate search. Read from Chroma EXACT_PAGE at a time.
EXACT_LIMIT = 50_000
EXACT_PAGE = 5_000
TIE_DIGITS = 9  # cosines equal to this many decimals are a tie, broken by id

SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    meta TEXT NOT NULL,
    chunk_count INTEGER NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    source TEXT NOT NULL,
    title TEXT NOT NULL,
    section TEXT NOT NULL,
    text TEXT NOT NULL,
    tokens TEXT NOT NULL,
    areas TEXT NOT NULL,
    kind TEXT NOT NULL,
    topic TEXT,
    effective TEXT,
    review_by TEXT,
    source_url TEXT
);
CREATE INDEX IF NOT EXISTS chunks_path ON chunks(path);
CREATE TABLE IF NOT EXISTS unit_vectors (
    chunk_id TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    digest TEXT NOT NULL,
    vectors BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS unit_vectors_path ON unit_vectors(path);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class IndexMissingError(UnavailableError, RuntimeError):
    pass


@dataclass(frozen=True)
class StoredChunk:
    id: str
    path: str
    ordinal: int
    source: str
    title: str
    section: str
    text: str
    areas: tuple[str, ...]
    kind: str
    topic: str | None
    effective: str | None
    review_by: str | None
    source_url: str | None
    # The words ingest indexed for this passage (its section path and text, tokenized), as read
    # from the catalog. Not an init field: a passage rebuilt with other text (`dataclasses.replace`,
    # e.g. a list joined with the passage after it) has none, and its words are read again.
    # Kept as stored (one string) and split when asked for: of the few dozen passages a question's
    # candidates are, only the first few are read by their words.
    _indexed: str = field(default="", init=False, compare=False, repr=False)

    @property
    def indexed_tokens(self) -> tuple[str, ...]:
        return tuple(self._indexed.split())


@dataclass(frozen=True)
class NewChunk:
    """A chunk ready to be stored: what ingest hands to the index."""

    id: str
    ordinal: int
    section: str
    text: str
    tokens: list[str]
    # One meaning vector per quotable unit of `text` (`bot.index.units.passage_units`), and the
    # digest of those units; None when they were not computed (the answer then reads words only).
    unit_vectors: np.ndarray | None = None
    units_digest: str = ""


def pack_unit_vectors(vectors: np.ndarray) -> bytes:
    """Unit vectors as int8 with one float32 scale per row: about a quarter of float32's size (~50k
    lines of a 10k-passage index add ~19 MB, not ~77 MB, to the catalog every replica downloads);
    cosine similarities to a question move by about 0.002, far below what separates two sentences."""
    rows = np.asarray(vectors, dtype=np.float32).reshape(-1, DIMENSIONS)
    scale = np.maximum(np.abs(rows).max(axis=1, keepdims=True), 1e-12) / 127.0
    quantized = np.clip(np.rint(rows / scale), -127, 127).astype(np.int8)
    return scale.astype(np.float32).tobytes() + quantized.tobytes()


def unpack_unit_vectors(blob: bytes) -> np.ndarray | None:
    """The vectors `pack_unit_vectors` stored, or None for a blob of another format."""
    count, rest = divmod(len(blob), 4 + DIMENSIONS)
    if rest:
        return None
    scale = np.frombuffer(blob, dtype=np.float32, count=count).reshape(count, 1)
    quantized = np.frombuffer(blob, dtype=np.int8, offset=4 * count).reshape(count, DIMENSIONS)
    return quantized.astype(np.float32) * scale


@dataclass(frozen=True)
class FileRecord:
    path: str
    source: str
    sha256: str
    meta: dict[str, Any]
    chunk_count: int


class Catalog:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._local = threading.local()
        with self._connect() as db:
            db.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, timeout=30)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            self._local.connection = connection
        return connection

    def files(self) -> dict[str, FileRecord]:
        rows = self._connect().execute("SELECT path, source, sha256, meta, chunk_count FROM files").fetchall()
        return {r[0]: FileRecord(r[0], r[1], r[2], json.loads(r[3]), r[4]) for r in rows}

    def chunk_ids(self, path: str) -> list[str]:
        return [r[0] for r in self._connect().execute("SELECT id FROM chunks WHERE path = ?", (path,))]

    def replace_file(self, record: FileRecord, chunks: Sequence[NewChunk], ingested_at: str) -> None:
        meta = record.meta
        db = self._connect()
        with db:
            db.execute("DELETE FROM chunks WHERE path = ?", (record.path,))
            db.execute("DELETE FROM unit_vectors WHERE path = ?", (record.path,))
            db.executemany(
                "INSERT INTO unit_vectors (chunk_id, path, digest, vectors) VALUES (?,?,?,?)",
                [(c.id, record.path, c.units_digest, pack_unit_vectors(c.unit_vectors))
                 for c in chunks if c.unit_vectors is not None],
            )
            db.executemany(
                "INSERT INTO chunks (id, path, ordinal, source, title, section, text, tokens, areas, kind, topic,"
                " effective, review_by, source_url) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (c.id, record.path, c.ordinal, record.source, meta["title"], c.section, c.text,
                     " ".join(c.tokens), json.dumps(meta["areas"]), meta["kind"], meta.get("topic"),
                     meta.get("effective"), meta.get("review_by"), meta.get("source_url"))
                    for c in chunks
                ],
            )
            db.execute(
                "INSERT OR REPLACE INTO files (path, source, sha256, meta, chunk_count, ingested_at)"
                " VALUES (?,?,?,?,?,?)",
                (record.path, record.source, record.sha256, json.dumps(meta), len(chunks), ingested_at),
            )
            self._bump_generation(db)

    def remove_file(self, path: str) -> None:
        db = self._connect()
        with db:
            db.execute("DELETE FROM chunks WHERE path = ?", (path,))
            db.execute("DELETE FROM unit_vectors WHERE path = ?", (path,))
            db.execute("DELETE FROM files WHERE path = ?", (path,))
            self._bump_generation(db)

    @staticmethod
    def _bump_generation(db: sqlite3.Connection) -> None:
        db.execute(
            "INSERT INTO state (key, value) VALUES ('generation', '1') ON CONFLICT(key) DO UPDATE"
            " SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)"
        )

    def generation(self) -> int:
        row = self._connect().execute("SELECT value FROM state WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0

    def all_tokens(self) -> tuple[list[str], list[list[str]], list[list[str]], list[str]]:
        ids: list[str] = []
        tokens: list[list[str]] = []
        areas: list[list[str]] = []
        kinds: list[str] = []
        for row in self._connect().execute("SELECT id, tokens, areas, kind FROM chunks ORDER BY rowid"):
            ids.append(row[0])
            tokens.append(row[1].split())
            areas.append(json.loads(row[2]))
            kinds.append(row[3])
        return ids, tokens, areas, kinds

    def chunks(self, ids: Iterable[str]) -> dict[str, StoredChunk]:
        wanted = list(dict.fromkeys(ids))
        found: dict[str, StoredChunk] = {}
        db = self._connect()
        for start in range(0, len(wanted), 500):
            batch = wanted[start : start + 500]
            placeholders = ",".join("?" * len(batch))
            for r in db.execute(
                "SELECT id, path, ordinal, source, title, section, text, areas, kind, topic, effective, review_by,"
                f" source_url, tokens FROM chunks WHERE id IN ({placeholders})",
                batch,
            ):
                chunk = StoredChunk(r[0], r[1], r[2], r[3], r[4], r[5], r[6], tuple(json.loads(r[7])),
                                    r[8], r[9], r[10], r[11], r[12])
                object.__setattr__(chunk, "_indexed", r[13])
                found[r[0]] = chunk
        return found

    def unit_vectors(self, ids: Iterable[str]) -> dict[str, tuple[str, np.ndarray]]:
        """(units digest, one row per unit) for each passage that has them."""
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return {}
        placeholders = ",".join("?" * len(wanted))
        found: dict[str, tuple[str, np.ndarray]] = {}
        for chunk_id, digest, blob in self._connect().execute(
            f"SELECT chunk_id, digest, vectors FROM unit_vectors WHERE chunk_id IN ({placeholders})", wanted
        ):
            vectors = unpack_unit_vectors(blob)
            if vectors is not None:
                found[chunk_id] = (digest, vectors)
        return found

    def next_chunk(self, chunk: StoredChunk) -> StoredChunk | None:
        """The passage that follows `chunk` in its document, if any."""
        return self.chunk_at(chunk.path, chunk.ordinal + 1)

    def previous_chunk(self, chunk: StoredChunk) -> StoredChunk | None:
        """The passage that comes before `chunk` in its document, if any."""
        return self.chunk_at(chunk.path, chunk.ordinal - 1) if chunk.ordinal > 0 else None

    def chunk_at(self, path: str, ordinal: int) -> StoredChunk | None:
        row = self._connect().execute(
            "SELECT id FROM chunks WHERE path = ? AND ordinal = ?", (path, ordinal)
        ).fetchone()
        return self.chunks([row[0]]).get(row[0]) if row else None

    def count(self) -> int:
        return int(self._connect().execute("SELECT COUNT(*) FROM chunks").fetchone()[0])


class KeywordIndex:
    """BM25 over the catalog's tokens, with per-area and per-kind masks computed once."""

    def __init__(self, ids: list[str], retriever: Any, areas: list[list[str]], kinds: list[str],
                 generation: int) -> None:
        self.ids = ids
        self.retriever = retriever
        self.areas = areas
        self.kinds = np.asarray(kinds) if kinds else np.asarray([], dtype=str)
        self.generation = generation
        self.vocab: dict[str, int] = dict(getattr(retriever, "vocab_dict", {}) or {}) if retriever else {}
        self._area_masks: dict[str, np.ndarray] = {}

    @classmethod
    def build(cls, catalog: Catalog) -> KeywordIndex:
        import bm25s

        generation = catalog.generation()
        ids, tokens, areas, kinds = catalog.all_tokens()
        retriever = None
        if ids:
            retriever = bm25s.BM25()
            retriever.index([t or [""] for t in tokens], show_progress=False)
        return cls(ids, retriever, areas, kinds, generation)

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        if self.retriever is not None:
            self.retriever.save(str(directory), show_progress=False)
        (directory / "sgbot.json").write_text(
            json.dumps({"generation": self.generation, "ids": self.ids, "areas": self.areas,
                        "kinds": self.kinds.tolist()}),
            encoding="utf-8",
        )

    @classmethod
    def load(cls, directory: Path) -> KeywordIndex | None:
        import bm25s

        info_path = directory / "sgbot.json"
        if not info_path.exists():
            return None
        info = json.loads(info_path.read_text(encoding="utf-8"))
        retriever = None
        if info["ids"]:
            retriever = bm25s.BM25.load(str(directory), mmap=True, show_progress=False, verbosity=0)
        return cls(info["ids"], retriever, info["areas"], info["kinds"], int(info["generation"]))

    def __len__(self) -> int:
        return len(self.ids)

    def area_mask(self, area: str) -> np.ndarray:
        mask = self._area_masks.get(area)
        if mask is None:
            key = area.casefold()
            mask = np.fromiter((any(a.casefold() == key for a in areas) for areas in self.areas), dtype=bool,
                               count=len(self.areas))
            self._area_masks[area] = mask
        return mask

    def scores(self, tokens: list[str], kinds: Sequence[str] | None = None) -> np.ndarray:
        known = [t for t in tokens if t in self.vocab]
        if self.retriever is None or not known:
            return np.zeros(len(self.ids), dtype=np.float32)
        mask = None
        if kinds:
            mask = np.isin(self.kinds, list(kinds)).astype(np.float32)
        return np.asarray(self.retriever.get_scores(known, weight_mask=mask), dtype=np.float32)

    def search(self, tokens: list[str], n: int, kinds: Sequence[str] | None = None,
               extra_tokens: Sequence[str] = (), extra_weight: float = 0.5) -> list[tuple[str, float]]:
        """The `n` best passages for `tokens`; `extra_tokens` (other words for the same things)
        count for `extra_weight` of the question's own words."""
        scores = self.scores(tokens, kinds)
        if extra_tokens and len(scores):
            scores = scores + extra_weight * self.scores(list(extra_tokens), kinds)
        if not len(scores):
            return []
        n = min(n, len(scores))
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top])]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def frequency(self, token: str) -> int:
        """How many passages use `token` (0 for unknown words)."""
        if token not in self.vocab or self.retriever is None:
            return 0
        column = self.vocab[token]
        indptr = self.retriever.scores["indptr"]
        return int(indptr[column + 1] - indptr[column])

    def idf(self, token: str) -> float:
        """Inverse document frequency (0 for unknown words), for weighting query words."""
        if token not in self.vocab or self.retriever is None:
            return 0.0
        frequency = self.frequency(token)
        total = max(len(self.ids), 1)
        return float(np.log(1 + (total - frequency + 0.5) / (frequency + 0.5)))


class DenseIndex:
    def __init__(self, settings: Settings) -> None:
        import chromadb

        client_settings = chromadb.Settings(anonymized_telemetry=False)
        if settings.chroma_host:
            self.client = chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port,
                                              settings=client_settings)
        else:
            path = settings.index_dir / "chroma"
            path.mkdir(parents=True, exist_ok=True)
            self.client = chromadb.PersistentClient(path=str(path), settings=client_settings)
        self.collection = self.client.get_or_create_collection(
            settings.collection,
            embedding_function=None,  # never Chroma's default: it downloads a model
            configuration={"hnsw": {"space": "cosine", "ef_search": 100}},
        )
        self._counted: tuple[int, int] | None = None  # (catalog generation, vectors counted at it)
        # (catalog generation, its vectors as `_held` reads them); one reader at a time fills it.
        self._vectors: tuple[int, tuple[list[str], np.ndarray, np.ndarray] | None] | None = None
        self._held_lock = threading.Lock()

    def add(self, ids: list[str], vectors: np.ndarray, metadatas: list[dict[str, Any]]) -> None:
        for start in range(0, len(ids), 1000):
            end = start + 1000
            self.collection.upsert(ids=ids[start:end], embeddings=vectors[start:end],
                                   metadatas=metadatas[start:end])  # type: ignore[arg-type]

    def delete(self, ids: list[str]) -> None:
        for start in range(0, len(ids), 1000):
            self.collection.delete(ids=ids[start : start + 1000])

    def count(self, generation: int | None = None) -> int:
        """How many vectors the collection holds. Given the catalog's `generation`, counted once for it
        (a Chroma round trip, ~0.3 ms embedded, more to a server, saved on every question): ingest writes
        vectors before it bumps the generation, so a count kept for a generation can only be behind
        vectors the catalog does not know yet, which no answer may cite anyway; and a count that is
        too high only asks Chroma for more results than it has, which it answers with what it has."""
        if generation is not None and self._counted is not None and self._counted[0] == generation:
            return self._counted[1]
        total = int(self.collection.count())
        if generation is not None:
            self._counted = (generation, total)
        return total

    def search(self, vector: np.ndarray, n: int, kinds: Sequence[str] | None = None,
               generation: int | None = None) -> list[tuple[str, float]]:
        """The `n` passages closest to `vector` (cosine), best first, ties by id; `generation` (the
        catalog's) lets the vectors be read once for it.

        Every vector is compared (`_held`), not Chroma's HNSW graph walked: Chroma's approximate search
        over the same stored collection answered differently from one process to the next (it rebuilds
        its graph as it loads; chroma-core/chroma#2675, #3638): a passage with the best cosine of all
        was missing from the top 30 in one run in ten, so a question's answer, and `sgbot eval`'s
        figures, changed between runs with nothing changed. Past EXACT_LIMIT vectors Chroma searches."""
        held = self._held(generation)
        if held is None:
            return self._approximate(vector, n, kinds, generation)
        ids, vectors, chunk_kinds = held
        if not ids:
            return []
        query = np.asarray(vector, dtype=np.float64)
        norm = float(np.linalg.norm(query))
        # In float64, to TIE_DIGITS: a matrix product's last bits depend on a row's place in the matrix
        # (two equal vectors came out 1.0000007 and 0.9999996 in float32), and a tie must be seen as one.
        scores = np.round(vectors @ (query / norm if norm > 0 else query), TIE_DIGITS)
        rows = np.arange(len(ids))
        if kinds:
            rows = rows[np.isin(chunk_kinds, list(kinds))]
        if 0 < n < len(rows):
            # Only what can be among the first n is sorted: every row at least as close as the n-th best (so a
            # tie at the n-th place is kept whole and settled by id below). Sorting all 10,000 rows in Python
            # took warm ask p95 from 20 ms to 45 ms.
            nth = np.partition(scores[rows], len(rows) - n)[len(rows) - n]
            rows = rows[scores[rows] >= nth]
        # Best cosine first; equal cosines in id order, so the order never depends on how they were stored.
        ordered = sorted(rows.tolist(), key=lambda row: (-float(scores[row]), ids[row]))[:n]
        return [(ids[row], float(scores[row])) for row in ordered]

    def _held(self, generation: int | None) -> tuple[list[str], np.ndarray, np.ndarray] | None:
        """Every vector of the collection, unit length, with its id and kind: read once per catalog
        generation (ingest writes vectors before it bumps the generation, so vectors read for one can only
        be ahead of the catalog, and the retriever drops ids the catalog does not know). None past
        EXACT_LIMIT vectors, or when no generation says when to read them again."""
        if generation is None:
            return None
        with self._held_lock:
            if self._vectors is not None and self._vectors[0] == generation:
                return self._vectors[1]
            total = self.count(generation)
            held: tuple[list[str], np.ndarray, np.ndarray] | None = None
            if total <= EXACT_LIMIT:
                ids: list[str] = []
                kinds: list[str] = []
                parts: list[np.ndarray] = []
                for offset in range(0, total, EXACT_PAGE):
                    page = self.collection.get(limit=EXACT_PAGE, offset=offset,
                                               include=["embeddings", "metadatas"])  # type: ignore[list-item]
                    ids.extend(page["ids"])
                    kinds.extend(str((m or {}).get("kind", "")) for m in page.get("metadatas") or [])
                    embeddings = page.get("embeddings")
                    if embeddings is not None and len(embeddings):
                        parts.append(np.asarray(embeddings, dtype=np.float32))
                vectors = np.vstack(parts) if parts else np.zeros((0, DIMENSIONS), dtype=np.float32)
                # Unit length in place (vstack made a copy of its own): one float32 copy fewer at its peak.
                norms = np.linalg.norm(vectors, axis=1, keepdims=True)
                vectors /= np.where(norms > 0, norms, 1.0)
                held = (ids, vectors.astype(np.float64), np.asarray(kinds, dtype=object))
            self._vectors = (generation, held)
            return held

    def _approximate(self, vector: np.ndarray, n: int, kinds: Sequence[str] | None,
                     generation: int | None) -> list[tuple[str, float]]:
        total = self.count(generation)
        if total == 0:
            return []
        where: Any = None
        if kinds:
            where = {"kind": {"$in": list(kinds)}}
        result = self.collection.query(query_embeddings=[vector], n_results=min(n, total), where=where,
                                       include=["distances"])  # type: ignore[list-item]
        ids = result["ids"][0]
        distances = (result.get("distances") or [[]])[0]
        return [(i, 1.0 - float(d)) for i, d in zip(ids, distances, strict=False)]


class KnowledgeIndex:
    """The three stores together, opened from settings."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.directory = settings.index_dir
        self.catalog = Catalog(self.directory / "catalog.sqlite3")
        self.dense = DenseIndex(settings)
        self._keyword: KeywordIndex | None = None
        self._lock = threading.Lock()

    @property
    def keyword(self) -> KeywordIndex:
        with self._lock:
            generation = self.catalog.generation()
            if self._keyword is None or self._keyword.generation != generation:
                loaded = KeywordIndex.load(self.directory / "bm25")
                if loaded is None or loaded.generation != generation:
                    loaded = KeywordIndex.build(self.catalog)
                    loaded.save(self.directory / "bm25")
                self._keyword = loaded
            return self._keyword

    def rebuild_keyword_index(self) -> None:
        with self._lock:
            built = KeywordIndex.build(self.catalog)
            built.save(self.directory / "bm25")
            self._keyword = built

    def is_empty(self) -> bool:
        return self.catalog.count() == 0
