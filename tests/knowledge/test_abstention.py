"""When the answer abstains: a logistic model over the evidence, fitted on every labelled tune set at once."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from bot.index.store import StoredChunk
from bot.index.tokens import tokenize
from bot.qa import abstention
from bot.qa.abstention import (
    ANSWERED_FLOOR,
    FEATURE_NAMES,
    FIT_PARTS,
    WEIGHTS_FILE,
    features,
    fit,
    load_models,
    model_for,
    write,
)
from bot.qa.answer import Evidence, measure_evidence
from bot.qa.retrieval import OWN, Hit


def test_each_single_retriever_has_a_model_fitted_for_the_measures_the_evidence_gives() -> None:
    data = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    assert data["features"] == list(FEATURE_NAMES)
    for mode in ("dense", "bm25"):
        model = model_for(mode)
        assert model is not None, mode
        assert len(model.weights) == len(FEATURE_NAMES)


def test_hybrid_retrieval_abstains_by_the_hand_set_rule() -> None:
    assert model_for("hybrid") is None
    # "How do I book a meeting room?": far in meaning, few words found.
    far = Evidence(top_dense=0.39, coverage=0.20, unknown_words=2, retriever="hybrid")
    assert far.sufficient() == far.rule() is False


def test_a_mode_a_model_decides_for_is_measured_in_full_before_its_weights_are_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `sgbot abstention fit` reads these measures to write the weights; with no weights there yet (or weights
    # written for other measures) it must still read the best line and the kind of fact it carries.
    monkeypatch.setattr(abstention, "WEIGHTS_FILE", tmp_path / "not_yet_fitted.json")
    assert model_for("dense") is None
    text = "Call the duty team on 01632 960000. They answer from 9am to 5pm."
    chunk = StoredChunk(id="duty", path="duty.md", ordinal=0, source="duty.md", title="Duty team", section="Duty team",
                        text=text, areas=(), kind="procedure", topic=None, effective=None, review_by=None,
                        source_url=None)
    question = "what is the number for the duty team"
    evidence = measure_evidence(tokenize(question), [Hit(chunk, 0.0, 0.7, 3.0, OWN)], lambda token: 1.0,
                                question=question, unit_similarity={(0, (0, 0)): 0.8}, retriever="dense")
    assert evidence.top_unit == 0.8
    assert evidence.kind_found == 1.0  # the line carries the phone number asked for
    assert evidence.line_coverage > 0 and evidence.keyword > 0


def test_the_model_was_fitted_on_tune_parts_only_never_on_check_or_holdout_sets() -> None:
    files = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))["meta"]["files"]
    assert files
    for name in files:
        assert "check" not in name and "holdout" not in name, name
        assert name.removesuffix(".jsonl").split("_", 1)[1] in FIT_PARTS, name


def test_closer_in_meaning_and_more_of_the_questions_words_found_never_make_abstaining_likelier() -> None:
    for mode in ("dense", "bm25"):
        model = model_for(mode)
        assert model is not None
        weight = dict(zip(FEATURE_NAMES, model.weights.tolist(), strict=True))
        assert weight["coverage"] > 0, mode
        if mode != "bm25":  # keyword search alone has no passage cosine
            assert weight["top_dense"] > 0, mode


def _close_evidence(mode: str) -> Evidence:
    """Passages close to the question in meaning and in words: enough to answer, unless a rule says otherwise."""
    return Evidence(top_dense=0.80, coverage=0.9, top_unit=0.8, question_words=4, keyword=0.3, kind_found=1.0,
                    retriever=mode)


def test_a_question_about_a_place_no_document_covers_abstains_however_close_the_passages() -> None:
    for mode in ("hybrid", "dense", "bm25"):
        close = _close_evidence(mode)
        assert close.sufficient(), mode
        assert not replace(close, other_places=("manchester",)).sufficient(), mode


def test_keyword_search_alone_answers_a_question_whose_words_are_mostly_found() -> None:
    # The hand-set rule asked BM25 alone for 0.6 of the question's words and none the documents lack, and
    # answered about half the answerable questions; the fitted model answers a practitioner's question with
    # one chat word the documents never use ("ring") when most of its words are found and the best line
    # carries the kind of fact asked for.
    chat = Evidence(top_dense=None, coverage=0.55, unknown_words=1, top_unit=0.6, question_words=4, keyword=0.15,
                    kind_found=1.0, retriever="bm25")
    assert not chat.rule()
    assert chat.sufficient()


def test_the_threshold_still_answers_the_answered_floor_of_answerable_lines_out_of_fold() -> None:
    rng = np.random.default_rng(7)
    answerable = [features(Evidence(top_dense=float(d), coverage=float(c), top_unit=float(d), question_words=6,
                                    keyword=0.1, kind_found=1.0))
                  for d, c in zip(rng.normal(0.6, 0.1, 120), rng.uniform(0.3, 0.9, 120), strict=True)]
    out_of_scope = [features(Evidence(top_dense=float(d), coverage=float(c), top_unit=float(d), question_words=6,
                                      keyword=0.05, kind_found=0.0))
                    for d, c in zip(rng.normal(0.4, 0.1, 40), rng.uniform(0.1, 0.5, 40), strict=True)]
    x = np.asarray(answerable + out_of_scope)
    y = np.asarray([1.0] * len(answerable) + [0.0] * len(out_of_scope))
    model, figures = fit(x, y)
    assert figures["answered"] >= ANSWERED_FLOOR
    assert figures["abstained"] > 0.5  # and it does turn away most of what is far off
    answered = np.array([model.probability(row) >= model.threshold for row in x])
    assert answered[y == 1].mean() >= 0.9


def test_weights_written_for_other_measures_are_not_used(tmp_path: Path) -> None:
    model = model_for("bm25")
    assert model is not None
    path = tmp_path / "abstention_model.json"
    write({"bm25": model}, {"files": []}, path)
    assert set(load_models(path)) == {"bm25"}
    data = json.loads(path.read_text(encoding="utf-8"))
    data["features"] = ["top_dense", "coverage"]
    path.write_text(json.dumps(data), encoding="utf-8")
    load_models.cache_clear()
    assert load_models(path) == {}
    assert load_models(tmp_path / "missing.json") == {}


def test_a_question_about_a_thing_the_documents_never_name_abstains_however_close_the_passages() -> None:
    # "which hotel is used for asylum accommodation in eastbrook": passages on Eastbrook's asylum
    # accommodation, close in meaning and in words, and no document names a hotel.
    for mode in ("hybrid", "dense", "bm25"):
        close = _close_evidence(mode)
        assert close.sufficient(), mode
        assert not replace(close, unknown_asked=("hotel",)).sufficient(), mode


def _idf(known: set[str]) -> Callable[[str], float]:
    return lambda token: 2.0 if token in known else 0.0


def test_the_thing_asked_about_counts_as_unknown_only_when_no_form_alternative_or_slip_of_it_is_known() -> None:
    known = set(tokenize("asylum accommodation eastbrook referral form number child parking"))
    idf = _idf(known)

    def unknown(question: str) -> tuple[str, ...]:
        return measure_evidence(tokenize(question), [], idf, question=question).unknown_asked

    assert unknown("which hotel is used for asylum accommodation in eastbrook") == ("hotel",)
    assert unknown("is there parking at the office") == ()  # the documents use the word
    assert unknown("which refferal form do i use") == ()  # a slip of the keyboard for "referral"
    assert unknown("whats the numbr for the front door") == ()  # a letter missed
    assert unknown("which kid is it about") == ()  # the vocabulary's word for "child"
    assert unknown("which council do i ring") == ()  # an organisation is named by its own name
    assert not measure_evidence(tokenize("which hotel is it"), [], idf, question="which hotel is it").sufficient()


def test_a_question_only_a_number_an_address_or_a_sum_answers_abstains_when_no_passage_found_carries_one() -> None:
    # "whats the salary band for a MASH social worker": passages on the MASH's social workers, close in
    # meaning and in words, none with a sum of money. No line quoted from them could state it.
    for mode in ("hybrid", "dense", "bm25"):
        close = _close_evidence(mode)
        assert close.sufficient(), mode
        assert not replace(close, kinds_missing=("money",)).sufficient(), mode
