"""`sgbot discuss`: take part in a case discussion from the terminal, or write its report.

The terminal is one more channel: each line becomes a `Message` in the
discussion's thread and goes through the assistant like a Slack or Teams
message. A discussion already running in Slack or Teams on the same referral is
joined there; otherwise the terminal session's thread is named after the
referral, so several people in several terminals share it.
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from bot.cli import app

if TYPE_CHECKING:
    from rich.console import Console

REPORT_FORMATS = {".docx": "Word", ".html": "HTML", ".htm": "HTML", ".md": "Markdown"}


@app.command()
def discuss(
    reference: str = typer.Argument(..., help="The referral or review, e.g. PR-2026-0007."),
    method: str = typer.Argument(None, help="Start one with this method: kolb, signs_of_safety, problem_tree."),
    user: str = typer.Option(None, "--user", "-u", help="Your user id (default: your login name)."),
    name: str = typer.Option(None, "--name", help="Your name, shown with your contributions."),
    email: str = typer.Option(None, "--email", help="Email (invitations and roles may name an email)."),
    report_file: str = typer.Option(
        None, "--report", help="Write the report of the latest discussion to this file (.docx, .html or .md) and exit."
    ),
) -> None:
    """A guided multi-agency case discussion on a referral (Kolb's cycle, Signs of Safety, the problem tree)."""
    from rich.console import Console
    from sqlalchemy.exc import DBAPIError

    from bot.discussion.text import say

    console = Console()
    try:
        _discuss(console, reference.strip().upper(), method, user or getpass.getuser(), name, email, report_file)
    except DBAPIError as exc:  # a database that is down is one clear line, never a traceback
        console.print(f"[red]{say('cli_database_down', problem=type(exc.orig).__name__)}[/red]")
        raise typer.Exit(2) from None


def _discuss(
    console: Console,
    reference: str,
    method: str | None,
    user_id: str,
    name: str | None,
    email: str | None,
    report_file: str | None,
) -> None:
    from sqlalchemy.exc import DBAPIError

    from bot.assistant import Assistant
    from bot.channels.terminal import TerminalChannel
    from bot.cli.conversation import typed_lines
    from bot.discussion.text import say
    from bot.referral.errors import QueueError
    from bot.referral.queue import Actor

    assistant = Assistant()
    service = assistant.discussions
    if report_file is not None:
        report = Path(report_file)
        kind = REPORT_FORMATS.get(report.suffix.lower())
        if kind is None:
            console.print(f"[red]{say('cli_report_format', given=report.name)}[/red]")
            raise typer.Exit(2)
        try:
            built = service.report(Actor(user_id, email), reference)
        except QueueError as problem:
            console.print(f"[red]{problem}[/red]")
            raise typer.Exit(1) from None
        if kind == "Word":
            report.write_bytes(built.to_docx())
        else:
            report.write_text(built.to_html() if kind == "HTML" else built.to_markdown(), encoding="utf-8")
        console.print(
            say("cli_report_written", kind=kind, title=built.method_title, reference=built.reference, path=report)
        )
        return

    thread = service.open_thread(reference) or f"terminal:discuss:{reference}"
    channel = TerminalChannel(user_id=user_id, console=console, display_name=name, email=email)
    # Invitations to people not at this terminal go to the outbox (the assistant publishes them).
    first = f"discuss {reference} {method}" if method else "status"
    console.print(f"[dim]{say('terminal_intro', reference=reference)}[/dim]\n")
    channel.render(assistant.handle(channel.message(first, thread_id=thread)))
    for line in typed_lines(console):
        try:
            channel.render(assistant.handle(channel.message(line, thread_id=thread)))
        except DBAPIError as exc:  # not saved: say so, and keep the session for when it is back
            console.print(f"[red]{say('cli_not_saved', problem=type(exc.orig).__name__)}[/red]")
