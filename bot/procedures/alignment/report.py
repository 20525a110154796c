"""The alignment report: procedures grouped by topic, each topic coded 1-4, with what to do about it.

Following the Solihull approach: the coding decides the recommendation; a
procedure with no equivalent elsewhere is reviewed for redundancy; an out-of-date
procedure is replaced by an up-to-date area's version, or rewritten together when
every version is out of date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np

from bot.procedures.alignment.compare import LEVEL_3, Comparison, Encode, compare
from bot.procedures.alignment.documents import ProcedureDoc
from bot.prompts import load_yaml

PROMPTS = "alignment.yaml"


def text(name: str, /, **fields: object) -> str:
    value = load_yaml(PROMPTS)[name]
    return str(value).format(**fields).strip()


def recommendation(level: int, areas: Sequence[str]) -> str:
    return str(load_yaml(PROMPTS)["recommendations"][level]).format(areas=_join(areas)).strip()


def level_name(level: int) -> str:
    return str(load_yaml(PROMPTS)["level_names"][level])


def _join(items: Sequence[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


@dataclass
class OutOfDate:
    document: ProcedureDoc
    area: str
    reason: str
    action: str


@dataclass
class Topic:
    key: str
    versions: dict[str, ProcedureDoc]  # area -> its version
    inferred: dict[str, str] = field(default_factory=dict)  # document name -> note on how it was matched
    comparisons: list[Comparison] = field(default_factory=list)
    out_of_date: list[OutOfDate] = field(default_factory=list)

    @property
    def areas(self) -> list[str]:
        return list(self.versions)

    @property
    def shared(self) -> bool:
        """One document already serves every area of the topic."""
        return len(self.versions) > 1 and len({d.path for d in self.versions.values()}) == 1

    @property
    def level(self) -> int | None:
        if len(self.versions) < 2:
            return None
        if self.shared:
            return 1
        return max(c.level for c in self.comparisons) if self.comparisons else None

    @property
    def recommendation(self) -> str:
        if len(self.versions) < 2:
            return text("no_equivalent", area=self.areas[0])
        if self.shared:
            return text("already_shared", areas=_join(self.areas))
        level = self.level
        return recommendation(level, self.areas) if level else ""

    @property
    def title(self) -> str:
        return next(iter(self.versions.values())).title


@dataclass
class AlignmentReport:
    areas: list[str]
    generated: dt.date
    topics: list[Topic]

    @property
    def compared(self) -> list[Topic]:
        return [t for t in self.topics if len(t.versions) > 1]

    @property
    def no_equivalent(self) -> list[Topic]:
        return [t for t in self.topics if len(t.versions) == 1]

    @property
    def out_of_date(self) -> list[OutOfDate]:
        return [o for t in self.topics for o in t.out_of_date]

    def as_dict(self) -> dict[str, Any]:
        return {
            "areas": self.areas, "generated": self.generated.isoformat(), "method": text("method"),
            "topics": [
                {
                    "topic": t.key, "title": t.title, "areas": t.areas, "level": t.level,
                    "level_name": level_name(t.level) if t.level else None,
                    "recommendation": t.recommendation, "shared": t.shared,
                    "documents": {area: doc.name for area, doc in t.versions.items()},
                    "inferred": t.inferred,
                    "comparisons": [c.as_dict() for c in t.comparisons],
                    "out_of_date": [{"document": o.document.name, "area": o.area, "reason": o.reason,
                                     "action": o.action} for o in t.out_of_date],
                }
                for t in self.topics
            ],
        }


class CachedEncoder:
    """Each sentence is embedded once per report, however many comparisons it takes part in."""

    def __init__(self, encode: Encode) -> None:
        self.encode = encode
        self.cache: dict[str, np.ndarray] = {}

    def __call__(self, texts: list[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self.cache))
        if missing:
            for t, v in zip(missing, np.asarray(self.encode(missing)), strict=True):
                self.cache[t] = v
        return np.stack([self.cache[t] for t in texts]) if texts else np.zeros((0, 384), dtype=np.float32)


def local_areas(documents: Sequence[ProcedureDoc], exclude: Sequence[str]) -> list[str]:
    """Areas with procedures of their own (regional and national documents are not an area's version)."""
    lowered = {e.lower() for e in exclude}
    found: list[str] = []
    for doc in documents:
        for area in doc.areas:
            if area.lower() not in lowered and area not in found:
                found.append(area)
    return found


def build_report(
    documents: Sequence[ProcedureDoc], areas: Sequence[str], encode: Encode, *, today: dt.date | None = None
) -> AlignmentReport:
    today = today or dt.date.today()
    encode = CachedEncoder(encode)
    wanted = {a.lower(): a for a in areas}
    mine = [d for d in documents if any(a.lower() in wanted for a in d.areas)]
    topics: dict[str, Topic] = {}
    untopiced: list[ProcedureDoc] = []
    for doc in sorted(mine, key=lambda d: d.path):
        if doc.topic:
            _place(topics.setdefault(doc.topic, Topic(doc.topic, {})), doc, wanted)
        else:
            untopiced.append(doc)
    for doc in untopiced:
        match, best = _closest_topic(doc, topics, encode)
        if match is None:
            key = f"inferred: {doc.title}"
            topics[key] = Topic(key, {})
            _place(topics[key], doc, wanted)
            continue
        topic = topics[match]
        if any(a.lower() in {v.lower() for v in topic.versions} for a in doc.areas):
            key = f"inferred: {doc.title}"  # its area already has a version: a separate procedure
            topics[key] = Topic(key, {})
            _place(topics[key], doc, wanted)
            continue
        _place(topic, doc, wanted)
        topic.inferred[doc.name] = text("inferred_note", match=f"{best.title} ({', '.join(best.areas)})")
    for topic in topics.values():
        docs = list({d.path: d for d in topic.versions.values()}.values())
        for a, b in combinations(docs, 2):
            topic.comparisons.append(compare(a, b, encode))
        topic.out_of_date = _out_of_date(topic, today)
    ordered = sorted(topics.values(), key=lambda t: (t.level is None, t.level or 0, t.key))
    return AlignmentReport([wanted[k] for k in wanted], today, ordered)


def _place(topic: Topic, doc: ProcedureDoc, wanted: dict[str, str]) -> None:
    for area in doc.areas:
        if area.lower() in wanted:
            topic.versions.setdefault(area, doc)


def _closest_topic(doc: ProcedureDoc, topics: dict[str, Topic], encode: Encode) -> tuple[str | None, ProcedureDoc]:
    best_key, best_doc, best_score = None, doc, LEVEL_3["topic"]
    for key, topic in topics.items():
        for other in {d.path: d for d in topic.versions.values()}.values():
            found = compare(doc, other, encode)
            if found.level <= 3 and found.topic >= best_score:
                best_key, best_doc, best_score = key, other, found.topic
    return best_key, best_doc


def _out_of_date(topic: Topic, today: dt.date) -> list[OutOfDate]:
    stale: dict[str, str] = {}
    for area, doc in topic.versions.items():
        review = doc.review_date()
        if review and review < today:
            stale[area] = text("reason_review", date=review.isoformat())
    current = {a: d for a, d in topic.versions.items() if a not in stale}
    newest = max(current.items(), key=lambda item: item[1].effective_date() or dt.date.min, default=None)
    for area, doc in current.items():
        if newest is None or newest[1].path == doc.path:
            continue
        mine, theirs = doc.effective_date(), newest[1].effective_date()
        if mine and theirs and mine < theirs:
            stale[area] = text("reason_older", effective=mine.isoformat(), other=newest[0],
                               other_effective=theirs.isoformat())
    found = []
    up_to_date = [a for a in topic.versions if a not in stale]
    for area, reason in stale.items():
        if len(topic.versions) == 1:
            action = text("action_review")
        elif up_to_date:
            action = text("action_adopt", other=up_to_date[0], area=area)
        else:
            action = text("action_rewrite")
        found.append(OutOfDate(topic.versions[area], area, reason, action))
    return found
