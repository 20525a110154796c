"""The referral's domain events that someone must hear of, as the outbox stores them.

Facts only: the kind, the referral's reference and what the wording needs (the
question or reason a person typed, the decision, a clock's due date). The
presenter (bot/referral/presenter.py) words them when they are delivered, for
the audience each is delivered to (prompts/referral_notices.yaml), so a
notification written before a wording change is told in the new wording, and
the outbox holds no text the core wrote.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from bot.messages import NoticeEvent


class RunningClock(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    due: str  # ISO date


class Submitted(NoticeEvent):
    """A new referral, told to the business unit."""

    kind: Literal["submitted"] = "submitted"
    reference: str
    review_type: str | None
    referrer: str  # the referrer's name as they gave it, or their user id
    clocks: list[RunningClock] = Field(default_factory=list)
    version: int  # the version the "assign to me" button acts on


class Assigned(NoticeEvent):
    """A referral assigned to someone by someone else, told to the assignee."""

    kind: Literal["assigned"] = "assigned"
    reference: str
    by: str | None = None  # the officer's display name; None when their platform gave none ("an officer")


class InfoRequested(NoticeEvent):
    """The business unit's question, told to the referrer and to the business unit (every channel of it)."""

    kind: Literal["info_requested"] = "info_requested"
    reference: str
    question: str  # as the officer typed it
    # For the business unit's wording; absent from rows written before it was told (told to the referrer only).
    referrer: str | None = None  # the referrer's name as they gave it
    by: str | None = None  # the officer who asked, by display name (None: worded "an officer")


class InfoProvided(NoticeEvent):
    """The referrer answered, told to the business unit (not what they answered: that is in the referral)."""

    kind: Literal["info_provided"] = "info_provided"
    reference: str
    referrer: str


class Decided(NoticeEvent):
    """The decision and its reason, told to the referrer and to the business unit (both of its channels)."""

    kind: Literal["decided"] = "decided"
    reference: str
    decision: str
    reason: str  # as the officer typed it
    # For the business unit's wording; absent from rows written before it was told (told to the referrer only).
    outcome: str | None = None  # accepted | redirected | not_accepted (decision is the review type if accepted)
    referrer: str | None = None  # the referrer's name as they gave it, or their user id
    by: str | None = None  # the officer who decided, by display name (None: worded "an officer")


class Progressed(NoticeEvent):
    """The review started or completed, told to the referrer and to the business unit (every channel of it)."""

    kind: Literal["review_started", "completed"]
    reference: str
    # For the business unit's wording; absent from rows written before it was told (told to the referrer only).
    referrer: str | None = None  # the referrer's name as they gave it
    by: str | None = None  # the officer who started or completed it, by display name


class ClockNoticed(NoticeEvent):
    """A statutory clock due soon or overdue, told to the business unit."""

    kind: Literal["clock_due_soon", "clock_overdue"]
    reference: str
    clock: str
    due: str  # ISO date
    days_left: int


ReferralNotice = Annotated[
    Submitted | Assigned | InfoRequested | InfoProvided | Decided | Progressed | ClockNoticed,
    Field(discriminator="kind"),
]
KINDS = (
    "submitted",
    "assigned",
    "info_requested",
    "info_provided",
    "decided",
    "review_started",
    "completed",
    "clock_due_soon",
    "clock_overdue",
)
_reader: TypeAdapter[ReferralNotice] = TypeAdapter(ReferralNotice)


def read(stored: dict[str, object]) -> ReferralNotice:
    """A stored event back as its typed model (raises `pydantic.ValidationError` if it is not one)."""
    return _reader.validate_python(stored)
