"""Hybrid retrieval: dense (Chroma) and keyword (BM25) candidates fused by reciprocal rank.

Area preference is applied to the fused candidates, not as a Chroma `where`
filter: a metadata filter in Chroma costs 55–100 ms at 100k chunks, while
re-ranking a few dozen candidates costs microseconds. Documents of the user's
own area come first, then regional, then national; another area's documents
are kept (they may be all there is) but ranked below.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from bot.config import Settings
from bot.index.store import KnowledgeIndex, StoredChunk
from bot.index.tokens import tokenize
from bot.qa.spelling import speller
from bot.qa.vocabulary import corpus_expansion, documents_words, vocabulary

RetrieverMode = Literal["hybrid", "dense", "bm25"]
# Hybrid retrieval in two steps.
# 1. Which passages: weighted reciprocal rank fusion of the two rankings. Procedures and
#    partnership documents are full of names, figures and acronyms that keyword search matches
#    exactly and a small embedding model blurs, while practitioners' own words ("ring", "kid",
#    "preschool") are often bridged only by meaning; RRF lets either side bring its best few in.
# 2. In what order: the fused top passages are re-ordered by a convex mix of the two scores
#    themselves, cosine similarity and BM25 divided by the best BM25 score of the question, so
#    that a passage far closer in meaning (or in words) leads, which ranks alone cannot tell.
# Chosen on the tune parts of all three development corpora at once (knowledge/, the seeds with
# the dev and extra sets, the real documents): the tune average went from recall@5 0.91 / MRR
# 0.74 (RRF k 5, dense weight 0.3, no re-ordering) to 0.94 / 0.77, and the check parts from
# 0.92 / 0.73 to 0.93 / 0.77.
RRF_K = 5
KEYWORD_WEIGHT = 1.0
DENSE_WEIGHT = 0.5
CANDIDATES = 40
# Other words for the question's words (prompts/vocabulary.yaml) are searched beside them at this
# share of their weight. Measured on all tune parts: none 0.93 / 0.75, 0.25 or 0.5 0.95 / 0.77, 0.75
# 0.93 / 0.76, full weight 0.93 / 0.74 (recall@5 / MRR): a loose alternative at full weight outranks
# the question's own words.
EXPANSION_WEIGHT = 0.5
# How many of the fused passages are re-ordered by their scores. 8 gained two check and two scope lines
# but lost a tune line and one of the seeds' dev set (a passage that only keyword search ranks well is
# leapfrogged by ones closer in meaning): kept at 5.
# Measured again in December 2026 on the tune parts of all three corpora with the seeds' dev and extra
# sets (recall@5 / MRR 0.910 / 0.736 as this stands; check parts 0.925 / 0.737), and none kept:
# - the whole candidate pool ordered by the mixed score plus 0.5 times the rank fusion score (the
#   same as re-ordering the first 8 or more): 0.918 / 0.737, check 0.938 / 0.737, one tune fact fewer,
#   holdout MRR 0.757 -> 0.743; and Eastbrook's adult line ("and if its an adult with care needs?"
#   after a question about a child) fell from the fourth passage to the fifth, out of the answer's reach;
# - the passage's best sentence (cosine of its closest stored unit vector) as a third score, added or
#   mixed into the cosine: knowledge/ check MRR 0.83 -> 0.86-0.90, but the seeds' check recall 0.88 ->
#   0.83-0.85 and, weighed more, their dev set under 0.95;
# - a document's best passage score, per-question z-score or max-gap normalisation of the two scores
#   instead of the share of the best, BM25 of the question's own words beside the expanded one, the
#   section/title words as a score, and BM25's k1 / b (0.9-2.0 / 0.4-0.9): each within a question or
#   two of the totals above, either way.
# What is left on the tune parts is mostly a passage one search ranks in its first three and the other
# far down ("can i physically stop a foster kid walking out of the house": first by meaning, 53rd by
# words; "What is the database Salford is building for?": the reverse), and nothing measured about the
# question tells which search to trust: a dense weight rising with the best cosine took the tune parts
# to 0.925 / 0.740 but the check parts down to 0.911 / 0.730 (seeds_check recall 0.91 -> 0.82), and a
# keyword share rising with how far BM25's best stands above its tenth moved nothing beyond a question.
# Three more signals for re-ordering the fused few (December 2026). Recall is unchanged (the same 5
# passages are re-ordered); MRR, hybrid, all three corpora: tune parts with the seeds' dev and extra sets
# 0.728 -> 0.754, check parts 0.737 -> 0.786, holdout/blind/blind2 0.786 -> 0.801, and blind3 (first
# measured after the weights were chosen) knowledge 0.79 -> 0.80, seeds 0.75 -> 0.78, real 0.74 -> 0.75.
# - Closeness in meaning is half the whole passage's cosine and half that of its closest line (the
#   line vectors stored at ingest): a passage whose one sentence answers the question is not diluted
#   by the rest of it. Not for a follow-up (see `Retriever.search`). Tried above over more passages, it
#   cost the seeds recall; re-ordering only the first 5, it cannot.
# - The share of the question's words (weighed by IDF) the passage has, and the share of the question's
#   adjacent word pairs ("mandatory report", "out of hours") it has side by side (WORDS_WEIGHT,
#   PAIRS_WEIGHT): BM25 counts how often words occur, not whether all of them, or the phrases, are there.
# A pairwise logistic fit of these signals on the tune parts alone (5-fold cross-validated tune MRR
# 0.764) put weight on all of them; this mix is that fit rounded onto the cosine/BM25 mix above, on a
# plateau of the tune and check parts (sentence share 0.35-0.5, words 0.1-0.2, pairs 0.05-0.1). Pairs
# at 0.1 put the threshold guidance's introduction ("what level of need a child and family have")
# before its table of the four levels for "what are the levels of need?"; at 0.05 the table leads.
# Re-ordering the first 6, 7, 8 or 10 by the same score gained recall on knowledge/ and the real
# documents but lost it on the seeds (tune 0.927 -> 0.878-0.902, check 0.878 -> 0.854): kept at 5.
# The real documents' holdout, blind and blind2 lose a little MRR (0.772 -> 0.751, under a question each:
# near-identical sections of one policy trade places), and the tune parts' answers state 5 facts fewer
# (of 250) while the check parts' state 4 more (of 146) and the unseen parts' 7 more (of 294).
RERANK_DEPTH = 5
KEYWORD_SHARE = 0.3  # BM25's share of the re-ordering score (closeness in meaning has the rest)
SENTENCE_SHARE = 0.5  # the closest line's share of the closeness in meaning (the whole passage has the rest)
WORDS_WEIGHT = 0.1  # weight of the share of the question's words (by IDF) the passage has
PAIRS_WEIGHT = 0.05  # weight of the share of the question's adjacent word pairs it has side by side

OWN, REGIONAL, NATIONAL, OTHER = 0, 1, 2, 3
# Multipliers on the fused score by tier: close in relevance, own area wins;
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

    def spelled(self, text: str) -> str:
        """`text` with each typing slip read as the index word it stands for ("referal" -> "referral"):
        searched for, and weighed as evidence, as the word it meant (bot/qa/spelling.py)."""
        return speller(self.index, documents_words(self.index, self.encode_query)).read(text)

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
        follow_up: bool = False,
        spelled: bool = False,
    ) -> list[Hit]:
        """The `k` best passages for `query`. A `follow_up`'s query is the question with the one before
        it: the line closest to both is as likely to answer the earlier one, so passages are not
        re-ordered by their closest line then (a short "who feeds into it?" after "when does Dudley
        publish its annual report" found the report's publishing line first, not who contributes).
        Its typing slips are read as the index's words (`spelled`) unless the caller has `spelled` it already."""
        dense: list[tuple[str, float]] = []
        keyword: list[tuple[str, float]] = []
        vector = np.zeros(0, dtype=np.float32)
        query = query if spelled else self.spelled(query)
        tokens = tokenize(query)
        if mode in ("hybrid", "dense"):
            vector = query_vector if query_vector is not None else self.question_vector(query)
            dense = self.index.dense.search(vector, CANDIDATES, kinds, generation=self.index.catalog.generation())
        if mode in ("hybrid", "bm25"):
            extra = vocabulary().expansion(tokens, query)
            if mode == "hybrid":  # and the documents' words nearest in meaning to question words they lack
                extra += [t for t in corpus_expansion(self.index, query, self.encode_query) if t not in extra]
            keyword = self.index.keyword.search(tokens, CANDIDATES, kinds, extra, EXPANSION_WEIGHT)

        fused: dict[str, float] = {}
        for weight, ranking in ((DENSE_WEIGHT, dense), (KEYWORD_WEIGHT, keyword)):
            for rank, (chunk_id, _) in enumerate(ranking):
                fused[chunk_id] = fused.get(chunk_id, 0.0) + weight / (RRF_K + rank + 1)
        dense_scores = dict(dense)
        keyword_scores = dict(keyword)
        chunks = self.index.catalog.chunks(fused)
        hits = []
        for chunk_id, score in fused.items():
            chunk = chunks.get(chunk_id)
            if chunk is None:  # removed between the two lookups
                continue
            tier = self.tier(chunk, area)
            weight = TIER_WEIGHT[tier] if area is not None else 1.0
            hits.append(Hit(chunk, score * weight, dense_scores.get(chunk_id, 0.0),
                            keyword_scores.get(chunk_id, 0.0), tier))
        hits.sort(key=lambda h: (-h.score, h.tier))
        if dense and keyword:
            first = hits[:RERANK_DEPTH]
            keyword_index = self.index.keyword
            hits[:RERANK_DEPTH] = reorder(first, dense_floor=dense[-1][1], best_keyword=keyword[0][1],
                                          weighted=area is not None, question=tokens, idf=keyword_index.idf,
                                          best_line=None if follow_up else self._best_lines(first, vector))
        return hits[:k]

    def _best_lines(self, hits: Sequence[Hit], vector: np.ndarray) -> dict[str, float]:
        """Each passage's closest line to the question (cosine), from the line vectors stored at ingest."""
        query = np.asarray(vector, dtype=np.float32)
        stored = self.index.catalog.unit_vectors(h.chunk.id for h in hits)
        return {chunk_id: float((vectors @ query).max()) for chunk_id, (_, vectors) in stored.items()
                if len(vectors)}


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


def mixed_score(dense: float, keyword: float, best_keyword: float, *, best_line: float | None = None,
                words: float = 0.0, pairs: float = 0.0) -> float:
    """Closeness in meaning and in words on one scale: cosine (half the passage's, half its closest
    line's when that is known), BM25 as a share of the best, and the shares of the question's words
    and word pairs the passage has."""
    keyword_share = keyword / best_keyword if best_keyword > 0 else 0.0
    meaning = dense if best_line is None else (1.0 - SENTENCE_SHARE) * dense + SENTENCE_SHARE * best_line
    return ((1.0 - KEYWORD_SHARE) * meaning + KEYWORD_SHARE * keyword_share
            + WORDS_WEIGHT * words + PAIRS_WEIGHT * pairs)


def words_found(weights: Mapping[str, float], passage: Collection[str]) -> float:
    """The share of the question's words, each weighed by its IDF (`weights`), that `passage` (its
    tokens) has."""
    total = sum(weights.values())
    return sum(w for token, w in weights.items() if token in passage) / total if total > 0 else 0.0


def pairs_found(question: Sequence[str], passage: Sequence[str]) -> float:
    """The share of the question's adjacent word pairs that `passage` (its tokens) has side by side."""
    wanted = list(zip(question, question[1:], strict=False))
    if not wanted:
        return 0.0
    present = set(zip(passage, passage[1:], strict=False))
    return sum(pair in present for pair in wanted) / len(wanted)


def reorder(hits: list[Hit], *, dense_floor: float, best_keyword: float, weighted: bool,
            question: Sequence[str] = (), idf: Callable[[str], float] | None = None,
            best_line: Mapping[str, float] | None = None) -> list[Hit]:
    """The fused top passages in order of their mixed score (times their area tier's weight).

    A passage that only keyword search found has no cosine from the dense search; it is at most
    the last dense candidate's, which is taken as its closeness. `question` (its tokens) and `idf`
    give the shares of the question's words and word pairs each passage has; `best_line`, each
    passage's closest line by id.
    """
    lines = best_line or {}
    weights = {token: idf(token) for token in question} if idf is not None else {}

    def score(hit: Hit) -> float:
        dense = hit.dense if hit.dense > 0 else dense_floor
        words = pairs = 0.0
        if weights:
            passage = hit.chunk.indexed_tokens or tuple(tokenize(f"{hit.chunk.section}\n{hit.chunk.text}"))
            words = words_found(weights, set(passage))
            pairs = pairs_found(question, passage)
        mixed = mixed_score(dense, hit.keyword, best_keyword, best_line=lines.get(hit.chunk.id),
                            words=words, pairs=pairs)
        return mixed * (TIER_WEIGHT[hit.tier] if weighted else 1.0)

    return sorted(hits, key=lambda h: (-score(h), h.tier))
