"""Queue commands in chat: typed actions from buttons and forms, and the commands people type.

The business unit triages from wherever it chats; the same service (ReviewQueue)
backs the `sgbot queue` command line. A button or form carries a typed action
(bot/referral/actions.py) with the version the officer saw, so a decision made
on an out-of-date view is refused, not applied; a typed command (`assign PR-… me`)
becomes the same action before anything is done. What comes back is returned as
typed results (bot/referral/triage_results.py), never wording: the assistant has
the triage presenter (bot/referral/presenter.py) put them into words.
"""

from __future__ import annotations

from typing import Protocol

from bot.messages import Notification
from bot.referral import statuses as st
from bot.referral.actions import TriageAction
from bot.referral.answers import InvalidAnswer, parse_date
from bot.referral.commands import Command
from bot.referral.errors import QueueError
from bot.referral.queue import Actor, ReviewQueue, TriageResult
from bot.referral.roles import sees_every_referral
from bot.referral.triage_results import (
    Changed,
    DashboardLink,
    DashboardRefused,
    Listing,
    Refused,
    Shown,
    TriageChatResult,
    Usage,
)
from bot.referral.views import ReferralDetail

# Typed command words (bot/referral/commands.py) → the action kind they stand for.
_TEXT_KINDS = {
    "show": "show",
    "assign": "assign",
    "request_info": "request_info",
    "accept": "decide",
    "redirect": "decide",
    "decline": "decide",
    "la_aware": "la_aware",
    "panel_notified": "panel_notified",
    "start_review": "start_review",
    "complete": "complete",
    "close": "close",
}
_MOVES = {"start_review": st.IN_REVIEW, "complete": st.COMPLETED, "close": st.CLOSED}


class DashboardLinks(Protocol):
    """One-time sign-in links to the web dashboard (bot.dashboard.signin.SignIn). Passed in by the
    assistant, so that the referral domain never imports the dashboard, a surface above it."""

    def may_use(self, user_id: str, email: str | None) -> bool: ...

    def issue_link(self, user_id: str, email: str | None = None) -> str: ...


class TriageChat:
    KINDS = frozenset({"queue", "triage_help", "dashboard", *_TEXT_KINDS})

    def __init__(self, queue: ReviewQueue, dashboard_links: DashboardLinks | None = None) -> None:
        self.queue = queue
        self.dashboard_links = dashboard_links

    def handle(self, actor: Actor, command: Command) -> tuple[list[TriageChatResult], list[Notification]]:
        """A command someone typed."""
        if command.kind == "triage_help":
            return [Usage()], []
        if command.kind == "queue":
            return [self.listing(actor)], []
        if command.kind == "dashboard":
            return [self.dashboard(actor)], []
        return self.perform(actor, typed_from(command))

    def perform(self, actor: Actor, action: TriageAction) -> tuple[list[TriageChatResult], list[Notification]]:
        """A typed action (from a button, a form, or a typed command), done: what it did, and who is told."""
        try:
            return self._perform(actor, action)
        except (QueueError, InvalidAnswer) as problem:
            return [Refused(problem)], []

    def _perform(self, actor: Actor, action: TriageAction) -> tuple[list[TriageChatResult], list[Notification]]:
        reference, version, kind = action.reference, action.version, action.kind
        if kind == "show":
            return [self.shown(self.queue.show(actor, reference), actor)], []
        result: TriageResult
        if kind == "assign":
            target = action.field("to")
            result = self.queue.assign(actor, reference, target or None, expected_version=version)
        elif kind == "request_info":
            result = self.queue.request_info(actor, reference, action.field("question"), expected_version=version)
        elif kind == "decide":
            decision = action.field("decision")
            if decision in (st.REDIRECTED, st.NOT_ACCEPTED):
                result = self.queue.decide(
                    actor, reference, decision, action.field("reason"), expected_version=version
                )
            else:
                result = self.queue.decide(
                    actor,
                    reference,
                    "accepted",
                    action.field("reason"),
                    review_type=decision or None,
                    expected_version=version,
                )
        elif kind in {"la_aware", "panel_notified"}:
            when = parse_date(action.field("date"), self.queue.today())
            result = self.queue.record_date(actor, reference, kind, when, expected_version=version)
        elif kind in _MOVES:
            result = self.queue.move(actor, reference, _MOVES[kind], expected_version=version)
        else:  # "reply" belongs to the referrer's conversation, which routes it before here
            raise ValueError(f"not a triage action: {kind}")
        changed = Changed(result.referral, result.action, dict(result.details), self._may_triage(actor))
        return [changed], result.notifications

    def dashboard(self, actor: Actor) -> DashboardLink | DashboardRefused:
        """A one-time sign-in link to the web dashboard, for the business unit only (and only where
        links are issued: not from a conversation built without them)."""
        links = self.dashboard_links
        if links is None or not links.may_use(actor.user_id, actor.email):
            return DashboardRefused()
        url = links.issue_link(actor.user_id, actor.email)
        return DashboardLink(url, self.queue.settings.dashboard_link_minutes)

    def listing(self, actor: Actor) -> Listing:
        rows = self.queue.listing(actor)
        return Listing(tuple(rows), business_unit=self._may_triage(actor))

    def shown(self, view: ReferralDetail, actor: Actor) -> Shown:
        """`view` as `actor` is shown it (with the business unit's moves, if they may make them)."""
        return Shown(view, may_triage=self._may_triage(actor))

    def _may_triage(self, actor: Actor) -> bool:
        return sees_every_referral(self.queue.role(actor))


def typed_from(command: Command) -> TriageAction:
    """The action a typed triage command stands for (its words already split by commands.parse).

    Built in code, not read from JSON: the queue itself refuses what is missing (a reason, a
    review type, a date) in the words a typed command has always had.
    """
    kind = _TEXT_KINDS[command.kind]
    argument = command.argument
    payload: dict[str, str] = {}
    if command.kind == "assign":
        target = argument[3:].strip() if argument.lower().startswith("to ") else argument
        if target:
            payload["to"] = target
    elif command.kind == "request_info":
        payload["question"] = argument
    elif command.kind == "accept":
        review_type, _, reason = argument.partition(" ")
        payload = {"decision": review_type, "reason": reason}
    elif command.kind in {"redirect", "decline"}:
        outcome = st.REDIRECTED if command.kind == "redirect" else st.NOT_ACCEPTED
        payload = {"decision": outcome, "reason": argument}
    elif command.kind in {"la_aware", "panel_notified"}:
        payload["date"] = argument
    # model_construct: a typed command's words are checked by the queue, in its own messages.
    return TriageAction.model_construct(
        kind=kind, reference=command.reference or "", version=command.expected_version, payload=payload
    )
