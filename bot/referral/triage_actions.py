"""What a channel's triage form ("Request more information", "Decide…") turns into, in any channel.

A decision or a request needs a reason, which a button cannot carry, so each
channel shows a form (a Slack modal, a Teams card) that asks for one. What the
form submits becomes the very command an officer could type
(`request info PR-… QUESTION @v`, `accept PR-… TYPE REASON @v`, `redirect …`,
`decline …`; see bot/referral/commands.py), so the assistant checks roles,
versions and transitions exactly as for typed commands and records every
decision in the referral's history. Channels only draw the form and say the
problems in their own words; the rules live here, once.
"""

from __future__ import annotations

import re
from enum import Enum

from bot.messages import Reply
from bot.prompts import load_yaml
from bot.referral import statuses as st

# Decisions go into the referral's history and to the referrer: a word is not a reason.
REASON_MINIMUM = 10
ACCEPTED_TYPES = st.ACCEPTED_TYPES
# What the "Decide…" form offers: an accepted review type, or one of the other outcomes.
DECISIONS = (*ACCEPTED_TYPES, st.REDIRECTED, st.NOT_ACCEPTED)
# The version a button was made at, at the end of its value (`assign PR-… me @3`).
_VERSION = re.compile(r"@(\d+)\s*$")


class FormProblem(Enum):
    """Why a submitted form is not yet a command; the channel says it in its own words."""

    REASON_TOO_SHORT = "reason_too_short"
    NO_DECISION = "no_decision"


def referral_of(reply: Reply) -> tuple[str, int | None] | None:
    """(reference, version) if the reply shows one referral."""
    card = reply.card or {}
    reference = card.get("reference")
    if not isinstance(reference, str) or card.get("kind") not in ("referral", "referral_submitted"):
        return None
    version = card.get("version")
    if isinstance(version, int):
        return reference, version
    # The submitted notification's "Assign to me" button carries the version it was made at.
    for button in reply.buttons:
        match = _VERSION.search(button.value)
        if match and reference in button.value:
            return reference, int(match.group(1))
    return reference, None


def decision_choices() -> list[tuple[str, str]]:
    """(decision, label) for each decision the "Decide…" form offers, in order."""
    data = load_yaml("referral.yaml") or {}
    labels = (data.get("labels") or {}).get("decision") or {}
    return [(decision, str(labels.get(decision, decision))) for decision in DECISIONS]


def request_info_command(reference: str, version: int | None, question: str) -> str | FormProblem:
    """`request info PR-… QUESTION @v`, or the problem with the question."""
    text = _one_line(question)
    if len(text) < REASON_MINIMUM:
        return FormProblem.REASON_TOO_SHORT
    return f"request info {reference} {text}{_suffix(version)}"


def decision_command(decision: str, reference: str, version: int | None, reason: str) -> str | FormProblem:
    """`accept PR-… TYPE REASON @v`, `redirect …` or `decline …`, or the problem with the form."""
    text = _one_line(reason)
    if len(text) < REASON_MINIMUM:
        return FormProblem.REASON_TOO_SHORT
    suffix = _suffix(version)
    if decision in ACCEPTED_TYPES:
        return f"accept {reference} {decision} {text}{suffix}"
    if decision == st.REDIRECTED:
        return f"redirect {reference} {text}{suffix}"
    if decision == st.NOT_ACCEPTED:
        return f"decline {reference} {text}{suffix}"
    return FormProblem.NO_DECISION


def _one_line(text: str) -> str:
    # As an officer would type it: one line, single spaces (a modal keeps the newlines).
    return " ".join(text.split())


def _suffix(version: object) -> str:
    # Metadata comes back from the platform as JSON: anything but a number means "no version".
    return f" @{version}" if isinstance(version, int) else ""
