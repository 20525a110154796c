"""Who may do what, decided in one place for every channel.

A role comes from configuration (`SGBOT_ADMINS`, `SGBOT_BUSINESS_UNIT`: user
ids or emails) or from the `role_grants` table (`sgbot roles grant`), and
applies to the person, not to one platform id: every id and the email the
person is known by (`bot.people`) count, so an officer listed by their Slack
id is an officer in Teams too once the same email links the two. Every check
in every surface (chat, the dashboard, action plans, themes, the report,
alignment, channel settings) asks here, always with the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.db import Database, utcnow
from bot.people.models import Person
from bot.people.service import People
from bot.roles.models import RoleGrant


class Role(StrEnum):
    PRACTITIONER = "practitioner"  # everyone: ask questions, refer, see their own referrals
    BUSINESS_UNIT = "business_unit"  # triage the queue, see every referral
    ADMIN = "admin"  # everything the business unit can do, and channel settings

GRANTABLE = (Role.BUSINESS_UNIT, Role.ADMIN)
_RANK = {Role.PRACTITIONER: 0, Role.BUSINESS_UNIT: 1, Role.ADMIN: 2}


def _normal(value: str | None) -> str | None:
    return value.strip().lower() if value and value.strip() else None


def _configured(settings: Settings, identities: set[str]) -> Role:
    if identities & {a.strip().lower() for a in settings.admins}:
        return Role.ADMIN
    if identities & {b.strip().lower() for b in settings.business_unit}:
        return Role.BUSINESS_UNIT
    return Role.PRACTITIONER


def _identities(session: Session, user_id: str, email: str | None) -> set[str]:
    found = {i for i in (_normal(user_id), _normal(email)) if i}
    person = People.find_in(session, user_id)
    if person is None and email:
        person = session.scalars(select(Person).where(Person.email == _normal(email))).first()
    if person is not None:
        found |= {i.lower() for i in person.ids()}
        if person.email:
            found.add(person.email.lower())
    return found


def strongest(roles: Iterable[Role]) -> Role:
    return max(roles, key=_RANK.__getitem__, default=Role.PRACTITIONER)


def role_of(settings: Settings, user_id: str, email: str | None = None, *, database: Database) -> Role:
    """The person's role: configuration and grants, by every id and the email the person is known by.

    The database is required: a check that read configuration alone would refuse someone granted a role
    with `sgbot roles grant`, or known to configuration by their id on another platform.
    """
    with database.sessions() as session:
        identities = _identities(session, user_id, email)
        granted = session.scalars(select(RoleGrant.role).where(RoleGrant.identity.in_(identities))).all()
    return strongest([_configured(settings, identities), *(Role(g) for g in granted if g in Role.__members__.values())])


def sees_every_referral(role: Role) -> bool:
    return role in {Role.BUSINESS_UNIT, Role.ADMIN}


def in_business_unit(settings: Settings, database: Database, user_id: str, email: str | None = None) -> bool:
    """The business-unit check, the only one: triage, the dashboard, action plans, themes, the report,
    alignment reports. Admins count as business unit."""
    return sees_every_referral(role_of(settings, user_id, email, database=database))


def may_configure_channels(settings: Settings, user_id: str, email: str | None = None,
                           *, database: Database) -> bool:
    """The admin check, the only one: channel settings are the admins' (anyone's while none is configured).

    With no admin configured or granted, whoever can see the channel may set it up: a new
    installation has to be configurable before anyone is named.
    """
    if not settings.admins and not _any_admin_granted(database):
        return True
    return role_of(settings, user_id, email, database=database) == Role.ADMIN


def _any_admin_granted(database: Database) -> bool:
    with database.sessions() as session:
        first = session.scalars(select(RoleGrant.identity).where(RoleGrant.role == Role.ADMIN).limit(1)).first()
        return first is not None


def default_officer(settings: Settings) -> str | None:
    """The first business-unit user (the queue CLI acts as them unless told otherwise)."""
    if settings.business_unit:
        return settings.business_unit[0]
    return settings.admins[0] if settings.admins else None


class Roles:
    """Roles given in the database: `sgbot roles grant|revoke|list`."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def grant(self, identity: str, role: Role, *, granted_by: str | None = None) -> None:
        key = _normal(identity)
        if key is None:
            raise ValueError("a role needs a user id or an email")
        if role not in GRANTABLE:
            raise ValueError(f"only {', '.join(GRANTABLE)} can be granted")
        with self.database.transaction() as session:
            row = session.get(RoleGrant, key)
            if row is None:
                session.add(RoleGrant(identity=key, role=str(role), granted_by=granted_by, granted_at=utcnow()))
            else:
                row.role, row.granted_by, row.granted_at = str(role), granted_by, utcnow()

    def revoke(self, identity: str) -> bool:
        with self.database.transaction() as session:
            result = session.execute(delete(RoleGrant).where(RoleGrant.identity == _normal(identity)))
            return bool(result.rowcount)  # type: ignore[attr-defined]

    def granted(self) -> list[tuple[str, Role]]:
        with self.database.sessions() as session:
            rows = session.execute(select(RoleGrant.identity, RoleGrant.role).order_by(RoleGrant.identity)).all()
        return [(row.identity, Role(row.role)) for row in rows]
