"""The checklist conversation returns what happened, never wording; the presenter words it.

The service layer (bot/referral/conversation.py) decides and stores: the step asked next, an answer
refused and why, the emergency stop, the referral filed. It says so with typed results
(bot/referral/checklist_results.py); the checklist presenter turns each into the replies every channel
renders, its buttons stamped with the draft and version the turn committed. The wording itself is
checked by the checklist's conversation tests, through the assistant, unchanged.
"""

from __future__ import annotations

import json

from bot.config import Settings
from bot.db import get_database
from bot.messages import Message, Reply
from bot.referral.answers import InvalidAnswer
from bot.referral.checklist_results import EmergencyStop, GuidanceSlot, Notice, Problem, Question, Stamp
from bot.referral.conversation import ReferralConversation


def test_each_turn_is_results_the_presenter_words_with_buttons_stamped_at_the_committed_version(
    sqlite_settings: Settings,
) -> None:
    conversation = ReferralConversation(get_database(sqlite_settings), sqlite_settings)

    def send(text: str) -> list[object]:
        turn = conversation.handle(Message(user_id="referrer.results", text=text))
        assert not any(isinstance(part, Reply) for part in turn.replies)  # no wording from the service layer
        return list(turn.replies)

    started = send("refer")
    assert [type(part) for part in started] == [Notice, GuidanceSlot, Question]
    assert started[0] == Notice("start")
    first = started[2]
    assert isinstance(first, Question) and first.step.id == "review_type" and first.show_help

    refused, again = send("9")  # not one of the five choices
    assert isinstance(refused, Problem) and isinstance(refused.error, InvalidAnswer)
    assert again == Question(first.step, {}, show_help=False)  # asked again, without its help this time

    turn = conversation.handle(Message(user_id="referrer.results", text="1"))
    [asked] = turn.replies
    assert isinstance(asked, Question) and asked.step.id == "safe_now"
    assert asked.answers == {"review_type": "serious_child"}
    assert isinstance(turn.stamp, Stamp) and turn.stamp.draft is not None

    [worded] = conversation.words.present(asked, turn.stamp)
    assert worded.expects is not None and worded.expects.step == "safe_now"
    pressed = [json.loads(button.value) for button in worded.buttons]
    assert {(p["draft"], p["version"]) for p in pressed} == {(turn.stamp.draft, turn.stamp.version)}
    assert [p["payload"]["value"] for p in pressed] == ["yes", "no"]

    assert send("No, or I'm not sure") == [EmergencyStop()]  # not saved: the checklist waits
    route, waits = conversation.words.present(EmergencyStop())
    assert route.urgent and not waits.urgent
