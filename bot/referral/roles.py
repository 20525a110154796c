"""Who may do what: decided in `bot.roles` (one place for every channel); named here for the referral domain."""

from __future__ import annotations

from bot.roles import Role, default_officer, role_of, sees_every_referral

__all__ = ["Role", "default_officer", "role_of", "sees_every_referral"]
