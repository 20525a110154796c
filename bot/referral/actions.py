"""Typed actions: what a triage button or form carries, as JSON, and how the core checks it.

A button used to carry the very text an officer could type (`accept PR-… TYPE
REASON @3`), which the core then parsed back with regular expressions; a reason
with an `@7` at its end, or a form's newlines, changed what was done. Now a
button's value (a Slack block action value or modal `private_metadata`, a Teams
`Action.Submit` data field, a terminal choice) is a small JSON command:

    {"kind": "decide", "reference": "PR-2026-0001", "version": 3,
     "payload": {"decision": "rapid_review", "reason": "…"}}

`kind` says what to do, `reference` to which referral, `version` is the version
the person saw (a decision on an out-of-date view is refused, not applied) and
`payload` holds what a form asked for. Channels carry the JSON without reading
it; a form's fields are merged in by `complete_form`. The core reads every
action with `read`: anything unreadable, unknown or incomplete is refused with a
message that says what to do instead, never an error page. Text commands remain
only for what people type (bot/referral/commands.py), and become the same
`TriageAction` before anything is done.
"""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from bot.messages import Button
from bot.prompts import say_from
from bot.referral import statuses as st
from bot.referral.errors import QueueError

ActionKind = Literal[
    "show",
    "assign",
    "request_info",
    "decide",
    "la_aware",
    "panel_notified",
    "start_review",
    "complete",
    "close",
    "reply",
]

# Decisions go into the referral's history and to the referrer: a word is not a reason.
REASON_MINIMUM = 10
REASON_MAXIMUM = 3000
DECISIONS = (*st.ACCEPTED_TYPES, st.REDIRECTED, st.NOT_ACCEPTED)
# Slack limits a button's value to 2000 characters; nothing a button carries comes near it.
VALUE_LIMIT = 2000

# What each kind may carry, and must carry, in its payload.
PAYLOAD_FIELDS: dict[str, frozenset[str]] = {
    "show": frozenset(),
    "assign": frozenset({"to"}),
    "request_info": frozenset({"question"}),
    "decide": frozenset({"decision", "reason"}),
    "la_aware": frozenset({"date"}),
    "panel_notified": frozenset({"date"}),
    "start_review": frozenset(),
    "complete": frozenset(),
    "close": frozenset(),
    "reply": frozenset(),
}
REQUIRED_FIELDS: dict[str, frozenset[str]] = {
    "request_info": frozenset({"question"}),
    "decide": frozenset({"decision", "reason"}),
    "la_aware": frozenset({"date"}),
    "panel_notified": frozenset({"date"}),
}
# The field a form's free text goes in, per kind of form.
TEXT_FIELD = {"request_info": "question", "decide": "reason"}

Reference = Annotated[str, StringConstraints(pattern=r"^PR-\d{4}-\d{4,8}$")]
PayloadText = Annotated[str, StringConstraints(max_length=REASON_MAXIMUM)]


class TriageAction(BaseModel):
    """One typed command: checked field by field (strictly: a version is a number, not "3")."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    kind: ActionKind
    reference: Reference
    version: Annotated[int, Field(ge=0)] | None = None
    payload: Annotated[dict[str, PayloadText], Field(max_length=4)] = Field(default_factory=dict)

    def to_json(self) -> str:
        data: dict[str, Any] = {"kind": self.kind, "reference": self.reference}
        if self.version is not None:
            data["version"] = self.version
        if self.payload:
            data["payload"] = dict(self.payload)
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False)

    def field(self, name: str) -> str:
        return self.payload.get(name, "")


class ActionProblem(Enum):
    """Why an action is refused; each has its wording in prompts/queue.yaml (`action_<value>`)."""

    UNREADABLE = "unreadable"
    REASON_TOO_SHORT = "reason_too_short"
    NO_DECISION = "no_decision"
    TEXT_TOO_LONG = "text_too_long"
    BAD_PAYLOAD = "bad_payload"


# A form's problems the channel shows next to the box (Slack) or as a reply (Teams).
FormProblem = ActionProblem


class InvalidAction(QueueError):
    """A button or form sent something the core will not act on; `str()` says what to do instead."""

    def __init__(self, problem: ActionProblem) -> None:
        super().__init__(
            say_from("queue.yaml", f"action_{problem.value}", minimum=REASON_MINIMUM, maximum=REASON_MAXIMUM)
        )
        self.problem = problem


def is_typed(value: str | None) -> bool:
    """Whether a button value is a typed action (JSON), not a checklist choice or a text command."""
    return value is not None and value.lstrip().startswith("{")


def action(kind: ActionKind, reference: str, version: int | None = None, **payload: str) -> TriageAction:
    return TriageAction(kind=kind, reference=reference, version=version, payload=payload)


def action_button(
    label: str,
    kind: ActionKind,
    reference: str,
    version: int | None = None,
    style: Literal["default", "primary", "danger"] = "default",
    **payload: str,
) -> Button:
    return Button(label, action(kind, reference, version, **payload).to_json(), style)


def read(value: str | dict[str, Any]) -> TriageAction:
    """The action a button or form sent, checked; raises `InvalidAction` naming what is wrong."""
    try:
        data = json.loads(value) if isinstance(value, str) else value
        typed = TriageAction.model_validate(data)
    except (ValueError, ValidationError, RecursionError):  # not JSON, or not an action we know
        raise InvalidAction(ActionProblem.UNREADABLE) from None
    problem = _problem(typed)
    if problem is not None:
        raise InvalidAction(problem)
    return typed


def decode(value: str) -> TriageAction | None:
    """The action in a button value, or None (a checklist choice, a text command, or unreadable)."""
    if not is_typed(value):
        return None
    try:
        return read(value)
    except InvalidAction:
        return None


def _problem(typed: TriageAction) -> ActionProblem | None:
    given = set(typed.payload)
    if not given <= PAYLOAD_FIELDS[typed.kind] or not REQUIRED_FIELDS.get(typed.kind, frozenset()) <= given:
        return ActionProblem.BAD_PAYLOAD
    text_field = TEXT_FIELD.get(typed.kind)
    if text_field and len(one_line(typed.field(text_field))) < REASON_MINIMUM:
        return ActionProblem.REASON_TOO_SHORT
    if typed.kind == "decide" and typed.field("decision") not in DECISIONS:
        return ActionProblem.NO_DECISION
    return None


def complete_form(base: str | dict[str, Any], fields: dict[str, str]) -> str | ActionProblem:
    """A form's action with what the person filled in, as JSON; or the problem to show by the box.

    `base` is the action the form was opened with (kind, reference, version), as the channel
    kept it. If it cannot be read it is passed on unchanged, for the core to refuse in its words.
    """
    try:
        data = json.loads(base) if isinstance(base, str) else dict(base)
        opened = TriageAction.model_validate(data)
    except (ValueError, ValidationError, RecursionError):
        return base if isinstance(base, str) else json.dumps(base)
    payload = dict(opened.payload)
    typed_text = one_line(str(fields.get(TEXT_FIELD.get(opened.kind, "")) or ""))
    if len(typed_text) > REASON_MAXIMUM:  # refused by the box, never cut short: nothing typed is lost
        return ActionProblem.TEXT_TOO_LONG
    for name in PAYLOAD_FIELDS[opened.kind]:  # a field left out is an empty one: "choose a decision"
        payload[name] = one_line(str(fields.get(name) or ""))[:REASON_MAXIMUM]
    filled = opened.model_copy(update={"payload": payload})
    problem = _problem(filled)
    if problem in (ActionProblem.REASON_TOO_SHORT, ActionProblem.NO_DECISION):
        return problem
    return filled.to_json()


def form_kind(base: str | dict[str, Any]) -> str | None:
    """"request_info" or "decide" for a form's action (which form to draw), else None."""
    try:
        data = json.loads(base) if isinstance(base, str) else base
        kind = data.get("kind") if isinstance(data, dict) else None
    except (ValueError, RecursionError):
        return None
    return kind if kind in TEXT_FIELD else None


def one_line(text: str) -> str:
    # As an officer would type it: one line, single spaces (a modal keeps the newlines).
    return " ".join(text.split())
