"""The required-items lists (prompts/arrangements/*.yaml): data a partnership can edit, not code."""

from __future__ import annotations

from dataclasses import dataclass

from bot.errors import SgbotError
from bot.prompts import load_yaml, prompts_dir


@dataclass(frozen=True)
class Item:
    id: str
    requirement: str
    cues: tuple[str, ...]


@dataclass(frozen=True)
class Checklist:
    key: str
    name: str
    source: str
    items: tuple[Item, ...]


class ChecklistError(SgbotError, ValueError):
    pass


def available() -> list[str]:
    return sorted(p.stem for p in (prompts_dir() / "arrangements").glob("*.yaml"))


def load_checklist(key: str) -> Checklist:
    if key not in available():
        raise ChecklistError(f"no checklist {key!r}: use one of {', '.join(available())} "
                             f"(files in {prompts_dir() / 'arrangements'})")
    data = load_yaml(f"arrangements/{key}.yaml")
    try:
        items = tuple(
            Item(str(i["id"]), " ".join(str(i["requirement"]).split()), tuple(str(c) for c in i.get("cues") or []))
            for i in data["items"]
        )
    except (KeyError, TypeError) as exc:
        raise ChecklistError(f"prompts/arrangements/{key}.yaml: every item needs an id and a requirement ({exc})") \
            from exc
    return Checklist(key, str(data.get("name") or key), str(data.get("source") or ""), items)
