"""Channel-neutral messages: what every channel turns its events into, and back.

Channels (terminal, Slack, Teams) translate platform events into a `Message` and
render a `Reply`; nothing here knows about any platform.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

ChannelKind = Literal["terminal", "converse", "slack", "teams", "test"]


@dataclass(frozen=True)
class Message:
    """One thing a user said or clicked."""

    user_id: str
    text: str | None = None
    action: str | None = None  # the value of a button the user pressed
    thread_id: str | None = None  # thread / conversation the message belongs to
    display_name: str | None = None
    channel: ChannelKind = "test"
    area: str | None = None  # area the channel or user belongs to, if known
    email: str | None = None

    @property
    def content(self) -> str:
        return (self.action if self.action is not None else self.text) or ""


@dataclass(frozen=True)
class Button:
    label: str
    value: str
    style: Literal["default", "primary", "danger"] = "default"


@dataclass(frozen=True)
class Citation:
    number: int
    source: str
    title: str
    section: str
    area: str
    kind: str
    effective: str | None
    review_by: str | None
    source_url: str | None
    out_of_date: bool
    text: str
    score: float
    updated_on: str | None = None  # the section changed on this date, recently (see bot/procedures)


@dataclass(frozen=True)
class Expectation:
    """What kind of answer the assistant expects next (a checklist step), if any."""

    step: str
    type: str
    options: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Reply:
    """One message the assistant says back."""

    text: str
    buttons: list[Button] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    urgent: bool = False
    card: dict[str, Any] | None = None  # optional structured content (summary, referral)
    expects: Expectation | None = None


def stamp_buttons(reply: Reply, ours: Callable[[str], bool], stamp: Callable[[str], str]) -> Reply:
    """`reply` with each button whose value `ours` claims re-valued by `stamp` (the version it is shown at)."""
    if not any(ours(button.value) for button in reply.buttons):
        return reply
    return replace(reply, buttons=[replace(b, value=stamp(b.value)) if ours(b.value) else b for b in reply.buttons])


class NoticeEvent(BaseModel):
    """What happened, as facts (a kind and what the wording needs), never as wording.

    The outbox stores this as JSON and the feature's presenter words it when it is
    delivered, for the audience and channel it goes to: a wording change reaches
    notifications not yet delivered, and the database holds no text the core wrote,
    only what people typed (a question, a reason). Each feature subclasses it with
    `kind` as a `Literal` and registers its presenter (`bot.outbox.events.register`).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str


@dataclass(frozen=True)
class Notification:
    """A reply addressed to someone other than the sender (e.g. the business unit).

    With a `notice`, the outbox stores the event and words it again at delivery; `reply`
    is its wording now, for whoever shows it at once (the terminal, the command line).
    """

    audience: str  # "business_unit" or a user id
    reply: Reply
    referral_reference: str | None = None
    event: str | None = None  # what happened: "submitted", "info_requested", "decided", …
    # Where the outbox queued it ("slack", "teams", "held"), once published.
    channels: tuple[str, ...] = ()
    notice: NoticeEvent | None = None


@dataclass
class Outcome:
    """Everything the assistant produced for one message."""

    replies: list[Reply] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)

    @property
    def expects(self) -> Expectation | None:
        for reply in reversed(self.replies):
            if reply.expects is not None:
                return reply.expects
        return None
