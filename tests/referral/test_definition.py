"""The checklist is data: wording and steps change in prompts/checklists/*.yaml, with no code change,
and a broken definition is reported when it is loaded, naming the step."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.assistant import Assistant
from bot.config import Settings
from bot.prompts import load_text, load_yaml, prompts_dir
from bot.referral.definition import ChecklistDefinitionError, load_checklist, parse_definition

from .helpers import CHILD_REFERRAL, Chat

REPO_PROMPTS = prompts_dir()


def _clear_caches() -> None:
    load_yaml.cache_clear()
    load_text.cache_clear()
    load_checklist.cache_clear()


@pytest.fixture
def own_prompts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of prompts/ that a test may edit, used instead of the real one."""
    copy = tmp_path / "prompts"
    shutil.copytree(REPO_PROMPTS, copy)
    monkeypatch.setenv("SGBOT_PROMPTS_DIR", str(copy))
    _clear_caches()
    yield copy
    monkeypatch.delenv("SGBOT_PROMPTS_DIR")
    _clear_caches()


def test_a_new_step_in_the_yaml_is_asked_with_no_code_change(
    own_prompts: Path, sqlite_settings: Settings
) -> None:
    path = own_prompts / "checklists" / "practice_review.yaml"
    definition: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    position = next(i for i, s in enumerate(definition["steps"]) if s["id"] == "learning")
    definition["steps"].insert(
        position + 1,
        {
            "id": "interpreter",
            "type": "yesno",
            "label": "Interpreter needed",
            "question": "Did {subject}'s family need an interpreter?",
        },
    )
    path.write_text(yaml.safe_dump(definition, sort_keys=False), encoding="utf-8")

    chat = Chat(Assistant(sqlite_settings))
    chat.send("refer")
    chat.answer_all(CHILD_REFERRAL[:17])
    assert chat.step == "interpreter"
    assert "Did the child's family need an interpreter?" in chat.transcript[-1].replies[-1].text
    chat.send("no")
    assert chat.step == "referrer_name"


def test_the_shipped_checklist_loads() -> None:
    definition = load_checklist("practice_review")
    assert definition.steps[0].id == "review_type" and definition.steps[-1].type == "confirm"
    types = {s.type for s in definition.steps}
    assert types == {"choice", "yesno", "multiselect", "text", "number", "date", "confirm"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"type": "slider"}, "step 'age': type 'slider' not in"),
        ({"when": {"referrer_name": "x"}}, "step 'age' depends on ['referrer_name'], which must be earlier"),
        ({"pattern": "("}, "step 'age' pattern is invalid"),
    ],
)
def test_mistakes_in_the_yaml_name_the_step(change: dict[str, Any], message: str) -> None:
    definition = yaml.safe_load((REPO_PROMPTS / "checklists" / "practice_review.yaml").read_text())
    step = next(s for s in definition["steps"] if s["id"] == "age")
    step.update(change)
    with pytest.raises(ChecklistDefinitionError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_definition(definition, "test.yaml")
