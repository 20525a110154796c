"""The review queue's results as `Reply`s: the one place its chat wording is put together.

The queue (bot/referral/queue.py) and the triage commands (triage_chat.py)
return results: listings, a referral's detail, what a change did, the facts of
a notification (the triage commands' as typed results, triage_results.py, which
`TriagePresenter.present` words). This module turns them into what every channel
renders, with the wording from prompts/queue.yaml, prompts/referral.yaml and, for
notifications, prompts/referral_notices.yaml (one wording per event and audience),
and the buttons as typed actions (bot/referral/actions.py). Nothing here reads or
writes the database.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, assert_never

from bot.messages import Button, Reply
from bot.outbox import BUSINESS_UNIT, events
from bot.prompts import load_yaml, say_from
from bot.referral import notices
from bot.referral import statuses as st
from bot.referral import triage_results as results
from bot.referral.actions import action_button
from bot.referral.sections import answer_sections
from bot.referral.text import label, say
from bot.referral.views import ReferralDetail, ReferralSummary

if TYPE_CHECKING:  # the queue uses the presenter for its notifications
    from bot.referral.queue import TriageResult

# What a feature built on referrals offers on a referral's card (a case discussion's "Start a case
# discussion"): a button for the referral as the officer sees it, or None. Handed in by whoever puts the
# features together (the assistant), so the referral domain never imports a feature that imports it.
ReferralOffer = Callable[[ReferralDetail], Button | None]

QUEUE_FILE = "queue.yaml"
# The queue shows a button per referral for the first few only: a chat message is not a table.
QUEUE_BUTTONS = 10


def word(name: str, **fields: Any) -> str:
    return say_from(QUEUE_FILE, name, **fields)


def show_button(reference: str) -> Button:
    return action_button(word("button_show"), "show", reference, style="primary")


# --- replies to the person who asked ------------------------------------------------------


class TriagePresenter:
    """The triage commands' results (bot/referral/triage_results.py) as replies: a referral's card with
    the moves the officer may make and what other features offer on it (`offers`, handed in from above)."""

    def __init__(self, checklist: str, offers: Sequence[ReferralOffer] = ()) -> None:
        self.checklist = checklist  # whose questions a referral's answers are grouped under
        self.offers: list[ReferralOffer] = list(offers)

    def present(self, result: results.TriageChatResult) -> list[Reply]:
        match result:
            case results.Usage():
                return [usage_reply()]
            case results.Listing(rows=rows, business_unit=business_unit):
                return [queue_reply(rows, business_unit=business_unit)]
            case results.Shown(referral=view, may_triage=may_triage):
                return [self.detail(view, may_triage=may_triage)]
            case results.Changed(referral=view, may_triage=may_triage):
                return [done_reply(result), self.detail(view, may_triage=may_triage)]
            case results.DashboardLink(url=url, minutes=minutes):
                return [dashboard_link_reply(url, minutes)]
            case results.DashboardRefused():
                return [dashboard_refused_reply()]
            case results.Refused(error=error):
                return [Reply(str(error))]
        assert_never(result)

    def detail(self, view: ReferralDetail, *, may_triage: bool) -> Reply:
        return detail_reply(view, checklist=self.checklist, may_triage=may_triage, offers=self.offers)



def queue_reply(rows: Sequence[ReferralSummary], *, business_unit: bool) -> Reply:
    if not rows:
        return Reply(say("queue_empty"))
    heading = say("queue_heading", count=len(rows)) if business_unit else say("my_referrals_heading")
    lines = [heading, *(line(r) for r in rows)]
    return Reply(
        text="\n".join(lines),
        buttons=[action_button(r.reference, "show", r.reference) for r in rows[:QUEUE_BUTTONS]],
        card={"kind": "referral_queue", "referrals": [r.to_dict() for r in rows]},
    )


def line(row: ReferralSummary) -> str:
    flag = word("line_overdue") if row.overdue else (word("line_due_soon") if row.due_soon else "")
    due = word("line_next_due", due=row.next_due) if row.next_due else word("line_no_clock")
    parts = [
        f"**{row.reference}**",
        label("status", row.status),
        label("review_type", row.review_type),
        due,
    ]
    if row.assigned_to:
        parts.append(word("line_assigned_to", who=row.assigned_to))
    if flag:
        parts.append(flag)
    return "• " + " · ".join(parts)


def detail_reply(
    view: ReferralDetail, *, checklist: str, may_triage: bool, offers: Sequence[ReferralOffer] = ()
) -> Reply:
    lines = [
        word(
            "detail_heading",
            reference=view.reference,
            status=label("status", view.status),
            review_type=label("review_type", view.review_type),
        ),
        word("detail_referrer", referrer=view.referrer_name or view.referrer, submitted=view.submitted_at or "-"),
    ]
    if view.assigned_to:
        lines.append(word("detail_assigned_to", who=view.assigned_to))
    if view.decision:
        lines.append(word("detail_decision", decision=label("decision", view.decision), reason=view.decision_reason))
    for clock in view.clocks:
        state = (
            word("clock_done")
            if clock.done
            else (word("clock_overdue") if clock.overdue else (word("clock_due_soon") if clock.due_soon else ""))
        )
        shown = word("detail_clock", label=clock.label, due=clock.due)
        lines.append(shown + (word("detail_clock_state", state=state) if state else ""))
    if view.la_aware_on:
        lines.append(word("detail_la_aware", date=view.la_aware_on))
    if view.panel_notified_on:
        lines.append(word("detail_panel_notified", date=view.panel_notified_on))
    lines.append("")
    for title, answers in answer_sections(checklist, view.answers):
        lines.append(f"**{title}**")
        lines.extend(f"- {a.label}: {a.answer}" for a in answers)
        lines.append("")
    lines.append("")
    lines.append(word("detail_history"))
    for event in view.events:
        why = f" ({event.reason})" if event.reason else ""
        extra = ""
        if event.detail and event.detail.get("question"):
            extra = f": “{event.detail['question']}”"
        if event.detail and event.detail.get("reply"):
            extra = f": “{event.detail['reply']}”"
        if event.detail and event.detail.get("clock"):  # a clock notice (bot/referral/clock_notices.py)
            extra = f": {label('clock', event.detail['clock'])} {event.detail.get('due')}"
        if event.detail and event.detail.get("owner_agency"):  # an action agreed or added to the plan
            detail = event.detail
            said = f" “{detail['text']}”" if detail.get("text") else ""
            extra = f":{said} ({detail['owner_agency']}, due {detail.get('due') or detail.get('due_on')})"
        lines.append(f"- {event.at} {event.actor}: {event.action.replace('_', ' ')}{extra}{why}")
    buttons = triage_buttons(view, offers) if may_triage else []
    return Reply(text="\n".join(lines), buttons=buttons, card={"kind": "referral", **_card(view)})


def triage_buttons(view: ReferralDetail, offers: Sequence[ReferralOffer] = ()) -> list[Button]:
    """The one-click moves for the status the officer sees, each carrying that version, then what other
    features offer on the referral as it is (`offers`)."""
    ref, v = view.reference, view.version
    buttons = [action_button(word("button_assign_to_me"), "assign", ref, v)]
    if view.status == st.ACCEPTED:
        buttons.append(action_button(word("button_start_review"), "start_review", ref, v))
    if view.status == st.IN_REVIEW:
        buttons.append(action_button(word("button_complete"), "complete", ref, v))
    if view.status in {st.COMPLETED, st.REDIRECTED, st.NOT_ACCEPTED}:
        buttons.append(action_button(word("button_close"), "close", ref, v))
    buttons.extend(button for button in (offer(view) for offer in offers) if button is not None)
    return buttons


def done_reply(result: TriageResult | results.Changed) -> Reply:
    """"PR-…: assigned to …." for the officer who made the change."""
    return Reply(say("triage_done", reference=result.referral.reference, what=what_was_done(result)))


def what_was_done(result: TriageResult | results.Changed) -> str:
    details, action = result.details, result.action
    if action == "assigned":
        return word("done_assigned", who=details.get("to"))
    if "decision" in details:
        return label("decision", str(details["decision"]))
    if action in ("la_aware_recorded", "panel_notified_recorded"):
        return word(f"done_{action}", date=details.get("date"))
    if action in ("info_requested", "info_provided"):
        return word(f"done_{action}")
    return label("status", result.referral.status)  # moved on: in review, completed, closed


def dashboard_link_reply(url: str, minutes: int) -> Reply:
    return Reply(say("dashboard_link", url=url, minutes=minutes))


def dashboard_refused_reply() -> Reply:
    return Reply(say("dashboard_not_allowed"))


def usage_reply() -> Reply:
    return Reply(say("triage_usage"))


def _card(view: ReferralDetail) -> dict[str, object]:
    return {
        "reference": view.reference,
        "status": view.status,
        "review_type": view.review_type,
        "version": view.version,
        "clocks": [c.__dict__ for c in view.clocks],
    }


# --- notifications (what someone else is told of a change) --------------------------------
# The queue publishes the facts (bot/referral/notices.py); the outbox asks for their wording
# when it delivers them, so what is said is always the current wording, and it is worded for
# whoever it is delivered to: the referrer, the business unit, or the officer assigned.

NOTICES_FILE = "referral_notices.yaml"
REFERRER, ASSIGNEE = "referrer", "assignee"


def audience_role(kind: str, audience: str) -> str:
    """Who an event is worded for: the business unit's channels, or the person it names."""
    if audience == BUSINESS_UNIT:
        return BUSINESS_UNIT
    return ASSIGNEE if kind == "assigned" else REFERRER


def told(kind: str, role: str, **fields: Any) -> str:
    """The wording of event `kind` for `role` (prompts/referral_notices.yaml), filled in."""
    entry = (load_yaml(NOTICES_FILE) or {}).get(kind)
    if not isinstance(entry, dict) or role not in entry:
        raise KeyError(f"prompts/{NOTICES_FILE} has no wording of {kind!r} for the {role.replace('_', ' ')}")
    return str(entry[role]).format(**fields).strip()


def notice_reply(notice: notices.ReferralNotice, audience: str) -> Reply:
    """The wording of a referral event for the audience it is delivered to."""
    role = audience_role(notice.kind, audience)
    match notice:
        case notices.Submitted():
            return submitted_notice(notice, role)
        case notices.Assigned():
            return Reply(
                text=told(notice.kind, role, reference=notice.reference, by=notice.by or told_plain("unknown_officer")),
                buttons=[show_button(notice.reference)],
            )
        case notices.InfoRequested():
            if role == BUSINESS_UNIT:
                return Reply(
                    text=told(notice.kind, role, question=notice.question, **_who(notice)),
                    buttons=[show_button(notice.reference)],
                )
            return Reply(
                text=told(notice.kind, role, reference=notice.reference, question=notice.question),
                buttons=[action_button(told_plain("button_reply"), "reply", notice.reference, style="primary")],
            )
        case notices.InfoProvided():
            return Reply(
                text=told(notice.kind, role, reference=notice.reference, referrer=notice.referrer),
                buttons=[show_button(notice.reference)],
            )
        case notices.Decided():
            return decided_notice(notice, role)
        case notices.Progressed():  # review_started / completed
            if role == BUSINESS_UNIT:
                return Reply(told(notice.kind, role, **_who(notice)), buttons=[show_button(notice.reference)])
            return Reply(told(notice.kind, role, reference=notice.reference))
        case notices.ClockNoticed():
            return clock_notice(notice, role)


def _who(notice: notices.InfoRequested | notices.Progressed) -> dict[str, str]:
    """The reference, referrer and officer of a change, as the business unit's wording names them."""
    return {
        "reference": notice.reference,
        "referrer": notice.referrer or told_plain("unknown_referrer"),
        "by": notice.by or told_plain("unknown_officer"),
    }


def told_plain(name: str, **fields: Any) -> str:
    """A single wording of prompts/referral_notices.yaml that is the same for every audience (a button)."""
    return say_from(NOTICES_FILE, name, **fields)


def submitted_notice(notice: notices.Submitted, role: str = BUSINESS_UNIT) -> Reply:
    reference = notice.reference
    running = "; ".join(f"{label('clock', c.name)}: {c.due}" for c in notice.clocks)
    text = told(
        notice.kind,
        role,
        reference=reference,
        review_type=label("review_type", notice.review_type),
        referrer=notice.referrer,
        clocks=running,
    )
    return Reply(
        text=text,
        buttons=[
            show_button(reference),
            action_button(word("button_assign_to_me"), "assign", reference, notice.version),
        ],
        card={"kind": "referral_submitted", "reference": reference, "review_type": notice.review_type},
    )


def decided_notice(notice: notices.Decided, role: str) -> Reply:
    decision = label("decision", notice.decision)
    if role != BUSINESS_UNIT:
        return Reply(told(notice.kind, role, reference=notice.reference, decision=decision, reason=notice.reason))
    referrer = notice.referrer or told_plain("unknown_referrer")
    declined = {st.REDIRECTED, st.NOT_ACCEPTED}
    outcome = notice.outcome or (notice.decision if notice.decision in declined else st.ACCEPTED)
    following = (load_yaml(NOTICES_FILE) or {}).get("decided_next") or {}
    if outcome not in following:
        raise KeyError(f"prompts/{NOTICES_FILE} has no decided_next wording for {outcome!r}")
    return Reply(
        text=told(
            notice.kind,
            role,
            reference=notice.reference,
            decision=decision,
            reason=notice.reason,
            referrer=referrer,
            by=notice.by or told_plain("unknown_officer"),
            next=str(following[outcome]).format(reference=notice.reference, referrer=referrer).strip(),
        ),
        buttons=[show_button(notice.reference)],
    )


def clock_notice(notice: notices.ClockNoticed, role: str = BUSINESS_UNIT) -> Reply:
    """A clock due soon or overdue, told to the business unit."""
    threshold = notice.kind.removeprefix("clock_")
    return Reply(
        text=told(
            notice.kind,
            role,
            reference=notice.reference,
            clock=label("clock", notice.clock),
            due=notice.due,
            days=notice.days_left,
        ),
        buttons=[show_button(notice.reference)],
        card={"kind": "referral_clock", "reference": notice.reference, "clock": notice.clock, "threshold": threshold},
    )


def _word_stored(event: dict[str, Any], audience: str, channel: str) -> Reply:
    """The outbox's call at delivery: worded for the audience (the same words in every channel)."""
    return notice_reply(notices.read(event), audience)


events.register(notices.KINDS, _word_stored)
