"""`sgbot queue list|show|triage|export|clocks`: the business unit's review queue on the command line.

Acts as `--as USER` (default: the first user in SGBOT_BUSINESS_UNIT); the same
role rules apply as in chat, so a practitioner sees only their own referrals.

What `triage` has to tell anyone (a question, a decision) is written to the
outbox with the change: the delivery worker of the channel they last spoke in
(`sgbot serve`) posts it, or, for someone who has only used the terminal, it
is shown at the start of their next message in any channel.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from typing import Any

import typer

from bot.cli import app

queue_app = typer.Typer(
    help="The review queue: list, show, triage and export referrals.", no_args_is_help=True
)
app.add_typer(queue_app, name="queue")

TRIAGE_ACTIONS = (
    "assign",
    "request-info",
    "accept",
    "redirect",
    "decline",
    "la-aware",
    "panel-notified",
    "start-review",
    "complete",
    "close",
)


def _queue():  # noqa: ANN202 - heavy imports stay inside commands
    from bot.config import get_settings
    from bot.db import get_database
    from bot.referral.queue import ReviewQueue

    settings = get_settings()
    return ReviewQueue(get_database(settings), settings)


def _actor(queue: Any, as_user: str | None) -> Any:
    from bot.referral.queue import Actor
    from bot.referral.roles import default_officer

    user = as_user or default_officer(queue.settings)
    if not user:
        typer.echo(
            "No user to act as: pass --as USER, or set SGBOT_BUSINESS_UNIT"
            " (comma-separated user ids or emails).",
            err=True,
        )
        raise typer.Exit(2)
    return Actor(user, user if "@" in user else None)


def _fail(problem: object) -> typer.Exit:
    typer.echo(str(problem), err=True)
    return typer.Exit(1)


@queue_app.command("list")
def list_command(
    as_user: str = typer.Option(None, "--as", help="Act as this user (default: first business-unit user)."),
    all_: bool = typer.Option(False, "--all", help="Include closed referrals."),
    limit: int = typer.Option(50, "--limit", help="At most this many (0: no limit)."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array."),
) -> None:
    """Referrals, what is due first at the top, with their clocks."""
    queue = _queue()
    rows = queue.listing(_actor(queue, as_user), include_closed=all_, limit=limit or None)
    if as_json:
        typer.echo(json.dumps([r.to_dict() for r in rows], indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    from bot.channels.terminal_text import plain
    from bot.referral.roles import sees_every_referral
    from bot.referral.statuses import ACCEPTED_TYPES
    from bot.referral.text import label, review_name, say

    actor = _actor(queue, as_user)
    if not sees_every_referral(queue.role(actor)):
        typer.echo(say("cli_not_business_unit", user=actor.user_id, count=len(rows)))
    if not rows:
        typer.echo(say("queue_empty"))
        return
    # Fits an 80-column terminal: long review-type names wrap inside their column.
    table = Table(title=f"Review queue ({len(rows)})", width=min(Console().width, 80), pad_edge=False)
    table.add_column("reference", no_wrap=True)
    table.add_column("status", max_width=12)
    table.add_column("review", ratio=1)
    table.add_column("next due", no_wrap=True)
    table.add_column("flag", max_width=8)
    table.add_column("assigned", max_width=14, overflow="fold")
    for row in rows:
        flag = "OVERDUE" if row.overdue else ("due soon" if row.due_soon else "")
        cells = (
            row.reference,
            label("status", row.status),
            review_name(row.decision if row.decision in ACCEPTED_TYPES else row.review_type),
            row.next_due or "-",
            flag,
            row.assigned_to or "-",
        )
        table.add_row(*(plain(cell) for cell in cells))  # never Rich markup
    Console().print(table)


@queue_app.command("show")
def show_command(
    reference: str = typer.Argument(..., help="e.g. PR-2026-0007"),
    as_user: str = typer.Option(None, "--as", help="Act as this user."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """One referral: answers, clocks and its full history."""
    from bot.referral.errors import QueueError
    from bot.referral.presenter import TriagePresenter
    from bot.referral.triage_chat import TriageChat

    queue = _queue()
    actor = _actor(queue, as_user)
    try:
        view = queue.show(actor, reference)
    except QueueError as problem:
        raise _fail(problem) from None
    if as_json:
        typer.echo(json.dumps(asdict(view), indent=2))
        return
    from rich.console import Console

    from bot.channels.terminal_text import markdown

    [card] = TriagePresenter(queue.settings.checklist).present(TriageChat(queue).shown(view, actor))
    Console().print(markdown(card.text))


@queue_app.command("triage")
def triage_command(
    reference: str = typer.Argument(..., help="e.g. PR-2026-0007"),
    action: str = typer.Argument(..., help=" | ".join(TRIAGE_ACTIONS)),
    to: str = typer.Option(None, "--to", help="assign: the officer (default: you)."),
    review_type: str = typer.Option(
        None, "--type", help="accept: rapid_review | lcspr | good_outcome_review | sar."
    ),
    reason: str = typer.Option(None, "--reason", help="accept / redirect / decline (required), close."),
    question: str = typer.Option(None, "--question", help="request-info: what you need to know."),
    when: str = typer.Option(None, "--date", help="la-aware / panel-notified: the date (e.g. 2026-03-14)."),
    expect_version: int = typer.Option(
        None, "--expect-version", help="Refuse if the referral changed since you saw this version."
    ),
    as_user: str = typer.Option(None, "--as", help="Act as this user."),
    as_json: bool = typer.Option(False, "--json", help="Print the referral and notifications as JSON."),
) -> None:
    """Assign, request more information, decide, record dates, or move a referral on."""
    from bot.referral.answers import InvalidAnswer, parse_date
    from bot.referral.errors import QueueError
    from bot.referral.presenter import done_reply  # words the result, and registers the events' wording
    from bot.referral.text import say

    if action not in TRIAGE_ACTIONS:
        raise _fail(f"Unknown action {action!r}: use one of {', '.join(TRIAGE_ACTIONS)}.")
    queue = _queue()
    actor = _actor(queue, as_user)
    version = expect_version
    try:
        if action == "assign":
            result = queue.assign(actor, reference, to, expected_version=version)
        elif action == "request-info":
            result = queue.request_info(actor, reference, question or "", expected_version=version)
        elif action == "accept":
            result = queue.decide(
                actor, reference, "accepted", reason or "", review_type=review_type, expected_version=version
            )
        elif action in {"redirect", "decline"}:
            outcome = "redirected" if action == "redirect" else "not_accepted"
            result = queue.decide(actor, reference, outcome, reason or "", expected_version=version)
        elif action in {"la-aware", "panel-notified"}:
            if not when:
                raise _fail(f"{action} needs --date, e.g. --date 2026-03-14.")
            which = action.replace("-", "_")
            result = queue.record_date(
                actor, reference, which, parse_date(when, queue.today()), expected_version=version
            )
        else:
            target = {"start-review": "in_review", "complete": "completed", "close": "closed"}[action]
            result = queue.move(actor, reference, target, reason=reason, expected_version=version)
    except (QueueError, InvalidAnswer) as problem:
        raise _fail(problem) from None
    message = done_reply(result).text
    if as_json:
        payload = {
            "message": message,
            "referral": asdict(result.referral),
            "notifications": [
                {
                    "audience": n.audience,
                    "text": n.reply.text,
                    "reference": n.referral_reference,
                    "held_for_next_message": n in result.held,
                    "channels": list(n.channels),
                }
                for n in result.notifications
            ],
        }
        typer.echo(json.dumps(payload, indent=2))
        return
    typer.echo(message)
    for note in result.notifications:
        first_line = note.reply.text.splitlines()[0]
        if note in result.held:
            typer.echo(say("cli_notification_held", audience=note.audience, summary=first_line))
        elif note.channels:
            where = ", ".join(channel.capitalize() for channel in note.channels)
            typer.echo(say("cli_notification_queued", audience=note.audience, channels=where, summary=first_line))
        else:
            typer.echo(f"(notification for {note.audience}: {first_line})")


@queue_app.command("export")
def export_command(
    format_: str = typer.Option("csv", "--format", help="csv (the only format so far)."),
    as_user: str = typer.Option(None, "--as", help="Act as this user."),
    output: str = typer.Option("-", "--output", "-o", help="File to write (default: standard output)."),
) -> None:
    """Every referral you may see, with status and clock dates, as CSV (no answers: content stays put)."""
    if format_ != "csv":
        raise _fail(f"Unknown format {format_!r}: only csv is supported.")
    queue = _queue()
    text = queue.export_csv(_actor(queue, as_user))
    if output == "-":
        sys.stdout.write(text)
    else:
        with open(output, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        typer.echo(f"Wrote {output}")


@queue_app.command("clocks")
def clocks_command(
    as_json: bool = typer.Option(False, "--json", help="Print the notices written as JSON."),
) -> None:
    """Tell the business unit of clocks newly due soon or overdue (once each; safe to run from cron).

    `sgbot serve` does the same every hour; this is for deployments that want it at a set time.
    """
    from bot.referral.clock_notices import publish_clock_notices

    notices = publish_clock_notices(_queue())
    if as_json:
        typer.echo(json.dumps([{**asdict(n), "due": n.due.isoformat()} for n in notices], indent=2))
        return
    for notice in notices:
        where = ", ".join(notice.channels) or "no business-unit channel configured"
        typer.echo(f"{notice.reference}: {notice.clock} {notice.threshold.replace('_', ' ')}"
                   f" (due {notice.due.isoformat()}) -> {where}")
    typer.echo(f"{len(notices)} clock notice(s) written.")
