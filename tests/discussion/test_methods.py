"""Discussion methods are data: each file in prompts/discussions/ is a method the one engine runs."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.discussion.method import DiscussionMethodError, UnknownMethod, available_methods, load_method, parse_method

PROMPTS = Path(__file__).resolve().parents[2] / "prompts" / "discussions"


def test_the_three_methods_have_the_stages_of_the_salford_tool() -> None:
    assert available_methods() == ["kolb", "problem_tree", "signs_of_safety"]
    kolb = load_method("kolb")
    assert [s.title for s in kolb.stages] == ["What happened", "Reflection", "Analysis", "What we will do differently"]
    assert "not individual blame" in kolb.stage("analysis").explanation  # type: ignore[union-attr]
    assert kolb.stages[-1].actions and kolb.stages[0].guidance_query
    safety = load_method("Signs of Safety")
    assert [s.id for s in safety.stages] == ["worries", "working_well", "next_steps", "scale"]
    scale = safety.stage("scale")
    assert scale is not None and scale.scale is not None
    assert (scale.scale.minimum, scale.scale.maximum) == (0, 10)
    tree = load_method("problem-tree")
    assert [s.id for s in tree.stages] == ["core_problem", "causes", "effects", "solutions"]
    with pytest.raises(UnknownMethod):
        load_method("fishbone")


def test_a_facilitator_names_a_stage_by_number_id_or_title() -> None:
    kolb = load_method("kolb")
    assert kolb.find("3") is kolb.stages[2]
    assert kolb.find("reflection") is kolb.stages[1]
    assert kolb.find("What happened") is kolb.stages[0]
    assert kolb.find("9") is None


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d["stages"][1].pop("explanation"), "stage 'reflection' needs `explanation`"),
        (lambda d: d["stages"].append(dict(d["stages"][0])), "stage id 'experience' is used twice"),
        (lambda d: d["stages"][0].update(scale={"min": 10, "max": 0}), "scale `min` must be below `max`"),
        (lambda d: d.update(stages=[]), "non-empty list of `stages`"),
    ],
)
def test_a_mistake_in_a_method_file_names_the_stage_and_the_field(change, problem: str) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load((PROMPTS / "kolb.yaml").read_text(encoding="utf-8"))
    change(data)
    with pytest.raises(DiscussionMethodError, match="prompts/discussions/kolb.yaml") as error:
        parse_method(data, "prompts/discussions/kolb.yaml")
    assert problem in str(error.value)
