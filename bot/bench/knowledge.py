"""`sgbot bench`: encode and ingest rates, warm and cold `ask` latency, peak memory.

The corpus is synthetic: ~200-word passages drawn from a safeguarding-flavoured
vocabulary with a Zipf-like word distribution, so BM25 sees realistic term
statistics.

- **Encode vs ingest** run on the same M-passage sample in the same run: the
  raw rate is `Embedder.encode` on exactly the passage texts that ingest will
  embed; the ingest rate is the whole `ingest_paths` (load, chunk, tokenise,
  embed, Chroma, catalog, BM25 rebuild) into a fresh index.
- **Latency index** of N passages, built once and kept under
  `SGBOT_DATA_DIR/bench/index-N` for later runs. Embedding 100k passages at
  ~20 a second would take well over an hour, so only the sample is embedded;
  every other vector is synthesized as a normalised mix of two real sample
  embeddings plus a little Gaussian noise (`_synthesize`). That keeps the
  vectors on the model's manifold (realistic HNSW behaviour) while each one is
  distinct.
- **Warm ask**: `Answerer.answer` end to end (query encoding, Chroma, BM25,
  fusion, area re-ranking, sentence selection) in a fresh, warmed-up process
  (`bot/bench/latency.py`); p50/p95 without an area and with one.
- **Cold start**: wall time of a fresh `sgbot ask --json` process on that index.
- **Peak RSS**: of the process that answered the timed questions (a server's
  footprint); the bench process's own peak, which includes building the
  index, is reported beside it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from bot.config import Settings

AREAS = ["Northshire", "Eastbrook", "Westmoor", "Southvale", "Northshire Region", "national"]
KINDS = ["procedure", "threshold", "learning", "guidance", "arrangements"]
_SEED_WORDS = (
    "child children family parent carer school health visitor police social worker referral assessment "
    "threshold level need early help neglect abuse exploitation missing strategy discussion conference plan "
    "review rapid panel notification partnership agency safeguarding lead designated escalation consent "
    "information sharing record chronology supervision disclosure injury bruising baby adult care support "
    "domestic violence housing education attendance exclusion mental substance misuse court order protection "
    "placement foster looked after leaving service commissioner scrutiny audit learning practice improvement "
    "timescale working days manager practitioner multi agency hub contact duty team emergency hours weekend"
).split()


@dataclass
class KnowledgeBenchReport:
    chunks: int
    sample: int
    encode_rate: float
    ingest_rate: float
    ingest_vs_encode: float
    ask_p50_ms: float
    ask_p95_ms: float
    ask_area_p50_ms: float
    ask_area_p95_ms: float
    cold_start_s: float
    peak_rss_mb: float  # the process that answered the timed questions
    bench_process_peak_rss_mb: float  # this process, which also built the index
    index_build_s: float | None
    synthesized_vectors: int


class Vocabulary:
    def __init__(self, seed: int = 7, size: int = 6000) -> None:
        rng = random.Random(seed)
        letters = "abcdefghiklmnoprstuvw"
        invented = {"".join(rng.choice(letters) for _ in range(rng.randint(4, 10))) for _ in range(size)}
        self.words = _SEED_WORDS + sorted(invented)
        ranks = np.arange(1, len(self.words) + 1, dtype=np.float64)
        weights = 1.0 / ranks**1.05
        self.cumulative = np.cumsum(weights / weights.sum())

    def passage(self, rng: np.random.Generator, words: int = 200) -> str:
        picks = np.searchsorted(self.cumulative, rng.random(words))
        tokens = [self.words[min(i, len(self.words) - 1)] for i in picks]
        sentences, start = [], 0
        while start < len(tokens):
            length = int(rng.integers(12, 24))
            sentence = " ".join(tokens[start : start + length])
            sentences.append(sentence[:1].upper() + sentence[1:] + ".")
            start += length
        return " ".join(sentences)

    def question(self, rng: np.random.Generator) -> str:
        picks = rng.integers(0, 200, size=4)
        return "What is the " + " ".join(self.words[i] for i in picks) + " procedure?"


def _peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024.0  # Linux reports KiB


def _write_sample(folder: Path, vocabulary: Vocabulary, sample: int, rng: np.random.Generator) -> None:
    """Markdown files of 10 sections each; every section is one ~200-word paragraph, so one passage."""
    folder.mkdir(parents=True, exist_ok=True)
    per_file = 10
    for file_number in range(0, sample, per_file):
        sections = min(per_file, sample - file_number)
        area = AREAS[file_number // per_file % len(AREAS)]
        lines = ["---", f"title: Bench document {file_number // per_file}", "kind: procedure",
                 f"areas: [{area}]", "---", f"# Bench document {file_number // per_file}", ""]
        for section in range(sections):
            lines += [f"## Section {section}", "", vocabulary.passage(rng), ""]
        (folder / f"doc-{file_number // per_file:05d}.md").write_text("\n".join(lines), encoding="utf-8")


def _synthesize(base: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    first = base[rng.integers(0, len(base), size=count)]
    second = base[rng.integers(0, len(base), size=count)]
    mix = rng.uniform(0.55, 0.9, size=(count, 1)).astype(np.float32)
    vectors = mix * first + (1 - mix) * second + rng.normal(0, 0.02, size=first.shape).astype(np.float32)
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def _build_latency_index(settings: Settings, chunks: int, base_vectors: np.ndarray, base_texts: list[str],
                         vocabulary: Vocabulary, rng: np.random.Generator,
                         encode: Callable[[list[str]], object]) -> tuple[float, int]:
    from bot.index.store import FileRecord, KnowledgeIndex, NewChunk
    from bot.index.tokens import tokenize
    from bot.index.units import passage_units, units_digest
    from bot.index.words import corpus_words

    started = time.perf_counter()
    index = KnowledgeIndex(settings)
    per_file = 100
    synthesized = 0
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    for file_number in range(0, chunks, per_file):
        count = min(per_file, chunks - file_number)
        ids = [f"bench-{file_number + i:07d}" for i in range(count)]
        texts: list[str] = []
        vectors = np.empty((count, base_vectors.shape[1]), dtype=np.float32)
        for i in range(count):
            position = file_number + i
            if position < len(base_texts):
                texts.append(base_texts[position])
                vectors[i] = base_vectors[position]
            else:
                texts.append(vocabulary.passage(rng))
                vectors[i] = _synthesize(base_vectors, 1, rng)[0]
                synthesized += 1
        area = AREAS[(file_number // per_file) % len(AREAS)]
        kind = KINDS[(file_number // per_file) % len(KINDS)]
        title = f"Bench document {file_number // per_file}"
        meta = {"title": title, "kind": kind, "areas": [area], "topic": None, "effective": "2025-01-01",
                "review_by": "2028-01-01", "source_url": None}
        path = f"/bench/doc-{file_number // per_file:06d}.md"
        new = []
        for i in range(count):
            # Each passage's sentence vectors, as ingest stores them (their values only need to be
            # plausible: the bench measures reading and scoring them, not which sentence wins).
            units = passage_units(texts[i])
            unit_vectors = _synthesize(base_vectors, len(units), rng) if units else None
            new.append(NewChunk(ids[i], i, f"{title} › Section {i}", texts[i], tokenize(texts[i]),
                                unit_vectors=unit_vectors, units_digest=units_digest(units)))
        index.dense.add(ids, vectors, [{"path": path, "kind": kind}] * count)
        index.catalog.replace_file(FileRecord(path, Path(path).name, "bench", meta, count), new, now)
    index.rebuild_keyword_index()
    # The documents' words, embedded and kept with the index as an ingest keeps them.
    corpus_words(index, lambda batch: np.asarray(encode(batch), dtype=np.float32))
    return time.perf_counter() - started, synthesized


def run_knowledge_bench(settings: Settings, *, chunks: int = 10_000, sample: int = 500, queries: int = 60,
                        seed: int = 11) -> KnowledgeBenchReport:
    from bot.index.embeddings import shared_embedder
    from ingest.chunking import CHUNKER_VERSION
    from ingest.pipeline import ingest_paths, prepare

    rng = np.random.default_rng(seed)
    vocabulary = Vocabulary()
    bench_dir = settings.data_dir / "bench"
    embedder = shared_embedder()

    # 1. Raw encode vs full ingest, on the same sample.
    sample_dir = bench_dir / f"sample-{sample}"
    shutil.rmtree(sample_dir, ignore_errors=True)
    _write_sample(sample_dir / "docs", vocabulary, sample, rng)
    texts = [t for p in sorted((sample_dir / "docs").glob("*.md"))
             for t in prepare(p, "x", None, None, True).embed_texts]
    embedder.encode(texts[:8])  # warm the model so neither measurement pays for it
    started = time.perf_counter()
    sample_vectors = embedder.encode(texts)
    encode_rate = len(texts) / (time.perf_counter() - started)

    ingest_settings = settings.model_copy(update={"data_dir": sample_dir / "data", "chroma_host": None})
    started = time.perf_counter()
    report = ingest_paths([sample_dir / "docs"], ingest_settings)
    ingest_rate = report.chunks_indexed / (time.perf_counter() - started)

    # 2. The latency index of N passages, built once and kept.
    # Named by the chunker version: an index of an older stored format is built again, not reused.
    index_settings = settings.model_copy(update={"data_dir": bench_dir / f"index-{chunks}-v{CHUNKER_VERSION}",
                                                 "chroma_host": None})
    marker = index_settings.data_dir / "complete.json"
    build_seconds: float | None = None
    synthesized = 0
    if marker.exists():
        synthesized = int(json.loads(marker.read_text())["synthesized"])
    else:
        shutil.rmtree(index_settings.data_dir, ignore_errors=True)
        build_seconds, synthesized = _build_latency_index(index_settings, chunks, sample_vectors, texts,
                                                          vocabulary, rng, embedder.encode)
        marker.write_text(json.dumps({"chunks": chunks, "synthesized": synthesized}))

    # 3. Warm ask latency, the whole answer path, in a fresh process whose memory is a server's.
    environment = {**os.environ, "SGBOT_DATA_DIR": str(index_settings.data_dir)}
    environment.pop("CHROMA_HOST", None)  # the bench index is always embedded
    measured = subprocess.run(
        [sys.executable, "-m", "bot.bench.latency", str(index_settings.data_dir), str(queries), str(seed)],
        check=True, capture_output=True, text=True, env=environment,
    )
    latency = json.loads(measured.stdout.strip().splitlines()[-1])
    questions = [vocabulary.question(rng)]

    # 4. Cold start of a `sgbot ask` process on that index.
    executable = Path(sys.executable).with_name("sgbot")
    command = [str(executable)] if executable.exists() else [sys.executable, "-m", "bot.cli"]
    started = time.perf_counter()
    subprocess.run(command + ["ask", questions[0], "--json"], env=environment, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cold_start = time.perf_counter() - started

    return KnowledgeBenchReport(
        chunks=chunks, sample=len(texts), encode_rate=round(encode_rate, 2), ingest_rate=round(ingest_rate, 2),
        ingest_vs_encode=round(ingest_rate / encode_rate, 3),
        ask_p50_ms=latency["ask_p50_ms"], ask_p95_ms=latency["ask_p95_ms"],
        ask_area_p50_ms=latency["ask_area_p50_ms"], ask_area_p95_ms=latency["ask_area_p95_ms"],
        cold_start_s=round(cold_start, 2),
        peak_rss_mb=latency["peak_rss_mb"],
        bench_process_peak_rss_mb=round(_peak_rss_mb(), 1),
        index_build_s=round(build_seconds, 1) if build_seconds is not None else None,
        synthesized_vectors=synthesized,
    )


def as_dict(report: KnowledgeBenchReport) -> dict[str, object]:
    return asdict(report)
