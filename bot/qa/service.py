"""`Answerer`: the one entry point for questions, used by the CLI, the assistant and every channel."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from bot.config import Settings
from bot.prompts import say
from bot.qa.answer import Answer, compose, emergency_route
from bot.qa.index import KnowledgeIndex
from bot.qa.retrieval import Retriever, RetrieverMode
from bot.qa.text import tokenize
from bot.qa.urgent import check_urgency

MAX_QUESTION_CHARS = 2000

_FOLLOW_UP_START = re.compile(r"^\s*(?:and|but|also|so|then|what about|how about|what if|and if|what else|"
                              r"anything else|same for|is that|does that|can they|should they|who else)\b",
                              re.IGNORECASE)
_BACK_REFERENCE = re.compile(r"\b(?:it|that|this|they|them|those|these|there|afterwards|then|he|she|him|her)\b",
                             re.IGNORECASE)


def reads_as_follow_up(question: str) -> bool:
    """Does this question lean on what was asked before ("and afterwards?", "who do I tell about it?")?"""
    if _FOLLOW_UP_START.search(question):
        return True
    words = question.split()
    return len(tokenize(question)) <= 2 or (len(words) <= 12 and bool(_BACK_REFERENCE.search(question)))


class Answerer:
    def __init__(self, settings: Settings, index: KnowledgeIndex, encode_query: Callable[[str], np.ndarray]) -> None:
        self.settings = settings
        self.index = index
        self.retriever = Retriever(index, encode_query, settings)
        from bot.qa.llm import LLMAnswerWriter

        self.writer = LLMAnswerWriter.from_settings(settings)

    @classmethod
    def from_settings(cls, settings: Settings) -> Answerer:
        from bot.qa.embeddings import shared_query_encoder

        index = KnowledgeIndex(settings)
        return cls(settings, index, shared_query_encoder().encode_query)

    def answer(
        self,
        question: str,
        area: str | None = None,
        context: str | None = None,
        kinds: list[str] | None = None,
        mode: RetrieverMode = "hybrid",
    ) -> Answer:
        """Answer from the knowledge index; `context` is the thread so far, for follow-ups."""
        text = " ".join((question or "").split())
        urgent = check_urgency(text).urgent
        contact = self.settings.contact
        if not text:
            return Answer(question, False, False, say("empty_question"))
        if len(text) > MAX_QUESTION_CHARS:
            lead = emergency_route() + "\n\n" if urgent else ""
            return Answer(question, False, urgent,
                          lead + say("question_too_long", length=len(text), limit=MAX_QUESTION_CHARS))
        area = area or self.settings.default_area
        if context and not reads_as_follow_up(text):
            context = None  # a new question in the same chat: earlier ones would only mislead retrieval
        query = f"{text} {context}" if context else text
        hits = self.retriever.search(query, k=5, area=area, kinds=kinds, mode=mode)
        keyword = self.index.keyword
        return compose(text, hits, urgent=urgent, idf=keyword.idf, contact=contact, area=area,
                       sentences_limit=self.settings.answer_sentences, dense_used=mode != "bm25",
                       context=context, writer=self.writer)
