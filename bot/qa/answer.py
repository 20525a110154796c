"""Grounded extractive answers: the few sentences that answer the question, each cited.

No language model is needed. Sentences (and list items, table rows) of the best
passages are scored by how much of the question's weighted vocabulary they
contain; the best few are quoted in document order with the number of the
passage they came from. When the evidence is weak, the answer is "I don't
know" and where to ask, never a guess.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.messages import Citation, Reply
from bot.procedures.recent import updated_on_note
from bot.prompts import load_text, say
from bot.qa.retrieval import NATIONAL, OTHER, OWN, REGIONAL, Hit

if TYPE_CHECKING:
    from bot.qa.llm import LLMAnswerWriter
from bot.qa.text import sentences, tokenize


@dataclass(frozen=True)
class Evidence:
    """How well the best passages match the question; the abstention rule reads only this."""

    top_dense: float | None  # best cosine similarity to a passage; None when dense search was not used
    coverage: float  # best share of the question's weighted words found together in one passage
    unknown_words: int = 0  # question words the documents never use, in any form

    def sufficient(self) -> bool:
        if self.top_dense is None:  # keyword-only retrieval: the words must be there
            return self.coverage >= 0.6 and not self.unknown_words
        # Close in meaning; or the question's words found together and the meaning not far off.
        if self.top_dense >= 0.55:
            return True
        if self.unknown_words:
            # A word the documents never use ("canteen") needs the meaning to be close as well.
            return self.top_dense >= 0.45 and self.coverage >= 0.40
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


def word_weights(question_tokens: list[str], idf: Any, context_tokens: list[str] | None = None) -> dict[str, float]:
    """IDF weight of each question word. A word the documents never use (in any form) weighs
    twice the rarest word there is: "canteen" or "wifi" missing from every passage is strong
    evidence that the question is not about the documents at all."""
    weights = {t: _known_weight(t, idf) for t in set(question_tokens)}
    known = [w for w in weights.values() if w > 0]
    unknown_weight = 2.0 * max(known) if known else 1.0
    weighted = {t: (w if w > 0 else unknown_weight) for t, w in weights.items()}
    # A follow-up ("and what do I write down afterwards?") is read in the light of the thread's
    # earlier question, whose words count for less than the follow-up's own.
    for token in set(context_tokens or []) - set(weighted):
        known_weight = _known_weight(token, idf)
        if known_weight > 0:
            weighted[token] = CONTEXT_WEIGHT * known_weight
    return weighted


CONTEXT_WEIGHT = 0.35
LIST_LIMIT = 6
HEADING_SHARE = 0.5


def _known_weight(token: str, idf: Any) -> float:
    weight = float(idf(token))
    if weight == 0.0:
        # "lowest" / "hardest": the stemmer keeps superlatives; the documents may say "low".
        for suffix in ("est", "er"):
            if token.endswith(suffix) and len(token) > len(suffix) + 2:
                weight = float(idf(token[: -len(suffix)]))
                if weight:
                    break
    return weight


def measure_evidence(question_tokens: list[str], hits: list[Hit], idf: Any, *, dense_used: bool = True,
                     context_tokens: list[str] | None = None) -> Evidence:
    top_dense = max((h.dense for h in hits), default=0.0) if dense_used else None
    unknown = sum(1 for t in set(question_tokens) if _known_weight(t, idf) == 0.0)
    if not hits or not question_tokens:
        return Evidence(top_dense, 0.0, unknown)
    weights = word_weights(question_tokens, idf, context_tokens)
    total = sum(weights.values()) or 1.0
    coverage = 0.0
    for hit in hits[:3]:
        words = set(tokenize(f"{hit.chunk.section}\n{hit.chunk.text}"))
        found = sum(w for t, w in weights.items() if t in words or _variant_in(t, words))
        coverage = max(coverage, found / total)
    return Evidence(top_dense, coverage, unknown)


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


def _is_row(unit: str) -> bool:
    return " | " in unit


def _is_item(unit: str) -> bool:
    return unit.startswith("- ")


def asks_for_a_list(question: str) -> bool:
    """"What are the four levels…?", "Which steps…": the answer is a list or a table, not a line."""
    return bool(_LIST_QUESTION.search(question))


_LIST_QUESTION = re.compile(
    r"^\s*(?:what|which|who) (?:are|were)\b|\b(?:list|steps|levels|types|kinds|stages|options|criteria)\b"
    r"|\b(?:two|three|four|five|six|seven)\b",
    re.IGNORECASE,
)


def select_sentences(question_tokens: list[str], hits: list[Hit], idf: Any, limit: int,
                     context_tokens: list[str] | None = None, *, whole_list: bool = False) -> list[tuple[int, str]]:
    """(hit index, sentence) pairs: the best `limit` units, in passage and reading order.

    A table's header row is never quoted on its own, and the same line found in two passages
    is quoted once. When the best unit is a list item or a table row, its neighbours in the
    same list or table come with it when the question asks for a list (up to `LIST_LIMIT`
    lines): a question about "the four levels" wants the four rows, not the first.
    """
    weights = word_weights(question_tokens, idf, context_tokens)
    total = sum(weights.values()) or 1.0
    scored: list[tuple[float, int, int, str]] = []
    units_by_hit: list[list[str]] = []
    seen: set[str] = set()
    for hit_index, hit in enumerate(hits[:3]):
        units = sentences(hit.chunk.text)
        units_by_hit.append(units)
        heading = hit.chunk.section.rsplit(" › ", 1)[-1]
        heading_tokens = set(tokenize(heading))
        for position, unit in enumerate(units):
            if position == 0 and unit.strip() == heading.strip() and len(units) > 1:
                continue  # the heading line is shown in the citation, not quoted
            if _is_row(unit) and (position == 0 or not _is_row(units[position - 1])):
                continue  # a table's header row says nothing on its own
            if unit in seen:
                continue
            seen.add(unit)
            unit_tokens = set(tokenize(unit))
            # A sentence under a heading that matches the question ("Writing it down") shares
            # half of the heading's match: the heading says what the section's sentences are about.
            overlap = sum(w if t in unit_tokens else HEADING_SHARE * w
                          for t, w in weights.items() if t in unit_tokens or t in heading_tokens) / total
            # Prefer the passage ranked first, and short sentences over long preambles.
            score = overlap - 0.08 * hit_index - 0.004 * max(0, len(unit.split()) - 30)
            scored.append((score, hit_index, position, unit))
    if not scored:
        return []
    scored.sort(key=lambda s: -s[0])
    top = scored[0][0]
    best = [s for s in scored if s[0] > 0 and s[0] >= 0.5 * top][:limit] or scored[:1]
    chosen = {(hit_index, position) for _, hit_index, position, _ in best}
    leader = best[0]
    if whole_list:  # the best line that belongs to a list or a table leads, if there is one
        leader = next((b for b in best if _is_row(b[3]) or _is_item(b[3])), leader)
    leader_units = units_by_hit[leader[1]]
    same_kind = _is_row if _is_row(leader[3]) else _is_item if _is_item(leader[3]) else None
    if whole_list and same_kind is not None:
        run = [leader[2]]
        for step in (-1, 1):
            position = leader[2] + step
            while 0 <= position < len(leader_units) and same_kind(leader_units[position]):
                if not (same_kind is _is_row and (position == 0 or not _is_row(leader_units[position - 1]))):
                    run.append(position)
                position += step
        run = sorted(run)[:LIST_LIMIT] if len(run) <= LIST_LIMIT else _window(run, leader[2], LIST_LIMIT)
        chosen = {(h, p) for h, p in chosen if h != leader[1] or p in run} | {(leader[1], p) for p in run}
        chosen = set(sorted(chosen, key=lambda c: (c[0] != leader[1], c))[: max(limit, len(run))])
    ordered = sorted(chosen)
    return [(hit_index, units_by_hit[hit_index][position]) for hit_index, position in ordered]


def _window(run: list[int], centre: int, size: int) -> list[int]:
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
) -> Answer:
    today = today or dt.date.today()
    question_tokens = tokenize(question)
    context_tokens = tokenize(context) if context else None
    evidence = measure_evidence(question_tokens, hits, idf, dense_used=dense_used, context_tokens=context_tokens)
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
                                  whole_list=asks_for_a_list(question))
        numbers_by_hit: dict[int, int] = {}
        for hit_index, unit in chosen:
            if hit_index not in numbers_by_hit:
                numbers_by_hit[hit_index] = len(numbers_by_hit) + 1
                citations.append(_citation(numbers_by_hit[hit_index], hits[hit_index], today))
            text = unit[2:] if unit.startswith("- ") else unit
            lines.append(f"- {text} [{numbers_by_hit[hit_index]}]")

    note = _tier_note(hits, area, chosen)
    if note:
        lines += ["", note]
    warned: set[tuple[str, str | None]] = set()
    for citation in citations:
        if citation.out_of_date and (citation.title, citation.review_by) not in warned:
            warned.add((citation.title, citation.review_by))
            lines += ["", say("out_of_date", title=citation.title, review_by=citation.review_by, contact=contact)]
    quoted = [body for _, body in chosen] if written else [u[2:] if u.startswith("- ") else u for _, u in chosen]
    return Answer(question, True, urgent, "\n".join(lines).strip(), citations, evidence, quoted)


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
