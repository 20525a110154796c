"""What a channel's triage forms ("Request more information", "Decide…") carry, in any channel.

A decision or a request needs a reason, which a button cannot carry, so each
channel shows a form (a Slack modal, a Teams card) that asks for one. The form
is opened with a typed action (bot/referral/actions.py: kind, reference, the
version the officer saw) and what the officer fills in is merged into its
payload by `actions.complete_form`; the assistant then checks roles, versions
and transitions exactly as for typed commands and records every decision in the
referral's history. Channels only draw the form and say the problems in their
own words; the rules live here and in actions.py, once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot.messages import Reply
from bot.prompts import load_yaml
from bot.referral import actions
from bot.referral.actions import DECISIONS, REASON_MAXIMUM, REASON_MINIMUM, FormProblem, complete_form, one_line

__all__ = [
    "DECISIONS",
    "REASON_MAXIMUM",
    "REASON_MINIMUM",
    "FormProblem",
    "TriageForm",
    "as_action",
    "complete_form",
    "decision_choices",
    "form_of",
    "one_line",
    "referral_of",
    "triage_forms",
]

REQUEST_INFO = "request_info"
DECIDE = "decide"


@dataclass(frozen=True)
class TriageForm:
    """A form to draw: which one, for which referral, and the action it submits (JSON)."""

    kind: str  # "request_info" | "decide"
    reference: str
    action: str


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
        typed = actions.decode(button.value)
        if typed is not None and typed.reference == reference and typed.version is not None:
            return reference, typed.version
    return reference, None


def triage_forms(reply: Reply) -> list[TriageForm]:
    """The two reason-needing forms for a referral shown to the business unit (none otherwise)."""
    found = referral_of(reply)
    if found is None:
        return []
    reference, version = found
    return [
        TriageForm(REQUEST_INFO, reference, actions.action("request_info", reference, version).to_json()),
        TriageForm(DECIDE, reference, actions.action("decide", reference, version).to_json()),
    ]


def form_of(base: str) -> TriageForm | None:
    """The form a pressed triage button opens, from the action it carries (None if unreadable)."""
    kind = actions.form_kind(base)
    if kind is None:
        return None
    try:
        reference = str(json.loads(base).get("reference") or "")
    except (ValueError, AttributeError, RecursionError):
        return None
    return TriageForm(kind, reference, base)


def as_action(value: str) -> str:
    """A pressed button's value as an action for the core, which refuses what it cannot read.

    For a channel that got a value no form can be drawn for (forged or damaged): passing it on
    lets the core say what is wrong in its own words, in the thread, instead of failing silently.
    """
    return value if actions.is_typed(value) else "{}"


def decision_choices() -> list[tuple[str, str]]:
    """(decision, label) for each decision the "Decide…" form offers, in order."""
    data = load_yaml("referral.yaml") or {}
    labels = (data.get("labels") or {}).get("decision") or {}
    return [(decision, str(labels.get(decision, decision))) for decision in DECISIONS]
