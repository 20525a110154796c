"""`sgbot chat` (interactive, rich) and `sgbot converse` (JSON lines, for scripts and tests)."""

from __future__ import annotations

import getpass
import json
import logging
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import typer

from bot.cli import app

if TYPE_CHECKING:
    from rich.console import Console


def typed_lines(console: Console) -> Iterator[str]:
    """The lines a person types at the terminal prompt, blank ones skipped, until quit, Ctrl-D or Ctrl-C."""
    while True:
        try:
            line = console.input("[bold cyan]you>[/bold cyan] ")
        except (EOFError, KeyboardInterrupt):
            console.print()
            return
        if line.strip().lower() in {"quit", "exit", "/quit"}:
            return
        if line.strip():
            yield line


@app.command()
def chat(
    user: str = typer.Option(None, "--user", "-u", help="Your user id (default: your login name)."),
    name: str = typer.Option(None, "--name", help="Display name."),
    email: str = typer.Option(None, "--email", help="Email (roles may be configured by email)."),
    area: str = typer.Option(None, "--area", help="Your area, e.g. Northshire."),
) -> None:
    """Chat with the assistant in the terminal: questions, `refer` for the checklist, `queue` for triage."""
    from rich.console import Console

    from bot.assistant import Assistant
    from bot.channels.terminal import TerminalChannel

    console = Console()
    channel = TerminalChannel(
        user_id=user or getpass.getuser(), console=console, display_name=name, email=email, area=area
    )
    assistant = Assistant()
    from bot.db import get_database

    # Open (and migrate) the database before the first prompt: a database that is down is then one clear
    # line and exit status 1 (the CLI's error root), not a chat that fails on the first message.
    get_database(assistant.settings)
    console.print(
        "[bold]Safeguarding practice assistant[/bold]: ask a question, type [bold]refer[/bold] to "
        "refer a case for a practice review, or [bold]quit[/bold]. Type a number to press a button.\n"
    )
    if assistant.referrals.has_draft(channel.user_id):  # a restarted chat: the draft is waiting
        channel.render(assistant.handle(channel.message("continue")))
    for line in typed_lines(console):
        try:
            if channel.is_feedback(line):
                console.print(channel.feedback(line, assistant))
                continue
            channel.render(assistant.handle(channel.message(line)))
        except Exception as exc:
            from bot.serving.errors import database_unavailable_line, is_database_unavailable

            if not is_database_unavailable(exc):
                raise
            # One line, and the chat goes on: the draft so far is safe in the database.
            console.print(database_unavailable_line(exc, assistant.settings, in_chat=True), style="red",
                          markup=False, highlight=False)


def outcome_json(outcome: Any) -> dict[str, Any]:
    """The converse wire format: replies (text, buttons) and what is expected next."""
    expects = outcome.expects
    return {
        "replies": [
            {"text": r.text, "buttons": [{"label": b.label, "value": b.value} for b in r.buttons]}
            for r in outcome.replies
        ],
        "expects": None
        if expects is None
        else {"step": expects.step, "type": expects.type, "options": list(expects.options)},
    }


def _error_line(problem: str) -> dict[str, Any]:
    return {"replies": [{"text": problem, "buttons": []}], "expects": None, "error": problem}


@app.command()
def converse(
    user: str = typer.Option(..., "--user", "-u", help="The user id this conversation is for."),
    name: str = typer.Option(None, "--name", help="Display name."),
    email: str = typer.Option(None, "--email", help="Email (roles may be configured by email)."),
    area: str = typer.Option(None, "--area", help="The user's area."),
) -> None:
    """Lockstep JSON lines: each line in ({"text": ...} or {"action": ...}) gives exactly one line out.

    Out: {"replies": [{"text", "buttons": [{"label", "value"}]}],
          "expects": {"step", "type", "options"} | null}.
    State lives in the database: after a restart, `{"text": "continue"}` brings back the step you were on.
    """
    from bot.assistant import Assistant
    from bot.messages import Message

    assistant = Assistant()
    for raw in sys.stdin:
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            _emit(
                _error_line(
                    f'That line is not JSON ({exc.msg}); send {{"text": "..."}} or {{"action": "..."}}.'
                )
            )
            continue
        if not isinstance(data, dict) or not (
            isinstance(data.get("text"), str) or isinstance(data.get("action"), str)
        ):
            _emit(_error_line('Each line must be a JSON object with a string "text" or "action".'))
            continue
        message = Message(
            user_id=user,
            text=data.get("text") if isinstance(data.get("text"), str) else None,
            action=data.get("action") if isinstance(data.get("action"), str) else None,
            thread_id=data.get("thread") if isinstance(data.get("thread"), str) else None,
            display_name=name,
            channel="converse",
            area=area,
            email=email,
        )
        try:
            outcome = assistant.handle(message)
        except Exception as exc:  # one line out for every line in, even when something breaks
            logging.getLogger(__name__).exception("converse: message failed")
            _emit(_error_line(f"Something went wrong handling that message ({type(exc).__name__}): {exc}"))
            continue
        _emit(outcome_json(outcome))


def _emit(line: dict[str, Any]) -> None:
    # JSON escapes C0 controls, but C1 controls and bidi overrides would reach a terminal reading
    # this raw: every string goes out with them made visible, like everything the terminal shows.
    sys.stdout.write(json.dumps(_visible(line), ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _visible(value: Any) -> Any:
    from bot.safety.text import visible

    if isinstance(value, str):
        return visible(value)
    if isinstance(value, dict):
        return {key: _visible(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_visible(item) for item in value]
    return value
