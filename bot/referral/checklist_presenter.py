"""The checklist's questions, help, summary and receipt as `Reply`s: where its chat wording is put together.

The conversation (bot/referral/conversation.py) decides what happens next (the
step to ask, the answers to show, the reference filed); this module turns that
into what every channel renders, with the wording from prompts/referral.yaml and
the checklist's own YAML, and its buttons as typed checklist actions
(bot/referral/checklist_actions.py), as bot/referral/presenter.py does for the
review queue. Nothing here reads or writes the database.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from bot.messages import Button, Expectation, Reply
from bot.prompts import load_text
from bot.referral import checklist_actions
from bot.referral.answers import hint
from bot.referral.checklist_actions import ChecklistAction
from bot.referral.definition import ChecklistDefinition, Step
from bot.referral.text import say

EMERGENCY_ROUTE = "emergency_route.md"


def button(
    label: str,
    kind: checklist_actions.ChecklistKind,
    *,
    step: str | None = None,
    style: Literal["default", "primary", "danger"] = "default",
    **payload: str,
) -> Button:
    """A checklist button: a typed action; the draft and version are stamped when it is sent."""
    return Button(label, ChecklistAction(kind=kind, step=step, payload=payload).to_json(), style)


class ChecklistPresenter:
    """The wording of one checklist definition's conversation."""

    def __init__(self, definition: ChecklistDefinition, *, contact: str) -> None:
        self.definition = definition
        self.contact = contact  # who to ask when a step has no help of its own

    @staticmethod
    def said(name: str, **fields: Any) -> Reply:
        """One of the checklist's messages from prompts/referral.yaml (a refusal, a stale button, a step
        moved to), filled in."""
        return Reply(say(name, **fields))

    def question(self, step: Step, answers: dict[str, Any], *, show_help: bool = True) -> Reply:
        """The question for `step` (not the last, confirming step: that is `summary`), with where the
        referrer is, the step's help, their current answer and the answer's format, and its options."""
        progress = self.definition.progress(step.id, answers)
        counted = say(
            "progress" if progress.exact else "progress_at_most", number=progress.number, total=progress.total
        )
        lines = [f"_{counted}_", self.definition.fill(step.question, answers)]
        if show_help and step.help:
            lines.append(self.definition.fill(step.help, answers))
        if step.id in answers:
            lines.append(say("current_answer", answer=self.display(step, answers[step.id])))
        if step.type in {"text", "number", "date", "multiselect"} and hint(step):
            lines.append(hint(step))
        return Reply(
            text="\n\n".join(lines),
            buttons=[button(o.label, "answer", step=step.id, value=o.value) for o in step.options],
            expects=Expectation(step=step.id, type=step.type, options=[o.value for o in step.options]),
        )

    def help(self, step: Step, answers: dict[str, Any]) -> Reply:
        """The step's help and the section of the partnership's document it comes from."""
        if not step.help:
            return Reply(say("no_help", contact=self.contact))
        text = self.definition.fill(step.help, answers)
        document = self.definition.document
        if step.source and document is not None:
            effective = say("help_source_effective", effective=document.effective) if document.effective else ""
            cited = say(
                "help_source",
                title=document.title,
                section=step.source,
                publisher=document.publisher,
                effective=effective,
            )
            text = f"{text}\n\n{cited}"
        return Reply(f"{say('help_heading')}\n{text}")

    def summary(self, answered: list[Step], answers: dict[str, Any]) -> list[Reply]:
        """The `answered` steps' answers, then (a message of its own) what to do with them: Submit, Change
        or Cancel."""
        rows = []
        lines = [say("summary_heading", title=self.definition.title)]
        for number, step in enumerate(answered, start=1):
            shown = self.display(step, answers[step.id])
            label = self.definition.fill(step.label, answers)
            rows.append({"step": step.id, "label": label, "answer": shown})
            lines.append(f"{number}. **{label}**: {shown}")
        summary_step = self.definition.steps[-1]
        summary = Reply(
            text="\n".join(line for line in lines if line),
            card={"kind": "referral_summary", "title": self.definition.title, "answers": rows},
        )
        prompt = Reply(
            text="\n\n".join(
                line
                for line in (self.definition.fill(summary_step.question, answers), say("summary_buttons_help"))
                if line
            ),
            buttons=[
                button(say("button_submit"), "submit", step=summary_step.id, style="primary"),
                button(say("button_change"), "change", step=summary_step.id),
                button(say("button_cancel"), "cancel", step=summary_step.id, style="danger"),
            ],
            expects=Expectation(step=summary_step.id, type="confirm", options=["submit", "change", "cancel"]),
        )
        return [summary, prompt]

    def change_menu(self, answered: list[Step], answers: dict[str, Any]) -> Reply:
        """Which answer to change: a button per `answered` step."""
        return Reply(
            text=say("change_which"),
            buttons=[
                button(self.definition.fill(s.label, answers), "change", step="change", to=s.id) for s in answered
            ],
            expects=Expectation(step="change", type="choice", options=[f"change {s.id}" for s in answered]),
        )

    @staticmethod
    def no_checklist() -> Reply:
        """A checklist button pressed with no checklist under way: say so, and offer to start one."""
        return Reply(say("no_checklist"), buttons=[button(say("button_refer"), "start", style="primary")])

    @staticmethod
    def receipt(reference: str) -> Reply:
        """The referral filed: its reference."""
        return Reply(say("submitted", reference=reference), card={"kind": "referral_receipt", "reference": reference})

    @staticmethod
    def emergency_route() -> Reply:
        """The emergency route (999, MASH, out of hours), first and marked urgent."""
        return Reply(load_text(EMERGENCY_ROUTE), urgent=True)

    @classmethod
    def emergency_stop(cls) -> list[Reply]:
        """An answer that says someone is in danger now: the emergency route, then that the checklist waits."""
        return [cls.emergency_route(), Reply(say("emergency_stop"))]

    @staticmethod
    def display(step: Step, value: Any) -> str:
        """An answer as the referrer chose it: an option's label, a date written out."""
        if step.type in {"choice", "yesno"}:
            option = step.option(str(value))
            return option.label if option else str(value)
        if step.type == "multiselect" and isinstance(value, list):
            return ", ".join((step.option(v).label if step.option(v) else v) for v in value)  # type: ignore[union-attr]
        if step.type == "date":
            try:
                return date.fromisoformat(str(value)).strftime("%d %B %Y").lstrip("0")
            except ValueError:
                return str(value)
        return str(value)
