"""The words an index uses, each embedded as its commonest spelling: for finding the documents' words
nearest in meaning to a question word they never use (bot/qa/vocabulary.py: corpus_expansion).

A few thousand words per index: embedded once per index generation (at the end of an ingest, or at the
first question after one) and kept beside the index, in `words/<generation>.npz`.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bot.index.store import KnowledgeIndex
from bot.index.tokens import word_forms

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
        np.savez(temporary, tokens=np.asarray(self.tokens, dtype=str), vectors=self.vectors)
        temporary.replace(path)

    @classmethod
    def load(cls, path: Path) -> CorpusWords | None:
        try:
            with np.load(path) as data:
                return cls(tuple(str(t) for t in data["tokens"]), np.asarray(data["vectors"], dtype=np.float32))
        except (OSError, KeyError, ValueError):
            return None


def spellings(texts: Iterable[str]) -> dict[str, str]:
    """Each token of `texts` as its commonest spelling ("alon" -> "alone")."""
    counts: Counter[tuple[str, str]] = Counter()
    for text in texts:
        counts.update(word_forms(text))
    best: dict[str, tuple[int, str]] = {}
    for (word, token), count in counts.items():
        if token not in best or count > best[token][0]:
            best[token] = (count, word)
    return {token: word for token, (_, word) in best.items()}


def build_corpus_words(texts: Iterable[str], encode: Callable[[list[str]], np.ndarray]) -> CorpusWords:
    words = {t: w for t, w in spellings(texts).items() if len(w) >= MIN_WORD_LENGTH and w.isalpha()}
    tokens = sorted(words)
    if not tokens:
        return CorpusWords()
    vectors = np.vstack([np.asarray(encode([words[t] for t in tokens[i : i + ENCODE_BATCH]]), dtype=np.float32)
                         for i in range(0, len(tokens), ENCODE_BATCH)])
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return CorpusWords(tuple(tokens), vectors / np.where(norms > 0, norms, 1.0))


_corpus_words: dict[Path, tuple[int, CorpusWords]] = {}


def corpus_words(index: KnowledgeIndex, encode: Callable[[list[str]], np.ndarray]) -> CorpusWords:
    """The index's words with their embeddings (`encode` embeds a batch of texts): read once per index
    generation, from beside the index when they were kept there, else embedded and kept."""
    keyword = index.keyword
    cached = _corpus_words.get(index.directory)
    if cached is not None and cached[0] == keyword.generation:
        return cached[1]
    path = index.directory / "words" / f"{keyword.generation}.npz"
    words = CorpusWords.load(path) if path.exists() else None
    if words is None:
        chunks = index.catalog.chunks(keyword.ids).values()
        words = build_corpus_words((f"{c.section}\n{c.text}" for c in chunks), encode)
        for old in path.parent.glob("*.npz") if path.parent.exists() else ():
            old.unlink(missing_ok=True)
        words.save(path)
    _corpus_words[index.directory] = (keyword.generation, words)
    return words


