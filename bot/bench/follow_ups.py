"""Follow-up pairs scored through the real assistant: the first message, then the follow-up in the same
conversation, exactly as a terminal user sends them (the thread is the one the database keeps).

Used by bench/follow_ups.py (figures) and by the tests that hold the figures up.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from bot.config import Settings
from bot.errors import SgbotError
from bot.qa.evaluation import json_lines

CORPORA = ("knowledge", "seeds", "real")


class FollowUpFileError(SgbotError, ValueError):
    """A follow-up file that cannot be read: the message names the line and what is wrong with it."""


@dataclass(frozen=True)
class FollowUpPair:
    pair_id: str
    corpus: str
    before: str
    question: str
    expected: tuple[tuple[str, ...], ...]  # every entry must be stated, in one of its wordings
    area: str | None = None


@dataclass(frozen=True)
class FollowUpResult:
    pair_id: str
    right: bool
    text: str

    @property
    def first_line(self) -> str:
        """The answer's first quoted line (or its first line), to show what a miss said."""
        lines = [line.strip() for line in self.text.splitlines() if line.strip()]
        quoted = [line for line in lines if line.startswith("- ")]
        return (quoted or lines or [""])[0][:160]


def load_follow_ups(path: Path) -> list[FollowUpPair]:
    pairs = []
    for number, item in json_lines(path, FollowUpFileError):
        missing = [key for key in ("id", "before", "question", "expected") if not item.get(key)]
        if missing:
            raise FollowUpFileError(f"{path.name} line {number}: missing {', '.join(missing)}")
        corpus = item.get("corpus", "knowledge")
        if corpus not in CORPORA:
            raise FollowUpFileError(f"{path.name} line {number}: corpus must be one of {', '.join(CORPORA)}")
        expected = item["expected"]
        wordings = [(e,) if isinstance(e, str) else tuple(e) for e in expected] if isinstance(expected, list) else []
        if not wordings or not all(w and all(isinstance(p, str) and p.strip() for p in w) for w in wordings):
            raise FollowUpFileError(f"{path.name} line {number}: expected must be a list of phrases (a phrase may "
                                    "be a list of its alternative wordings)")
        pairs.append(FollowUpPair(str(item["id"]), corpus, item["before"], item["question"], tuple(wordings),
                                  item.get("area")))
    return pairs


_CITATION_NUMBER = re.compile(r"\[\d+\]")
_MARKUP = re.compile(r"[*_`>#]+")


def _normalised(text: str) -> str:
    return " ".join(_MARKUP.sub(" ", _CITATION_NUMBER.sub(" ", text)).casefold().split())


def states_every_fact(text: str, expected: tuple[tuple[str, ...], ...]) -> bool:
    body = _normalised(text)
    return all(any(_normalised(phrase) in body for phrase in wordings) for wordings in expected)


def score_follow_ups(settings: Settings, pairs: list[FollowUpPair], *, user_prefix: str = "fu") -> list[FollowUpResult]:
    """Each pair in a conversation of its own, on one assistant over `settings`' index and database."""
    from bot.assistant import Assistant
    from bot.messages import Message

    assistant = Assistant(settings)
    results = []
    for pair in pairs:
        user = f"{user_prefix}-{pair.pair_id}-{uuid.uuid4().hex[:6]}"
        for text in (pair.before, pair.question):
            outcome = assistant.handle(Message(user_id=user, text=text, channel="terminal", area=pair.area))
        shown = "\n".join(reply.text for reply in outcome.replies)
        results.append(FollowUpResult(pair.pair_id, states_every_fact(shown, pair.expected), shown))
    return results
