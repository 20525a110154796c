"""A case discussion's results as `Reply`s: where its chat wording is put together.

The engine (bot/discussion/service.py) decides and stores, and returns what
happened as typed results (bot/discussion/results.py); `present` turns each into
what every channel renders, with the wording from prompts/discussion.yaml and the
method's own YAML, and a stage's buttons as typed discussion actions
(bot/discussion/actions.py) stamped with the discussion and version they are
shown at. Nothing here reads or writes the database.
"""

from __future__ import annotations

from typing import Any, assert_never

from bot.discussion import actions
from bot.discussion import results as r
from bot.discussion.method import DiscussionMethod, Stage, available_methods, load_method
from bot.discussion.text import say
from bot.messages import Button, Expectation, Reply, stamp_buttons
from bot.outbox import events


class DiscussionPresenter:
    def __init__(self, contact: str) -> None:
        self.contact = contact  # whom someone outside the business unit asks to start a discussion

    def present(self, result: r.DiscussionResult) -> list[Reply]:
        match result:
            case r.Notice(what=what):
                return [Reply(say(what))]
            case r.OtherDiscussion(reference=reference):
                return [Reply(say("button_other_discussion", reference=reference))]
            case r.NotBusinessUnit(reference=reference):
                return [Reply(say("not_business_unit", reference=reference, contact=self.contact))]
            case r.ReferralMissing(reference=reference):
                return [Reply(say("referral_missing", reference=reference))]
            case r.MethodMenu(reference=reference):
                return [method_menu(reference)]
            case r.UnknownMethodAsked(given=given, methods=methods, reference=reference):
                return [Reply(say("method_unknown", method=given, methods=", ".join(methods), reference=reference))]
            case r.NoThread(reference=reference, method=method):
                return [Reply(say("no_thread", reference=reference, method=method))]
            case r.AlreadyRunning(method=method, reference=reference):
                return [Reply(say("already_running", method=method.title, reference=reference))]
            case r.Started(method=method, reference=reference, facilitator=facilitator):
                said = say(
                    "started", title=method.title, reference=reference, facilitator=facilitator, summary=method.summary
                )
                return [Reply(said)]
            case r.StagePrompt(method=method, stage=stage, reference=reference, stamp=stamp):
                return [stage_prompt(method, stage, reference, stamp)]
            case r.NotInvited(facilitator=facilitator):
                return [Reply(not_invited(facilitator))]
            case r.NotFacilitator(facilitator=facilitator, what=what):
                doing = {"invite": "invite people", "close": "close the discussion"}.get(what, "move between stages")
                return [Reply(say("not_facilitator", facilitator=facilitator, what=doing))]
            case r.TooLong(length=length, limit=limit):
                return [Reply(say("too_long", length=length, limit=limit))]
            case r.Saved():
                return [ack(saved(result))]
            case r.ActionNotHere(stages=stages, stage=stage):
                return [Reply(say("action_not_here", stages=", ".join(stages) or "-", stage=stage))]
            case r.ActionUsage(problem=problem):
                return [Reply(say("action_usage", problem=str(problem) if problem is not None else ""))]
            case r.ActionRefused(error=error):
                return [Reply(str(error))]
            case r.ActionSaved(owner=owner, due=due, text=text, reference=reference, on_plan=on_plan):
                shown = due.strftime("%d %B %Y").lstrip("0")
                said = say("saved_action", owner=owner, due=shown, text=text)
                said += " " + say("action_on_plan" if on_plan else "action_recorded_on_referral", reference=reference)
                return [ack(said)]
            case r.Invited(who=who, agency=agency, again=again):
                return [ack(say("invited_again" if again else "invited", who=who, agency=agency))]
            case r.Moved(facilitator=facilitator, number=number, back=back):
                return [ack(say("moved_back" if back else "moved", facilitator=facilitator, number=number))]
            case r.UnknownStage(given=given, method=method):
                named = ", ".join(f"{i}. {s.title}" for i, s in enumerate(method.stages, start=1))
                return [Reply(say("stage_unknown", given=given, stages=named))]
            case r.Status():
                return [status(result)]
            case r.Report(report=report):
                return [Reply(report.to_markdown(), expects=Expectation(step="discussion", type="report"))]
            case r.Closed(method=method, reference=reference, report=report):
                said = say(
                    "closed",
                    title=method.title,
                    reference=reference,
                    contributions=report.contribution_count,
                    agencies=len(report.agencies),
                    learning=len(report.learning),
                    actions=len(report.actions),
                )
                return [ack(said), Reply(report.to_markdown(), expects=Expectation(step="discussion", type="report"))]
        assert_never(result)


def not_invited(facilitator: str) -> str:
    return say("not_invited", facilitator=facilitator)


def ack(text: str) -> Reply:
    # An expectation marks it as part of the discussion, not an answer to rate.
    return Reply(text, expects=Expectation(step="discussion", type="contribution"))


def saved(result: r.Saved) -> str:
    if result.kind == "learning":
        said = say("saved_learning", agency=result.agency, person=result.person)
    else:
        said = say("saved", agency=result.agency, stage=result.stage, person=result.person)
    problem = result.problem
    if problem is None:
        return said
    if problem.rating is None:
        return f"{said} {say('rating_needed', minimum=problem.minimum, maximum=problem.maximum)}"
    outside = say("rating_out_of_range", rating=problem.rating, minimum=problem.minimum, maximum=problem.maximum)
    return f"{said} {outside}"


def method_menu(reference: str) -> Reply:
    methods = [load_method(name) for name in available_methods()]
    return Reply(
        text=say("methods_heading", reference=reference),
        buttons=[Button(m.title, actions.start_button_value(reference, m.id)) for m in methods],
    )


def _stage_button(kind: actions.DiscussionKind, reference: str, stage: Stage) -> str:
    """A stage button's typed action; the discussion and its version are stamped below when known."""
    return actions.DiscussionAction(kind=kind, reference=reference, stage=stage.id).to_json()


def stage_prompt(method: DiscussionMethod, stage: Stage, reference: str, stamp: r.Stamp | None) -> Reply:
    number = method.index(stage.id) + 1
    lines = [
        say("stage_heading", number=number, total=len(method.stages), title=stage.title),
        stage.explanation,
        stage.prompt,
    ]
    if stage.scale is not None:
        lines.append(say("stage_scale", minimum=stage.scale.minimum, maximum=stage.scale.maximum))
    buttons = []
    if number > 1:
        buttons.append(Button(say("button_back"), _stage_button("discussion_back", reference, stage)))
    if number < len(method.stages):
        buttons.append(Button(say("button_next"), _stage_button("discussion_next", reference, stage), "primary"))
    last = number >= len(method.stages)
    closing = _stage_button("discussion_close", reference, stage)
    buttons.append(Button(say("button_close"), closing, "primary" if last else "danger"))
    reply = Reply(
        text="\n\n".join(lines),
        buttons=buttons,
        # Contributions are typed: a number typed in the terminal is a rating, not a button.
        expects=Expectation(step=stage.id, type="text"),
    )
    if stamp is None:
        return reply

    def stamped(value: str) -> str:
        return actions.stamp(value, stamp.discussion, stamp.version)

    return stamp_buttons(reply, actions.is_discussion, stamped)


def status(result: r.Status) -> Reply:
    method = result.method
    participants = "; ".join(f"{name} ({agency})" for name, agency in result.participants)
    return Reply(
        say(
            "status",
            title=method.title,
            reference=result.reference,
            state=say("state_open" if result.open else "state_closed"),
            number=method.index(result.stage.id) + 1,
            total=len(method.stages),
            stage=result.stage.title,
            facilitator=result.facilitator,
            participants=participants,
        ),
        expects=Expectation(step="discussion", type="status"),
    )


def invitation_reply(notice: r.DiscussionInvited) -> Reply:
    """An invitation to a case discussion, for the invitee (the same words in every channel)."""
    return Reply(
        say(
            "invitation",
            reference=notice.reference,
            title=notice.title,
            agency=notice.agency,
            facilitator=notice.facilitator,
        )
    )


def _word_invitation(event: dict[str, Any], audience: str, channel: str) -> Reply:
    """The outbox's call, at delivery or where the invitation is shown at once."""
    return invitation_reply(r.DiscussionInvited.model_validate(event))


events.register([r.INVITED], _word_invitation)
