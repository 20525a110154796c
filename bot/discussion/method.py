"""A case discussion method (Kolb's cycle, Signs of Safety, the problem tree), read from
prompts/discussions/*.yaml.

A method is data: its stages, what each stage is for, what to ask, an optional
knowledge-base query for a cited passage (the same `guidance: {query: …}` shape
the checklist's steps use) and, where the method needs it, a scale or agreed
actions. One engine (bot/discussion/service.py) runs any of them; a new method
is a new YAML file. Mistakes in a file are reported when it is loaded, naming
the file and the stage, never in the middle of a discussion.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from bot.errors import SgbotError
from bot.prompts import load_yaml, prompts_dir
from bot.referral.definition import ChecklistDefinitionError

FOLDER = "discussions"


class DiscussionMethodError(ChecklistDefinitionError):
    """A method's YAML is wrong; the message names the file, the stage and the field."""


class UnknownMethod(SgbotError, LookupError):
    """No prompts/discussions/<name>.yaml; `str(error)` lists the methods there are."""


@dataclass(frozen=True)
class Scale:
    minimum: int
    maximum: int


@dataclass(frozen=True)
class Stage:
    id: str
    title: str
    explanation: str
    prompt: str
    guidance_query: str | None = None
    actions: bool = False  # agreed actions are recorded at this stage
    scale: Scale | None = None  # each contribution starts with a rating on this scale


@dataclass(frozen=True)
class DiscussionMethod:
    id: str
    title: str
    summary: str
    stages: tuple[Stage, ...]

    def stage(self, stage_id: str) -> Stage | None:
        return next((s for s in self.stages if s.id == stage_id), None)

    def index(self, stage_id: str) -> int:
        return next(i for i, s in enumerate(self.stages) if s.id == stage_id)

    def find(self, name: str) -> Stage | None:
        """A stage by its number (1-based), id or title, as a facilitator would type it."""
        wanted = " ".join(name.strip().lower().replace("_", " ").split())
        if wanted.isdigit():
            number = int(wanted)
            return self.stages[number - 1] if 1 <= number <= len(self.stages) else None
        for stage in self.stages:
            if wanted in {stage.id.replace("_", " "), stage.title.lower().rstrip("?")}:
                return stage
        return None


def parse_method(data: Any, source: str) -> DiscussionMethod:
    if not isinstance(data, dict) or not isinstance(data.get("stages"), list) or not data["stages"]:
        raise DiscussionMethodError(f"{source}: expected a mapping with a non-empty list of `stages`")
    stages = tuple(_parse_stage(raw, source) for raw in data["stages"])
    seen: set[str] = set()
    for stage in stages:
        if stage.id in seen:
            raise DiscussionMethodError(f"{source}: stage id {stage.id!r} is used twice")
        seen.add(stage.id)
    for key in ("id", "title"):
        if not data.get(key):
            raise DiscussionMethodError(f"{source}: the method needs a `{key}`")
    return DiscussionMethod(
        id=str(data["id"]),
        title=str(data["title"]),
        summary=" ".join(str(data.get("summary", "")).split()),
        stages=stages,
    )


def _parse_stage(raw: Any, source: str) -> Stage:
    if not isinstance(raw, dict) or not raw.get("id"):
        raise DiscussionMethodError(f"{source}: every stage needs an `id`; got {raw!r}")
    sid = str(raw["id"])
    for key in ("title", "explanation", "prompt"):
        if not str(raw.get(key) or "").strip():
            raise DiscussionMethodError(f"{source}: stage {sid!r} needs `{key}` (wording shown to participants)")
    guidance = raw.get("guidance") or {}
    if not isinstance(guidance, dict):
        raise DiscussionMethodError(f"{source}: stage {sid!r}: `guidance` must be a mapping with a `query`")
    scale = None
    if raw.get("scale") is not None:
        spec = raw["scale"]
        try:
            scale = Scale(minimum=int(spec["min"]), maximum=int(spec["max"]))
        except (TypeError, KeyError, ValueError) as exc:
            raise DiscussionMethodError(
                f"{source}: stage {sid!r}: `scale` needs whole numbers `min` and `max`"
            ) from exc
        if scale.minimum >= scale.maximum:
            raise DiscussionMethodError(f"{source}: stage {sid!r}: scale `min` must be below `max`")
    return Stage(
        id=sid,
        title=str(raw["title"]).strip(),
        explanation=" ".join(str(raw["explanation"]).split()),
        prompt=" ".join(str(raw["prompt"]).split()),
        guidance_query=str(guidance["query"]) if guidance.get("query") else None,
        actions=bool(raw.get("actions", False)),
        scale=scale,
    )


def available_methods() -> list[str]:
    return sorted(path.stem for path in (prompts_dir() / FOLDER).glob("*.yaml"))


@cache
def load_method(name: str) -> DiscussionMethod:
    """The method in prompts/discussions/<name>.yaml (names are matched loosely: "Signs of safety")."""
    wanted = "_".join(name.strip().lower().replace("-", " ").replace("'", "").split())
    known = available_methods()
    if wanted not in known:
        raise UnknownMethod(wanted)
    relative = f"{FOLDER}/{wanted}.yaml"
    return parse_method(load_yaml(relative), source=f"prompts/{relative}")
