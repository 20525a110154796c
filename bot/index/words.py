"""The words an index uses, each embedded as its commonest spelling: for finding the documents' words
nearest in meaning to a question word they never use (bot/qa/vocabulary.py: corpus_expansion).

A few thousand words per index: embedded once per index generation, at the end of the ingest that made it,
and kept beside the index in `words/<generation>.npz`, which travels with the generation to every replica
(bot/qa/generations.py). An index made before they were kept has them embedded at its first use.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bot.index.store import KnowledgeIndex
from bot.index.tokens import remember_stems, stemmer_fingerprint, word_forms

NEIGHBOURS = 2  # nearest document words taken for each unknown question word
NEIGHBOUR_SIMILARITY = 0.65  # and only those at least this close (cosine of the two single words)
MIN_WORD_LENGTH = 3
ENCODE_BATCH = 256
WORD_CACHE = 10_000


@dataclass(frozen=True)
class CorpusWords:
    """The words an index uses: tokens, their commonest spelling, and unit embeddings of the spellings."""

    tokens: tuple[str, ...] = ()
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    # Every word of the index as written (lower-cased) and its stem, and what stemmed them
    # (`stemmer_fingerprint`): a process answering questions learns them instead of stemming them again.
    forms: tuple[str, ...] = ()
    stems: tuple[str, ...] = ()
    stemmer: str = ""
    # A question word's nearest document words, kept once found: people use the same words again.
    _near: dict[str, list[str]] = field(default_factory=dict, compare=False, repr=False)

    def near_word(self, word: str, encode: Callable[[str], np.ndarray]) -> list[str]:
        """`nearest` for a word as typed, encoded once per word."""
        if word not in self._near:
            if len(self._near) >= WORD_CACHE:
                self._near.clear()
            self._near[word] = self.nearest(encode(word))
        return self._near[word]

    def nearest(self, vector: np.ndarray, n: int = NEIGHBOURS, floor: float = NEIGHBOUR_SIMILARITY) -> list[str]:
        """The tokens of the (at most `n`) words closest to `vector`, at least `floor` close."""
        if not self.tokens:
            return []
        similarity = self.vectors @ np.asarray(vector, dtype=np.float32)
        n = min(n, len(self.tokens))
        top = np.argpartition(-similarity, n - 1)[:n]
        top = top[np.argsort(-similarity[top])]
        return [self.tokens[i] for i in top if similarity[i] >= floor]

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.stem}.{os.getpid()}.tmp.npz")
        np.savez(temporary, tokens=np.asarray(self.tokens, dtype=str), vectors=self.vectors,
                 forms=np.asarray(self.forms, dtype=str), stems=np.asarray(self.stems, dtype=str),
                 stemmer=np.asarray(self.stemmer))
        temporary.replace(path)

    @classmethod
    def load(cls, path: Path) -> CorpusWords | None:
        try:
            with np.load(path) as data:
                forms, stems, stemmer = _stems_in(data)
                return cls(tuple(str(t) for t in data["tokens"]), np.asarray(data["vectors"], dtype=np.float32),
                           tuple(forms), tuple(stems), stemmer)
        except (OSError, KeyError, ValueError):
            return None


def _stems_in(data: Any) -> tuple[list[str], list[str], str]:
    """The words and stems kept in an opened words file (none in a file kept before they were)."""
    if "stemmer" not in data.files:
        return [], [], ""
    return [str(w) for w in data["forms"].tolist()], [str(s) for s in data["stems"].tolist()], str(data["stemmer"])


def remember_stems_of(index_dir: Path, generation: int) -> bool:
    """Learn the stems of every word of the index generation `generation` from its words file (without
    reading its vectors), if it has them and today's stemmer made them; whether it did."""
    path = words_path(index_dir, generation)
    try:
        with np.load(path) as data:
            forms, stems, stemmer = _stems_in(data)
    except (OSError, KeyError, ValueError):
        return False
    return remember_stems(forms, stems, stemmer)


def spellings(texts: Iterable[str]) -> dict[str, str]:
    """Each token of `texts` as its commonest spelling ("alon" -> "alone")."""
    return _commonest(_form_counts(texts))


def _form_counts(texts: Iterable[str]) -> Counter[tuple[str, str]]:
    counts: Counter[tuple[str, str]] = Counter()
    for text in texts:
        counts.update(word_forms(text))
    return counts


def _commonest(counts: Counter[tuple[str, str]]) -> dict[str, str]:
    best: dict[str, tuple[int, str]] = {}
    for (word, token), count in counts.items():
        if token not in best or count > best[token][0]:
            best[token] = (count, word)
    return {token: word for token, (_, word) in best.items()}


def build_corpus_words(texts: Iterable[str], encode: Callable[[list[str]], np.ndarray]) -> CorpusWords:
    counts = _form_counts(texts)
    stem_of = dict(sorted(counts))  # each word as written (lower-cased) and its stem
    forms, stems, stemmer = tuple(stem_of), tuple(stem_of.values()), stemmer_fingerprint()
    words = {t: w for t, w in _commonest(counts).items() if len(w) >= MIN_WORD_LENGTH and w.isalpha()}
    tokens = sorted(words)
    if not tokens:
        return CorpusWords(forms=forms, stems=stems, stemmer=stemmer)
    vectors = np.vstack([np.asarray(encode([words[t] for t in tokens[i : i + ENCODE_BATCH]]), dtype=np.float32)
                         for i in range(0, len(tokens), ENCODE_BATCH)])
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return CorpusWords(tuple(tokens), vectors / np.where(norms > 0, norms, 1.0), forms, stems, stemmer)


WORDS = "words"  # the folder of the index directory that keeps them
_corpus_words: dict[Path, tuple[int, CorpusWords]] = {}


def words_path(index_dir: Path, generation: int) -> Path:
    """Where the words of the index generation `generation` are kept."""
    return index_dir / WORDS / f"{generation}.npz"


def corpus_words(index: KnowledgeIndex, encode: Callable[[list[str]], np.ndarray]) -> CorpusWords:
    """The index's words with their embeddings (`encode` embeds a batch of texts): read once per index
    generation, from beside the index when they were kept there, else embedded and kept."""
    keyword = index.keyword
    cached = _corpus_words.get(index.directory)
    if cached is not None and cached[0] == keyword.generation:
        return cached[1]
    path = words_path(index.directory, keyword.generation)
    words = CorpusWords.load(path) if path.exists() else None
    if words is None:
        chunks = index.catalog.chunks(keyword.ids).values()
        words = build_corpus_words((f"{c.section}\n{c.text}" for c in chunks), encode)
        for old in path.parent.glob("*.npz") if path.parent.exists() else ():
            old.unlink(missing_ok=True)
        words.save(path)
    remember_stems(words.forms, words.stems, words.stemmer)
    _corpus_words[index.directory] = (keyword.generation, words)
    return words


