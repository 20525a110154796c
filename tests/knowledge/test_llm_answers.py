"""The optional LLM writer, against a local OpenAI-compatible stand-in on loopback.

Only the model's side is a stand-in: the real LangChain client makes real HTTP
requests. Whatever the model says must cite the passages it was given, or the
extractive answer is used.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from bot.config import Settings
from bot.qa.llm import parse_cited_sentences
from bot.qa.service import Answerer


class ModelStandIn:
    def __init__(self) -> None:
        self.reply = "NO_ANSWER"
        self.requests: list[dict[str, Any]] = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                stand_in.requests.append(body)
                payload = json.dumps({
                    "id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": body["model"],
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": stand_in.reply}}],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                }).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def model() -> Iterator[ModelStandIn]:
    stand_in = ModelStandIn()
    yield stand_in
    stand_in.server.shutdown()


@pytest.fixture
def llm_answerer(sample_answerer: Answerer, model: ModelStandIn) -> Answerer:
    settings: Settings = sample_answerer.settings.model_copy(
        update={"llm_base_url": model.url, "llm_model": "local-test-model", "llm_timeout_seconds": 5.0})
    return Answerer(settings, sample_answerer.index, sample_answerer.retriever.encode_query)


QUESTION = "How many working days does the partnership have to complete a rapid review?"


def test_a_model_answer_that_cites_its_passages_is_used(llm_answerer: Answerer, model: ModelStandIn) -> None:
    model.reply = "The rapid review must be completed within 15 working days of the notification [1]."

    answer = llm_answerer.answer(QUESTION)

    assert "- The rapid review must be completed within 15 working days of the notification. [1]" in answer.text
    assert [c.number for c in answer.citations] == [1]
    sent = model.requests[0]["messages"]
    assert QUESTION in sent[-1]["content"]
    assert "[1]" in sent[-1]["content"] and "[3]" in sent[-1]["content"]  # three numbered passages


@pytest.mark.parametrize(
    "reply",
    ["Fifteen working days.", "Within 15 working days [7].", "NO_ANSWER", ""],
)
def test_an_uncited_or_invented_model_answer_falls_back_to_the_extractive_one(
    llm_answerer: Answerer, sample_answerer: Answerer, model: ModelStandIn, reply: str
) -> None:
    model.reply = reply

    assert llm_answerer.answer(QUESTION).text == sample_answerer.answer(QUESTION).text


def test_an_unreachable_model_falls_back_to_the_extractive_answer(sample_answerer: Answerer) -> None:
    settings = sample_answerer.settings.model_copy(
        update={"llm_base_url": "http://127.0.0.1:9/v1", "llm_model": "m", "llm_timeout_seconds": 2.0})
    answerer = Answerer(settings, sample_answerer.index, sample_answerer.retriever.encode_query)

    assert answerer.answer(QUESTION).text == sample_answerer.answer(QUESTION).text


def test_the_model_is_not_asked_when_the_documents_do_not_answer(llm_answerer: Answerer,
                                                                  model: ModelStandIn) -> None:
    answer = llm_answerer.answer("What time does the canteen open?")

    assert not answer.answered
    assert model.requests == []


def test_cited_sentences_are_parsed_and_checked() -> None:
    assert parse_cited_sentences("Call 999 [1]. Then the MASH [2][3].", 3) == [([1], "Call 999."),
                                                                              ([2, 3], "Then the MASH.")]
    assert parse_cited_sentences("Call 999 [1]. Then the MASH.", 3) is None
