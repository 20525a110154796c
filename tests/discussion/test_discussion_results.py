"""The case discussion engine returns what happened, never wording; the discussion presenter words it.

The service layer (bot/discussion/service.py) decides and stores: a discussion started at its first
stage, a contribution saved under its agency, the stage moved, a refusal and why. It says so with typed
results (bot/discussion/results.py); the discussion presenter turns each into the replies every channel
renders, a stage's buttons stamped with the discussion and version the turn committed. The wording
itself is checked by the discussion tests, through the assistant, unchanged.
"""

from __future__ import annotations

import json
from pathlib import Path

from bot.assistant import Assistant
from bot.config import Settings
from bot.db import forget_databases
from bot.discussion.results import Moved, NotFacilitator, NotInvited, Saved, StagePrompt, Stamp, Started
from bot.messages import Message, Reply
from bot.referral.checklist_results import GuidanceSlot

from .filing import file_referral

THREAD = "slack:CREVIEWS:1700000000.000200"
OFFICER = "officer.one"


def test_a_discussion_turn_is_results_the_presenter_words_with_stage_buttons_stamped(tmp_path: Path) -> None:
    settings = Settings(SGBOT_DATA_DIR=tmp_path / "data", SGBOT_BUSINESS_UNIT=OFFICER)
    try:
        assistant = Assistant(settings)
        reference = file_referral(assistant)
        service = assistant.discussions

        def said(user: str, text: str) -> list[object]:
            turn = service.handle(Message(user_id=user, text=text, thread_id=THREAD, display_name=user))
            assert turn is not None
            urgent = [part for part in turn.replies if isinstance(part, Reply)]
            assert not urgent  # no wording from the service layer (only the emergency route comes worded)
            return list(turn.replies)

        started = said(OFFICER, f"discuss {reference} kolb")
        assert [type(part) for part in started] == [Started, GuidanceSlot, StagePrompt]
        intro, _, first = started
        assert isinstance(intro, Started) and intro.method.id == "kolb" and intro.reference == reference
        assert isinstance(first, StagePrompt) and first.stage.id == intro.method.stages[0].id
        assert isinstance(first.stamp, Stamp)

        [prompt] = service.words.present(first)
        pressed = [json.loads(button.value) for button in prompt.buttons]
        assert {(p["discussion"], p["version"]) for p in pressed} == {(first.stamp.discussion, first.stamp.version)}

        assert said("police.rep", "Officers attended twice.") == [NotInvited(OFFICER)]
        said(OFFICER, "invite police.rep Police")
        [saved] = said("police.rep", "Officers attended twice.")
        assert saved == Saved("contribution", "Police", first.stage.title, "police.rep")
        assert said("police.rep", "next") == [NotFacilitator(OFFICER, "move")]

        moved, *then = said(OFFICER, "next")
        assert moved == Moved(OFFICER, 2, back=False)
        onwards = then[-1]
        assert isinstance(onwards, StagePrompt) and onwards.stamp is not None
        assert onwards.stamp.version > first.stamp.version  # the buttons name the stage as it now is
    finally:
        forget_databases()
