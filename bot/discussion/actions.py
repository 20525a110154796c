"""Typed actions for a case discussion's buttons, as JSON the core checks.

The stage buttons used to carry the words `next`, `back` and `close`, so an old
"Next stage" pressed after the facilitator had already moved on moved the
discussion a second time. Now a button carries what it means and what it was
pressed on:

    {"kind": "discussion_next", "reference": "PR-2026-0001", "discussion": 3,
     "stage": "what_happened", "version": 5}

`discussion` and `stage` say which discussion and stage the button was shown at,
`version` the discussion's version then (it changes whenever the stage does).
A press whose discussion, stage or version is no longer current is refused with
the stage as it is now. A start button carries the method in `payload` (none: the menu of methods).
Typed commands (`next`, `back`, `close`, `discuss PR-… kolb`) are unchanged.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from bot.discussion.text import say
from bot.errors import SgbotError
from bot.messages import Button
from bot.referral import statuses as st
from bot.referral.views import ReferralDetail

DiscussionKind = Literal["discussion_start", "discussion_next", "discussion_back", "discussion_close"]
# The command each kind performs (bot/discussion/commands.py's kinds).
COMMAND = {
    "discussion_start": "start",
    "discussion_next": "next",
    "discussion_back": "back",
    "discussion_close": "close",
}
KINDS: frozenset[str] = frozenset(COMMAND)

Reference = Annotated[str, StringConstraints(pattern=r"^PR-\d{4}-\d{4,8}$")]
Name = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_\-]{1,64}$")]


class DiscussionAction(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    kind: DiscussionKind
    reference: Reference
    discussion: Annotated[int, Field(ge=1)] | None = None
    stage: Name | None = None
    version: Annotated[int, Field(ge=0)] | None = None
    payload: Annotated[dict[str, Name], Field(max_length=1)] = Field(default_factory=dict)

    def to_json(self) -> str:
        data: dict[str, Any] = {"kind": self.kind, "reference": self.reference}
        for name in ("discussion", "stage", "version"):
            if getattr(self, name) is not None:
                data[name] = getattr(self, name)
        if self.payload:
            data["payload"] = dict(self.payload)
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


class InvalidDiscussionAction(SgbotError, ValueError):
    """A discussion button's value the core will not act on."""


def is_discussion(value: str | None) -> bool:
    if value is None or not value.lstrip().startswith("{"):
        return False
    try:
        data = json.loads(value)
    except (ValueError, RecursionError):
        return False
    return isinstance(data, dict) and data.get("kind") in KINDS


def read(value: str) -> DiscussionAction:
    try:
        typed = DiscussionAction.model_validate(json.loads(value))
    except (ValueError, ValidationError, RecursionError):
        raise InvalidDiscussionAction("unreadable discussion action") from None
    if typed.kind == "discussion_start":
        if not set(typed.payload) <= {"method"}:  # no method: the menu of methods is shown
            raise InvalidDiscussionAction("a start carries at most its method")
    elif typed.payload or typed.discussion is None or typed.stage is None or typed.version is None:
        raise InvalidDiscussionAction("a stage button names the discussion, stage and version seen")
    return typed


def start_button_value(reference: str, method: str | None = None) -> str:
    """The value of a button that starts a discussion on `reference` (with `method`, or the menu)."""
    payload = {"method": method} if method else {}
    return DiscussionAction(kind="discussion_start", reference=reference, payload=payload).to_json()


def discuss_offer(view: ReferralDetail) -> Button | None:
    """"Start a case discussion" on the business unit's view of a referral whose review is accepted or
    under way (its typed start shows the methods); nothing before or after. The assistant hands it to the
    referral feature (`ReferralConversation.offer_on_referrals`), which cannot import this package."""
    if view.status not in {st.ACCEPTED, st.IN_REVIEW}:
        return None
    return Button(say("button_discuss"), start_button_value(view.reference))


def stamp(value: str, discussion: int, version: int) -> str:
    """A stage button's value with the discussion and its version filled in (menu buttons unchanged)."""
    typed = DiscussionAction.model_validate(json.loads(value))
    if typed.kind == "discussion_start":
        return value
    return typed.model_copy(update={"discussion": discussion, "version": version}).to_json()
