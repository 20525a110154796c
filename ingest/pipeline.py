"""Incremental ingest: discover → load → chunk → embed → index, and report what happened.

A file is identified by its resolved path. Its fingerprint covers its bytes, its
sidecar and the command-line metadata, so changing any of them re-indexes it;
an unchanged file is skipped without being read twice. Files that were ingested
from a folder and are no longer in it are removed from every index: stale
answers are the most common complaint about knowledge bots.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.config import Settings
from bot.index.store import FileRecord, KnowledgeIndex, NewChunk
from bot.index.tokens import tokenize
from bot.index.units import embedding_text, passage_units, units_digest
from ingest.chunking import CHUNKER_VERSION, chunk_blocks
from ingest.loaders import LoadError, load, supported
from ingest.metadata import (
    MetadataError,
    adopt_front_matter,
    build_meta,
    defaulted_fields,
    is_sidecar,
    read_sidecar,
    sidecar_path,
)

SKIPPED_NAMES = {"readme.md", "readme.txt", "readme"}  # a folder's README describes the folder
# Formats whose file size is their text's size; PDF and DOCX are measured by the text extracted.
TEXT_SUFFIXES = {".md", ".markdown", ".txt", ".text", ".html", ".htm"}


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    # Indexed, but with something the operator should know: pages that could not be read,
    # front-matter fields ignored or mapped, metadata that fell back to defaults.
    notes: list[tuple[str, str]] = field(default_factory=list)
    chunks_indexed: int = 0
    changes: list[int] = field(default_factory=list)  # ids of the document changes recorded
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def as_dict(self) -> dict[str, object]:
        return {
            "added": self.added, "updated": self.updated, "removed": self.removed, "skipped": self.skipped,
            "failed": [{"file": name, "reason": reason} for name, reason in self.failed],
            "notes": [{"file": name, "note": note} for name, note in self.notes],
            "chunks_indexed": self.chunks_indexed, "changes": len(self.changes), "warnings": self.warnings,
        }


@dataclass
class _Prepared:
    path: Path
    record: FileRecord
    chunks: list[NewChunk]
    embed_texts: list[str]
    is_new: bool
    notes: list[str] = field(default_factory=list)
    unit_texts: list[list[str]] = field(default_factory=list)  # per chunk: what each quotable unit embeds


def discover(paths: Sequence[Path]) -> tuple[list[Path], list[Path], list[tuple[str, str]]]:
    """Files to ingest, folders they came from (for deletions), and paths that could not be used."""
    files: list[Path] = []
    roots: list[Path] = []
    problems: list[tuple[str, str]] = []
    for given in paths:
        path = given.expanduser().resolve()
        if path.is_dir():
            roots.append(path)
            for candidate in sorted(path.rglob("*")):
                relative = candidate.relative_to(path)
                if any(part.startswith(".") for part in relative.parts):
                    continue
                if candidate.is_file() and supported(candidate) and not is_sidecar(candidate) \
                        and candidate.name.lower() not in SKIPPED_NAMES:
                    files.append(candidate)
        elif path.is_file():
            if is_sidecar(path):
                problems.append((path.name, "this is a metadata sidecar: ingest the document it describes"))
            elif supported(path):
                files.append(path)
            else:
                problems.append((path.name, f"unsupported format {path.suffix or '(none)'}: use .md, .txt, "
                                 ".pdf, .docx or .html"))
        else:
            roots.append(path)  # it may have been deleted since the last ingest
    return list(dict.fromkeys(files)), roots, problems


def fingerprint(path: Path, area: str | None, kind: str | None) -> str:
    digest = hashlib.sha256(path.read_bytes())
    side = sidecar_path(path)
    if side.exists():
        digest.update(b"\0sidecar\0" + side.read_bytes())
    digest.update(json.dumps({"area": area, "kind": kind, "chunker": CHUNKER_VERSION}).encode())
    return digest.hexdigest()


def chunk_id(path: Path, sha: str, ordinal: int) -> str:
    """New ids for every version of a file: an update is a delete plus an add, never an
    in-place upsert, which Chroma's HNSW index does not always reflect straight away."""
    return f"{hashlib.sha1(str(path).encode()).hexdigest()[:16]}-{sha[:12]}-{ordinal:05d}"


def size_text(size: int) -> str:
    """Bytes as people read them: 52.4 MB, 812 KB, 300 bytes."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    if size >= 1000:
        return f"{round(size / 1000)} KB"
    return f"{size} bytes"


def too_large(name: str, size: int, limit: int, what: str = "is") -> str:
    """Why a document was refused, and how to get it in: split it, or raise the limit."""
    parts = -(-size // limit)
    return (f"{name} {what} {size_text(size)}, over the ingest limit of {size_text(limit)} "
            f"(SGBOT_INGEST_MAX_BYTES): split it into {parts} or more files of under {size_text(limit)} each "
            "(one per chapter or section, each keeping the front matter or a NAME.meta.yaml sidecar) "
            "and ingest those, or raise SGBOT_INGEST_MAX_BYTES")


def prepare(
    path: Path, sha: str, area: str | None, kind: str | None, is_new: bool, max_bytes: int | None = None
) -> _Prepared:
    document = load(path)
    if max_bytes is not None and path.suffix.lower() not in TEXT_SUFFIXES:
        extracted = sum(len(block.text.encode("utf-8")) for block in document.blocks)
        if extracted > max_bytes:
            raise LoadError(too_large(path.name, extracted, max_bytes, "holds text of"))
    flags: dict[str, object] = {}
    if area:
        flags["areas"] = [a.strip() for a in area.split(",") if a.strip()]
    if kind:
        flags["kind"] = kind
    front = adopt_front_matter(document.front_matter)
    try:
        sidecar = read_sidecar(path)
        meta = build_meta(path, front.fields, sidecar, flags, fallback_title=document.title)
    except MetadataError as exc:
        raise LoadError(str(exc)) from exc
    notes = list(document.notes)
    if front.mapped:
        notes.append("front matter mapped: " + ", ".join(f"{k} -> {v}" for k, v in front.mapped.items()))
    if front.ignored:
        notes.append(f"front matter ignored: {', '.join(front.ignored)} (not fields sgbot uses)")
    defaulted = defaulted_fields(front.fields, sidecar, flags)
    if defaulted:
        shown = {"kind": f"kind={meta.kind}", "areas": f"areas={','.join(meta.areas)}", "effective": "effective",
                 "review_by": "review_by"}
        notes.append("metadata defaulted: " + ", ".join(shown[d] for d in defaulted)
                     + f" (give them in front matter or {sidecar_path(path).name})")
    pieces = chunk_blocks(document.blocks, meta.title)
    if not pieces:
        raise LoadError("no text found in it: check that it is not empty")
    chunks: list[NewChunk] = []
    unit_texts: list[list[str]] = []
    context = document_context(path)
    for piece in pieces:
        units = passage_units(piece.text)
        heading = piece.section.rsplit(" › ", 1)[-1]
        unit_texts.append([embedding_text(unit, heading) for unit in units])
        chunks.append(NewChunk(chunk_id(path, sha, piece.ordinal), piece.ordinal, piece.section, piece.text,
                               tokenize(f"{context}\n{piece.section}\n{piece.text}"),
                               units_digest=units_digest(units)))
    embed_texts = [f"{piece.section}\n{piece.text}" for piece in pieces]
    record = FileRecord(str(path), path.name, sha, meta.to_dict(), len(chunks))
    return _Prepared(path, record, chunks, embed_texts, is_new, notes, unit_texts)


_NAME_WORD = re.compile(r"[^\W\d_]{2,}")


def document_context(path: Path) -> str:
    """Words that say whose a passage is, indexed with every passage of the document but never quoted:
    the folder it was filed in ("newstead-pre-school", "norwich-rfc") and the file's own name.
    Practitioners name the organisation ("what does the Newstead policy say…",
    "Skelton welfare officer") while a policy's text rarely names its owner in every section. Only
    the words of names are kept: "000_823d1b026e5366b1.txt" adds nothing. (The areas were tried too:
    "Northshire" on every Northshire passage pushed two check questions' passages out of the top five.)"""
    names = [path.parent.name, path.stem]
    return " ".join(word for name in names for word in _NAME_WORD.findall(name.replace("_", " ")))


ProgressCallback = Callable[[str, int], None]  # (event, amount): "total" chunks, "advance" chunks


def ingest_paths(
    paths: Sequence[Path],
    settings: Settings,
    *,
    area: str | None = None,
    kind: str | None = None,
    index: KnowledgeIndex | None = None,
    encode: Callable[[list[str]], object] | None = None,
    progress: ProgressCallback | None = None,
    batch_chunks: int = 256,
) -> IngestReport:
    report = IngestReport()
    index = index or KnowledgeIndex(settings)
    files, roots, problems = discover(paths)
    report.failed.extend(problems)
    known = index.catalog.files()
    seen = {str(f) for f in files}

    removed_records: list[FileRecord] = []
    # Deletions: anything ingested from a given folder (or a given file) that is gone.
    for stored_path in sorted(known):
        if stored_path in seen:
            continue
        under_a_root = any(stored_path == str(r) or stored_path.startswith(f"{r}/") for r in roots)
        if under_a_root and (not Path(stored_path).exists() or not _is_wanted(Path(stored_path))):
            index.dense.delete(index.catalog.chunk_ids(stored_path))
            index.catalog.remove_file(stored_path)
            report.removed.append(known[stored_path].source)
            removed_records.append(known[stored_path])
    for given in paths:
        resolved = given.expanduser().resolve()
        if not resolved.exists() and str(resolved) not in known:
            report.failed.append((given.name or str(given), "no such file or folder: check the path"))

    # What changed.
    prepared: list[_Prepared] = []
    limit = settings.ingest_max_bytes
    for path in files:
        try:
            size = path.stat().st_size
            if path.suffix.lower() in TEXT_SUFFIXES and size > limit:
                # Refused before it is read: the rest of the folder goes on.
                report.failed.append((path.name, too_large(path.name, size, limit)))
                continue
            sha = fingerprint(path, area, kind)
        except OSError as exc:
            report.failed.append((path.name, f"cannot be read ({exc.strerror or exc}): check permissions"))
            continue
        previous = known.get(str(path))
        if previous is not None and previous.sha256 == sha:
            report.skipped.append(path.name)
            continue
        try:
            prepared.append(prepare(path, sha, area, kind, is_new=previous is None, max_bytes=limit))
        except LoadError as exc:
            report.failed.append((path.name, str(exc)))

    if prepared:
        if encode is None:
            from bot.index.embeddings import shared_embedder

            embedder = shared_embedder()
            encode = embedder.encode
        total = sum(len(p.chunks) for p in prepared)
        if progress:
            progress("total", total)
        for group in _batches(prepared, batch_chunks):
            texts = [t for p in group for t in p.embed_texts]
            vectors = _encode_in_slices(encode, texts, batch_chunks, progress)
            _attach_unit_vectors(group, encode)
            offset = 0
            now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            for item in group:
                count = len(item.chunks)
                item_vectors = vectors[offset : offset + count]  # type: ignore[index]
                offset += count
                _store(index, item, item_vectors, now)
                (report.added if item.is_new else report.updated).append(item.path.name)
                report.notes.extend((item.path.name, note) for note in item.notes)
                report.chunks_indexed += count

    if prepared or report.removed:
        index.rebuild_keyword_index()
        if encode is not None:  # the documents' words embedded now, not while the first question waits
            import numpy as np

            from bot.index.words import corpus_words

            embed = encode
            corpus_words(index, lambda texts: np.asarray(embed(texts), dtype=np.float32))
        from ingest.versions import record_versions

        record_versions(settings, [(p.record, p.chunks) for p in prepared], removed_records, report)
    return report


def _encode_in_slices(
    encode: Callable[[list[str]], object], texts: list[str], size: int, progress: ProgressCallback | None
) -> object:
    """`encode(texts)`, a slice at a time so that progress moves even inside one long document."""
    if len(texts) <= size:
        vectors = encode(texts)
        if progress:
            progress("advance", len(texts))
        return vectors
    parts: list[object] = []
    for start in range(0, len(texts), size):
        part = texts[start : start + size]
        parts.append(encode(part))
        if progress:
            progress("advance", len(part))
    import numpy as np

    return np.concatenate([np.asarray(p) for p in parts])


def _attach_unit_vectors(group: list[_Prepared], encode: Callable[[list[str]], object]) -> None:
    """One meaning vector per quotable unit of every chunk, stored with the chunk: answers pick
    sentences by meaning without running the model on them while a question waits. A sentence
    repeated across passages (a heading, a boilerplate line) is encoded once."""
    import numpy as np

    distinct = list(dict.fromkeys(t for item in group for texts in item.unit_texts for t in texts))
    if not distinct:
        return
    encoded = np.asarray(encode(distinct), dtype=np.float32)
    row = {text: number for number, text in enumerate(distinct)}
    for item in group:
        item.chunks = [
            dataclasses.replace(chunk, unit_vectors=encoded[[row[t] for t in texts]] if texts
                                else np.zeros((0, encoded.shape[1]), dtype=np.float32))
            for chunk, texts in zip(item.chunks, item.unit_texts, strict=True)
        ]


def _is_wanted(path: Path) -> bool:
    return supported(path) and not is_sidecar(path) and path.name.lower() not in SKIPPED_NAMES


def _batches(items: list[_Prepared], size: int) -> Iterable[list[_Prepared]]:
    group: list[_Prepared] = []
    count = 0
    for item in items:
        group.append(item)
        count += len(item.chunks)
        if count >= size:
            yield group
            group, count = [], 0
    if group:
        yield group


def _store(index: KnowledgeIndex, item: _Prepared, vectors: object, now: str) -> None:
    """Dense first, catalog last: a file counts as ingested only once all of it is indexed."""
    new_ids = [c.id for c in item.chunks]
    keep = set(new_ids)
    stale = [i for i in index.catalog.chunk_ids(item.record.path) if i not in keep]
    if stale:
        index.dense.delete(stale)
    meta = item.record.meta
    metadatas = [{"path": item.record.path, "kind": meta["kind"]} for _ in item.chunks]
    index.dense.add(new_ids, vectors, metadatas)  # type: ignore[arg-type]
    index.catalog.replace_file(item.record, item.chunks, now)
