"""Queue commands typed in chat (`queue`, `show PR-…`, `assign PR-… me`, …), turned into replies.

The business unit triages from wherever it chats; the same service (ReviewQueue)
backs the `sgbot queue` command line. Buttons carry the version the officer saw
(`@3`), so a decision made on an out-of-date view is refused, not applied.
"""

from __future__ import annotations

from bot.messages import Button, Notification, Reply
from bot.referral import statuses as st
from bot.referral.answers import InvalidAnswer, parse_date
from bot.referral.commands import Command
from bot.referral.errors import QueueError
from bot.referral.queue import Actor, ReviewQueue, TriageResult
from bot.referral.roles import sees_every_referral
from bot.referral.sections import answer_sections
from bot.referral.text import label, say
from bot.referral.views import ReferralDetail, ReferralSummary


class TriageChat:
    KINDS = frozenset(
        {
            "queue",
            "triage_help",
            "show",
            "assign",
            "request_info",
            "accept",
            "redirect",
            "decline",
            "la_aware",
            "panel_notified",
            "start_review",
            "complete",
            "close",
            "dashboard",
        }
    )

    def __init__(self, queue: ReviewQueue) -> None:
        self.queue = queue

    def handle(self, actor: Actor, command: Command) -> tuple[list[Reply], list[Notification]]:
        try:
            return self._handle(actor, command)
        except QueueError as problem:
            return [Reply(str(problem))], []
        except InvalidAnswer as problem:
            return [Reply(str(problem))], []

    def _handle(self, actor: Actor, command: Command) -> tuple[list[Reply], list[Notification]]:
        kind = command.kind
        if kind == "triage_help":
            return [Reply(say("triage_usage"))], []
        if kind == "queue":
            return [self.queue_reply(actor)], []
        if kind == "dashboard":
            return [self.dashboard_reply(actor)], []
        reference = command.reference or ""
        if kind == "show":
            return [self.detail_reply(self.queue.show(actor, reference), actor)], []
        argument = command.argument
        version = command.expected_version
        result: TriageResult
        if kind == "assign":
            target = argument[3:].strip() if argument.lower().startswith("to ") else argument
            result = self.queue.assign(actor, reference, target or None, expected_version=version)
        elif kind == "request_info":
            result = self.queue.request_info(actor, reference, argument, expected_version=version)
        elif kind == "accept":
            review_type, _, reason = argument.partition(" ")
            result = self.queue.decide(
                actor,
                reference,
                "accepted",
                reason,
                review_type=review_type or None,
                expected_version=version,
            )
        elif kind in {"redirect", "decline"}:
            outcome = "redirected" if kind == "redirect" else "not_accepted"
            result = self.queue.decide(actor, reference, outcome, argument, expected_version=version)
        elif kind in {"la_aware", "panel_notified"}:
            when = parse_date(argument, self.queue.today())
            result = self.queue.record_date(actor, reference, kind, when, expected_version=version)
        else:
            target = {"start_review": st.IN_REVIEW, "complete": st.COMPLETED, "close": st.CLOSED}[kind]
            result = self.queue.move(actor, reference, target, expected_version=version)
        return [Reply(result.message), self.detail_reply(result.referral, actor)], result.notifications

    def dashboard_reply(self, actor: Actor) -> Reply:
        """A one-time sign-in link to the web dashboard, for the business unit only."""
        from bot.dashboard.signin import SignIn

        signin = SignIn(self.queue.database, self.queue.settings, now=self.queue.now)
        if not signin.may_use(actor.user_id, actor.email):
            return Reply(say("dashboard_not_allowed"))
        url = signin.issue_link(actor.user_id, actor.email)
        return Reply(say("dashboard_link", url=url, minutes=self.queue.settings.dashboard_link_minutes))

    def queue_reply(self, actor: Actor) -> Reply:
        rows = self.queue.listing(actor)
        business_unit = sees_every_referral(self.queue.role(actor))
        if not rows:
            return Reply(say("queue_empty"))
        heading = say("queue_heading", count=len(rows)) if business_unit else say("my_referrals_heading")
        lines = [heading, *(self.line(r) for r in rows)]
        return Reply(
            text="\n".join(lines),
            buttons=[Button(r.reference, f"show {r.reference}") for r in rows[:10]],
            card={"kind": "referral_queue", "referrals": [r.to_dict() for r in rows]},
        )

    @staticmethod
    def line(row: ReferralSummary) -> str:
        flag = "🔴 overdue" if row.overdue else ("🟠 due soon" if row.due_soon else "")
        due = f"next due {row.next_due}" if row.next_due else "no clock running"
        parts = [
            f"**{row.reference}**",
            label("status", row.status),
            label("review_type", row.review_type),
            due,
        ]
        if row.assigned_to:
            parts.append(f"assigned to {row.assigned_to}")
        if flag:
            parts.append(flag)
        return "• " + " · ".join(parts)

    def detail_reply(self, view: ReferralDetail, actor: Actor) -> Reply:
        lines = [
            f"**{view.reference}**: {label('status', view.status)}"
            f" · {label('review_type', view.review_type)}",
            f"Referrer: {view.referrer_name or view.referrer} · submitted {view.submitted_at or '-'}",
        ]
        if view.assigned_to:
            lines.append(f"Assigned to: {view.assigned_to}")
        if view.decision:
            lines.append(f"Decision: {label('decision', view.decision)}. Reason: {view.decision_reason}")
        for clock in view.clocks:
            state = (
                "done"
                if clock.done
                else ("overdue" if clock.overdue else ("due soon" if clock.due_soon else ""))
            )
            lines.append(f"⏱ {clock.label}: {clock.due}" + (f" ({state})" if state else ""))
        if view.la_aware_on:
            lines.append(f"Local authority aware: {view.la_aware_on}")
        if view.panel_notified_on:
            lines.append(f"Panel notified: {view.panel_notified_on}")
        lines.append("")
        for title, answers in answer_sections(self.queue.settings.checklist, view.answers):
            lines.append(f"**{title}**")
            lines.extend(f"- {a.label}: {a.answer}" for a in answers)
            lines.append("")
        lines.append("")
        lines.append("History:")
        for event in view.events:
            why = f" ({event.reason})" if event.reason else ""
            extra = ""
            if event.detail and event.detail.get("question"):
                extra = f": “{event.detail['question']}”"
            if event.detail and event.detail.get("reply"):
                extra = f": “{event.detail['reply']}”"
            if event.detail and event.detail.get("owner_agency"):  # an action agreed or added to the plan
                detail = event.detail
                said = f" “{detail['text']}”" if detail.get("text") else ""
                extra = f":{said} ({detail['owner_agency']}, due {detail.get('due') or detail.get('due_on')})"
            lines.append(f"- {event.at} {event.actor}: {event.action.replace('_', ' ')}{extra}{why}")
        buttons: list[Button] = []
        if sees_every_referral(self.queue.role(actor)):
            ref, v = view.reference, view.version
            buttons.append(Button("Assign to me", f"assign {ref} me @{v}"))
            if view.status == st.ACCEPTED:
                buttons.append(Button("Start review", f"start-review {ref} @{v}"))
            if view.status == st.IN_REVIEW:
                buttons.append(Button("Complete", f"complete {ref} @{v}"))
            if view.status in {st.COMPLETED, st.REDIRECTED, st.NOT_ACCEPTED}:
                buttons.append(Button("Close", f"close {ref} @{v}"))
            if view.status in {st.ACCEPTED, st.IN_REVIEW}:
                buttons.append(Button(say("button_discuss"), f"discuss {ref}"))
        return Reply(text="\n".join(lines), buttons=buttons, card={"kind": "referral", **_card(view)})


def _card(view: ReferralDetail) -> dict[str, object]:
    return {
        "reference": view.reference,
        "status": view.status,
        "review_type": view.review_type,
        "version": view.version,
        "clocks": [c.__dict__ for c in view.clocks],
    }
