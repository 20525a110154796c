"""Who may do what: roles come from configuration (user ids or emails), never from the chat platform."""

from __future__ import annotations

from enum import StrEnum

from bot.config import Settings


class Role(StrEnum):
    PRACTITIONER = "practitioner"  # everyone: ask questions, refer, see their own referrals
    BUSINESS_UNIT = "business_unit"  # triage the queue, see every referral
    ADMIN = "admin"  # everything the business unit can do


def role_of(settings: Settings, user_id: str, email: str | None = None) -> Role:
    identities = {user_id.strip().lower()} | ({email.strip().lower()} if email else set())
    if identities & {a.lower() for a in settings.admins}:
        return Role.ADMIN
    if identities & {b.lower() for b in settings.business_unit}:
        return Role.BUSINESS_UNIT
    return Role.PRACTITIONER


def sees_every_referral(role: Role) -> bool:
    return role in {Role.BUSINESS_UNIT, Role.ADMIN}


def default_officer(settings: Settings) -> str | None:
    """The first business-unit user (the queue CLI acts as them unless told otherwise)."""
    if settings.business_unit:
        return settings.business_unit[0]
    return settings.admins[0] if settings.admins else None
