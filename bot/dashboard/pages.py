"""What each dashboard page shows, and the changes its forms make, through the core's services.

Kept apart from the routes so that the web layer only translates: each function takes the dashboard's
services and the signed-in person and returns plain data for a template (or a CSV's text).
"""

from __future__ import annotations

import csv
import io
import math
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from starlette.requests import Request

from bot.dashboard.signin import SignedIn
from bot.referral import statuses as st
from bot.referral.presenter import done_reply
from bot.referral.queue import Actor, TriageResult
from bot.referral.sections import answer_sections
from bot.referral.text import label, review_name
from bot.referral.views import ReferralSummary
from bot.reports.quarter import Quarter
from bot.reviews.models import ACTION_STATUSES
from bot.reviews.text import action_status_label
from bot.spreadsheet import safe_cell

if TYPE_CHECKING:
    from bot.dashboard.app import Dashboard

PAGE_SIZE = 50
REVIEW_STAGES = (st.ACCEPTED, st.IN_REVIEW, st.COMPLETED)
DECISIONS = [("accepted:" + t, label("decision", t)) for t in st.ACCEPTED_TYPES] + [
    ("redirected", label("decision", "redirected")),
    ("not_accepted", label("decision", "not_accepted")),
]

__all__ = ["action_status_label", "label"]


def _actor(who: SignedIn) -> Actor:
    return Actor(who.user_id, who.email)


def _filters(request: Request) -> dict[str, str | None]:
    query = request.query_params
    return {name: (query.get(name) or "").strip() or None for name in ("status", "review_type", "area", "assigned_to")}


def queue_context(board: Dashboard, request: Request, who: SignedIn) -> dict[str, Any]:
    filters = _filters(request)
    if filters["status"] and filters["status"] not in st.TRANSITIONS:
        filters["status"] = None
    page = page_number(request)
    show_closed = request.query_params.get("closed") == "yes"
    rows = board.queue.listing(
        _actor(who),
        include_closed=show_closed,
        limit=PAGE_SIZE + 1,
        offset=(page - 1) * PAGE_SIZE,
        status=filters["status"],
        review_type=filters["review_type"],
        area=filters["area"],
        assigned_to=filters["assigned_to"],
    )
    facets = board.facets()
    review_types = sorted(
        {*_labels("review_type"), *st.ACCEPTED_TYPES}, key=lambda value: _review_type_label(value)
    )
    return {
        "rows": rows[:PAGE_SIZE],
        "filters": filters,
        "show_closed": show_closed,
        **paging(request, page, len(rows) > PAGE_SIZE),
        "statuses": [s for s in st.TRANSITIONS if s != st.DRAFT],
        "review_types": [(value, _review_type_label(value)) for value in review_types],
        "areas": facets["areas"],
        "assignees": facets["assignees"],
        "query": str(request.query_params),
        "review_type_of": review_type_of,
    }


def page_number(request: Request) -> int:
    """The page asked for (?page=N); anything else is the first."""
    try:
        return max(1, int(request.query_params.get("page", "1")))
    except ValueError:
        return 1


def paging(request: Request, page: int, has_next: bool) -> dict[str, Any]:
    """What the pagination links need (the list's filters kept in them)."""
    return {"page": page, "has_next": has_next, "prev_query": _page_query(request, page - 1),
            "next_query": _page_query(request, page + 1)}


def _page_query(request: Request, page: int) -> str:
    params = {k: v for k, v in request.query_params.items() if k != "page" and v}
    params["page"] = str(page)
    return urlencode(params)


def review_type_of(row: ReferralSummary) -> str:
    """The review it was accepted for, or else the one the referrer considered."""
    return review_name(row.decision if row.decision in st.ACCEPTED_TYPES else row.review_type)


def _labels(group: str) -> list[str]:
    from bot.prompts import load_yaml

    return list(load_yaml("referral.yaml").get("labels", {}).get(group, {}))


def _review_type_label(value: str | None) -> str:
    return review_name(value)


def queue_csv(board: Dashboard, request: Request, who: SignedIn) -> str:
    filters = _filters(request)
    rows = board.queue.listing(
        _actor(who),
        include_closed=True,
        limit=None,
        status=filters["status"],
        review_type=filters["review_type"],
        area=filters["area"],
        assigned_to=filters["assigned_to"],
    )
    return summaries_csv(rows)


SUMMARY_COLUMNS = [
    "reference", "status", "review_type", "decision", "assigned_to", "submitted_at", "decision_due",
    "notification_due", "rapid_review_due", "report_due", "next_due", "overdue", "due_soon",
]


def summaries_csv(rows: list[ReferralSummary]) -> str:
    """Status and dates only: never what the referrer wrote."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(SUMMARY_COLUMNS)
    for row in rows:
        values = row.to_dict()
        writer.writerow([safe_cell(_csv_value(values[c])) for c in SUMMARY_COLUMNS])
    return out.getvalue()


def _csv_value(value: object) -> object:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else value


def allowed_changes(status: str) -> dict[str, bool]:
    """Which forms the referral page offers now (the services check again)."""
    return {
        "assign": status != st.CLOSED,
        "decide": status == st.SUBMITTED,
        "request_info": status == st.SUBMITTED,
        "dates": status not in {st.DRAFT, st.CLOSED},
        "start_review": st.can_move(status, st.IN_REVIEW),
        "complete": st.can_move(status, st.COMPLETED),
        "close": st.can_move(status, st.CLOSED),
    }


def referral_context(board: Dashboard, who: SignedIn, reference: str) -> dict[str, Any]:
    view = board.queue.show(_actor(who), reference)
    is_review = view.decision in st.ACCEPTED_TYPES
    actions = board.plans.for_review(who.user_id, view.reference, email=who.email) if is_review else []
    themes = board.themes.of(view.reference) if is_review else []
    return {
        "view": view,
        "sections": sections(board, view.answers),
        "allowed": allowed_changes(view.status),
        "decisions": DECISIONS,
        "is_review": is_review,
        "actions": actions,
        "action_statuses": ACTION_STATUSES,
        "themes": themes,
        "theme_choices": board.themes.choices,
        "review_type_label": _review_type_label,
        "form": {},
    }


def sections(board: Dashboard, answers: list[Any]) -> list[tuple[str, list[Any]]]:
    """The answers grouped under the checklist's sections (its YAML's `sections`), in that order."""
    return answer_sections(board.settings.checklist, answers)


def _done(result: TriageResult) -> str:
    """What a change did, in the words chat and the command line use (the referral presenter's)."""
    return done_reply(result).text


def apply_change(board: Dashboard, who: SignedIn, reference: str, form: dict[str, str]) -> str:
    """One form's change through the same service calls as chat; returns what was done."""
    from bot.dashboard.app import parse_iso_date

    actor = _actor(who)
    change = form.get("change", "")
    version = _int(form.get("version"))
    queue = board.queue
    if change == "assign":
        return _done(queue.assign(actor, reference, form.get("assign_to") or None, expected_version=version))
    if change == "decide":
        outcome = form.get("decision", "")
        review_type = None
        if outcome.startswith("accepted:"):
            outcome, review_type = "accepted", outcome.split(":", 1)[1]
        if not outcome:
            raise ValueError("Choose a decision: accept for a review, redirect, or not accept.")
        return _done(queue.decide(
            actor, reference, outcome, form.get("reason", ""), review_type=review_type, expected_version=version
        ))
    if change == "request_info":
        return _done(queue.request_info(actor, reference, form.get("question", ""), expected_version=version))
    if change in {"la_aware", "panel_notified"}:
        when = parse_iso_date(form.get("date", ""), "Date")
        return _done(queue.record_date(actor, reference, change, when, expected_version=version))
    if change in {"in_review", "completed", "closed"}:
        return _done(
            queue.move(actor, reference, change, reason=form.get("reason") or None, expected_version=version)
        )
    if change == "add_action":
        item = board.plans.add(
            who.user_id,
            reference,
            recommendation=form.get("recommendation", ""),
            action=form.get("action") or None,
            owner_agency=form.get("owner_agency", ""),
            due_on=parse_iso_date(form.get("due_on", ""), "Due date"),
            email=who.email,
        )
        return f"Action {item.id} added to {reference}, owned by {item.owner_agency}, due {item.due_on}."
    if change == "close_action":
        item_id = _int(form.get("item")) or 0
        item = board.plans.close(
            who.user_id, item_id, form.get("evidence", ""), expected_version=version, email=who.email
        )
        return f"Action {item.id} closed as completed."
    if change == "set_themes":
        chosen = [value for key, value in form.items() if key.startswith("theme_")]
        themes = board.themes.set(who.user_id, reference, chosen, email=who.email)
        return "Themes set: " + (", ".join(themes) if themes else "none") + "."
    raise ValueError("That form asked for nothing the dashboard knows how to do. Reload the page and try again.")


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def reviews_rows(board: Dashboard, who: SignedIn, *, limit: int | None = None, offset: int = 0
                 ) -> list[dict[str, Any]]:
    """Accepted referrals not yet closed: their stage and how far each clock has slipped, most slipped first.

    The queue's order is the right one: `next_due_on` is the earliest open clock, so the earliest is
    the most slipped (in working days), and the database cuts the page.
    """
    rows: list[dict[str, Any]] = []
    reviews = board.queue.listing(_actor(who), statuses=frozenset(REVIEW_STAGES), accepted_only=True,
                                  limit=limit, offset=offset)
    counts = board.plans.open_counts([r.reference for r in reviews] if limit is not None else None)
    for row in reviews:
        open_clocks = [c for c in row.clocks if not c.done]
        slippage = max((-c.working_days_left for c in open_clocks if c.overdue), default=0)
        actions_open, actions_overdue = counts.get(row.reference, (0, 0))
        rows.append(
            {
                "row": row,
                "stage": label("status", row.status),
                "review": _review_type_label(row.decision),
                "open_clocks": open_clocks,
                "slippage": slippage,
                "actions_open": actions_open,
                "actions_overdue": actions_overdue,
            }
        )
    return rows


def reviews_context(board: Dashboard, request: Request, who: SignedIn) -> dict[str, Any]:
    page = page_number(request)
    rows = reviews_rows(board, who, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    return {"reviews": rows[:PAGE_SIZE], **paging(request, page, len(rows) > PAGE_SIZE)}


def reviews_csv(board: Dashboard, who: SignedIn) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["reference", "review", "stage", "next_due", "slippage_working_days", "actions_open",
                     "actions_overdue"])
    for r in reviews_rows(board, who):
        writer.writerow([safe_cell(r["row"].reference), safe_cell(r["review"]), r["stage"], r["row"].next_due or "",
                         r["slippage"], r["actions_open"], r["actions_overdue"]])
    return out.getvalue()


def actions_context(board: Dashboard, request: Request, who: SignedIn) -> dict[str, Any]:
    status = request.query_params.get("status") or None
    if status not in ACTION_STATUSES:
        status = None
    overdue_only = request.query_params.get("overdue") == "yes"
    page = page_number(request)
    items = board.plans.listing(who.user_id, status=status, overdue_only=overdue_only, email=who.email,
                                limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    completion = board.plans.completion()
    share = completion.completed_share
    return {
        "items": items[:PAGE_SIZE],
        "status": status,
        "overdue_only": overdue_only,
        "action_statuses": ACTION_STATUSES,
        "completion": completion,
        "completed_percent": None if share is None else math.floor(share * 100 + 0.5),
        "today": date.today().isoformat(),
        **paging(request, page, len(items) > PAGE_SIZE),
    }


def themes_csv(board: Dashboard) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["theme", "reviews"])
    for count in board.themes.counts():
        writer.writerow([safe_cell(count.theme), count.reviews])
    return out.getvalue()


def current_quarter(board: Dashboard) -> Quarter:
    return Quarter.containing(board.queue.today())


def report_quarter(request: Request, board: Dashboard) -> Quarter:
    """The quarter asked for (?quarter=2026Q3), or the one we are in; a bad one is a ValueError saying why."""
    asked = (request.query_params.get("quarter") or "").strip()
    return Quarter.parse(asked) if asked else current_quarter(board)


def gaps_csv(themes: list[Any]) -> str:
    """Counts per theme and the nearest documents: never a question's text."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["nearest_document", "gaps", "declined", "thumbs_down"])
    for theme in themes:
        writer.writerow([safe_cell(theme.label), theme.count, theme.declined, theme.thumbs_down])
    return out.getvalue()
