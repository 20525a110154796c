"""What an action plan shows: plain data built from an action item, ready for HTML, JSON or CSV."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from bot.reviews.models import FINISHED, ActionItem


@dataclass(frozen=True)
class ActionView:
    id: int
    reference: str
    recommendation: str
    action: str | None
    owner_agency: str
    due_on: str
    status: str
    evidence_of_impact: str | None
    completed_on: str | None
    overdue: bool
    source: str
    created_by: str
    version: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def is_overdue(item: ActionItem, today: date) -> bool:
    return item.status not in FINISHED and item.due_on < today


def action_view(item: ActionItem, reference: str, today: date) -> ActionView:
    return ActionView(
        id=item.id,
        reference=reference,
        recommendation=item.recommendation,
        action=item.action,
        owner_agency=item.owner_agency,
        due_on=item.due_on.isoformat(),
        status=item.status,
        evidence_of_impact=item.evidence_of_impact,
        completed_on=item.completed_on.isoformat() if item.completed_on else None,
        overdue=is_overdue(item, today),
        source=item.source,
        created_by=item.created_by,
        version=item.version,
    )
