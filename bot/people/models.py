"""The `people` table: one person, their ids on each platform, and where they last spoke."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UTCDateTime, utcnow


class Person(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slack_user_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    teams_user_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    # Terminal, `sgbot converse` and tests: a user name typed on the command line.
    local_user_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    email: Mapped[str | None] = mapped_column(String(320), unique=True)  # lower-cased
    display_name: Mapped[str | None] = mapped_column(String(255))
    # "slack" | "teams" | "local": where a notification for this person goes.
    last_channel: Mapped[str | None] = mapped_column(String(16))
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def id_on(self, channel: str) -> str | None:
        """This person's user id on one platform ("slack", "teams" or "local")."""
        return {"slack": self.slack_user_id, "teams": self.teams_user_id, "local": self.local_user_id}.get(
            channel
        )

    def ids(self) -> list[str]:
        """Every user id this person is known by (referrals and roles may name any of them)."""
        return [i for i in (self.slack_user_id, self.teams_user_id, self.local_user_id) if i]
