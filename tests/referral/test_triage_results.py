"""The triage commands return what happened, never wording; the triage presenter words it.

The service layer (bot/referral/triage_chat.py) asks the review queue and says what came back with typed
results (bot/referral/triage_results.py): a referral shown with the facts the officer sees, a change made
with the event it recorded, a command refused with the queue's error. The triage presenter
(bot/referral/presenter.py) turns each into the replies every channel renders, with the moves the officer
may make at the version shown. The wording itself is checked by the triage tests, through the assistant,
unchanged.
"""

from __future__ import annotations

import json

from bot.assistant import Assistant
from bot.messages import Message, Reply
from bot.referral.errors import QueueError
from bot.referral.triage_results import Changed, DashboardRefused, Listing, Refused, Shown, Usage

from .helpers import CHILD_REFERRAL, Chat

REASON = "Meets the serious incident criteria."


def test_show_and_accept_return_the_referrals_facts_and_the_presenter_words_them(assistant: Assistant) -> None:
    referrer = Chat(assistant, "practitioner.one")
    referrer.send("refer")
    referrer.answer_all(CHILD_REFERRAL)
    [filed] = referrer.press("submit").notifications
    reference = filed.referral_reference
    assert reference is not None
    referrals = assistant.referrals

    def said(user: str, text: str) -> tuple[list[object], int]:
        turn = referrals.handle(Message(user_id=user, text=text))
        assert not any(isinstance(part, Reply) for part in turn.replies)  # no wording from the service layer
        return list(turn.replies), len(turn.notifications)

    [shown], told = said("officer.one", f"show {reference}")
    assert isinstance(shown, Shown) and shown.may_triage and told == 0
    assert (shown.referral.reference, shown.referral.status, shown.referral.review_type) == (
        reference,
        "submitted",
        "serious_child",
    )
    assert {a.step: a.answer for a in shown.referral.answers}["initials"] == "JB"

    [accepted], told = said("officer.one", f"accept {reference} rapid_review {REASON}")
    assert isinstance(accepted, Changed) and accepted.may_triage and told > 0  # the referrer is told
    assert (accepted.action, accepted.details["decision"]) == ("accepted", "rapid_review")
    assert (accepted.referral.status, accepted.referral.decision_reason) == ("accepted", REASON)
    assert accepted.referral.version > shown.referral.version

    done, card = referrals.triage_words.present(accepted)
    assert done.text.startswith(f"{reference}:") and not done.buttons
    pressed = [json.loads(button.value) for button in card.buttons]
    moves = [p for p in pressed if not p["kind"].startswith("discussion")]  # not the case discussion's offer
    assert {m["version"] for m in moves} == {accepted.referral.version}  # the moves name the version shown
    assert [m["kind"] for m in moves] == ["assign", "start_review"]
    assert [p["kind"] for p in pressed if p not in moves] == ["discussion_start"]  # offered from above

    # The referrer sees their own referral without the business unit's moves, and may not decide it.
    [own], _ = said("practitioner.one", f"show {reference}")
    assert isinstance(own, Shown) and not own.may_triage
    assert not referrals.triage_words.present(own)[0].buttons
    [refused], told = said("practitioner.one", f"close {reference}")
    assert isinstance(refused, Refused) and isinstance(refused.error, QueueError) and told == 0
    assert referrals.triage_words.present(refused) == [Reply(str(refused.error))]

    [listing], _ = said("officer.one", "queue")
    assert isinstance(listing, Listing) and listing.business_unit
    assert [row.reference for row in listing.rows] == [reference]
    assert said("practitioner.one", "dashboard")[0] == [DashboardRefused()]
    assert said("officer.one", "triage help")[0] == [Usage()]
