"""Roles as a core service: configuration plus grants kept in the database, applied to the person."""

from bot.roles.models import RoleGrant
from bot.roles.service import (
    GRANTABLE,
    Role,
    Roles,
    default_officer,
    in_business_unit,
    may_configure_channels,
    role_of,
    sees_every_referral,
)

__all__ = [
    "GRANTABLE",
    "Role",
    "RoleGrant",
    "Roles",
    "default_officer",
    "in_business_unit",
    "may_configure_channels",
    "role_of",
    "sees_every_referral",
]
