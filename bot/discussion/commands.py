"""Recognising what a message in a case discussion asks for.

Kept apart from the service so the same words mean the same thing in every
channel. Commands are whole short messages (`next`, `back`, `close`…) or start
with a fixed word (`invite`, `action`, `learning:`), so a contribution that
merely begins with "Next, the school called…" stays a contribution.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.referral.commands import REFERENCE

_START = re.compile(rf"^/?discuss(?:ion)?\s+({REFERENCE})\b\s*(.*)$", re.IGNORECASE | re.DOTALL)
_INVITE = re.compile(r"^invite\s+(\S+)\s+(.+)$", re.IGNORECASE | re.DOTALL)
_STAGE = re.compile(r"^(?:stage|go to|go back to|back to)\s+(.+)$", re.IGNORECASE)
_ACTION = re.compile(r"^(?:agreed\s+)?action\b[:\s]*(.*)$", re.IGNORECASE | re.DOTALL)
_ACTION_PARTS = re.compile(r"^(?P<owner>.+?)\s+by\s+(?P<due>[^:]+?)\s*:\s*(?P<text>.+)$", re.DOTALL)
_LEARNING = re.compile(r"^learning\s*:\s*(.+)$", re.IGNORECASE | re.DOTALL)
# A Slack mention as it arrives in message text: <@U0123> or <@U0123|name>.
_SLACK_MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")

WORDS = {
    "next": "next",
    "next stage": "next",
    "back": "back",
    "previous": "back",
    "previous stage": "back",
    "back a stage": "back",
    "close": "close",
    "close discussion": "close",
    "end discussion": "close",
    "report": "report",
    "status": "status",
    "where are we": "status",
    "help": "help",
    "?": "help",
}


@dataclass(frozen=True)
class DiscussionCommand:
    kind: str  # start | next | back | stage | close | report | status | help | invite | action | learning | ask
    reference: str | None = None
    argument: str = ""
    agency: str = ""  # invite: the agency; action: the owner
    due: str = ""  # action: the due date as typed


def parse_start(text: str) -> DiscussionCommand | None:
    """`discuss PR-2026-0007 kolb` (the method may be left out, to be chosen)."""
    match = _START.match(text.strip())
    if not match:
        return None
    return DiscussionCommand("start", reference=match.group(1).upper(), argument=match.group(2).strip())


def parse(text: str) -> DiscussionCommand | None:
    """The command in a message sent in a discussion's thread, or None for a contribution."""
    stripped = text.strip()
    lowered = " ".join(stripped.lower().split()).rstrip(".!")
    if lowered in WORDS:
        return DiscussionCommand(WORDS[lowered])
    start = parse_start(stripped)
    if start is not None:
        return start
    if lowered.startswith("ask ") and len(stripped) > 4:
        return DiscussionCommand("ask", argument=stripped[4:].strip())
    stage = _STAGE.match(stripped)
    if stage and len(stage.group(1).split()) <= 4:
        return DiscussionCommand("stage", argument=stage.group(1).strip())
    invite = _INVITE.match(stripped)
    if invite and len(stripped.split()) <= 10:
        return DiscussionCommand("invite", argument=identity_of(invite.group(1)), agency=invite.group(2).strip())
    if lowered == "invite":
        return DiscussionCommand("invite")
    learning = _LEARNING.match(stripped)
    if learning:
        return DiscussionCommand("learning", argument=learning.group(1).strip())
    action = _ACTION.match(stripped)
    if action and (stripped.lower().startswith(("action ", "action:", "agreed action"))):
        rest = action.group(1).strip()
        parts = _ACTION_PARTS.match(rest)
        if parts is None:
            return DiscussionCommand("action", argument=rest)
        return DiscussionCommand(
            "action",
            argument=parts.group("text").strip(),
            agency=parts.group("owner").strip(),
            due=parts.group("due").strip(),
        )
    return None


def identity_of(who: str) -> str:
    """Who an invitation names: a Slack mention becomes its user id; an email or id stays as it is."""
    mention = _SLACK_MENTION.match(who.strip())
    if mention:
        return mention.group(1)
    return who.strip().strip("<>").removeprefix("mailto:").split("|")[0]
