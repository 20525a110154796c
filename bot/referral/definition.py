"""A checklist definition, read from prompts/checklists/*.yaml.

The definition is data: steps, answer types, validation, branches and wording.
The engine (bot/referral/engine.py) runs any definition; this module only loads
and checks one, so that a mistake in the YAML is reported when it is loaded,
naming the step, rather than in the middle of someone's referral.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from bot.errors import ConfigurationError
from bot.prompts import load_yaml

STEP_TYPES = {"choice", "yesno", "multiselect", "text", "number", "date", "confirm"}
STOP_KINDS = {"emergency", "redirect", "cancel"}
NORMALISERS = {"initials"}

Answers = dict[str, Any]
Condition = dict[str, Any]


class ChecklistDefinitionError(ConfigurationError, ValueError):
    """The YAML definition is wrong; the message names the step and the field."""


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    block: str | None = None  # this answer cannot go forward yet: say why, ask again
    stop: str | None = None  # emergency | redirect | cancel: the checklist ends here
    message: str | None = None
    goto: str | None = None  # the step to ask next


@dataclass(frozen=True)
class Step:
    id: str
    type: str
    question: str
    label: str
    help: str | None = None
    guidance_query: str | None = None
    options: tuple[Option, ...] = ()
    min_length: int = 1
    max_length: int = 4000
    minimum: int | None = None
    maximum: int | None = None
    pattern: str | None = None
    pattern_message: str | None = None
    not_future: bool = False
    max_age_years: int | None = None
    when: Condition = field(default_factory=dict)
    when_any: tuple[Condition, ...] = ()
    source: str | None = None  # the section of the checklist's source document this step comes from
    normalise: str | None = None  # "initials": "J.T." and "j t" are read as "JT" before checking

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)

    def applies(self, answers: Answers) -> bool:
        if self.when and not matches(self.when, answers):
            return False
        return not self.when_any or any(matches(c, answers) for c in self.when_any)


@dataclass(frozen=True)
class TermRule:
    when: Condition
    value: str


@dataclass(frozen=True)
class Term:
    default: str
    rules: tuple[TermRule, ...] = ()

    def resolve(self, answers: Answers) -> str:
        for rule in self.rules:
            if matches(rule.when, answers):
                return rule.value
        return self.default


@dataclass(frozen=True)
class SourceDocument:
    """The partnership document the checklist follows; each step's help cites a section of it."""

    title: str
    publisher: str
    effective: str | None = None


@dataclass(frozen=True)
class Progress:
    """Where a step is in the referral: question `number` of `total`, or of at most `total` while
    answers still to come can leave questions out (`exact` False)."""

    number: int
    total: int
    exact: bool


@dataclass(frozen=True)
class ChecklistDefinition:
    id: str
    title: str
    steps: tuple[Step, ...]
    terms: dict[str, Term]
    document: SourceDocument | None = None  # where the steps' help comes from (cited on `help`)

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def index(self, step_id: str) -> int:
        return next(i for i, s in enumerate(self.steps) if s.id == step_id)

    def effective(self, answers: Answers) -> Answers:
        """The answers on the branch actually taken: an answer left over from a branch the
        user has since left (by changing an earlier answer) no longer counts."""
        taken: Answers = {}
        for step in self.steps:
            if step.id in answers and step.applies(taken):
                taken[step.id] = answers[step.id]
        return taken

    def applicable(self, answers: Answers) -> list[Step]:
        taken = self.effective(answers)
        return [s for s in self.steps if s.applies(taken)]

    def progress(self, step_id: str, answers: Answers) -> Progress:
        """Question N of M, where M is the longest the referral can still be from the answers given.

        M never grows as questions are answered (a branch can only be left out, never added), so
        the count does not jump about; when no answer still to come changes the questions, it is
        exact. Changing an earlier answer can of course change it.
        """
        applicable = [s for s in self.applicable(answers) if s.type != "confirm"]
        number = next((i + 1 for i, s in enumerate(applicable) if s.id == step_id), len(applicable))
        shortest, longest = self._bounds(0, self.effective(answers), frozenset(answers))
        return Progress(number=min(number, longest), total=longest, exact=shortest == longest)

    def _bounds(self, start: int, taken: Answers, answered: frozenset[str]) -> tuple[int, int]:
        """The fewest and the most questions from step `start` on, over every way still open."""
        asked = 0
        branching = self._branching()
        for position in range(start, len(self.steps)):
            step = self.steps[position]
            if not step.applies(taken):
                continue
            if step.type == "confirm":
                return asked, asked
            asked += 1
            if step.id in answered or step.id not in branching:
                continue
            # Not answered yet, and later questions depend on it: try every answer that goes on.
            outcomes = [
                self._bounds(position + 1, {**taken, step.id: value}, answered)
                for value in (o.value for o in step.options if not (o.stop or o.block or o.goto))
            ]
            if not outcomes:
                return asked, asked
            return asked + min(o[0] for o in outcomes), asked + max(o[1] for o in outcomes)
        return asked, asked

    def _branching(self) -> frozenset[str]:
        """The steps whose answer decides whether a later step is asked."""
        return frozenset(key for s in self.steps for condition in (s.when, *s.when_any) for key in condition)

    def fill(self, text: str, answers: Answers) -> str:
        """Put the terms ({subject}, ...) into a piece of wording."""
        taken = self.effective(answers)
        values = {name: term.resolve(taken) for name, term in self.terms.items()}
        return text.format_map(_Keep(values))


class _Keep(dict[str, str]):
    """Leaves unknown {fields} as they are, so wording with braces never crashes."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def matches(condition: Condition, answers: Answers) -> bool:
    """All of `condition`'s steps have one of the given answers (lists match any overlap)."""
    for step_id, expected in condition.items():
        wanted = {str(v) for v in expected} if isinstance(expected, list) else {str(expected)}
        actual = answers.get(step_id)
        if isinstance(actual, list):
            if not wanted & {str(a) for a in actual}:
                return False
        elif actual is None or str(actual) not in wanted:
            return False
    return True


def parse_definition(data: Any, source: str = "checklist") -> ChecklistDefinition:
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list):
        raise ChecklistDefinitionError(f"{source}: expected a mapping with a list of `steps`")
    steps = tuple(_parse_step(raw, source) for raw in data["steps"])
    seen: set[str] = set()
    for step in steps:
        if step.id in seen:
            raise ChecklistDefinitionError(f"{source}: step id {step.id!r} is used twice")
        seen.add(step.id)
    ids = {s.id for s in steps}
    for position, step in enumerate(steps):
        earlier = {s.id for s in steps[:position]}
        for condition in (step.when, *step.when_any):
            unknown = set(condition) - earlier
            if unknown:
                raise ChecklistDefinitionError(
                    f"{source}: step {step.id!r} depends on {sorted(unknown)}, which must be earlier steps"
                )
        for option in step.options:
            if option.goto and option.goto not in ids:
                raise ChecklistDefinitionError(f"{source}: step {step.id!r}: goto {option.goto!r} is unknown")
    if steps[-1].type != "confirm":
        raise ChecklistDefinitionError(f"{source}: the last step must be of type confirm (the summary)")
    terms = {
        str(name): Term(
            default=str(raw.get("default", "")),
            rules=tuple(TermRule(when=dict(r["when"]), value=str(r["value"])) for r in raw.get("rules", [])),
        )
        for name, raw in (data.get("terms") or {}).items()
    }
    raw_document = data.get("document")
    document = None
    if raw_document is not None:
        if not isinstance(raw_document, dict) or not raw_document.get("title"):
            raise ChecklistDefinitionError(f"{source}: `document` needs a `title` (and a `publisher`)")
        document = SourceDocument(
            title=str(raw_document["title"]),
            publisher=str(raw_document.get("publisher", "")),
            effective=str(raw_document["effective"]) if raw_document.get("effective") else None,
        )
    for step in steps:
        if step.source and document is None:
            raise ChecklistDefinitionError(f"{source}: step {step.id!r} cites a `source` but there is no `document`")
    return ChecklistDefinition(
        id=str(data.get("id", source)),
        title=str(data.get("title", source)),
        steps=steps,
        terms=terms,
        document=document,
    )


def _parse_step(raw: Any, source: str) -> Step:
    if not isinstance(raw, dict) or "id" not in raw:
        raise ChecklistDefinitionError(f"{source}: every step needs an `id`; got {raw!r}")
    sid = str(raw["id"])
    kind = str(raw.get("type", ""))
    if kind not in STEP_TYPES:
        raise ChecklistDefinitionError(f"{source}: step {sid!r}: type {kind!r} not in {sorted(STEP_TYPES)}")
    options = tuple(_parse_option(o, sid, source) for o in raw.get("options", []))
    if kind in {"choice", "multiselect"} and not options:
        raise ChecklistDefinitionError(f"{source}: step {sid!r} ({kind}) needs `options`")
    if kind == "yesno":
        options = options or (Option("yes", "Yes"), Option("no", "No"))
        if {o.value for o in options} != {"yes", "no"}:
            raise ChecklistDefinitionError(f"{source}: step {sid!r} (yesno) options must be 'yes' and 'no'")
    pattern = raw.get("pattern")
    if pattern is not None:
        try:
            re.compile(str(pattern))
        except re.error as exc:
            raise ChecklistDefinitionError(f"{source}: step {sid!r} pattern is invalid: {exc}") from exc
    normalise = str(raw["normalise"]) if raw.get("normalise") else None
    if normalise is not None and normalise not in NORMALISERS:
        raise ChecklistDefinitionError(
            f"{source}: step {sid!r}: normalise {normalise!r} not in {sorted(NORMALISERS)}"
        )
    guidance = raw.get("guidance") or {}
    when_any = raw.get("when_any") or []
    return Step(
        id=sid,
        type=kind,
        question=str(raw.get("question", "")).strip(),
        label=str(raw.get("label", sid)),
        help=str(raw["help"]).strip() if raw.get("help") else None,
        guidance_query=str(guidance["query"]) if guidance.get("query") else None,
        options=options,
        min_length=int(raw.get("min_length", 1)),
        max_length=int(raw.get("max_length", 4000)),
        minimum=int(raw["min"]) if "min" in raw else None,
        maximum=int(raw["max"]) if "max" in raw else None,
        pattern=str(pattern) if pattern is not None else None,
        pattern_message=str(raw["pattern_message"]) if raw.get("pattern_message") else None,
        not_future=bool(raw.get("not_future", False)),
        max_age_years=int(raw["max_age_years"]) if "max_age_years" in raw else None,
        when=dict(raw.get("when") or {}),
        when_any=tuple(dict(c) for c in when_any),
        source=str(raw["source"]).strip() if raw.get("source") else None,
        normalise=normalise,
    )


def _parse_option(raw: Any, sid: str, source: str) -> Option:
    if not isinstance(raw, dict) or "value" not in raw:
        raise ChecklistDefinitionError(f"{source}: step {sid!r}: each option needs a `value` and a `label`")
    stop = raw.get("stop")
    if stop is not None and stop not in STOP_KINDS:
        raise ChecklistDefinitionError(f"{source}: step {sid!r}: stop {stop!r} not in {sorted(STOP_KINDS)}")
    return Option(
        value=str(raw["value"]),
        label=str(raw.get("label", raw["value"])),
        block=str(raw["block"]).strip() if raw.get("block") else None,
        stop=str(stop) if stop else None,
        message=str(raw["message"]).strip() if raw.get("message") else None,
        goto=str(raw["goto"]) if raw.get("goto") else None,
    )


@cache
def load_checklist(name: str = "practice_review") -> ChecklistDefinition:
    relative = f"checklists/{name}.yaml"
    return parse_definition(load_yaml(relative), source=f"prompts/{relative}")
