"""The dev evaluation set over the seed corpus meets the issue's targets (a floor, not a ceiling)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.qa.evaluation import evaluate, load_eval_file
from bot.qa.service import Answerer
from tests.conftest import DEV_EVAL

# A second set over the same seed corpus, written separately from the dev set: the targets
# must hold on questions the retrieval and abstention settings were not first tuned on.
EXTRA_EVAL = Path(__file__).parent / "data" / "seeds_extra.jsonl"


@pytest.fixture(scope="module", params=["dev", "extra"])
def reports(request: pytest.FixtureRequest, seeds_settings: Settings):  # type: ignore[no-untyped-def]
    path = DEV_EVAL if request.param == "dev" else EXTRA_EVAL
    if path == DEV_EVAL and not path.exists():  # ../shared is beside the checkout, not in it
        pytest.skip(f"no dev evaluation set at {path}")
    answerer = Answerer.from_settings(seeds_settings)
    items = load_eval_file(path)
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
