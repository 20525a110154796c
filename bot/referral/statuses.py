"""The life of a referral: statuses and the only moves allowed between them (see DESIGN.md)."""

from __future__ import annotations

DRAFT = "draft"
SUBMITTED = "submitted"
MORE_INFO_REQUESTED = "more_info_requested"
ACCEPTED = "accepted"
REDIRECTED = "redirected"
NOT_ACCEPTED = "not_accepted"
IN_REVIEW = "in_review"
COMPLETED = "completed"
CLOSED = "closed"

TRANSITIONS: dict[str, frozenset[str]] = {
    DRAFT: frozenset({SUBMITTED}),
    SUBMITTED: frozenset({MORE_INFO_REQUESTED, ACCEPTED, REDIRECTED, NOT_ACCEPTED}),
    MORE_INFO_REQUESTED: frozenset({SUBMITTED}),
    ACCEPTED: frozenset({IN_REVIEW}),
    REDIRECTED: frozenset({CLOSED}),
    NOT_ACCEPTED: frozenset({CLOSED}),
    IN_REVIEW: frozenset({COMPLETED}),
    COMPLETED: frozenset({CLOSED}),
    CLOSED: frozenset(),
}

# Still needing the business unit's attention: shown in the queue by default.
OPEN = frozenset({SUBMITTED, MORE_INFO_REQUESTED, ACCEPTED, IN_REVIEW, COMPLETED, REDIRECTED, NOT_ACCEPTED})

ACCEPTED_TYPES = ("rapid_review", "lcspr", "good_outcome_review", "sar")


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())
