"""What the checklist conversation did, as typed results: never wording.

The conversation (bot/referral/conversation.py) decides and stores: the step to
ask next, an answer refused and why, the referral filed, the draft cancelled.
It returns these results in its `Turn`; the checklist presenter
(bot/referral/checklist_presenter.py) turns each into the `Reply`s every channel
renders, with the wording from prompts/referral.yaml and the checklist's YAML,
and the assistant routes them there (and looks up a `GuidanceSlot`'s passage).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from bot.referral.definition import Step

# Something that happened (or was refused) that needs no facts to be told.
NoticeKind = Literal[
    "start",  # a draft was started
    "resume",  # the draft under way is shown again
    "carry_on",  # a question answered mid-checklist, or a reply attached: back to the step
    "back_at_start",  # `back` at the first question
    "still_incomplete",  # Submit before every question is answered
    "nothing_to_cancel",
    "cancelled_reply",  # a reply to the business unit abandoned
    "button_unreadable",  # a checklist button whose action could not be read
    "button_other_draft",  # a button of another (or a finished) draft
    "button_stale",  # a button of a question no longer on screen
    "not_stored",  # storing what was typed failed (after the emergency route was decided)
]


@dataclass(frozen=True)
class GuidanceSlot:
    """Where a cited passage from the knowledge base goes, found by this query (from the YAML only)."""

    query: str


@dataclass(frozen=True)
class Notice:
    what: NoticeKind


@dataclass(frozen=True)
class Question:
    """The next question to ask (never the confirming last step: that is a `Summary`)."""

    step: Step
    answers: dict[str, Any]
    show_help: bool = True


@dataclass(frozen=True)
class Summary:
    """The answers so far (`answered`, in order), and the choice of Submit, Change or Cancel."""

    answered: list[Step]
    answers: dict[str, Any]


@dataclass(frozen=True)
class ChangeMenu:
    """Which of the `answered` steps to change."""

    answered: list[Step]
    answers: dict[str, Any]


@dataclass(frozen=True)
class StepHelp:
    """`help` at a step: its help text and where it comes from."""

    step: Step
    answers: dict[str, Any]


@dataclass(frozen=True)
class Problem:
    """Something typed or pressed was refused: an answer that does not fit the step, a queue refusal,
    an unreadable action. The error says what is wrong and how to put it right."""

    error: Exception


@dataclass(frozen=True)
class Note:
    """Words the checklist definition itself gives: a note on a parsed answer, an option that blocks."""

    text: str


@dataclass(frozen=True)
class UnknownStep:
    """`change <name>` naming no answered step; `steps` are the ones that could be changed."""

    given: str
    steps: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DraftWaiting:
    """Back after a while: the draft started on `started` waits with `count` answers saved."""

    started: datetime | None
    count: int


@dataclass(frozen=True)
class NoChecklist:
    """A checklist command or button with no checklist under way."""


@dataclass(frozen=True)
class AlreadySubmitted:
    reference: str


@dataclass(frozen=True)
class Filed:
    """The referral was submitted: its reference."""

    reference: str


@dataclass(frozen=True)
class Cancelled:
    """The draft ended: cancelled by the referrer, redirected elsewhere (`message` says where, from the
    checklist's YAML), or stopped because the case does not meet the criteria."""

    why: Literal["cancelled", "redirected", "criteria"]
    message: str = ""


@dataclass(frozen=True)
class EmergencyRoute:
    """Someone is at risk now: the emergency route, before anything else."""


@dataclass(frozen=True)
class EmergencyStop:
    """An answer that says someone is in danger now: the emergency route, and the checklist waits."""


@dataclass(frozen=True)
class ReplyPrompt:
    """The referrer is asked to type their reply to the business unit's request about `reference`."""

    reference: str


@dataclass(frozen=True)
class ReplyAttached:
    reference: str


ChecklistResult = (
    GuidanceSlot
    | Notice
    | Question
    | Summary
    | ChangeMenu
    | StepHelp
    | Problem
    | Note
    | UnknownStep
    | DraftWaiting
    | NoChecklist
    | AlreadySubmitted
    | Filed
    | Cancelled
    | EmergencyRoute
    | EmergencyStop
    | ReplyPrompt
    | ReplyAttached
)


@dataclass(frozen=True)
class Stamp:
    """The draft and version a turn's checklist buttons are shown at (a press names them back)."""

    draft: int | None
    version: int
