"""How an answer weighs what it knows about a line is learned from labelled questions, kept as data, and
re-learned by a command: the weights the bot uses were learned from the tune parts only. Real index and
real sentence model; nothing here is mocked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.qa.selection_model import (
    FEATURES,
    PRIOR,
    WEIGHTS_FILE,
    Example,
    SelectionModel,
    SelectionModelError,
    evaluate,
    examples,
    train,
)
from bot.qa.service import Answerer

DATA = Path(__file__).parent / "data"


def test_the_weights_the_bot_uses_say_where_they_come_from_and_learned_ones_saw_only_tune_parts() -> None:
    model = SelectionModel.load(WEIGHTS_FILE)
    assert set(model.weights) <= set(FEATURES)
    if model.meta.get("hand_set"):
        assert model.weights == PRIOR
        return
    trained_on = model.meta["trained_on"]
    assert trained_on, "learned weights say which labelled files they were learned from"
    for source in trained_on:
        part = source.split("/", 1)[1]
        assert "check" not in part and "holdout" not in part, source
        assert (DATA / f"{part}.jsonl").is_file(), source
    assert model.meta["questions"] >= 100


def test_weights_naming_a_feature_the_code_does_not_compute_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "weights.json"
    path.write_text(json.dumps({"weights": {"words": 1.0, "colour": 2.0}, "margin": 0.5, "list_margin": 0.5}))
    with pytest.raises(SelectionModelError, match="colour"):
        SelectionModel.load(path)


def _example(number: int, right_at: int) -> Example:
    """Five lines; the right one is marked by `fact`, while `words` favours a wrong one."""
    rows = []
    for line in range(5):
        values = dict.fromkeys(FEATURES, 0.0)
        values["words"] = 0.5 if line == (right_at + 1) % 5 else 0.3
        values["fact"] = 1.0 if line == right_at else 0.0
        values["rank"] = float(line)
        rows.append([values[f] for f in FEATURES])
    return Example(f"corpus/part{number % 2}:q{number}", rows, [line == right_at for line in range(5)], [20] * 5)


def test_learning_weighs_most_what_marks_the_line_that_states_the_fact(tmp_path: Path) -> None:
    data = [_example(n, n % 5) for n in range(20)]
    model = train(data, l2=0.01)
    assert model.weights["fact"] > model.weights["words"]
    assert evaluate(model.weights, data, model.margin)[0] == 1.0
    model.save(tmp_path / "weights.json")
    assert SelectionModel.load(tmp_path / "weights.json").weights == pytest.approx(model.weights, abs=1e-5)
    with pytest.raises(SelectionModelError):
        train(data[:3])


def test_each_answerable_question_gives_its_candidate_lines_labelled_by_whether_they_quote_the_fact(
        sample_answerer: Answerer) -> None:
    items = [
        {"id": "a", "type": "answerable", "question": "What is the MASH phone number?",
         "expected": [{"source": "x", "contains": "01632 960120"}]},
        {"id": "b", "type": "out_of_scope", "question": "what's the canteen menu?"},
    ]
    found = examples(sample_answerer, items, prefix="sample/test:")
    assert [e.id for e in found] == ["sample/test:a"]
    example = found[0]
    assert any(example.positive) and not all(example.positive)
    assert all(len(row) == len(FEATURES) for row in example.features)
    assert len(example.words) == len(example.features)
