"""Recognising the person behind a message, and finding them again for a notification.

`identify` runs for every message but writes only when something changed (a
new person, a new platform id or email, another channel than last time), so a
question from someone already known reads one row and writes nothing.
"""

from __future__ import annotations

from typing import Literal

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db import Database, utcnow
from bot.people.models import Person

ChannelKey = Literal["slack", "teams", "local"]


def channel_key(channel: str) -> ChannelKey:
    """Slack and Teams are platforms of their own; every other channel is a local user name."""
    if channel == "slack":
        return "slack"
    if channel == "teams":
        return "teams"
    return "local"


def id_column(channel: ChannelKey):  # noqa: ANN201 - a mapped column
    return {"slack": Person.slack_user_id, "teams": Person.teams_user_id, "local": Person.local_user_id}[
        channel
    ]


class People:
    def __init__(self, database: Database) -> None:
        self.database = database

    def identify(
        self, channel: str, user_id: str, *, email: str | None = None, display_name: str | None = None
    ) -> int:
        """The person's id; created or updated only when what we know changed."""
        key = channel_key(channel)
        email = email.strip().lower() if email and email.strip() else None
        with self.database.sessions() as session:
            person = self._find(session, key, user_id, email)
            if person is not None and not self._stale(person, key, user_id, email, display_name):
                return person.id
        for attempt in range(2):
            try:
                with self.database.transaction() as session:
                    return self._upsert(session, key, user_id, email, display_name).id
            except IntegrityError:
                # Two first messages from the same new person raced: the other one won.
                if attempt:
                    raise
        raise AssertionError("unreachable")

    @staticmethod
    def find_in(session: Session, user_id: str) -> Person | None:
        """The person known by this id on any platform."""
        return session.scalars(
            select(Person)
            .where(
                or_(
                    Person.slack_user_id == user_id,
                    Person.teams_user_id == user_id,
                    Person.local_user_id == user_id,
                )
            )
            .order_by(Person.id)
            .limit(1)
        ).first()

    def ids_of(self, user_id: str) -> list[str]:
        """Every id the person with this id is known by (the id alone if unknown)."""
        with self.database.sessions() as session:
            person = self.find_in(session, user_id)
            ids = person.ids() if person is not None else []
        return ids if user_id in ids else [user_id, *ids]

    # --- machinery ------------------------------------------------------------------

    def _find(self, session: Session, key: ChannelKey, user_id: str, email: str | None) -> Person | None:
        person = session.scalars(select(Person).where(id_column(key) == user_id)).first()
        if person is None and email:
            person = session.scalars(select(Person).where(Person.email == email)).first()
        return person

    @staticmethod
    def _stale(
        person: Person, key: ChannelKey, user_id: str, email: str | None, display_name: str | None
    ) -> bool:
        return (
            person.id_on(key) != user_id
            or person.last_channel != key
            or (email is not None and person.email != email)
            or (display_name is not None and person.display_name != display_name)
        )

    def _upsert(
        self, session: Session, key: ChannelKey, user_id: str, email: str | None, display_name: str | None
    ) -> Person:
        column = id_column(key)
        person = session.scalars(select(Person).where(column == user_id).with_for_update()).first()
        if person is None and email:
            by_email = session.scalars(select(Person).where(Person.email == email).with_for_update()).first()
            # The same email on a platform id already taken by someone else is not linked.
            if by_email is not None and by_email.id_on(key) in (None, user_id):
                person = by_email
        if person is None:
            person = Person()
            session.add(person)
        setattr(person, column.key, user_id)
        if email and person.email != email:
            taken = session.scalars(select(Person.id).where(Person.email == email, Person.id != person.id)).first()
            if taken is None:
                person.email = email
        if display_name:
            person.display_name = display_name
        person.last_channel = key
        person.last_seen_at = utcnow()
        session.flush()
        return person
