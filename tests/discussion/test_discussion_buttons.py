"""A case discussion's buttons carry typed commands (which discussion, which stage, which version the
facilitator saw): an old "Next stage" pressed after the discussion has moved on is refused, not applied
a second time; typed `next`, `back` and `close` work as before."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.assistant import Assistant
from bot.config import Settings
from bot.db import forget_databases
from bot.messages import Button, Outcome

from .filing import file_accepted_review
from .test_discussion import OFFICER, Thread, settings_for


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Iterator[Settings]:
    yield settings_for(db_url, tmp_path)
    forget_databases()


def button(outcome: Outcome, label: str) -> Button:
    return next(b for r in outcome.replies for b in r.buttons if b.label == label)


def test_the_method_menu_starts_the_chosen_method_from_its_button(settings: Settings) -> None:
    assistant = Assistant(settings)
    reference = file_accepted_review(assistant, OFFICER)
    thread = Thread(assistant)
    thread.say(OFFICER, f"discuss {reference}")
    started = thread.say(OFFICER, action=button(thread.said[-1], "Kolb's learning cycle").value)
    assert "Stage 1 of 4: What happened" in started


def test_an_old_next_stage_button_is_refused_and_the_discussion_moves_once(settings: Settings) -> None:
    assistant = Assistant(settings)
    reference = file_accepted_review(assistant, OFFICER)
    thread = Thread(assistant)
    thread.say(OFFICER, f"discuss {reference} kolb")
    first_stage = thread.said[-1]
    onwards = button(first_stage, "Next stage")
    pressed = json.loads(onwards.value)
    assert {k: pressed[k] for k in ("kind", "reference", "stage")} == {
        "kind": "discussion_next", "reference": reference, "stage": "experience"}
    assert isinstance(pressed["discussion"], int) and isinstance(pressed["version"], int)

    assert "Stage 2 of 4" in thread.say(OFFICER, action=onwards.value)
    again = thread.say(OFFICER, action=onwards.value)  # the same button, pressed a second time
    assert "belongs to an earlier stage" in again and "nothing was changed" in again
    assert "Stage 2 of 4" in again and "Stage 3 of 4" not in again

    assert "Stage 3 of 4" in thread.say(OFFICER, "next")  # typed commands as before
    back = button(thread.said[-1], "Back a stage")
    assert "Stage 2 of 4" in thread.say(OFFICER, action=back.value)


def test_only_the_facilitator_moves_the_discussion_with_a_button(settings: Settings) -> None:
    assistant = Assistant(settings)
    reference = file_accepted_review(assistant, OFFICER)
    thread = Thread(assistant)
    thread.say(OFFICER, f"discuss {reference} kolb")
    onwards = button(thread.said[-1], "Next stage").value
    thread.say(OFFICER, "invite police.rep Northshire Police")
    refused = thread.say("police.rep", action=onwards)
    assert "Only the facilitator" in refused
    assert "Stage 2 of 4" in thread.say(OFFICER, action=onwards)  # still current: nothing had moved


def test_a_close_button_from_a_closed_discussion_and_a_forged_one_are_refused(settings: Settings) -> None:
    assistant = Assistant(settings)
    reference = file_accepted_review(assistant, OFFICER)
    thread = Thread(assistant)
    thread.say(OFFICER, f"discuss {reference} kolb")
    closing = button(thread.said[-1], "Close and write the report").value
    assert "is closed" in thread.say(OFFICER, action=closing)
    assert "no longer running in this thread" in thread.say(OFFICER, action=closing)
    forged = json.dumps({"kind": "discussion_next", "reference": reference})  # no discussion, stage or version
    assert "couldn't read that button" in thread.say(OFFICER, action=forged)
