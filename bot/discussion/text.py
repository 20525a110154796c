"""Wording for case discussions, from prompts/discussion.yaml."""

from __future__ import annotations

from typing import Any

from bot.prompts import load_yaml, say_from

PROMPTS_FILE = "discussion.yaml"


def say(name: str, **fields: Any) -> str:
    return say_from(PROMPTS_FILE, name, **fields)


def words(name: str) -> list[str]:
    """A list from prompts/discussion.yaml (e.g. the report's table headings)."""
    value = load_yaml(PROMPTS_FILE).get(name)
    if not isinstance(value, list):
        raise KeyError(f"prompts/{PROMPTS_FILE}: {name!r} must be a list")
    return [str(item) for item in value]
