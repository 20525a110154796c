"""The terminal channel: renders replies with rich and numbers the buttons.

Like every channel it only translates: a typed line becomes a `Message`, an
`Outcome` becomes text on the console. Typing a button's number presses it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from bot.channels.terminal_text import markdown, plain
from bot.messages import Button, Feedback, HandoffRequest, Message, Outcome, Reply
from bot.outbox import HELD
from bot.qa.answer import format_citation
from bot.referral.text import say

if TYPE_CHECKING:
    from bot.assistant import Assistant

# Step types whose answers are themselves numbers or free text: a typed number is an answer there.
_TYPED_ANSWERS = {"text", "number", "date", "multiselect"}


@dataclass
class TerminalChannel:
    user_id: str
    console: Console = field(default_factory=Console)
    display_name: str | None = None
    email: str | None = None
    area: str | None = None
    _buttons: list[Button] = field(default_factory=list)
    _expects_typed: bool = False
    _answers: int = 0  # answers shown so far: the id feedback refers to
    _last_sources: list[str] = field(default_factory=list)
    _asked: str | None = None  # the last question typed
    _last_question: str | None = None  # the question the last answer answered: a 👎 passes it on

    FEEDBACK_COMMANDS = ("/good", "/bad", "/handoff")

    def is_feedback(self, line: str) -> bool:
        return line.strip().split(" ", 1)[0].lower() in self.FEEDBACK_COMMANDS

    def feedback(self, line: str, assistant: Assistant) -> str:
        """`/good`, `/bad <reason>` or `/handoff <question>`: what Slack and Teams do with buttons, typed,
        and passed to the assistant as theirs are (so a 👎 brings its question)."""
        command, _, rest = line.strip().partition(" ")
        command = command.lower()
        if not self._answers:
            return say("terminal_feedback_nothing")
        conversation = f"terminal:{self.user_id}"
        if command == "/handoff":
            if not rest.strip():
                return say("terminal_handoff_question")
            request = HandoffRequest("terminal", conversation, str(self._answers), self.user_id, rest,
                                     display_name=self.display_name)
            return "\n\n".join(reply.text for reply in assistant.hand_off(request))
        if command == "/bad" and not rest.strip():
            return say("terminal_feedback_reason")
        feedback = Feedback("terminal", conversation, str(self._answers), self.user_id,
                            "up" if command == "/good" else "down", rest.strip() or None,
                            sources=list(self._last_sources), question=self._last_question)
        replies = assistant.rate(feedback)
        return "\n\n".join(reply.text for reply in replies)

    def message(self, line: str, *, thread_id: str | None = None) -> Message:
        """A typed line as a Message: a number of a shown button presses that button."""
        stripped = line.strip()
        if stripped.isdigit() and self._buttons and not self._expects_typed:
            index = int(stripped) - 1
            if 0 <= index < len(self._buttons):
                return self._message(action=self._buttons[index].value, thread_id=thread_id)
        self._asked = line.strip()
        return self._message(text=line, thread_id=thread_id)

    def _message(self, text: str | None = None, action: str | None = None, thread_id: str | None = None) -> Message:
        return Message(
            user_id=self.user_id,
            text=text,
            action=action,
            thread_id=thread_id,
            display_name=self.display_name,
            channel="terminal",
            area=self.area,
            email=self.email,
        )

    def render(self, outcome: Outcome) -> None:
        self._buttons = []
        for reply in outcome.replies:
            self._render_reply(reply)
        # The core has already queued every notification in the outbox: say where each went.
        for notification in outcome.notifications:
            summary = notification.reply.text.splitlines()[0] if notification.reply.text else ""
            if HELD in notification.channels:
                self.console.print(plain(say("cli_notification_held", audience=notification.audience,
                                             summary=summary), style="dim"))
                continue
            if notification.channels:
                where = ", ".join(channel.capitalize() for channel in notification.channels)
                self.console.print(plain(say("cli_notification_queued", audience=notification.audience,
                                             channels=where, summary=summary), style="dim"))
                continue
            target = (
                "the business unit" if notification.audience == "business_unit" else notification.audience
            )
            self.console.print(
                Panel(markdown(notification.reply.text), title=plain(f"notification for {target}"), style="dim")
            )
        expects = outcome.expects
        self._expects_typed = expects is not None and expects.type in _TYPED_ANSWERS

    def _render_reply(self, reply: Reply) -> None:
        body = markdown(reply.text)
        if reply.urgent:
            self.console.print(Panel(body, style="bold red", title="urgent"))
        else:
            self.console.print(body)
        if reply.citations:
            self._answers += 1
            self._last_sources = sorted({c.source for c in reply.citations})
            self._last_question = self._asked
        for citation in reply.citations:
            self.console.print(plain(format_citation(citation), style="cyan"))
        if reply.buttons:
            start = len(self._buttons)
            self._buttons.extend(reply.buttons)
            for number, button in enumerate(reply.buttons, start=start + 1):
                style = {"primary": "bold green", "danger": "bold red"}.get(button.style, "bold")
                self.console.print(Text(f"  {number}. ", style="bold") + plain(button.label, style=style))
        self.console.print()
