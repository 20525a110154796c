"""Hybrid retrieval: dense (Chroma) and keyword (BM25) candidates weighed together on what each found.

Area preference is applied to the weighed candidates, not as a Chroma `where`
filter: a metadata filter in Chroma costs 55–100 ms at 100k chunks, while
re-ranking a few dozen candidates costs microseconds. Documents of the user's
own area come first, then regional, then national; another area's documents
are kept (they may be all there is) but ranked below.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from bot.config import Settings
from bot.index.store import KnowledgeIndex, StoredChunk
from bot.index.tokens import tokenize
from bot.qa.vocabulary import vocabulary

RetrieverMode = Literal["hybrid", "dense", "bm25"]
# Hybrid retrieval: every passage that either retriever brings (the best CANDIDATES of each) is weighed
# on five signals at once, and the passages are ordered by their weighted sum (`relevance`):
#   meaning   cosine similarity of the passage to the question;
#   sentence  cosine similarity of the passage's closest sentence, list item or table row (vectors
#             stored at ingest): a long passage whose one sentence answers is not drowned by the rest;
#   words     BM25 as a share of the question's best BM25 score;
#   coverage  the share of the question's words, weighted by how rare they are (IDF), that the
#             passage has (a word counts when one of its alternatives in prompts/vocabulary.yaml is there);
#   phrases   the share of the question's neighbouring word pairs ("good outcome", "out hours",
#             "strategic priorities") that stand side by side in the passage.
# Reciprocal rank fusion, which this replaces, threw away how far ahead a retriever's best passage
# was: a passage first for dense search by a wide margin and 17th for BM25 came 4th, and the other
# way round. Weights: a pairwise logistic regression (C 0.1) on the tune parts of all three development
# corpora at once (tests/knowledge/data/*_tune, _tune2, _facts, _scope, the seeds' extra set and the
# seed dev set; 244 questions), as shares of their sum, rounded. Fitted on two corpora and measured on
# the third, it kept recall@5 (0.913 -> 0.916, mean over every set) and raised MRR 0.735 -> 0.767;
# fitted on all tune parts: tune 0.891 / 0.701 -> 0.907 / 0.743, check parts 0.962 / 0.808 -> 0.962 /
# 0.850 (recall@5 / MRR, means over the sets of the three corpora). Word pairs and coverage alone
# (without the sentence signal) reached 0.912 / 0.721 on the tune parts.
CANDIDATES = 40
# Other words for the question's words (prompts/vocabulary.yaml) are searched beside them at this
# share of their weight. Measured on all tune parts: none 0.93 / 0.75, 0.25 or 0.5 0.95 / 0.77, 0.75
# 0.93 / 0.76, full weight 0.93 / 0.74 (recall@5 / MRR): a loose alternative at full weight outranks
# the question's own words.
EXPANSION_WEIGHT = 0.5


@dataclass(frozen=True)
class Signals:
    """How close a passage is to a question, each on a scale of about 0 to 1."""

    meaning: float
    sentence: float
    words: float
    coverage: float
    phrases: float


WEIGHTS = Signals(meaning=0.38, sentence=0.20, words=0.21, coverage=0.15, phrases=0.06)


def relevance(signals: Signals) -> float:
    w = WEIGHTS
    return (w.meaning * signals.meaning + w.sentence * signals.sentence + w.words * signals.words
            + w.coverage * signals.coverage + w.phrases * signals.phrases)


def word_pairs(tokens: Sequence[str]) -> set[tuple[str, str]]:
    """Neighbouring words (after stopwords are dropped): "out of hours" -> ("out", "hour")."""
    return set(zip(tokens, tokens[1:], strict=False))


def rarity(question: Sequence[str], idf: Callable[[str], float]) -> dict[str, float]:
    """Each of the question's words with its IDF: what finding it in a passage is worth."""
    return {word: idf(word) for word in dict.fromkeys(question)}


def word_coverage(rarities: Mapping[str, float], passage: set[str]) -> float:
    """The share of the question's words, weighted by `rarity`, that the passage has (or an
    alternative of, from prompts/vocabulary.yaml)."""
    total = sum(rarities.values())
    if total <= 0:
        return 0.0
    found = vocabulary().found
    return sum(weight for word, weight in rarities.items() if weight > 0 and found(word, passage)) / total


OWN, REGIONAL, NATIONAL, OTHER = 0, 1, 2, 3
# Multipliers on the weighed score by tier: close in relevance, own area wins;
# another area's version of a procedure needs to be much more relevant to lead.
TIER_WEIGHT = {OWN: 1.0, REGIONAL: 0.85, NATIONAL: 0.75, OTHER: 0.5}


@dataclass(frozen=True)
class Hit:
    chunk: StoredChunk
    score: float
    dense: float  # cosine similarity to the question (0 when not a dense candidate)
    keyword: float  # BM25 score (0 when not a keyword candidate)
    tier: int


class Retriever:
    def __init__(self, index: KnowledgeIndex, encode_query: Callable[[str], np.ndarray], settings: Settings) -> None:
        self.index = index
        self.encode_query = encode_query
        self.settings = settings
        self._regional = {a.casefold() for a in settings.regional_areas}
        self._national = {a.casefold() for a in settings.national_areas}

    @staticmethod
    def dense_text(query: str) -> str:
        """The question with its abbreviations spelled out ("DSL" means nothing to a general-purpose
        model; "designated safeguarding lead" does)."""
        return vocabulary().spelled_out(query)

    def question_vector(self, query: str) -> np.ndarray:
        """What dense search looks for: the question as typed and, when it has abbreviations, the
        question with them spelled out, read together (the unit vector of their sum, so a passage's
        cosine is the mean of its closeness to both readings, up to one scale for the question).
        The spelled-out reading alone loses the practitioner's own wording where the documents
        use it too; together they lifted the tune parts of all three development corpora
        (recall@5 / MRR 0.94 / 0.77 -> 0.95 / 0.77, check 0.93 / 0.77 -> 0.95 / 0.77)."""
        typed = np.asarray(self.encode_query(query), dtype=np.float32)
        spelled = self.dense_text(query)
        if spelled == query:
            return typed
        both = _unit(typed) + _unit(np.asarray(self.encode_query(spelled), dtype=np.float32))
        return _unit(both)

    def tier(self, chunk: StoredChunk, area: str | None) -> int:
        areas = {a.casefold() for a in chunk.areas}
        if area is not None and area.casefold() in areas:
            return OWN
        if areas & self._regional:
            return REGIONAL
        if areas & self._national or not areas:
            return NATIONAL
        return OTHER if area is not None else OWN

    def search(
        self,
        query: str,
        *,
        k: int = 5,
        area: str | None = None,
        kinds: Sequence[str] | None = None,
        mode: RetrieverMode = "hybrid",
        query_vector: np.ndarray | None = None,
    ) -> list[Hit]:
        dense: list[tuple[str, float]] = []
        keyword: list[tuple[str, float]] = []
        vector = np.zeros(0, dtype=np.float32)
        tokens = tokenize(query)
        if mode in ("hybrid", "dense"):
            vector = query_vector if query_vector is not None else self.question_vector(query)
            dense = self.index.dense.search(vector, CANDIDATES, kinds)
        if mode in ("hybrid", "bm25"):
            keyword = self.index.keyword.search(tokens, CANDIDATES, kinds, vocabulary().expansion(tokens),
                                                EXPANSION_WEIGHT)

        if mode != "hybrid":
            ranking = dense or keyword
            chunks = self.index.catalog.chunks(chunk_id for chunk_id, _ in ranking)
            single = [self._hit(chunks[chunk_id], score, score if mode == "dense" else 0.0,
                                score if mode == "bm25" else 0.0, area)
                      for chunk_id, score in ranking if chunk_id in chunks]
            single.sort(key=lambda h: (-h.score, h.tier))
            return single[:k]
        return self._weighed(vector, tokens, dense, keyword, area)[:k]

    def _hit(self, chunk: StoredChunk, score: float, dense: float, keyword: float, area: str | None) -> Hit:
        tier = self.tier(chunk, area)
        weight = TIER_WEIGHT[tier] if area is not None else 1.0
        return Hit(chunk, score * weight, dense, keyword, tier)

    def _weighed(self, vector: np.ndarray, tokens: list[str], dense: list[tuple[str, float]],
                 keyword: list[tuple[str, float]], area: str | None) -> list[Hit]:
        """Both retrievers' candidates in order of `relevance`."""
        dense_scores = dict(dense)
        keyword_scores = dict(keyword)
        ids = list(dict.fromkeys([chunk_id for chunk_id, _ in dense] + [chunk_id for chunk_id, _ in keyword]))
        chunks = self.index.catalog.chunks(ids)
        query = np.asarray(vector, dtype=np.float32)
        # A passage only keyword search found is weighed by its real closeness in meaning; failing its
        # vector, by the last dense candidate's, which it cannot be closer than.
        floor = dense[-1][1] if dense else 0.0
        closeness = dict(dense_scores)
        for chunk_id, stored in self.index.dense.vectors([i for i in ids if i not in dense_scores]).items():
            closeness[chunk_id] = float(stored @ query)
        sentences = self.index.catalog.unit_vectors(ids)
        best_keyword = keyword[0][1] if keyword else 0.0
        rarities = rarity(tokens, self.index.keyword.idf)
        pairs = word_pairs(tokens)
        hits = []
        for chunk_id in ids:
            chunk = chunks.get(chunk_id)
            if chunk is None:  # removed between the two lookups
                continue
            meaning = closeness.get(chunk_id, floor)
            stored_units = sentences.get(chunk_id)
            units = stored_units[1] if stored_units is not None else None
            sentence = float((units @ query).max()) if units is not None and len(units) else meaning
            words = chunk.indexed_tokens or tuple(tokenize(f"{chunk.section}\n{chunk.text}"))
            signals = Signals(
                meaning=meaning,
                sentence=sentence,
                words=keyword_scores.get(chunk_id, 0.0) / best_keyword if best_keyword > 0 else 0.0,
                coverage=word_coverage(rarities, set(words)),
                phrases=len(pairs & word_pairs(words)) / len(pairs) if pairs else 0.0,
            )
            hits.append(self._hit(chunk, relevance(signals), dense_scores.get(chunk_id, 0.0),
                                  keyword_scores.get(chunk_id, 0.0), area))
        hits.sort(key=lambda h: (-h.score, h.tier))
        return hits


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector
