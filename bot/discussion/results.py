"""What the case discussion engine did, as typed results: never wording.

The engine (bot/discussion/service.py) decides and stores: a discussion started,
a contribution saved, an action agreed, the stage moved, the discussion closed,
a command refused and why. It returns these results in its `DiscussionTurn`; the
discussion presenter (bot/discussion/presenter.py) turns each into the `Reply`s
every channel renders, with the wording from prompts/discussion.yaml and the
method's YAML, and the assistant routes them there (and looks up a
`GuidanceSlot`'s passage). The emergency route, the one every free-text path
shares (bot/safety/emergency.py), comes already worded and passes through.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from bot.discussion.method import DiscussionMethod, Stage
from bot.discussion.report import DiscussionReport
from bot.messages import NoticeEvent, Notification, Reply
from bot.referral.answers import InvalidAnswer
from bot.referral.checklist_results import GuidanceSlot
from bot.reviews.action_plans import ActionPlanError

# Something that happened (or was refused) that needs no facts to be told.
NoticeKind = Literal[
    "usage",  # `help` in a discussion
    "concurrent_change",  # another facilitator's move won the race: nothing was written
    "button_unreadable",  # a discussion button whose action could not be read
    "button_stale",  # a stage button of an earlier stage or version (the stage as it is follows)
    "empty",  # nothing left to save once the contribution was cleaned
    "invite_usage",  # `invite` without whom or for which agency
    "at_first_stage",  # `back` at the first stage
    "at_last_stage",  # `next` at the last stage
]


INVITED = "discussion_invited"


class DiscussionInvited(NoticeEvent):
    """An invitation to a case discussion, as the outbox keeps it: the reference and method, never case content.
    The discussion presenter words it (`invitation_reply`), where it is shown and at delivery."""

    kind: Literal["discussion_invited"] = "discussion_invited"
    reference: str
    title: str  # the method's name (prompts/discussions/<method>.yaml)
    agency: str
    facilitator: str


@dataclass(frozen=True)
class Stamp:
    """The discussion and version a stage's buttons are shown at (a press names them back)."""

    discussion: int
    version: int


@dataclass(frozen=True)
class Notice:
    what: NoticeKind


@dataclass(frozen=True)
class OtherDiscussion:
    """A stage button of a discussion on `reference` that no longer runs in this thread."""

    reference: str


@dataclass(frozen=True)
class NotBusinessUnit:
    """Someone outside the business unit asked to start a discussion on `reference`."""

    reference: str


@dataclass(frozen=True)
class ReferralMissing:
    """No submitted referral `reference`."""

    reference: str


@dataclass(frozen=True)
class MethodMenu:
    """Which method to start a discussion on `reference` with."""

    reference: str


@dataclass(frozen=True)
class UnknownMethodAsked:
    """`discuss PR-… <given>` naming no method; `methods` are the ones there are."""

    given: str
    methods: tuple[str, ...]
    reference: str


@dataclass(frozen=True)
class NoThread:
    """A discussion asked for where there is no thread to run it in."""

    reference: str
    method: str


@dataclass(frozen=True)
class AlreadyRunning:
    """A discussion with `method` already runs on `reference` in this thread."""

    method: DiscussionMethod
    reference: str


@dataclass(frozen=True)
class Started:
    method: DiscussionMethod
    reference: str
    facilitator: str


@dataclass(frozen=True)
class StagePrompt:
    """A stage of `method`, what it asks and the buttons to move on; `stamp` once the turn is flushed."""

    method: DiscussionMethod
    stage: Stage
    reference: str
    stamp: Stamp | None = None


@dataclass(frozen=True)
class NotInvited:
    """Someone not invited (and not the business unit) cannot read or add; `facilitator` can invite."""

    facilitator: str


@dataclass(frozen=True)
class NotFacilitator:
    """Only the facilitator does `what`."""

    facilitator: str
    what: Literal["invite", "close", "move"]


@dataclass(frozen=True)
class TooLong:
    """A contribution over the limit: nothing was saved."""

    length: int
    limit: int


@dataclass(frozen=True)
class RatingProblem:
    """A scale stage's contribution kept without a rating: none given (`rating` None), or off the scale."""

    rating: int | None
    minimum: int
    maximum: int


@dataclass(frozen=True)
class Saved:
    """A contribution (at `stage`, a title) or a learning point saved, from `agency` by `person`."""

    kind: Literal["contribution", "learning"]
    agency: str
    stage: str
    person: str
    problem: RatingProblem | None = None


@dataclass(frozen=True)
class ActionNotHere:
    """An action typed at a stage without actions, saved as a contribution to `stage` instead;
    `stages` (titles) are where actions are agreed."""

    stages: tuple[str, ...]
    stage: str


@dataclass(frozen=True)
class ActionUsage:
    """An action without an owner agency or due date, or with a date that could not be read (`problem`)."""

    problem: InvalidAnswer | None = None


@dataclass(frozen=True)
class ActionRefused:
    """The review's action plan refused the action."""

    error: ActionPlanError


@dataclass(frozen=True)
class ActionSaved:
    """An action agreed: on the review's action plan (`on_plan`) or in the referral's history."""

    owner: str
    due: date
    text: str
    reference: str
    on_plan: bool


@dataclass(frozen=True)
class Invited:
    """`who` invited for `agency` (`again`: already in it, now for that agency)."""

    who: str
    agency: str
    again: bool


@dataclass(frozen=True)
class Moved:
    """The facilitator moved the discussion to stage `number` (`back`: to an earlier one)."""

    facilitator: str
    number: int
    back: bool


@dataclass(frozen=True)
class UnknownStage:
    """`stage <given>` naming no stage of the method."""

    given: str
    method: DiscussionMethod


@dataclass(frozen=True)
class Status:
    """Where a discussion is and who is in it (`participants`: name and agency)."""

    method: DiscussionMethod
    reference: str
    open: bool
    stage: Stage
    facilitator: str
    participants: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Report:
    """The discussion's report, as it stands."""

    report: DiscussionReport


@dataclass(frozen=True)
class Closed:
    """The facilitator closed the discussion: its counts, then its report."""

    method: DiscussionMethod
    reference: str
    report: DiscussionReport


DiscussionResult = (
    Notice
    | OtherDiscussion
    | NotBusinessUnit
    | ReferralMissing
    | MethodMenu
    | UnknownMethodAsked
    | NoThread
    | AlreadyRunning
    | Started
    | StagePrompt
    | NotInvited
    | NotFacilitator
    | TooLong
    | Saved
    | ActionNotHere
    | ActionUsage
    | ActionRefused
    | ActionSaved
    | Invited
    | Moved
    | UnknownStage
    | Status
    | Report
    | Closed
)

# One part of a discussion's turn: the emergency route (already worded), a guidance passage to look up,
# or a result for the discussion presenter to word.
DiscussionPart = Reply | GuidanceSlot | DiscussionResult


@dataclass
class DiscussionTurn:
    """What the engine produced for one message; the assistant answers `question`, looks up guidance and
    has the results worded (`DiscussionService.words`)."""

    replies: list[DiscussionPart] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)
    question: str | None = None  # `ask …` in a discussion: answered by Q&A
