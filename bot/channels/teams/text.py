"""What the Teams channel itself says, from prompts/teams.yaml."""

from __future__ import annotations

from typing import Any

from bot.prompts import load_yaml, say_from

PROMPTS = "teams.yaml"


def say(name: str, **fields: Any) -> str:
    return say_from(PROMPTS, name, **fields)


def choices(name: str) -> dict[str, str]:
    """A mapping in prompts/teams.yaml (e.g. the feedback categories), key → label."""
    data = load_yaml(PROMPTS) or {}
    return {str(k): str(v) for k, v in (data.get(name) or {}).items()}
