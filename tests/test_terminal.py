"""The terminal chat: numbered buttons, and feedback typed as commands."""

from __future__ import annotations

from rich.console import Console

from bot.assistant import Assistant
from bot.channels.terminal import TerminalChannel
from bot.config import Settings
from bot.db import get_database
from bot.feedback import list_feedback


def test_feedback_on_the_last_answer_is_recorded_with_its_sources(sample_settings: Settings) -> None:
    console = Console(record=True, width=120)
    channel = TerminalChannel(user_id="terminal-user", console=console)
    assistant = Assistant(sample_settings)
    db = get_database(sample_settings)

    assert "ask a question first" in channel.feedback("/good", assistant)
    channel.render(assistant.handle(channel.message("What are the four levels of need?")))
    assert "say what was wrong" in channel.feedback("/bad", assistant)
    assert "recorded" in channel.feedback("/bad the table is hard to read", assistant)

    (feedback,) = [f for f in list_feedback(db, "terminal") if f.user_id == "terminal-user"]
    assert feedback.rating == "down"
    assert feedback.reason == "the table is hard to read"
    assert feedback.sources == ["continuum-of-need.md"]
    assert "[1] Continuum of need" in console.export_text()


def test_a_typed_number_presses_the_shown_button(sample_settings: Settings) -> None:
    channel = TerminalChannel(user_id="terminal-referrer", console=Console(record=True))
    assistant = Assistant(sample_settings)

    channel.render(assistant.handle(channel.message("refer")))
    pressed = channel.message("1")

    assert pressed.action is not None and pressed.text is None
