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


@dataclass(frozen=True, init=False)
class Notification:
    """Someone other than the sender (e.g. the business unit) is told something.

    With a `notice`, the outbox stores the event and words it at delivery, for the channel; a feature
    that words nothing (the review queue, the case discussion) gives the event only, and its presenter
    words it where it is shown at once (`reply`, read by the terminal and the command line). `worded`
    is the wording a feature gave (document-change notices, rows held before events, held notices).
    """

    audience: str  # "business_unit" or a user id
    referral_reference: str | None = None
    event: str | None = None  # what happened: "submitted", "info_requested", "decided", …
    # Where the outbox queued it ("slack", "teams", "held"), once published.
    channels: tuple[str, ...] = ()
    notice: NoticeEvent | None = None
    worded: Reply | None = None

    def __init__(
        self,
        audience: str,
        reply: Reply | None = None,
        referral_reference: str | None = None,
        event: str | None = None,
        channels: tuple[str, ...] = (),
        notice: NoticeEvent | None = None,
        *,
        worded: Reply | None = None,
    ) -> None:
        if reply is None and worded is None and notice is None:
            raise ValueError("a notification needs an event (notice) or its wording (reply)")
        object.__setattr__(self, "audience", audience)
        object.__setattr__(self, "referral_reference", referral_reference)
        object.__setattr__(self, "event", event)
        object.__setattr__(self, "channels", channels)
        object.__setattr__(self, "notice", notice)
        object.__setattr__(self, "worded", reply if reply is not None else worded)

    @property
    def reply(self) -> Reply:
        """Its wording now, for whoever shows it at once: the event worded by its feature's presenter
        (registered with the outbox, bot/outbox/events.py), or the wording it came with."""
        if self.worded is not None:
            return self.worded
        if _word_notice is None:
            raise LookupError("no presenters are loaded to word notifications (bot.outbox.events)")
        return _word_notice(self)


# How a notification's event is worded where it is shown: set by the outbox, which holds the features'
# presenters (bot/outbox/events.py) and sits above this module.
_word_notice: Callable[[Notification], Reply] | None = None


def word_notices_with(wording: Callable[[Notification], Reply]) -> None:
    global _word_notice
    _word_notice = wording


Rating = Literal["up", "down"]


@dataclass(frozen=True)
class Feedback:
    """A 👍 or 👎 on an answer, as a channel received it (the assistant's `rate` records it)."""

    platform: str
    conversation: str  # channel / conversation id
    message: str  # the answer's message id (Slack ts, Teams activity id, terminal answer number)
    user_id: str
    rating: Rating
    reason: str | None = None
    category: str | None = None  # a key of `FeedbackForm.choices`
    sources: list[str] = field(default_factory=list)  # cited document ids
    at: str = ""
    # The question the rated answer answered, as the channel showed it. Never stored with the feedback:
    # a 👎 passes it to the knowledge gaps, which keep it redacted, and only when keeping questions is on.
    question: str | None = None


@dataclass(frozen=True)
class HandoffRequest:
    """ "Ask the business unit", as a channel received it (the assistant's `hand_off` passes it on)."""

    platform: str
    conversation: str
    thread: str
    user_id: str
    question: str
    display_name: str | None = None
    link: str | None = None  # back to the conversation, where the platform has one


@dataclass(frozen=True)
class FeedbackForm:
    """What every channel draws under an answer: 👍, 👎 with its reason form, and "Ask the business
    unit" with its question box. The core's choices and wording (prompts/feedback.yaml and
    prompts/handoff.yaml); a channel lays them out as buttons, a modal or a card."""

    up: str
    down: str
    title: str
    intro: str
    choice_label: str
    choice_missing: str
    choices: dict[str, str]  # the 👎 reasons, key → label; the core keeps a key it does not know as "other"
    reason_label: str
    reason_placeholder: str
    send: str
    cancel: str
    handoff_button: str
    handoff_title: str
    handoff_intro: str
    handoff_question_label: str


def feedback_form() -> FeedbackForm:
    from bot.prompts import say_from

    def feedback(name: str) -> str:
        return say_from("feedback.yaml", name)

    def handoff(name: str) -> str:
        return say_from("handoff.yaml", name)

    return FeedbackForm(
        up=feedback("up"),
        down=feedback("down"),
        title=feedback("title"),
        intro=feedback("intro"),
        choice_label=feedback("choice_label"),
        choice_missing=feedback("choice_missing"),
        choices=feedback_choices(),
        reason_label=feedback("reason_label"),
        reason_placeholder=feedback("reason_placeholder"),
        send=feedback("send"),
        cancel=feedback("cancel"),
        handoff_button=handoff("button"),
        handoff_title=handoff("title"),
        handoff_intro=handoff("intro"),
        handoff_question_label=handoff("question_label"),
    )


def feedback_choices() -> dict[str, str]:
    """The 👎 reasons, key → label (prompts/feedback.yaml): what the channels offer and the core accepts."""
    from bot.prompts import load_yaml

    data = load_yaml("feedback.yaml") or {}
    return {str(k): str(v) for k, v in (data.get("choices") or {}).items()}


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
