"""Roles given in the database (on top of SGBOT_BUSINESS_UNIT / SGBOT_ADMINS), one per identity."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UTCDateTime, utcnow


class RoleGrant(Base):
    __tablename__ = "role_grants"

    # A user id on any platform or an email, lower-cased: it applies to the person known by it.
    identity: Mapped[str] = mapped_column(String(320), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))  # business_unit | admin
    granted_by: Mapped[str | None] = mapped_column(String(255))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
