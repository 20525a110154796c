"""Recognising what a chat message asks the referral feature to do.

Kept apart from the conversation so that the same words mean the same thing in
every channel, and so the rules are easy to read in one place. Anything that
is not recognised here is either an answer to the current checklist step or a
question for Q&A.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

REFERENCE = r"PR-\d{4}-\d{4,}"
_REF = re.compile(rf"\b({REFERENCE})\b", re.IGNORECASE)
_VERSION = re.compile(r"\s@(\d+)\s*$")

_START = re.compile(
    r"^/?(refer|start|new referral|start (?:a )?referral)\b"
    r"|\b(refer (?:a|this|the) case|make a (?:practice )?review referral|practice review referral|"
    r"refer (?:a|this) case for (?:a )?review|new referral)\b",
    re.IGNORECASE,
)

CHECKLIST_WORDS = {
    "back": "back",
    "previous": "back",
    "help": "help",
    "?": "help",
    "cancel": "cancel",
    "stop": "cancel",
    "continue": "continue",
    "resume": "continue",
    "carry on": "continue",
    "submit": "submit",
    "change": "change",
}

TRIAGE_VERBS = {
    "show": "show",
    "assign": "assign",
    "request info": "request_info",
    "request information": "request_info",
    "accept": "accept",
    "redirect": "redirect",
    "decline": "decline",
    "not accept": "decline",
    "la-aware": "la_aware",
    "la aware": "la_aware",
    "panel-notified": "panel_notified",
    "panel notified": "panel_notified",
    "start-review": "start_review",
    "start review": "start_review",
    "complete": "complete",
    "close": "close",
}


@dataclass(frozen=True)
class Command:
    kind: str
    reference: str | None = None
    argument: str = ""  # the rest of the message after the verb and reference
    expected_version: int | None = None


def parse(text: str) -> Command | None:
    """The command in `text`, or None if it is an answer or a question."""
    stripped = " ".join(text.strip().split()) if "\n" not in text else text.strip()
    lowered = stripped.lower()
    if not stripped:
        return None
    if lowered in {"queue", "/queue", "review queue", "show queue", "my referrals", "/referrals"}:
        return Command("queue")
    if lowered in {"dashboard", "/dashboard", "open dashboard", "dashboard link"}:
        return Command("dashboard")
    if lowered in {"triage help", "queue help"}:
        return Command("triage_help")
    reply = re.match(rf"^/?reply\s+({REFERENCE})\s*(.*)$", stripped, re.IGNORECASE | re.DOTALL)
    if reply:
        return Command("reply", reply.group(1).upper(), reply.group(2).strip())
    for words, kind in sorted(TRIAGE_VERBS.items(), key=lambda item: -len(item[0])):
        if lowered.startswith(words + " ") and _REF.search(stripped):
            command = _triage(stripped, len(words), kind)
            if command is not None:
                return command
    if lowered in CHECKLIST_WORDS:
        return Command(CHECKLIST_WORDS[lowered])
    change = re.match(r"^change\s+(.+)$", lowered)
    if change:
        return Command("change", argument=change.group(1).strip())
    if _START.search(stripped) and not stripped.endswith("?") and len(stripped.split()) <= 12:
        return Command("start")
    return None


def _triage(text: str, verb_length: int, kind: str) -> Command | None:
    rest = text[verb_length:].strip()
    match = re.match(rf"^({REFERENCE})\b\s*(.*)$", rest, re.IGNORECASE | re.DOTALL)
    if not match:
        return None  # a sentence that happens to start with "show", not a command
    argument = match.group(2).strip()
    expected = None
    version = _VERSION.search(" " + argument)
    if version:
        expected = int(version.group(1))
        argument = _VERSION.sub("", " " + argument).strip()
    return Command(kind, match.group(1).upper(), argument, expected)


def question_in(text: str, *, free_text_step: bool) -> str | None:
    """A question asked in the middle of the checklist, if this message is one.

    `ask …` is always a question. A message ending in "?" is a question unless
    the current step expects free text, where a sentence may well end in "?".
    """
    stripped = text.strip()
    lowered = stripped.lower()
    if lowered.startswith("ask ") and len(stripped) > 4:
        return stripped[4:].strip()
    if lowered.startswith("/ask ") and len(stripped) > 5:
        return stripped[5:].strip()
    if not free_text_step and stripped.endswith("?") and len(stripped) > 1:
        return stripped
    return None
