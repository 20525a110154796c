"""The dev evaluation set over the seed corpus meets the issue's targets (a floor, not a ceiling)."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.qa.evaluation import evaluate, load_eval_file
from bot.qa.service import Answerer
from tests.conftest import DEV_EVAL


@pytest.fixture(scope="module")
def reports(seeds_settings: Settings):  # type: ignore[no-untyped-def]
    if not DEV_EVAL.exists():
        pytest.skip(f"no dev evaluation set at {DEV_EVAL}")
    answerer = Answerer.from_settings(seeds_settings)
    items = load_eval_file(DEV_EVAL)
    return {mode: evaluate(answerer, items, k=5, mode=mode) for mode in ("hybrid", "dense", "bm25")}


def test_hybrid_retrieval_finds_the_passage(reports) -> None:  # type: ignore[no-untyped-def]
    hybrid = reports["hybrid"]
    assert hybrid.recall_at_k >= 0.95, hybrid.misses
    assert hybrid.mrr >= 0.8, hybrid.misses


def test_hybrid_is_at_least_as_good_as_either_retriever_alone(reports) -> None:  # type: ignore[no-untyped-def]
    hybrid = reports["hybrid"]
    for single in (reports["dense"], reports["bm25"]):
        assert hybrid.recall_at_k >= single.recall_at_k
        assert hybrid.mrr >= single.mrr


def test_answers_when_it_can_and_abstains_when_it_cannot(reports) -> None:  # type: ignore[no-untyped-def]
    hybrid = reports["hybrid"]
    assert hybrid.answered_rate >= 0.95, hybrid.misses
    assert hybrid.abstention_rate >= 0.9, hybrid.misses


def test_urgent_messages_are_all_caught_without_crying_wolf(reports) -> None:  # type: ignore[no-untyped-def]
    hybrid = reports["hybrid"]
    assert hybrid.urgent_recall == 1.0
    assert hybrid.urgent_precision >= 0.9
