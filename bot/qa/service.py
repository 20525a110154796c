"""`Answerer`: the one entry point for questions, used by the CLI, the assistant and every channel."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

import numpy as np

from bot.config import Settings
from bot.index.store import KnowledgeIndex, StoredChunk
from bot.index.tokens import tokenize
from bot.index.units import Unit, passage_units, units_digest
from bot.index.words import remember_stems_of
from bot.procedures.recent import mark_recent_updates
from bot.prompts import say
from bot.qa.answer import (
    SELECTION_HITS,
    Answer,
    asks_for_a_list,
    compose,
    emergency_route,
)
from bot.qa.follow_up import (
    LastAnswer,
    Reading,
    named_area,
    read_follow_up,
    reads_as_follow_up,
    thread_bonus,
)
from bot.qa.retrieval import Hit, Retriever, RetrieverMode
from bot.qa.selection_model import Candidate
from bot.qa.smalltalk import small_talk
from bot.qa.urgent import check_urgency
from bot.qa.urgent_rules import normalise

MAX_QUESTION_CHARS = 2000
# Whom the documents name for questions about them: "I don't know" gives that contact as they give it.
CONTACT_OWNER = "business unit"
CONTACT_CANDIDATES = 10  # passages read for it, best keyword matches first
CONTACT_WORDS = 60  # a line longer than this is a paragraph that mentions the unit, not its details
# A phone number or an email address someone can use (not 999 or 101, which every document gives).
CONTACT_PATTERN = re.compile(r"\b0\d{2,4}[ -]?\d{3,4}[ -]?\d{3,5}\b|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)

__all__ = ["Answerer", "LastAnswer", "MAX_QUESTION_CHARS", "Reading", "reads_as_follow_up"]
class Answerer:
    def __init__(self, settings: Settings, index: KnowledgeIndex, encode_query: Callable[[str], np.ndarray]) -> None:
        self.settings = settings
        self.index = index
        self.retriever = Retriever(index, encode_query, settings)
        from bot.qa.llm import LLMAnswerWriter

        self.writer = LLMAnswerWriter.from_settings(settings)
        self._areas: tuple[int, tuple[str, ...]] | None = None
        self._contact: tuple[int, tuple[str, str] | None] | None = None
        self._stems_learnt: int | None = None  # the index generation whose words' stems were learnt

    @classmethod
    def from_settings(cls, settings: Settings) -> Answerer:
        from bot.index.embeddings import shared_query_encoder

        index = KnowledgeIndex(settings)
        return cls(settings, index, shared_query_encoder().encode_query)

    @property
    def areas(self) -> tuple[str, ...]:
        """The areas the ingested documents belong to (not the national tier): a question may name one."""
        keyword = self.index.keyword
        if self._areas is None or self._areas[0] != keyword.generation:
            national = {a.casefold() for a in self.settings.national_areas}
            names = {a for areas in keyword.areas for a in areas if a.casefold() not in national}
            self._areas = (keyword.generation, tuple(sorted(names)))
        return self._areas[1]

    def documents_contact(self) -> tuple[str, str] | None:
        """The business unit's contact details as the documents give them, and the title of the document
        that gives them (None when no document does): the line naming the business unit that carries the
        most phone numbers and email addresses ("…business unit: safeguarding.businessunit@example.org,
        01632 960100, Monday to Friday, 9am to 5pm."). Read once per index generation."""
        keyword = self.index.keyword
        if self._contact is not None and self._contact[0] == keyword.generation:
            return self._contact[1]
        best: tuple[int, str, str] | None = None
        ranked = keyword.search(tokenize(CONTACT_OWNER), CONTACT_CANDIDATES)
        chunks = self.index.catalog.chunks(chunk_id for chunk_id, _ in ranked)
        for chunk_id, _ in ranked:
            chunk = chunks.get(chunk_id)
            if chunk is None:
                continue
            for line in chunk.text.splitlines():
                details = " ".join(line.replace(" | ", ": ").strip(" |-*").split())
                if not re.search(rf"\b{CONTACT_OWNER}\b", details, re.IGNORECASE):
                    continue
                found = len(CONTACT_PATTERN.findall(details))
                if found and (best is None or found > best[0]) and len(details.split()) <= CONTACT_WORDS:
                    best = (found, details, chunk.title)
        contact = (best[1], best[2]) if best else None
        self._contact = (keyword.generation, contact)
        return contact

    def read(self, question: str, previous: str | None) -> Reading:
        """`question` as the next message of a thread whose last question was `previous`: a fragment
        ("and in eastbrook?") made whole, or a follow-up with the previous question as its context."""
        return read_follow_up(" ".join((question or "").split()), previous, self.areas)

    def answer(
        self,
        question: str,
        area: str | None = None,
        context: str | None = None,
        kinds: list[str] | None = None,
        mode: RetrieverMode = "hybrid",
        last: LastAnswer | None = None,
        observe: Callable[[list[Candidate], list[list[Unit]], list[Hit]], None] | None = None,
    ) -> Answer:
        """Answer from the knowledge index; `context` is the thread so far, for follow-ups, and `last`
        what the thread's last answer cited and quoted. `observe`, if given, is shown the lines the
        answer chose from (how `sgbot selection examples` learns)."""
        text = " ".join((question or "").split())
        contact = self.settings.contact
        if not text:
            return Answer(question, False, False, say("empty_question"))
        if len(text) > MAX_QUESTION_CHARS:
            urgent = check_urgency(text).urgent
            lead = emergency_route() + "\n\n" if urgent else ""
            return Answer(question, False, urgent,
                          lead + say("question_too_long", length=len(text), limit=MAX_QUESTION_CHARS))
        self._learn_stems()
        if context and not reads_as_follow_up(text):
            context = None  # a new question in the same chat: earlier ones would only mislead retrieval
        # Urgency and small talk read the question as typed; everything else reads its typing slips as
        # the documents' words they stand for ("is this neglet?"), so that a slip neither misses passages
        # nor counts against answering as a word the documents never use.
        # The thread's earlier question, whose words only steer a follow-up, is read as it was typed: read as the
        # documents' words, a word it slipped on weighs in and pulls a follow-up back to the earlier topic
        # (tests/knowledge/data/followups_tune.jsonl fu23: "…adult asylum accomodation…" then "who does the
        # assessment?").
        typed = text
        text = self.retriever.spelled(text)
        if not context:
            last = None
        # "Whats the MASH number in Eastbrook?" (or a follow-up to a question about Eastbrook) is
        # answered from Eastbrook's documents first, whatever area the channel belongs to.
        area = (named_area(text, self.areas) or (named_area(context, self.areas) if context else None)
                or area or self.settings.default_area)
        query = f"{text} {context}" if context else text
        # The question's vector finds passages (unless keyword search alone was asked for) and, in
        # every mode, the sentences of the passages found that are closest to it in meaning.
        dense_text = self.retriever.dense_text(query)
        vector = self.retriever.encode_query(dense_text)
        # The urgency model reads the same vector when it encodes exactly the same words: encoding
        # is most of a warm answer's time, and one encoding per question halves it.
        urgent = check_urgency(typed, vector=vector if normalise(typed) == dense_text else None).urgent
        chat = small_talk(typed)
        if chat is not None and not urgent:
            return Answer(question, False, False, say(chat))
        hits = self.retriever.search(query, k=5, area=area, kinds=kinds, mode=mode, query_vector=vector,
                                     follow_up=bool(context), spelled=True)
        if hits and asks_for_a_list(text):
            hits = self._join_split_lists(hits)
        bonus = None
        if last is not None:  # a follow-up: where the thread's last answer's lines sit says what comes next
            cited_at = {c.id: (c.path, c.ordinal) for c in self.index.catalog.chunks(last.passages).values()}
            bonus = thread_bonus(hits, last, cited_at, text)
        keyword = self.index.keyword
        similarity = self._unit_similarity(hits, vector)
        answer = compose(text, hits, urgent=urgent, idf=keyword.idf, contact=contact, area=area,
                         sentences_limit=self.settings.answer_sentences, dense_used=mode != "bm25",
                         context=context, writer=self.writer, unit_similarity=similarity, unit_bonus=bonus,
                         observe=(lambda candidates, units: observe(candidates, units, hits)) if observe else None,
                         retriever=mode)
        if not answer.answered and answer.evidence is not None and (found := self.documents_contact()):
            details, title = found
            text = f"{answer.text}\n{say('abstain_documents_contact', details=details, title=title)}"
            answer = dataclasses.replace(answer, text=text)
        return dataclasses.replace(answer, question=typed,
                                   citations=mark_recent_updates(answer.citations, self.settings))

    def _learn_stems(self) -> None:
        """The stems of the index's words, as its ingest kept them with its words (`bot.index.words`):
        read once per index generation, so that no word of a passage found is stemmed while a question
        waits (the same stems: they are learnt only from the stemmer in use)."""
        generation = self.index.keyword.generation
        if self._stems_learnt != generation:
            remember_stems_of(self.index.directory, generation)
            self._stems_learnt = generation

    def _unit_similarity(self, hits: list[Hit], vector: np.ndarray) -> dict[tuple[int, tuple[int, int]], float]:
        """Closeness in meaning of each quotable unit of the first passages to the question, from
        the vectors stored at ingest (no sentence is encoded here). A passage whose units no longer
        match what was stored (a list joined with the next passage) is read by its words only."""
        chosen = hits[:SELECTION_HITS]
        stored = self.index.catalog.unit_vectors(h.chunk.id for h in chosen)
        query = np.asarray(vector, dtype=np.float32)
        similarity: dict[tuple[int, tuple[int, int]], float] = {}
        for hit_index, hit in enumerate(chosen):
            found = stored.get(hit.chunk.id)
            if found is None:
                continue
            units = passage_units(hit.chunk.text)
            digest, vectors = found
            if digest != units_digest(units) or len(vectors) != len(units):
                continue
            for unit, score in zip(units, (vectors @ query).tolist(), strict=True):
                similarity[(hit_index, unit.position)] = float(score)
        return similarity

    def _join_split_lists(self, hits: list[Hit]) -> list[Hit]:
        """A list or table that a chunk boundary cut in two is read whole: "the four levels" wants
        all four rows, and the fourth may sit in the next passage of the same section. Two parts
        found among the hits become one, at the better rank; the part after the best hit is
        fetched from the catalog when retrieval did not bring it."""
        joined = list(hits)
        by_position = {(h.chunk.path, h.chunk.ordinal): h for h in joined}
        for hit in list(joined[:3]):
            if hit not in joined:
                continue
            following_hit = by_position.get((hit.chunk.path, hit.chunk.ordinal + 1))
            following = following_hit.chunk if following_hit else None
            if following is None and hit is joined[0]:
                following = self.index.catalog.next_chunk(hit.chunk)
            merged = _joined(hit, following)
            if merged is None:
                # The hit may be the second part of a table cut in two: its first part comes first.
                if hit is joined[0]:
                    before = self.index.catalog.previous_chunk(hit.chunk)
                    earlier = _joined(dataclasses.replace(hit, chunk=before), hit.chunk) if before else None
                    if earlier is not None:
                        joined[0] = dataclasses.replace(hit, chunk=dataclasses.replace(
                            hit.chunk, text=earlier.chunk.text))
                continue
            first = min(joined.index(hit), joined.index(following_hit) if following_hit in joined else len(joined))
            joined = [h for h in joined if h is not hit and h is not following_hit]
            joined.insert(first, merged)
        return joined


def _joined(hit: Hit, following: StoredChunk | None) -> Hit | None:
    """`hit` with the passage after it appended, if that passage continues its list or table."""
    lines = hit.chunk.text.rstrip().splitlines()
    if following is None or following.section != hit.chunk.section or not lines:
        return None
    if not (lines[-1].startswith("- ") or " | " in lines[-1]):
        return None
    rest = following.text.splitlines()
    heading = hit.chunk.section.rsplit(" › ", 1)[-1]
    if rest and rest[0].strip() == heading.strip():
        rest = rest[1:]  # the heading is repeated at the top of every passage of a section
    if rest and " | " in rest[0] and rest[0] in lines:
        rest = rest[1:]  # and so is a table's header row
    if not rest or not (rest[0].startswith("- ") or " | " in rest[0]):
        return None
    return dataclasses.replace(hit, chunk=dataclasses.replace(hit.chunk, text="\n".join(lines + rest)))
