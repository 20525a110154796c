"""Text the bot says, loaded from `prompts/` so that wording changes need no code.

`prompts/replies.yaml` holds named templates (Python `str.format` fields);
larger pieces (checklists, the emergency route) have files of their own.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

import yaml


def prompts_dir() -> Path:
    override = os.environ.get("SGBOT_PROMPTS_DIR")
    if override:
        return Path(override)
    return Path(__file__).resolve().parent.parent / "prompts"


@cache
def _templates() -> dict[str, str]:
    path = prompts_dir() / "replies.yaml"
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path} must be a mapping of name: template")
    return {str(k): str(v) for k, v in data.items()}


def say(name: str, **fields: Any) -> str:
    """The template `name` from prompts/replies.yaml, filled in."""
    try:
        template = _templates()[name]
    except KeyError as exc:
        raise KeyError(f"prompts/replies.yaml has no entry {name!r}") from exc
    return template.format(**fields).strip()


def say_from(relative: str, name: str, **fields: Any) -> str:
    """The template `name` from another prompts file (a YAML mapping), filled in."""
    data = load_yaml(relative)
    if not isinstance(data, dict) or name not in data:
        raise KeyError(f"prompts/{relative} has no entry {name!r}")
    return str(data[name]).format(**fields).strip()


@cache
def load_text(relative: str) -> str:
    """A whole prompt file, e.g. 'emergency_route.md'."""
    return (prompts_dir() / relative).read_text(encoding="utf-8").strip()


@cache
def load_yaml(relative: str) -> Any:
    with (prompts_dir() / relative).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)
