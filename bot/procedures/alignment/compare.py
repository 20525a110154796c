"""Two versions of a procedure compared by meaning and by wording, whatever their order and headings.

Both documents are broken into sentences (list items and table rows count as
sentences). Every sentence is embedded with MiniLM, the same model answers use.
Three measures, each symmetric (the mean of both directions), none depending on
order or headings:

- meaning: the share of sentences that have a counterpart saying the same
  thing in the other document (cosine at or above `SAME_MEANING`);
- wording: the share of sentences whose counterpart uses the same words
  (token overlap at or above `SAME_WORDING`) — a restructured copy scores high;
- subject: the share of sentences with a counterpart about the same thing
  (cosine at or above `SAME_SUBJECT`), whether or not it says the same;
- topic: the cosine of the two documents' mean sentence vectors.

The level follows the Solihull coding: 1 = the same content (at most
restructured: same meaning and wording, no differing contact, timescale or
threshold, no section only one side has), 2 = the same procedure with local
differences (most sentences have a counterpart on the same subject), 3 = the
same subject handled substantially differently (close documents overall), 4 =
little in common.

Differences are reported for levels 2-4 as the sections one side has and the
other does not (most of their sentences have no counterpart) and the pairs of
sentences about the same thing that say different things, tagged when the
difference is a contact, a timescale or a threshold.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from bot.procedures.alignment.documents import ProcedureDoc
from bot.procedures.diff import sentences

Encode = Callable[[list[str]], np.ndarray]

SAME_MEANING = 0.80  # two sentences this close say the same thing (MiniLM cosine)
SAME_SUBJECT = 0.62  # two sentences this close are about the same thing, maybe saying it differently
SAME_WORDING = 0.80  # token overlap (Jaccard) above which two sentences are worded the same
SECTION_MISSING = 0.30  # a section with fewer of its sentences matched than this is "only on one side"
MAX_DIFFERENCES = 25

# Level thresholds, set on the labelled pairs in tests/procedures/alignment (a floor, not a tuning target).
LEVEL_1 = {"meaning": 0.85, "wording": 0.75}  # and no differing facts and no section only one side has
LEVEL_2 = {"subject": 0.50}
LEVEL_3 = {"topic": 0.58}

_TOKEN = re.compile(r"[a-z0-9]+(?:[.:'][a-z0-9]+)*")
_PHONE = re.compile(r"\b0\d{3,4}[ ]?\d{3}[ ]?\d{3,4}\b|\b\d{3}\b(?=\W*$)|\b(?:999|111|101)\b")
_EMAIL_URL = re.compile(r"\S+@\S+|https?://\S+")
_TIMESCALE = re.compile(
    r"\b\d+(?:\.\d+)?\s*(?:working\s+)?(?:minutes?|hours?|days?|weeks?|months?|years?)\b"
    r"|\b\d{1,2}(?::\d{2})?\s*(?:am|pm)\b|\bsame day\b|\bnext working day\b|\bimmediately\b", re.IGNORECASE)
_THRESHOLD = re.compile(r"\blevel\s*\d\b|\b(?:under|over|aged?|below|above)\s+\d+\b|\bsection\s+\d+\b|"
                        r"\bs\d+\b|\bthreshold\b", re.IGNORECASE)


def tokens(text: str) -> set[str]:
    return set(_TOKEN.findall(text.lower().replace("*", "")))


def jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def facts(text: str) -> dict[str, set[str]]:
    """The contacts, timescales and thresholds a sentence states, normalised for comparison."""
    def norm(values: list[str]) -> set[str]:
        return {" ".join(v.lower().split()).rstrip(".,;)") for v in values}

    return {
        "contact": norm(_PHONE.findall(text) + _EMAIL_URL.findall(text)),
        "timescale": norm(_TIMESCALE.findall(text)),
        "threshold": norm(_THRESHOLD.findall(text)),
    }


@dataclass
class Unit:
    section: str  # section label (heading path without the title)
    text: str


@dataclass
class SentencePair:
    kind: str  # contact | timescale | threshold | wording
    section_a: str
    text_a: str
    section_b: str
    text_b: str


@dataclass
class Comparison:
    a: ProcedureDoc
    b: ProcedureDoc
    meaning: float
    wording: float
    topic: float
    level: int
    subject: float = 0.0
    only_a: list[str] = field(default_factory=list)  # sections only the first document has
    only_b: list[str] = field(default_factory=list)
    different: list[SentencePair] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "a": self.a.name, "b": self.b.name, "level": self.level,
            "meaning": round(self.meaning, 3), "wording": round(self.wording, 3), "subject": round(self.subject, 3),
            "topic": round(self.topic, 3),
            "sections_only_in_a": self.only_a, "sections_only_in_b": self.only_b,
            "different_sentences": [vars(p) for p in self.different],
        }


def units(doc: ProcedureDoc) -> list[Unit]:
    found: list[Unit] = []
    for section in doc.sections:
        label = section.heading or section.path
        for sentence in sentences(section.text):
            cleaned = sentence.lstrip("-*0123456789. ").strip()
            if len(tokens(cleaned)) >= 3 and not set(cleaned) <= set("|-: "):
                found.append(Unit(label, cleaned))
    return found


def level_for(meaning: float, wording: float, subject: float, topic: float, *, facts_differ: bool,
              lonely_sections: bool) -> int:
    if (meaning >= LEVEL_1["meaning"] and wording >= LEVEL_1["wording"] and not facts_differ
            and not lonely_sections):
        return 1
    if subject >= LEVEL_2["subject"]:
        return 2
    if topic >= LEVEL_3["topic"]:
        return 3
    return 4


def compare(a: ProcedureDoc, b: ProcedureDoc, encode: Encode) -> Comparison:
    ua, ub = units(a), units(b)
    if not ua or not ub:
        return Comparison(a, b, 0.0, 0.0, 0.0, 4, 0.0, [s.heading or s.path for s in a.sections],
                          [s.heading or s.path for s in b.sections])
    vectors = np.asarray(encode([u.text for u in ua] + [u.text for u in ub]), dtype=np.float32)
    va, vb = vectors[: len(ua)], vectors[len(ua):]
    sim = va @ vb.T
    ta, tb = [tokens(u.text) for u in ua], [tokens(u.text) for u in ub]
    best_b, best_a = sim.argmax(axis=1), sim.argmax(axis=0)
    meaning_a = sim.max(axis=1) >= SAME_MEANING
    meaning_b = sim.max(axis=0) >= SAME_MEANING
    wording_a = np.array([_best_wording(ta[i], tb, sim[i]) for i in range(len(ua))]) >= SAME_WORDING
    wording_b = np.array([_best_wording(tb[j], ta, sim[:, j]) for j in range(len(ub))]) >= SAME_WORDING
    meaning = (float(meaning_a.mean()) + float(meaning_b.mean())) / 2
    wording = (float(wording_a.mean()) + float(wording_b.mean())) / 2
    ca, cb = va.mean(axis=0), vb.mean(axis=0)
    topic = float(ca @ cb / (np.linalg.norm(ca) * np.linalg.norm(cb) + 1e-9))
    subject_a = sim.max(axis=1) >= SAME_SUBJECT
    subject_b = sim.max(axis=0) >= SAME_SUBJECT
    subject = (float(subject_a.mean()) + float(subject_b.mean())) / 2
    only_a, only_b = _lonely_sections(ua, subject_a), _lonely_sections(ub, subject_b)
    different = _different_sentences(ua, ub, ta, tb, sim, best_b, best_a)
    level = level_for(meaning, wording, subject, topic, facts_differ=any(p.kind != "wording" for p in different),
                      lonely_sections=bool(only_a or only_b))
    if level == 1:  # nothing a reader needs to compare
        return Comparison(a, b, meaning, wording, topic, level, subject=subject)
    return Comparison(a, b, meaning, wording, topic, level, subject, only_a, only_b, different)


def _best_wording(mine: set[str], theirs: list[set[str]], similarities: np.ndarray, top: int = 5) -> float:
    """Best token overlap among the few sentences closest in meaning (comparing all would be quadratic)."""
    candidates = np.argsort(-similarities)[:top]
    return max(jaccard(mine, theirs[int(j)]) for j in candidates)


def _lonely_sections(found: list[Unit], matched: np.ndarray) -> list[str]:
    totals: dict[str, list[int]] = {}
    for unit, ok in zip(found, matched, strict=True):
        seen = totals.setdefault(unit.section, [0, 0])
        seen[0] += int(bool(ok))
        seen[1] += 1
    return [s for s, (hit, count) in totals.items() if hit / count < SECTION_MISSING]


def _different_sentences(
    ua: list[Unit], ub: list[Unit], ta: list[set[str]], tb: list[set[str]], sim: np.ndarray,
    best_b: np.ndarray, best_a: np.ndarray,
) -> list[SentencePair]:
    """Mutual best matches about the same thing whose wording differs: facts first, then other wording."""
    pairs: list[tuple[int, float, SentencePair]] = []
    for i, j in enumerate(best_b):
        j = int(j)
        if int(best_a[j]) != i or sim[i, j] < SAME_SUBJECT or jaccard(ta[i], tb[j]) >= 0.95:
            continue
        fa, fb = facts(ua[i].text), facts(ub[j].text)
        kind = next((k for k in ("contact", "timescale", "threshold") if (fa[k] or fb[k]) and fa[k] != fb[k]),
                    "wording")
        if kind == "wording" and sim[i, j] >= SAME_MEANING and jaccard(ta[i], tb[j]) >= SAME_WORDING:
            continue  # the same thing in nearly the same words: not worth a reader's time
        rank = 0 if kind != "wording" else 1
        pairs.append((rank, -float(sim[i, j]), SentencePair(kind, ua[i].section, ua[i].text, ub[j].section,
                                                              ub[j].text)))
    pairs.sort(key=lambda p: (p[0], p[1]))
    return [p[2] for p in pairs[:MAX_DIFFERENCES]]
