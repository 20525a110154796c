"""The assistant: decides which job a message is for, and nothing else.

It routes a channel-neutral `Message` to Q&A, the referral checklist or the
review queue and returns an `Outcome`. It holds no per-user state in memory:
state lives in the database.
"""

from __future__ import annotations

from bot.config import Settings, get_settings
from bot.messages import Message, Outcome
from bot.qa.service import Answerer


class Assistant:
    def __init__(self, settings: Settings | None = None, answerer: Answerer | None = None) -> None:
        self.settings = settings or get_settings()
        self._answerer = answerer

    @property
    def answerer(self) -> Answerer:
        # Loading the embedding model takes seconds: only when a question arrives.
        if self._answerer is None:
            self._answerer = Answerer.from_settings(self.settings)
        return self._answerer

    def handle(self, message: Message) -> Outcome:
        answer = self.answerer.answer(message.content, area=message.area)
        return Outcome(replies=[answer.to_reply()])
