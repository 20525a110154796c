"""Typed actions for the referral checklist's buttons, as JSON the core checks.

A checklist button used to carry the words of its answer ("serious_child",
"submit", "change age"), which the conversation then read as if they had been
typed, whichever question was on screen by then: an old Submit pressed after an
answer had changed sent the new answers. Now a button carries what it means and
what the person saw when they pressed it:

    {"kind": "answer", "draft": 12, "step": "review_type", "version": 4,
     "payload": {"value": "serious_child"}}

`kind` says what to do, `draft` which draft referral, `step` the question the
button belonged to, `version` the conversation's version when it was shown (it
changes whenever an answer, the question or the draft changes) and `payload` the
answer or the answer to change. The core refuses a press whose draft, question
or version is no longer current, and says where the person is now. What people
type stays words (bot/referral/commands.py).
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from bot.errors import SgbotError

ChecklistKind = Literal["start", "answer", "submit", "change", "cancel"]
KINDS: frozenset[str] = frozenset({"start", "answer", "submit", "change", "cancel"})

StepId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,64}$")]
PayloadValue = Annotated[str, StringConstraints(max_length=200)]
# What each kind may carry in its payload.
PAYLOAD_FIELDS: dict[str, frozenset[str]] = {
    "start": frozenset(),
    "answer": frozenset({"value"}),
    "submit": frozenset(),
    "change": frozenset({"to"}),
    "cancel": frozenset(),
}


class ChecklistAction(BaseModel):
    """One checklist button's command, checked field by field (strictly: a version is a number)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    kind: ChecklistKind
    draft: Annotated[int, Field(ge=1)] | None = None
    step: StepId | None = None
    version: Annotated[int, Field(ge=0)] | None = None
    payload: Annotated[dict[str, PayloadValue], Field(max_length=2)] = Field(default_factory=dict)

    def to_json(self) -> str:
        data: dict[str, Any] = {"kind": self.kind}
        for name in ("draft", "step", "version"):
            if getattr(self, name) is not None:
                data[name] = getattr(self, name)
        if self.payload:
            data["payload"] = dict(self.payload)
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


class InvalidChecklistAction(SgbotError, ValueError):
    """A checklist button's value the core will not act on (unreadable or incomplete)."""


def kind_of(value: str | None) -> str | None:
    """The `kind` a typed action (JSON) names, without checking the rest; None if it is not one."""
    if value is None or not value.lstrip().startswith("{"):
        return None
    try:
        data = json.loads(value)
    except (ValueError, RecursionError):
        return None
    kind = data.get("kind") if isinstance(data, dict) else None
    return kind if isinstance(kind, str) else None


def is_checklist(value: str | None) -> bool:
    return kind_of(value) in KINDS


def read(value: str) -> ChecklistAction:
    """The checklist action a button sent, checked; raises `InvalidChecklistAction`."""
    try:
        typed = ChecklistAction.model_validate(json.loads(value))
    except (ValueError, ValidationError, RecursionError):
        raise InvalidChecklistAction("unreadable checklist action") from None
    if not set(typed.payload) <= PAYLOAD_FIELDS[typed.kind]:
        raise InvalidChecklistAction("unexpected payload")
    if typed.kind == "answer" and not (typed.step and typed.payload.get("value")):
        raise InvalidChecklistAction("an answer names its question and its value")
    if typed.kind != "start" and (typed.draft is None or typed.version is None):
        raise InvalidChecklistAction("a checklist action names the draft and the version seen")
    return typed


def stamp(value: str, draft: int | None, version: int) -> str:
    """A button value with the draft and the version it is shown at filled in (start buttons unchanged)."""
    typed = ChecklistAction.model_validate(json.loads(value))
    if typed.kind == "start" or draft is None:
        return value
    return typed.model_copy(update={"draft": draft, "version": version}).to_json()
