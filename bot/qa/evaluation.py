"""`sgbot eval`: retrieval and answer quality on a JSONL evaluation set.

Line types: `answerable` (with `expected`: [{source, contains}]), `out_of_scope`,
`urgent`, `not_urgent`. A retrieved chunk is a hit when its file name equals
`source` and its text contains `contains`, ignoring case and white space.
The answer states the fact when its text, with citation numbers and markup
removed, contains one expected `contains` phrase (or the line's `fact`, if it
gives one), ignoring case and white space.
Urgent precision counts false alarms over every non-urgent line, not only the
`not_urgent` ones: an emergency banner on an ordinary question is a false alarm.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bot.errors import SgbotError
from bot.qa.retrieval import RetrieverMode
from bot.qa.service import Answerer
from bot.qa.urgent import is_urgent


class EvalFileError(SgbotError, ValueError):
    pass


@dataclass
class EvalReport:
    retriever: str
    k: int
    answerable: int = 0
    recall_at_k: float = 0.0
    mrr: float = 0.0
    answered_rate: float = 0.0
    fact_in_answer_rate: float = 0.0
    mean_quoted_words: float = 0.0
    out_of_scope: int = 0
    abstention_rate: float = 0.0
    urgent: int = 0
    urgent_recall: float = 0.0
    urgent_precision: float = 0.0
    misses: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _normalise(text: str) -> str:
    return " ".join(text.casefold().split())


def json_lines(path: Path, error: type[Exception]) -> Iterator[tuple[int, Any]]:
    """Each non-blank line of a JSON Lines file, parsed, with its line number; `error` names a bad line."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise error(f"{path.name} line {number} is not valid JSON: {exc.msg}") from exc
        yield number, item


def load_eval_file(path: Path) -> list[dict[str, Any]]:
    items = []
    for number, item in json_lines(path, EvalFileError):
        if item.get("type") not in ("answerable", "out_of_scope", "urgent", "not_urgent"):
            raise EvalFileError(f"{path.name} line {number}: type must be answerable, out_of_scope, urgent or "
                                "not_urgent")
        if not item.get("question"):
            raise EvalFileError(f"{path.name} line {number}: missing question")
        items.append(item)
    return items


_CITATION_NUMBER = re.compile(r"\[\d+\]")
_MARKUP = re.compile(r"[*_`>#]+")


def answer_states_fact(answer_text: str, item: dict[str, Any]) -> bool:
    """Does the answer itself carry the expected fact (not just cite a passage that does)?"""
    body = _normalise(_MARKUP.sub(" ", _CITATION_NUMBER.sub(" ", answer_text)))
    facts = [item["fact"]] if item.get("fact") else [e["contains"] for e in item.get("expected", [])]
    return any(_normalise(_MARKUP.sub(" ", fact)) in body for fact in facts)


def is_hit(source: str, text: str, expected: list[dict[str, str]]) -> bool:
    body = _normalise(text)
    return any(source == e["source"] and _normalise(e["contains"]) in body for e in expected)


def evaluate(answerer: Answerer, items: list[dict[str, Any]], *, k: int = 5,
             mode: RetrieverMode = "hybrid") -> EvalReport:
    report = EvalReport(retriever=mode, k=k)
    reciprocal_ranks: list[float] = []
    found = answered = abstained = stated = 0
    quoted_words: list[int] = []
    true_pos = false_pos = 0
    for item in items:
        question = item["question"]
        kind = item["type"]
        flagged = is_urgent(question)
        if kind == "urgent":
            report.urgent += 1
            true_pos += flagged
        elif flagged:
            false_pos += 1
        if kind == "answerable":
            report.answerable += 1
            hits = answerer.retriever.search(question, k=k, mode=mode)
            rank = next((i + 1 for i, h in enumerate(hits) if is_hit(h.chunk.source, h.chunk.text,
                                                                     item["expected"])), None)
            found += rank is not None
            reciprocal_ranks.append(1.0 / rank if rank else 0.0)
            answer = answerer.answer(question, mode=mode)
            was_answered = answer.answered
            answered += was_answered
            has_fact = was_answered and answer_states_fact(answer.text, item)
            stated += has_fact
            if was_answered:
                quoted_words.append(sum(len(unit.split()) for unit in answer.quoted))
            if rank is None or not was_answered or not has_fact:
                report.misses.append({"id": item.get("id"), "rank": rank, "answered": was_answered,
                                      "fact": has_fact})
        elif kind == "out_of_scope":
            report.out_of_scope += 1
            was_answered = answerer.answer(question, mode=mode).answered
            abstained += not was_answered
            if was_answered:
                report.misses.append({"id": item.get("id"), "answered": True})
    if report.answerable:
        report.recall_at_k = found / report.answerable
        report.mrr = sum(reciprocal_ranks) / report.answerable
        report.answered_rate = answered / report.answerable
        report.fact_in_answer_rate = stated / report.answerable
    if quoted_words:
        report.mean_quoted_words = sum(quoted_words) / len(quoted_words)
    if report.out_of_scope:
        report.abstention_rate = abstained / report.out_of_scope
    if report.urgent:
        report.urgent_recall = true_pos / report.urgent
    report.urgent_precision = true_pos / (true_pos + false_pos) if (true_pos + false_pos) else 1.0
    return report
