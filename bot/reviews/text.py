"""Wording for action plans and themes, from prompts/reviews.yaml."""

from __future__ import annotations

from typing import Any

from bot.prompts import load_yaml, say_from

PROMPTS_FILE = "reviews.yaml"


def say(name: str, **fields: Any) -> str:
    return say_from(PROMPTS_FILE, name, **fields)


def action_status_label(status: str) -> str:
    labels = load_yaml(PROMPTS_FILE).get("action_status", {})
    return str(labels.get(status, status.replace("_", " ")))
