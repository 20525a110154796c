"""How a filed referral's answers are laid out: under the checklist's sections (its YAML's `sections`)."""

from __future__ import annotations

from typing import Any

from bot.prompts import load_yaml


def answer_sections(checklist: str, answers: list[Any]) -> list[tuple[str, list[Any]]]:
    """(section title, answers) in the YAML's order; an answer to a step not listed goes under "Other answers"."""
    layout = load_yaml(f"checklists/{checklist}.yaml").get("sections") or {}
    section_of = {step: str(title) for title, steps in layout.items() for step in steps}
    grouped: dict[str, list[Any]] = {str(title): [] for title in layout}
    for answer in answers:
        grouped.setdefault(section_of.get(answer.step, "Other answers"), []).append(answer)
    return [(title, items) for title, items in grouped.items() if items]
