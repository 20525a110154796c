"""The checklist's questions, help, summary and receipt as `Reply`s: where its chat wording is put together.

The conversation (bot/referral/conversation.py) decides what happens next (the
step to ask, the answers to show, the reference filed) and returns it as typed
results (bot/referral/checklist_results.py); `present` turns each into what every
channel renders, with the wording from prompts/referral.yaml and the checklist's
own YAML, and its buttons as typed checklist actions
(bot/referral/checklist_actions.py) stamped with the draft and version they are
shown at, as bot/referral/presenter.py does for the review queue. Nothing here
reads or writes the database.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal, assert_never

from bot.messages import Button, Expectation, Reply, stamp_buttons
from bot.prompts import load_text
from bot.referral import checklist_actions
from bot.referral import checklist_results as results
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

    def present(self, result: results.ChecklistResult, stamp: results.Stamp | None = None) -> list[Reply]:
        """What the referrer is told of one result (a `GuidanceSlot` is the assistant's to look up),
        its checklist buttons naming the draft and version of `stamp`."""
        replies = self._worded(result)
        if stamp is None:
            return replies

        def stamped(value: str) -> str:
            return checklist_actions.stamp(value, stamp.draft, stamp.version)

        return [stamp_buttons(reply, checklist_actions.is_checklist, stamped) for reply in replies]

    def _worded(self, result: results.ChecklistResult) -> list[Reply]:
        match result:
            case results.Question(step=step, answers=answers, show_help=show_help):
                return [self.question(step, answers, show_help=show_help)]
            case results.Summary(answered=answered, answers=answers):
                return self.summary(answered, answers)
            case results.ChangeMenu(answered=answered, answers=answers):
                return [self.change_menu(answered, answers)]
            case results.StepHelp(step=step, answers=answers):
                return [self.help(step, answers)]
            case results.Notice(what=what):
                return [self.said(what)]
            case results.Problem(error=error):
                return [Reply(str(error))]
            case results.Note(text=text):
                return [Reply(text)]
            case results.UnknownStep(given=given, steps=steps):
                return [self.said("unknown_step", step=given, steps=", ".join(steps) or "-")]
            case results.DraftWaiting(started=started, count=count):
                return [self.said("draft_waiting", started=_day(started), count=count)]
            case results.NoChecklist():
                return [self.no_checklist()]
            case results.AlreadySubmitted(reference=reference):
                return [self.said("already_submitted", reference=reference)]
            case results.Filed(reference=reference):
                return [self.receipt(reference)]
            case results.Cancelled(why="cancelled"):
                return [self.said("cancelled")]
            case results.Cancelled(why="redirected", message=message):
                return [self.said("redirected_end", message=message)]
            case results.Cancelled():
                return [self.said("criteria_stop")]
            case results.EmergencyRoute():
                return [self.emergency_route()]
            case results.EmergencyStop():
                return self.emergency_stop()
            case results.ReplyPrompt(reference=reference):
                return [self.said("reply_prompt", reference=reference)]
            case results.ReplyAttached(reference=reference):
                return [self.said("reply_attached", reference=reference)]
            case results.GuidanceSlot():
                raise ValueError("a guidance slot is looked up by the assistant, not worded here")
        assert_never(result)

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


def _day(when: datetime | None) -> str:
    return when.strftime("%d %B %Y").lstrip("0") if when is not None else "-"
