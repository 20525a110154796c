"""Grounded extractive answers: the few sentences that answer the question, each cited.

No language model is needed. Sentences (and list items, table rows) of the best
passages are scored by how much of the question's weighted vocabulary they
contain; the best few are quoted in document order with the number of the
passage they came from. When the evidence is weak, the answer is "I don't
know" and where to ask, never a guess.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import PurePath
from string import ascii_lowercase
from typing import TYPE_CHECKING, Any

from bot.messages import Citation, Reply
from bot.procedures.recent import updated_on_note
from bot.prompts import load_text, say
from bot.qa.abstention import MODEL_MODES, model_for
from bot.qa.retrieval import NATIONAL, OTHER, OWN, REGIONAL, Hit
from bot.qa.selection_model import Candidate, SelectionModel, selection_model

if TYPE_CHECKING:
    from bot.qa.llm import LLMAnswerWriter
from bot.index.tokens import sentences, tokenize
from bot.index.units import Unit, is_row, passage_units
from bot.qa.intent import (
    Want,
    asked_about,
    asks_for_a_deadline,
    carries_required,
    fit,
    required_kinds,
    satisfied_words,
    wants,
)
from bot.qa.vocabulary import places, vocabulary


@dataclass(frozen=True)
class Evidence:
    """How well the best passages match the question; the abstention rule reads only this."""

    top_dense: float | None  # best cosine similarity to a passage; None when dense search was not used
    coverage: float  # best share of the question's weighted words found together in one passage
    unknown_words: int = 0  # question words the documents never use, in any form
    # Places the question asks about that no document mentions (prompts/places.yaml): another
    # area's numbers, services or arrangements, which these documents cannot give.
    other_places: tuple[str, ...] = ()
    # Kinds of fact the question can only be answered with (a phone number or email, a sum of money:
    # `bot.qa.intent.required_kinds`) that none of the passages found carries: no quoted line could state it.
    kinds_missing: tuple[str, ...] = ()
    # What the question names as the thing it asks about ("which hotel…", "is there parking…",
    # `bot.qa.intent.asked_about`) when the documents never use the word: they cannot say which one.
    unknown_asked: tuple[str, ...] = ()
    second_dense: float | None = None  # the next passage's cosine: a question close to one passage only
    keyword: float = 0.0  # best BM25 score as a share of what the question's words could score
    agree: bool = False  # dense and keyword search put the same passage first
    question_words: int = 0  # distinct content words of the question
    top_unit: float | None = None  # best cosine of one line (sentence, item, row) of the first passages
    line_coverage: float = 0.0  # best share of the question's weighted words found in one line
    kind_found: float = 0.5  # 1 when the best lines carry the kind of fact asked for, 0 when not, 0.5 not asked
    retriever: str = "hybrid"  # the retrieval mode that found the passages: each has its own fitted model

    def sufficient(self) -> bool:
        if self.other_places or self.kinds_missing or self.unknown_asked:
            return False
        model = model_for(self.retriever)
        if model is not None:  # fitted on every labelled set at once (`sgbot abstention fit`)
            return model.answers(self)
        return self.rule()

    def rule(self) -> bool:
        """The hand-set rule, used when no fitted model is there for the retrieval mode."""
        if self.top_dense is None:  # keyword-only retrieval: the words must be there
            return self.coverage >= 0.6 and not self.unknown_words
        # Close in meaning; or the question's words found together and the meaning not far off.
        # Calibrated on the tune parts of every development set at once (knowledge/, seeds with the
        # dev set, real documents: 66 answerable and 22 out-of-scope lines).
        if self.top_dense >= 0.55:
            return True
        if self.unknown_words:
            # A word the documents never use ("canteen") needs the meaning to be close as well:
            # out-of-scope questions with an unknown word stay below 0.40 in meaning ("meeting room"
            # 0.39), practitioners' questions with typos, chat words or situational detail ("a mum
            # on my road", "from Nigeria") reach 0.45 even when few of their words are found.
            return (self.top_dense >= 0.45 and self.coverage >= 0.15) or (
                self.top_dense >= 0.40 and self.coverage >= 0.25)
        # (Asking 0.40 of the words here would turn away "what's the dress code on fridays", 0.42 in
        # meaning and 0.37 of its words, but it turned away answerable questions of the check parts.)
        if self.top_dense >= 0.30 and self.coverage >= 0.30:
            return True
        return self.top_dense >= 0.15 and self.coverage >= 0.75


@dataclass
class Answer:
    question: str
    answered: bool
    urgent: bool
    text: str
    citations: list[Citation] = field(default_factory=list)
    evidence: Evidence | None = None
    quoted: list[str] = field(default_factory=list)  # the lines quoted from the documents, as shown
    passages: list[str] = field(default_factory=list)  # ids of the cited passages, in citation order

    def to_reply(self) -> Reply:
        return Reply(text=self.text, citations=list(self.citations), urgent=self.urgent)

    def to_json(self) -> dict[str, Any]:
        return {
            "answered": self.answered,
            "urgent": self.urgent,
            "answer": self.text,
            "citations": [
                {"source": c.source, "title": c.title, "section": c.section, "area": c.area, "kind": c.kind,
                 "text": c.text, "score": round(c.score, 6), "effective": c.effective, "review_by": c.review_by,
                 "out_of_date": c.out_of_date, "source_url": c.source_url}
                for c in self.citations
            ],
        }


def format_citation(citation: Citation) -> str:
    """One line naming the source: title, section, area and date."""
    section = citation.section.split(" › ", 1)[1] if " › " in citation.section else ""
    parts = [citation.title]
    if section:
        parts.append(section)
    dated = f"effective {citation.effective}" if citation.effective else "undated"
    line = f"[{citation.number}] {' — '.join(parts)} ({citation.area}; {dated})"
    if citation.out_of_date:
        line += f" ⚠️ review was due {citation.review_by}"
    return line + updated_on_note(citation, " · ")


def emergency_route() -> str:
    return load_text("emergency_route.md")


def word_weights(question_tokens: list[str], idf: Any, context_tokens: list[str] | None = None,
                 context_weight: float | None = None) -> dict[str, float]:
    """IDF weight of each question word. A word the documents never use (in any form) weighs
    twice the rarest word there is: "canteen" or "wifi" missing from every passage is strong
    evidence that the question is not about the documents at all."""
    weights = {t: _known_weight(t, idf) for t in set(question_tokens)}
    known = [w for w in weights.values() if w > 0]
    unknown_weight = 2.0 * max(known) if known else 1.0
    weighted = {t: (w if w > 0 else unknown_weight) for t, w in weights.items() if w > 0 or not t.isdigit()}
    # A follow-up ("and what do I write down afterwards?") is read in the light of the thread's
    # earlier question, whose words count for less than the follow-up's own.
    for token in set(context_tokens or []) - set(weighted):
        known_weight = _known_weight(token, idf)
        if known_weight > 0:
            weighted[token] = (CONTEXT_WEIGHT if context_weight is None else context_weight) * known_weight
    return weighted


CONTEXT_WEIGHT = 0.35
# Choosing the line to quote, the thread's words count for more: "and in Eastbrook?" after "whats the
# number for the MASH" asks for the MASH's number, and "Eastbrook" alone would pick any Eastbrook
# number (tests/knowledge/data/followups_tune.jsonl: 3 of 7 follow-ups right at 0.35, 4 of 7 at 0.7).
SELECTION_CONTEXT_WEIGHT = 0.7
LIST_LIMIT = 6


def _known_weight(token: str, idf: Any) -> float:
    weight = float(idf(token))
    if weight == 0.0:
        # "lowest" / "hardest": the stemmer keeps superlatives; the documents may say "low".
        for suffix in ("est", "er"):
            if token.endswith(suffix) and len(token) > len(suffix) + 2:
                weight = float(idf(token[: -len(suffix)]))
                if weight:
                    break
    if weight == 0.0:
        # "kid", "ring", "DSL": the documents say "child", "call", "designated safeguarding lead".
        # The commonest alternative sets the weight: "mum" is as telling as "parent", not "mother".
        known = [min(w) for alt in vocabulary().of(token) if (w := [float(idf(word)) for word in alt]) and min(w) > 0]
        weight = min(known, default=0.0)
    return weight


def _found(token: str, words: set[str]) -> bool:
    return vocabulary().found(token, words) or _variant_in(token, words)


COVERAGE_HITS = 5  # every passage retrieved for the answer can show that the question's words are there


def unknown_tokens(tokens: list[str], idf: Any) -> set[str]:
    """Question words the documents never use, in any form (numbers aside: "he's 16" is no topic)."""
    return {t for t in tokens if _known_weight(t, idf) == 0.0 and not t.isdigit()}


def measure_evidence(question_tokens: list[str], hits: list[Hit], idf: Any, *, dense_used: bool = True,
                     context_tokens: list[str] | None = None, question: str = "",
                     unit_similarity: dict[tuple[int, tuple[int, int]], float] | None = None,
                     retriever: str | None = None) -> Evidence:
    retriever = retriever or ("hybrid" if dense_used else "bm25")
    top_dense = max((h.dense for h in hits), default=0.0) if dense_used else None
    # A number the documents never mention ("he's 16 but looks 25") says nothing about the topic.
    unknown = len(unknown_tokens(question_tokens, idf))
    other_places = tuple(place for place in places().named(question)
                         if any(float(idf(token)) == 0.0 for token in tokenize(place)))
    kinds_missing = tuple(kind for kind in (required_kinds(question) if question else [])
                          if not any(carries_required(kind, h.chunk.text, question) for h in hits[:COVERAGE_HITS]))
    unknown_asked = tuple(word for word, token in (asked_about(question) if question else [])
                          if _known_weight(token, idf) == 0.0 and not _slip_of(word, idf))
    if not hits or not question_tokens:
        return Evidence(top_dense, 0.0, unknown, other_places, kinds_missing, unknown_asked,
                        question_words=len(set(question_tokens)),
                        kind_found=0.0 if question and wants(question) else 0.5, retriever=retriever)
    weights = word_weights(question_tokens, idf, context_tokens)
    total = sum(weights.values()) or 1.0
    coverage = 0.0
    for hit in hits[:COVERAGE_HITS]:
        # The words ingest indexed are these same words, already read (cold, reading five passages
        # costs milliseconds); a passage rebuilt from two has none and is read again.
        words = set(hit.chunk.indexed_tokens or tokenize(f"{hit.chunk.section}\n{hit.chunk.text}"))
        found = sum(w for t, w in weights.items() if _found(t, words))
        coverage = max(coverage, found / total)
    # The hand-set rule reads no more than this. A mode a model decides for is measured in full even before its
    # weights are written: `sgbot abstention fit` reads these measures to write them.
    if retriever not in MODEL_MODES:
        return Evidence(top_dense, coverage, unknown, other_places, kinds_missing, unknown_asked,
                        question_words=len(set(question_tokens)), retriever=retriever)
    dense_order = sorted((h.dense for h in hits), reverse=True)
    second_dense = (dense_order[1] if len(dense_order) > 1 else 0.0) if dense_used else None
    # BM25 as a share of what the question's own words could score in one passage (each word at most
    # idf * (k1 + 1)): near 0 when the words are common or missing, higher when rare words are found.
    ceiling = sum(float(idf(t)) for t in set(question_tokens)) * (BM25_K1 + 1.0)
    keyword = min(1.0, max((h.keyword for h in hits), default=0.0) / ceiling) if ceiling > 0 else 0.0
    by_dense = max(hits, key=lambda h: h.dense)
    by_keyword = max(hits, key=lambda h: h.keyword)
    agree = dense_used and by_dense.dense > 0 and by_keyword.keyword > 0 and by_dense is by_keyword
    top_unit = max((score for (hit_index, _), score in (unit_similarity or {}).items() if hit_index < EVIDENCE_HITS),
                   default=None)
    line_coverage, kind_found = _line_evidence(weights, total, hits, question)
    return Evidence(top_dense, coverage, unknown, other_places, kinds_missing, unknown_asked, second_dense=second_dense,
                    keyword=keyword, agree=agree, question_words=len(set(question_tokens)), top_unit=top_unit,
                    line_coverage=line_coverage, kind_found=kind_found, retriever=retriever)


SLIP_MIN_LENGTH = 4  # a shorter word is within one keystroke of too many others to read it as a slip
SLIP_SUBSTITUTION_LENGTH = 8  # and one letter typed for another only in a word this long


def _slip_of(word: str, idf: Any) -> bool:
    """Could `word` (as typed, lower-cased) be a slip of the keyboard for a word the documents use: a letter
    missed, doubled, swapped with the next, or (in a long word) typed for another ("refferal", "numbr",
    "safegaurding")? Such a word says nothing about what the documents lack. A letter typed for another in a
    short word makes another word too often ("park" / "part") to read it as a slip."""
    variants = {word[:i] + word[i + 1:] for i in range(len(word))}
    variants |= {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1)}
    variants |= {word[:i] + c + word[i:] for i in range(len(word) + 1) for c in ascii_lowercase}
    if len(word) >= SLIP_SUBSTITUTION_LENGTH:
        variants |= {word[:i] + c + word[i + 1:] for i in range(1, len(word)) for c in ascii_lowercase}
    return any(_known_weight(token, idf) > 0 for variant in variants if len(variant) >= SLIP_MIN_LENGTH
               for token in tokenize(variant))


LINE_CANDIDATES = 3  # lines, best by the question's words, that may carry the kind of fact asked for


def _line_evidence(weights: dict[str, float], total: float, hits: list[Hit], question: str) -> tuple[float, float]:
    """The best share of the question's weighted words found in one line (sentence, item or row) of the
    first passages, and whether the few best such lines carry the kind of fact the question asks for
    (1 or 0; 0.5 when it asks for no particular kind)."""
    asked = wants(question) if question else []
    scored: list[tuple[float, str]] = []
    for hit in hits[:EVIDENCE_HITS]:
        for unit in passage_units(hit.chunk.text):
            words = set(tokenize(unit.text)) | satisfied_words(asked, unit.text)
            scored.append((sum(w for t, w in weights.items() if _found(t, words)) / total, unit.text))
    if not scored:
        return 0.0, 0.0 if asked else 0.5
    scored.sort(key=lambda s: -s[0])
    if not asked:
        return scored[0][0], 0.5
    return scored[0][0], 1.0 if any(fit(asked, text) > 0 for _, text in scored[:LINE_CANDIDATES]) else 0.0


BM25_K1 = 1.5  # bm25s' default term-frequency saturation: one word scores at most idf * (k1 + 1)


def _variant_in(token: str, words: set[str]) -> bool:
    return any(token.endswith(s) and token[: -len(s)] in words for s in ("est", "er"))


def _out_of_date(review_by: str | None, today: dt.date) -> bool:
    if not review_by:
        return False
    try:
        return dt.date.fromisoformat(review_by) < today
    except ValueError:
        return False


def _citation(number: int, hit: Hit, today: dt.date) -> Citation:
    chunk = hit.chunk
    return Citation(
        number=number, source=chunk.source, title=chunk.title, section=chunk.section,
        area=", ".join(chunk.areas), kind=chunk.kind, effective=chunk.effective, review_by=chunk.review_by,
        source_url=chunk.source_url, out_of_date=_out_of_date(chunk.review_by, today), text=chunk.text,
        score=hit.score,
    )


def asks_for_a_list(question: str) -> bool:
    """"What are the four levels…?", "Which steps…": the answer is a list or a table, not a line.
    "What are their opening hours?" asks for a time, and "what are the numbers for…" for a contact:
    the line that carries it answers, not a whole table."""
    return bool(_LIST_QUESTION.search(question)) and not (
        {"time", "contact"} & set(wants(question)) and not _LIST_WORDS.search(question))


_LIST_WORDS = re.compile(r"\b(?:list|steps|levels|types|kinds|stages|options|criteria)\b", re.IGNORECASE)
# "…framework - what are the strands", "whats the 3 things that have to apply": asked after a topic, or by a
# count in figures, as much as "What are the four levels…?" (a count of days or hours asks for a time).
_LIST_QUESTION = re.compile(
    r"(?:^|[-–—:;,?!]\s*)(?:what|which|who) (?:are|were)\b"
    r"|\b(?:list|steps|levels|types|kinds|stages|options|criteria)\b|\b(?:two|three|four|five|six|seven)\b"
    r"|\b(?:the|these|those) [2-9] "
    r"(?!(?:working |calendar |school )?(?:minutes?|hours?|days?|weeks?|months?|years?)\b)",
    re.IGNORECASE,
)


def _table_header(text: str, row_position: int) -> list[str]:
    lines = sentences(text)
    position = row_position
    while position > 0 and is_row(lines[position - 1]):
        position -= 1
    return [c.strip() for c in lines[position].split(" | ")]


def render_row(unit: Unit, header: list[str], weights: dict[str, float], *, whole_list: bool,
               asked: list[Want] | None = None, deadline: bool = False) -> str:
    """A table row as one readable line: its first cell (what the row is about), then the cells
    that answer the question, each after its column's header. A list question gets each row's
    first two cells ("1. Universal — Description: Needs met by everyday services")."""
    cells = [c.strip() for c in unit.text.split(" | ")]
    if len(cells) < 2:
        return unit.text
    label, rest = cells[0], list(enumerate(cells[1:], start=1))
    if whole_list:
        keep = rest[:1]
    else:
        def matters(cell: str) -> float:
            if _plain(cell).casefold() == _plain(label).casefold():
                return 0.0  # "Dudley CCG | 107,100 | Dudley CCG": the label again says nothing new
            words = set(tokenize(cell))
            # A cell carrying the kind of fact asked for answers as the question's words do: "how fast
            # does the Front Door decide on a red referral?" is answered by "Decision and action within
            # 4 hours", not by "Child may be at immediate risk".
            return (sum(w for t, w in weights.items() if _found(t, words))
                    + (fit(asked, cell, deadline=deadline) if asked else 0.0))

        score = {i: matters(cell) for i, cell in rest}  # each cell read once (fit runs every kind's patterns)
        ranked = sorted(rest, key=lambda c: -score[c[0]])
        keep = [c for c in ranked if score[c[0]] > 0][:2] or rest[:1]
        keep.sort()
    parts = [f"{header[i]}: {cell}" if i < len(header) and header[i] else cell for i, cell in keep]
    return f"{label} — {'; '.join(parts)}"


# Passages whose sentences compete to be quoted: all five retrieved. The fifth passage found is often the
# one that states the fact (recall is counted over five), and its lines compete at a small cost for their
# rank, so a line of it leads only when it matches the question clearly better.
SELECTION_HITS = 5
# Passages whose lines say whether the documents answer at all (bot/qa/abstention.py reads their best
# line): the first four, as the abstention models were calibrated on; reading a fifth for quoting does not
# change when the assistant abstains.
EVIDENCE_HITS = 4
QUOTE_WORDS = 60  # an answer quotes about this many words at most, unless a list was asked for
# How much each thing known about a line counts towards quoting it (its words, its heading's words,
# the question's words side by side, the kind of fact asked for, closeness in meaning of the line
# and of its passage, the passage's rank, length…) is data, bot/qa/data/selection_weights.json:
# hand-set, or learned from the tune parts of the development sets (`bot/qa/selection_model.py`).
LEAD_IN_ITEMS = 6  # list items a sentence ending in ":" brings with it
CONTINUATION_WORDS = 6  # a sentence this short finishing a line is quoted with the sentence before it
SAME_FACT = 0.8  # share of a line's words already quoted above which it says nothing new
SHORT_WORDS = 6  # a line this short is a fragment or a label more often than a fact

_URL_ONLY = re.compile(r"^<?(?:https?://|www\.)\S+>?$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?:;)\]\"'”’]$")
LABEL_WORDS = 12
# What makes a short line a fact rather than a label: a phone number, an address, "Area 1: Neglect".
_CARRIES_FACT = re.compile(r"\d{3,}|@|\S:\s+\S")
# Labels that give a line its sense: an item under "Don't" quoted without it reads as advice to do it.
_POLARITY = re.compile(
    r"^(?:dos?|do's|don'?ts?|don't|don'ts|do not|never|avoid|always|must not|must|should not|shouldn't|should|"
    r"unsafe|safe|not allowed|allowed|not acceptable|acceptable|good practice|poor practice|bad practice)$",
    re.IGNORECASE)


def _plain(text: str) -> str:
    return " ".join(text.replace("*", "").replace("’", "'").replace("`", "").strip().rstrip(":").split())


def is_label(unit: Unit) -> bool:
    """A line that names what follows ("NCB's role", "**Role of wider partners**", "Do", "Don't")
    rather than stating anything: short, without a sentence's closing mark, carrying no number or
    address. It is read as the heading of the lines after it, never quoted on its own."""
    if unit.kind not in ("sentence", "item"):
        return False
    text = _plain(unit.text)
    if not text or _URL_ONLY.match(text):
        return bool(text)
    return (len(text.split()) <= LABEL_WORDS and not _SENTENCE_END.search(unit.text.strip().replace("*", ""))
            and not _CARRIES_FACT.search(text)
            and (unit.kind == "sentence" or unit.text.strip().startswith("**") or text.isupper()))


# Lines that carry no fact for a practitioner, only say which document or part of it this is: a
# version, date or review line ("Version 1.0 – August 2025 Review date: August 2026"), a contents
# entry ("3. Referrals ........ 7"), a section heading ("Section 7: How can … be effective?").
_CONTROL = re.compile(
    r"\b(?:version|issue|v)\s*(?:no\.?\s*)?\d+(?:\.\d+)*\b|\breview(?:ed)?\s+(?:date|by|due)\b|\bnext review\b|"
    r"\blast (?:reviewed|updated|revised)\b|\bdate of (?:issue|review|approval|publication)\b|\bpage \d+ of \d+\b|"
    r"\bdocument (?:owner|control|reference|status)\b", re.IGNORECASE)
CONTROL_WORDS = 30
_CONTENTS = re.compile(r"(?:\.\s?){4,}|…{2,}|_{4,}")
_SECTION_HEADING = re.compile(r"^(?:section|part|chapter|appendix|annex|schedule)\s+[\dA-Z]{1,3}\b", re.IGNORECASE)


def names_only(unit: Unit, names: frozenset[str]) -> bool:
    """Does the line only name its document or its place in it, stating nothing a practitioner
    could act on? The document's title repeated (all its words in `names`, the words of the
    document's title and file name), a version, date or review line, a contents entry, a section
    heading. A short line repeating its section's heading is left alone: under "DBS checks",
    "Enhanced DBS check" may be the answer."""
    text = _plain(unit.text)
    words = text.split()
    if not words or unit.kind not in ("sentence", "item"):
        return False
    if _CONTENTS.search(text):
        return True
    ends_sentence = unit.text.strip().replace("*", "").endswith(".")
    if _CONTROL.search(text) and len(words) <= CONTROL_WORDS and not ends_sentence:
        return True
    if _SECTION_HEADING.match(text) and len(words) <= LABEL_WORDS and not ends_sentence:
        return True
    tokens = set(tokenize(text))
    return len(tokens) > 1 and tokens <= names and len(words) <= LABEL_WORDS and not _CARRIES_FACT.search(text)


def _label_at(units: list[Unit], number: int) -> bool:
    """Is `units[number]` a label line, heading something after it in the passage?"""
    return number + 1 < len(units) and is_label(units[number])


def _labels(units: list[Unit], heading: str) -> list[str]:
    """For each unit, the label it sits under: the last label line above it in the passage, or the
    passage's own heading."""
    current = _plain(heading)
    found: list[str] = []
    for number, unit in enumerate(units):
        found.append(current)
        if _label_at(units, number) and not _URL_ONLY.match(_plain(unit.text)):
            current = _plain(unit.text)
    return found


def polarity_label(label: str) -> str | None:
    """"Don't", "Do", "Never"… when a line's label is one of them (shown before the line), else None."""
    plain = _plain(label)
    return plain if plain and _POLARITY.match(plain) else None


def select_sentences(question_tokens: list[str], hits: list[Hit], idf: Any, limit: int,
                     context_tokens: list[str] | None = None, *, whole_list: bool = False,
                     question: str = "", unit_similarity: dict[tuple[int, tuple[int, int]], float] | None = None,
                     context: str | None = None,
                     unit_bonus: dict[tuple[int, tuple[int, int]], float] | None = None,
                     model: SelectionModel | None = None,
                     observe: Callable[[list[Candidate], list[list[Unit]]], None] | None = None,
                     ) -> list[tuple[int, str]]:
    """(hit index, line to quote) pairs: the fact first, then what supports it.

    Each unit is scored by the question's weighted words it contains (less for words only in its
    heading), by what the question asks for (a time for "when", a number for "what's the
    number"; a unit carrying that kind of fact also satisfies the question's words for it, such
    as "phone" or "deadline"), and by closeness in meaning when sentence vectors are available.
    The best unit leads; up to `limit` units follow in reading order, within `QUOTE_WORDS` words
    unless the question asks for a list, in which case the best unit's list or table comes whole
    (up to `LIST_LIMIT` lines). A unit is never cut: a sentence is quoted whole or not at all, and
    a sentence that ends in a colon ("The SAB must arrange a SAR when:") brings the list it
    introduces, or is not quoted.
    """
    weights = word_weights(question_tokens, idf, context_tokens, SELECTION_CONTEXT_WEIGHT)
    total = sum(weights.values()) or 1.0
    pairs = list(itertools.pairwise(question_tokens))
    # A follow-up asks for what the question it follows asked for ("whats the number for the
    # MASH?" … "and in Eastbrook?" wants a number), unless it says what it wants itself.
    asked = (wants(question) if question else []) or (wants(context) if context else [])
    deadline = asks_for_a_deadline(question or context or "")
    similar = unit_similarity or {}  # empty for an index without sentence vectors: read by words only
    candidates: list[Candidate] = []
    units_by_hit: list[list[Unit]] = []
    by_label: set[tuple[int, tuple[int, int]]] = set()  # items that match only through their label or lead-in
    seen: set[str] = set()
    for hit_index, hit in enumerate(hits[:SELECTION_HITS]):
        units = passage_units(hit.chunk.text)
        units_by_hit.append(units)
        heading = hit.chunk.section.rsplit(" › ", 1)[-1]
        labels = _labels(units, heading)
        # Words naming the document ("together assessments", "norwich rfc", "dudley") found the
        # document; every line of it is read under its name, as under its heading.
        document = _document_words(hit.chunk)
        document_set = set(document)  # read per line and per question word below
        owner = _owner_words(hit.chunk.path)
        for number, unit in enumerate(units):
            if unit.position[0] <= 1 and heading.strip().endswith(unit.text.strip()) and len(units) > 1:
                continue  # the heading line ("5. Using texts…", split after its number) is shown in the citation
            if _label_at(units, number) or _URL_ONLY.match(_plain(unit.text)):
                continue  # "NCB's role", a bare link: what follows says it
            if unit.text in seen:
                continue
            seen.add(unit.text)
            following = _introduced(units, number)
            if unit.text.rstrip().endswith(":") and not following:
                continue  # a lead-in whose list is in another passage says nothing on its own
            text = unit.text
            unit_tokens = set(tokenize(text)) | satisfied_words(asked, text)
            # A unit is read with the label or heading it sits under, and a list item with the
            # sentence that introduces it.
            lead_in = _lead_in(units, number)
            around = set(tokenize(labels[number])) | (set(tokenize(lead_in.text)) if lead_in else set())
            continued = _continued(units, number, hit.chunk.text)
            if continued is not None:  # quoted together, read together
                unit_tokens |= set(tokenize(continued.text))
            around |= document
            # The words of whose document it is (its folder: the club, the provider, the area) found the
            # document, not the line: every line of it is read under them, and a line that repeats them
            # ("This policy applies to: … contracted by Together Assessments") says no more than the
            # line beside it that does not ("Consent will be sought unless…").
            unit_tokens -= owner
            # The question's words in the question's order ("child death review partners") say more
            # than the same words scattered through a line.
            sequence = tokenize(text)
            adjacent = set(itertools.pairwise(sequence))
            around_share = sum(w for t, w in weights.items()
                               if not _found(t, unit_tokens) and _found(t, around)) / total
            previous = units[number - 1] if number > 0 else None
            before_tokens = set(tokenize(previous.text)) if (
                previous is not None and unit.kind == "sentence" and previous.kind == "sentence"
                and not is_label(previous) and not previous.text.rstrip().endswith(":")) else set()
            own = similar.get((hit_index, unit.position), 0.0)
            items = [similar.get((hit_index, u.position), 0.0) for u in following]
            values = {
                "words": sum(w for t, w in weights.items() if _found(t, unit_tokens)) / total,
                # A sentence under a heading that matches the question ("Writing it down") shares
                # the heading's match: the heading says what the section's sentences are about.
                "around": around_share,
                "phrase": sum(min(weights.get(a, 0.0), weights.get(b, 0.0))
                              for a, b in pairs if (a, b) in adjacent) / total,
                "fit": fit(asked, text, deadline=deadline),
                # A lead-in ("Include:") is as close as its own words or its list on average.
                "meaning": max(own, sum(items) / len(items)) if items else own,
                "passage": hit.dense,
                "rank": float(hit_index),
                "length": max(0, len(unit.text.split()) - 30) / 10,
                "short": float(len(unit.text.split()) < SHORT_WORDS),
                "item": float(unit.kind == "item"),
                "row": float(unit.kind in ("row", "cell")),
                "lead_in": float(bool(following)),
                "fact": float(bool(_CARRIES_FACT.search(text))),
                # The sentence before it matches ("The DSPPB publishes an annual report. This will
                # outline…"): a line goes on with what the line before it says.
                "before": sum(w for t, w in weights.items()
                              if not _found(t, unit_tokens) and _found(t, before_tokens)) / total,
                # The document's title repeated, its version or review date, a contents entry, a section
                # heading names where the facts are and states none of them: it gives way to the lines
                # that do, unless it matches the question beyond the document's name ("when is the
                # policy reviewed?" is answered by its review date).
                "names_only": float(names_only(unit, document) and not any(
                    _found(t, unit_tokens) and not _found(t, document_set) for t in weights)),
            }
            candidates.append(Candidate(hit_index, unit, values))
            if unit.kind == "item" and not any(_found(t, unit_tokens) for t in weights):
                by_label.add((hit_index, unit.position))
    if model is None:
        # Lines observed to learn the weights are not scored by the weights being learned.
        model = selection_model() if observe is None else SelectionModel({"words": 1.0}, 0.0, 0.0)
    # A follow-up: the line after the one the thread's last answer quoted (bot/qa/follow_up.py) gets a
    # bonus on the hand-set weights' scale.
    bonus = unit_bonus or {}
    scored = [(model.score(c.features) + bonus.get((c.hit_index, c.unit.position), 0.0), c.hit_index, c.unit)
              for c in candidates]
    if observe is not None:
        observe(candidates, units_by_hit)
    if not scored:
        return []
    scored.sort(key=lambda s: -s[0])
    top = scored[0][0]
    # Every line close enough to the best competes, in score order: one that repeats a quoted line is
    # passed over below, and the next one takes its place (cutting to `limit` first let a repeat of
    # another area's identical rule take a place and leave only one line quoted).
    best = [s for s in scored if model.close_to(s[0], top)] or scored[:1]
    leader = best[0]
    chosen: list[tuple[int, Unit]] = [(h, u) for _, h, u in best]
    if whole_list:  # the best line that belongs to a list or a table leads, if there is one
        def introduces(hit_index: int, unit: Unit) -> list[Unit]:
            units = units_by_hit[hit_index]
            return _introduced(units, units.index(unit)) if unit.kind == "sentence" else []

        # A sentence that introduces a list ("Warning signs include:") leads with its list as a list line
        # does: asked "what are the signs…", the items under it are the answer.
        leader = next((b for b in scored if (b[2].kind != "sentence" or introduces(b[1], b[2]))
                       and model.close_to(b[0], top, listing=True)), leader)
        introduced = introduces(leader[1], leader[2])
        if introduced:
            return [(leader[1], _shown(leader[1], u, hits, weights, whole_list=True))
                    for u in [leader[2], *introduced[:LIST_LIMIT]]]
        if leader[2].kind != "sentence":
            members = [u for u in units_by_hit[leader[1]] if u.group == leader[2].group]
            run = [u.position for u in members]
            if len(run) > LIST_LIMIT:
                run = _window(run, leader[2].position, LIST_LIMIT)
            chosen = [(leader[1], u) for u in members if u.position in run]
            # A sentence that answers better than any list line leads, the list after it: "what were
            # the two key areas…?" may be answered by one sentence naming both.
            best_line = scored[0]
            if (best_line[2].kind == "sentence" and best_line[0] > leader[0]
                    and not best_line[2].text.rstrip().endswith(":")):
                chosen.insert(0, (best_line[1], best_line[2]))
            return [(h, _shown(h, u, hits, weights, whole_list=True)) for h, u in chosen]

    def with_list(hit_index: int, unit: Unit, *, whole: bool = True) -> list[tuple[int, Unit]]:
        """A unit with the list it introduces, or a list item after the sentence introducing it."""
        units = units_by_hit[hit_index]
        number = units.index(unit)
        if whole and (hit_index, unit.position) in by_label and unit is leader[2]:
            # "What's NCB's role?" under "NCB's role": the list is the answer, from its first item.
            first = next(i for i, u in enumerate(units) if u.group == unit.group)
            members = [u for u in units[first:] if u.group == unit.group]
            return with_list(hit_index, units[first], whole=False) + [(hit_index, u) for u in members[1:]]
        text = hits[hit_index].chunk.text
        lead_in = _lead_in(units, number) or _continued(units, number, text)
        before = [(hit_index, lead_in)] if lead_in is not None else []
        introduced = _introduced(units, number)
        # "Include:" says nothing without the sentence before it ("Make a written record … Include:").
        opener = lead_in or (unit if introduced else None)
        if opener is not None and len(opener.text.split()) <= 3 and opener.text.rstrip().endswith(":"):
            at = units.index(opener)
            if at > 0 and units[at - 1].kind == "sentence" and not units[at - 1].text.rstrip().endswith(":"):
                before.insert(0, (hit_index, units[at - 1]))
        return before + [(hit_index, unit)] + [(hit_index, u) for u in introduced]

    def opens_list(hit_index: int, unit: Unit) -> bool:
        """Does `unit` of the passage `hit_index` introduce the list after it (`_opens_list`)?"""
        units = units_by_hit[hit_index]
        return _opens_list(units, units.index(unit))

    # The fact first (with the list it introduces); then the other chosen units in reading
    # order. The word budget goes to the best units first: a long line that scores lower never
    # crowds out a short one that scores higher, and a list's further items come last.
    groups: list[list[tuple[int, Unit]]] = []
    extras: list[list[tuple[tuple[int, Unit], int]]] = []  # a group's further units, with their lengths
    taken_units: set[tuple[int, Unit]] = set()
    words = 0
    for picked in [(leader[1], leader[2])] + [c for c in chosen if c[1] is not leader[2]]:
        if len(groups) >= limit:
            break
        group = with_list(*picked)
        fresh = [g for g in group if g not in taken_units]
        quoted_units = [q for _, q in taken_units]
        if picked in fresh and not _repeats(picked[1], quoted_units):
            # A sentence it comes with (the one a short line finishes, the one before a one-word lead-in)
            # that says what a quoted line says is already there above: the line is quoted without it
            # ("Do not refer by email alone." after the contacts list's "Secure email for documents…",
            # already quoted from the procedure).
            fresh = [g for g in fresh if g == picked or opens_list(*g) or not _repeats(g[1], quoted_units)]
        if not fresh or any(_repeats(u, quoted_units) for _, u in fresh):
            continue  # it, or the line it must come with, says what a quoted line says
        lengths = [len(_shown(h, u, hits, weights, whole_list=False, asked=asked, deadline=deadline).split())
                   for h, u in fresh]
        # What must go together: a lead-in ("… the foster carer should:") with at least its first item,
        # the sentence a short one finishes with it.
        needed = next((i + 1 for i, g in enumerate(fresh) if not opens_list(*g)), len(fresh))
        from_start = picked[1] is leader[2] and (picked[0], picked[1].position) in by_label
        if picked in fresh and not from_start:
            needed = max(needed, fresh.index(picked) + 1)
        if groups and words + sum(lengths[:needed]) > QUOTE_WORDS:
            continue
        if not groups:  # the leader's list is the answer: its items come before anything else
            while needed < len(fresh) and words + sum(lengths[: needed + 1]) <= QUOTE_WORDS:
                needed += 1
        words += sum(lengths[:needed])
        groups.append(fresh[:needed])
        extras.append(list(zip(fresh[needed:], lengths[needed:], strict=True)))
        taken_units.update(fresh[:needed])
    for group, more in zip(groups, extras, strict=True):
        for member, length in more:
            if words + length > QUOTE_WORDS or member in taken_units:
                break
            words += length
            group.append(member)
            taken_units.add(member)
    ordered = groups[:1] + sorted(groups[1:], key=lambda g: (g[0][0], g[0][1].position))
    return [(h, _shown(h, u, hits, weights, whole_list=False, asked=asked, deadline=deadline))
            for group in ordered for h, u in group]


@lru_cache(maxsize=256)
def _document_name_words(title: str, path: str) -> frozenset[str]:
    where = PurePath(path)
    return frozenset(tokenize(f"{title}\n{where.parent.name}\n{where.stem}"))


@lru_cache(maxsize=256)
def _owner_words(path: str) -> frozenset[str]:
    """The words of the folder a document sits in: whose document it is."""
    return frozenset(tokenize(PurePath(path).parent.name))


def _document_words(chunk: Any) -> frozenset[str]:
    """The words of a passage's document title, file name and folder: whose document it is."""
    return _document_name_words(chunk.title, chunk.path)


def _repeats(unit: Unit, quoted: list[Unit]) -> bool:
    """Does an already quoted line say what `unit` says? ("Secure email is only for documents the Front
    Door asked for" from the procedure and from the contacts list.)"""
    if unit.kind not in ("sentence", "item"):
        return False  # rows of one table share their words and each says something of its own
    words = set(tokenize(unit.text))
    return len(words) >= 4 and any(len(words & set(tokenize(q.text))) >= SAME_FACT * len(words) for q in quoted)


@lru_cache(maxsize=64)
def _continuations(text: str) -> frozenset[int]:
    """Positions of the short sentences that finish a line another sentence began ("Eastbrook Adult
    Care Connect: 01632 960350. Monday to Friday, 8:30am to 5pm."): they say nothing without it."""
    found: set[int] = set()
    position = 0
    for line in text.split("\n"):
        pieces = sentences(line)
        for offset, piece in enumerate(pieces):
            if offset > 0 and len(piece.split()) <= CONTINUATION_WORDS and " | " not in line \
                    and not line.strip().startswith("- "):
                found.add(position + offset)
        position += len(pieces)
    return frozenset(found)


def _continued(units: list[Unit], number: int, text: str) -> Unit | None:
    """The sentence a short continuation finishes, if `units[number]` is one."""
    unit = units[number]
    if unit.kind != "sentence" or number == 0 or unit.position[0] not in _continuations(text):
        return None
    before = units[number - 1]
    return before if before.kind == "sentence" and before.position[0] == unit.position[0] - 1 else None


# A sentence that announces the list after it without a colon: "The duty officer should be contacted in
# the following instances.", "… are aware of the following.", "Signs include", "… such as", "… for
# example", "… afforded to;". Its list says what it only points at, so it is read and quoted with its
# items as a sentence ending in ":" is.
_ANNOUNCES = re.compile(
    r"(?:\bthe following(?:\s+[\w'’-]+){0,3}|\bas follows|\binclud(?:e|es|ing)|\bsuch as|\bfor example|"
    r"\be\.\s?g|\bconsists? of|\bto)\s*[.;,:]?$", re.IGNORECASE)


def _opens_list(units: list[Unit], number: int) -> bool:
    """Does `units[number]` introduce the list items right after it: it ends in ":", or it is a
    sentence (not a label) whose end announces a list ("… in the following instances.")?"""
    text = units[number].text.rstrip()
    if text.endswith(":"):
        return True
    if not (units[number].kind == "sentence" and number + 1 < len(units) and units[number + 1].kind == "item"
            and not is_label(units[number])):
        return False
    plain = text.replace("*", "").strip()
    # A short line standing straight above a list heads it ("Deputy DSL: HCPC-registered Clinical
    # Supervisor." over "- Acts as DSL if Adriana is unavailable."): the items say what it names. A short
    # piece starting in lower case is the end of a sentence broken across lines, not a heading.
    heads = len(plain.split()) <= SHORT_WORDS and (plain[:1].isupper() or plain[:1].isdigit())
    return heads or bool(_ANNOUNCES.search(plain))


def _lead_in(units: list[Unit], number: int) -> Unit | None:
    """The sentence that introduces the list item `units[number]` (ending in ":" or announcing a list),
    if any."""
    if units[number].kind != "item":
        return None
    while number > 0 and units[number - 1].kind == "item" and not units[number - 1].text.rstrip().endswith(":"):
        number -= 1
    if number > 0 and _opens_list(units, number - 1):
        return units[number - 1]
    return None


def _introduced(units: list[Unit], number: int) -> list[Unit]:
    """The list items that a unit ending in ":" (or a sentence announcing a list) introduces (none for
    any other unit)."""
    if not _opens_list(units, number):
        return []
    following: list[Unit] = []
    for unit in units[number + 1 :]:
        if unit.kind != "item" or len(following) >= LEAD_IN_ITEMS:
            break
        following.append(unit)
    return following


@lru_cache(maxsize=64)
def _polarities(text: str, heading: str) -> dict[tuple[int, int], str]:
    units = passage_units(text)
    found: dict[tuple[int, int], str] = {}
    label_before: str | None = None
    listed = ended = False  # items came under the label; a line that is not an item came after them
    for unit, label in zip(units, _labels(units, heading), strict=True):
        if label != label_before:
            label_before, listed, ended = label, False, False
        if unit.kind == "item":
            listed = True
        elif listed:
            # "Don't" / "- use text…" / "- respond to…" / "Further FA guidance is available on…:": the
            # line after the label's list is no longer one of the don'ts, nor is the list it brings.
            ended = True
        if not ended and (polarity := polarity_label(label)):
            found[unit.position] = polarity
    return found


def _shown(hit_index: int, unit: Unit, hits: list[Hit], weights: dict[str, float], *, whole_list: bool,
           asked: list[Want] | None = None, deadline: bool = False) -> str:
    if unit.kind in ("sentence", "item"):
        chunk = hits[hit_index].chunk
        polarity = _polarities(chunk.text, chunk.section.rsplit(" › ", 1)[-1]).get(unit.position)
        return f"{polarity}: {unit.shown}" if polarity else unit.shown
    if unit.kind != "row":
        return unit.shown
    header = _table_header(hits[hit_index].chunk.text, unit.position[0])
    return render_row(unit, header, weights, whole_list=whole_list, asked=asked, deadline=deadline)


def _window(run: list[Any], centre: Any, size: int) -> list[Any]:
    ordered = sorted(run)
    index = ordered.index(centre)
    start = max(0, min(index - size // 2, len(ordered) - size))
    return ordered[start : start + size]


def compose(
    question: str,
    hits: list[Hit],
    *,
    urgent: bool,
    idf: Any,
    contact: str,
    area: str | None,
    sentences_limit: int = 3,
    today: dt.date | None = None,
    dense_used: bool = True,
    context: str | None = None,
    writer: LLMAnswerWriter | None = None,
    unit_similarity: dict[tuple[int, tuple[int, int]], float] | None = None,
    unit_bonus: dict[tuple[int, tuple[int, int]], float] | None = None,
    observe: Callable[[list[Candidate], list[list[Unit]]], None] | None = None,
    retriever: str | None = None,
) -> Answer:
    today = today or dt.date.today()
    question_tokens = tokenize(question)
    context_tokens = tokenize(context) if context else None
    if not question_tokens and context_tokens:
        # "And who do I tell about it?": every word is a common one; the thread says what "it" is.
        question_tokens, context_tokens = context_tokens, None
    evidence = measure_evidence(question_tokens, hits, idf, dense_used=dense_used, context_tokens=context_tokens,
                                question=question, unit_similarity=unit_similarity, retriever=retriever)
    lines: list[str] = []
    if urgent:
        lines += [emergency_route(), ""]

    if not question_tokens or not evidence.sufficient():
        lines.append(say("abstain", contact=contact))
        return Answer(question, False, urgent, "\n".join(lines).strip(), [], evidence)

    written = writer.write(f"{question} {context}" if context else question, hits) if writer else None
    citations: list[Citation] = []
    lines += [say("answer_intro"), ""]
    if written:
        # The model's sentences, each already checked to cite passages it was given.
        cited = sorted({n for numbers, _ in written for n in numbers})
        citations = [_citation(n, hits[n - 1], today) for n in cited]
        chosen = [(numbers[0] - 1, body) for numbers, body in written]
        for numbers, body in written:
            lines.append(f"- {body} {''.join(f'[{n}]' for n in numbers)}")
    else:
        chosen = select_sentences(question_tokens, hits, idf, sentences_limit, context_tokens,
                                  whole_list=asks_for_a_list(question), question=question,
                                  unit_similarity=unit_similarity, context=context, unit_bonus=unit_bonus,
                                  observe=observe)
        # Facts from documents of different areas each say whose they are.
        areas_of = {h: ", ".join(hits[h].chunk.areas) for h, _ in chosen}
        area_label = {h: f" ({a})" for h, a in areas_of.items()} if len(set(areas_of.values())) > 1 else {}
        numbers_by_hit: dict[int, int] = {}
        for hit_index, unit in chosen:
            if hit_index not in numbers_by_hit:
                numbers_by_hit[hit_index] = len(numbers_by_hit) + 1
                citations.append(_citation(numbers_by_hit[hit_index], hits[hit_index], today))
            lines.append(f"- {unit}{area_label.get(hit_index, '')} [{numbers_by_hit[hit_index]}]")

    note = _tier_note(hits, area, chosen)
    if note:
        lines += ["", note]
    warned: set[tuple[str, str | None]] = set()
    for citation in citations:
        if citation.out_of_date and (citation.title, citation.review_by) not in warned:
            warned.add((citation.title, citation.review_by))
            lines += ["", say("out_of_date", title=citation.title, review_by=citation.review_by, contact=contact)]
    quoted = [body for _, body in chosen]
    return Answer(question, True, urgent, "\n".join(lines).strip(), citations, evidence, quoted,
                  [hits[h].chunk.id for h in dict.fromkeys(h for h, _ in chosen)])


def _tier_note(hits: list[Hit], area: str | None, chosen: list[tuple[int, str]]) -> str | None:
    if area is None or not chosen:
        return None
    tiers = {hits[i].tier for i, _ in chosen}
    if OWN in tiers:
        return say("tier_own_area", area=area)
    if REGIONAL in tiers:
        return say("tier_regional", area=area)
    if NATIONAL in tiers:
        return say("tier_national", area=area)
    if OTHER in tiers:
        others = sorted({a for i, _ in chosen for a in hits[i].chunk.areas})
        return say("tier_other_area", area=area, others=", ".join(others))
    return None
