"""Wording for the referral feature, from prompts/referral.yaml."""

from __future__ import annotations

from typing import Any

from bot.prompts import load_yaml, say_from

PROMPTS_FILE = "referral.yaml"


def say(name: str, **fields: Any) -> str:
    return say_from(PROMPTS_FILE, name, **fields)


def triage_text(name: str, **fields: Any) -> str:
    """Wording of the business unit's triage forms, shared by every channel (prompts/triage.yaml)."""
    return say_from("triage.yaml", name, **fields)


def review_name(value: str | None) -> str:
    """A review type by its name: the review accepted for ("Rapid review"), or the one considered."""
    from bot.referral.statuses import ACCEPTED_TYPES

    if value in ACCEPTED_TYPES:
        return label("decision", value).removeprefix("accepted for ").removeprefix("a ").capitalize()
    return label("review_type", value).capitalize()


def label(group: str, value: str | None) -> str:
    """The human label for a status, review type, decision or clock."""
    if value is None:
        return "-"
    labels = load_yaml(PROMPTS_FILE).get("labels", {}).get(group, {})
    return str(labels.get(value, value.replace("_", " ")))
