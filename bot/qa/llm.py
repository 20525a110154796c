"""Optional: answers written by a language model (LangChain, any OpenAI-compatible endpoint).

Off unless SGBOT_LLM_BASE_URL and SGBOT_LLM_MODEL are set. The model sees the
question and the best passages, nothing else: referral content never reaches it
(the checklist only ever looks up its own guidance text). What it writes is
checked before anyone sees it: every sentence must end with the number of a
passage it was given. Anything else — an uncited sentence, a number out of
range, "NO_ANSWER", a timeout, an error — falls back to the extractive answer,
so an answer is never less grounded than without the model.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from bot.config import Settings
from bot.prompts import load_yaml
from bot.qa.retrieval import Hit

log = logging.getLogger(__name__)

_CITED_SENTENCE = re.compile(r"^(?P<body>.+?)\s*(?P<refs>(?:\[\d+\]\s*)+)[.!?]?$")
_SENTENCE_SPLIT = re.compile(r"(?<=[\].!?])\s+(?=[A-Z0-9'\"(])")


class LLMAnswerWriter:
    PASSAGES = 3

    def __init__(self, settings: Settings) -> None:
        from langchain_core.prompts import ChatPromptTemplate
        from langchain_openai import ChatOpenAI

        prompt = load_yaml("llm_answer.yaml")
        self.template = ChatPromptTemplate.from_messages([("system", prompt["system"]), ("human", prompt["human"])])
        api_key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
        self.model = ChatOpenAI(
            base_url=settings.llm_base_url,
            model=settings.llm_model or "",
            api_key=api_key,  # type: ignore[arg-type]
            temperature=0,
            timeout=settings.llm_timeout_seconds,
            max_retries=1,
        )
        self.chain: Any = self.template | self.model

    @classmethod
    def from_settings(cls, settings: Settings) -> LLMAnswerWriter | None:
        if not (settings.llm_base_url and settings.llm_model):
            return None
        return cls(settings)

    def write(self, question: str, hits: list[Hit]) -> list[tuple[list[int], str]] | None:
        """Sentences with the passage numbers (1-based, into `hits`) they cite, or None to fall back."""
        passages = hits[: self.PASSAGES]
        numbered = "\n\n".join(f"[{n}] {h.chunk.title} — {h.chunk.section}\n{h.chunk.text}"
                               for n, h in enumerate(passages, start=1))
        try:
            message = self.chain.invoke({"passages": numbered, "question": question})
        except Exception as exc:  # the model is optional: any failure means the extractive answer
            log.warning("llm answer failed (%s); using the extractive answer", exc.__class__.__name__)
            return None
        return parse_cited_sentences(str(message.content), len(passages))


def parse_cited_sentences(text: str, passages: int) -> list[tuple[list[int], str]] | None:
    text = text.strip()
    if not text or "NO_ANSWER" in text:
        return None
    sentences: list[tuple[list[int], str]] = []
    for raw in _SENTENCE_SPLIT.split(" ".join(text.split())):
        match = _CITED_SENTENCE.match(raw.strip())
        if not match:
            return None  # an uncited sentence: do not show any of it
        numbers = [int(n) for n in re.findall(r"\d+", match.group("refs"))]
        if not numbers or any(n < 1 or n > passages for n in numbers):
            return None
        body = match.group("body").rstrip()
        if body[-1:] not in ".!?":
            body += "."
        sentences.append((numbers, body))
    return sentences or None
