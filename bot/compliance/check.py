"""For each required item, the passages of an arrangements document that cover it.

Method (its limits are stated in every report): the document is split into
passages by heading, as ingest does; each passage is scored against each item by
meaning (MiniLM cosine between the requirement and the passage) plus a small
bonus for each of the item's cue phrases the passage uses. Passages at or above
`FOUND` cover the item; the best score gives the confidence. A passage that
quotes three or more requirements almost word for word is a copy of the
checklist itself (Dudley's Appendix G is one), not evidence, and is set aside;
so is a table of contents.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bot.compliance.checklist import Checklist, Item
from bot.procedures.diff import SECTION_SEPARATOR, sentences

Encode = Callable[[list[str]], np.ndarray]

FOUND = 0.45  # score at or above which a passage covers an item
HIGH = 0.60
MEDIUM = 0.50
CUE_BONUS = 0.04  # per cue phrase found, up to MAX_CUES
MAX_CUES = 4
MAX_PASSAGES = 3
QUOTE_OVERLAP = 0.8  # a line sharing this share of a requirement's words quotes it
_CONTENTS = re.compile(r"^(?:table of )?contents$", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Passage:
    section: str  # heading path, without the document title
    text: str


@dataclass
class Evidence:
    section: str
    score: float
    excerpt: str


@dataclass
class ItemResult:
    item: Item
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.evidence)

    @property
    def confidence(self) -> str:
        if not self.evidence:
            return "not found"
        best = self.evidence[0].score
        return "high" if best >= HIGH else "medium" if best >= MEDIUM else "low"

    @property
    def sections(self) -> list[str]:
        return list(dict.fromkeys(e.section for e in self.evidence))


@dataclass
class ComplianceResult:
    document: str
    checklist: Checklist
    items: list[ItemResult]
    set_aside: list[str]  # sections that restate the checklist

    @property
    def found(self) -> int:
        return sum(r.found for r in self.items)


def passages_of(path: Path) -> list[Passage]:
    from ingest.chunking import chunk_blocks
    from ingest.loaders import load

    document = load(path)
    found = []
    for piece in chunk_blocks(document.blocks, document.title or path.stem):
        label = piece.section.split(SECTION_SEPARATOR, 1)[1] if SECTION_SEPARATOR in piece.section else piece.section
        found.append(Passage(label, piece.text))
    return found


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def _cue_hits(item: Item, text: str) -> int:
    lowered = " ".join(text.lower().split())
    return sum(1 for cue in item.cues if re.search(rf"\b{re.escape(cue.lower())}\b", lowered))


def quotes_checklist(passage: Passage, checklist: Checklist, minimum: int = 3) -> bool:
    """Does the passage restate several requirements nearly word for word (a copy of the list itself)?"""
    lines = [_words(s) for s in sentences(passage.text)]
    quoted = 0
    for item in checklist.items:
        wanted = _words(item.requirement)
        if wanted and any(len(wanted & line) / len(wanted) >= QUOTE_OVERLAP for line in lines):
            quoted += 1
    return quoted >= minimum


def check(passages: Sequence[Passage], checklist: Checklist, encode: Encode, document: str) -> ComplianceResult:
    set_aside = [p for p in passages if quotes_checklist(p, checklist)]
    # A table of contents names every subject and covers none.
    usable = [p for p in passages if p not in set_aside and not _CONTENTS.match(p.section.strip())]
    results = [ItemResult(item) for item in checklist.items]
    if usable:
        vectors = np.asarray(encode([f"{p.section}\n{p.text}" for p in usable]
                                    + [i.requirement for i in checklist.items]), dtype=np.float32)
        pv, iv = vectors[: len(usable)], vectors[len(usable):]
        similarity = iv @ pv.T
        for r, result in enumerate(results):
            scored = []
            for c, passage in enumerate(usable):
                bonus = CUE_BONUS * min(_cue_hits(result.item, passage.text), MAX_CUES)
                score = float(similarity[r, c]) + bonus
                if score >= FOUND:
                    scored.append(Evidence(passage.section, score, _excerpt(passage.text)))
            scored.sort(key=lambda e: -e.score)
            kept: list[Evidence] = []
            for evidence in scored:  # one passage per section: the section is what is cited
                if evidence.section not in {k.section for k in kept}:
                    kept.append(evidence)
            result.evidence = kept[:MAX_PASSAGES]
    return ComplianceResult(document, checklist, results, list(dict.fromkeys(p.section for p in set_aside)))


def _excerpt(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rsplit(" ", 1)[0] + "…"
