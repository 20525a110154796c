"""What the triage commands did, as typed results: never wording.

The triage commands (bot/referral/triage_chat.py) ask the review queue and
return what came back: the queue listed, a referral shown, a change made to it,
a dashboard link issued or refused, a command refused and why. The assistant
routes each result to the triage presenter (`TriagePresenter` in
bot/referral/presenter.py), which words it from prompts/ and adds the buttons
the officer may press. Who is told of a change travels beside these, as the
queue's notifications.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.referral.answers import InvalidAnswer
from bot.referral.errors import QueueError
from bot.referral.views import ReferralDetail, ReferralSummary


@dataclass(frozen=True)
class Usage:
    """`triage help`: which triage commands there are."""


@dataclass(frozen=True)
class Listing:
    """The referrals someone may see (`queue`): every open one for the business unit (`business_unit`),
    otherwise their own."""

    rows: tuple[ReferralSummary, ...]
    business_unit: bool


@dataclass(frozen=True)
class Shown:
    """One referral as it is; `may_triage`: the person sees the business unit's moves on it."""

    referral: ReferralDetail
    may_triage: bool


@dataclass(frozen=True)
class Changed:
    """A change made: the event recorded (`action`: "assigned", "info_requested", "accepted", ...) with
    what it recorded (`details`: the assignee, the decision, the date), and the referral as it now is."""

    referral: ReferralDetail
    action: str
    details: Mapping[str, Any]
    may_triage: bool


@dataclass(frozen=True)
class DashboardLink:
    """A one-time sign-in link to the web dashboard, valid for `minutes`."""

    url: str
    minutes: int


@dataclass(frozen=True)
class DashboardRefused:
    """`dashboard` from someone not in the business unit (or where no links are issued)."""


@dataclass(frozen=True)
class Refused:
    """A command the queue refused (not allowed, out of date, a reason missing) or whose date could
    not be read: the error says what is wrong and how to put it right."""

    error: QueueError | InvalidAnswer


TriageChatResult = Usage | Listing | Shown | Changed | DashboardLink | DashboardRefused | Refused
