"""Wording of the Slack app, from `prompts/slack.yaml` (never in code)."""

from __future__ import annotations

from typing import Any

from bot.prompts import load_yaml


def slack_text(name: str, **fields: Any) -> str:
    """The template `name` from prompts/slack.yaml, filled in."""
    templates = load_yaml("slack.yaml") or {}
    try:
        template = templates[name]
    except KeyError as exc:
        raise KeyError(f"prompts/slack.yaml has no entry {name!r}") from exc
    return str(template).format(**fields).strip()

