"""Shared tables the channels need: de-duplicating platform retries, and per-channel state.

Slack retries an event it thinks we missed and Teams can deliver an activity
twice; `claim_inbound_event` lets exactly one worker, in any process, act on
each. `channel_state` is a small key/value store for things a channel must
remember across restarts (areas configured for a Slack channel, Teams
conversation references for proactive messages).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Engine, String, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from bot.db.base import Base, UTCDateTime, utcnow
from bot.db.engine import Database, make_session_factory


class InboundEvent(Base):
    __tablename__ = "inbound_events"

    platform: Mapped[str] = mapped_column(String(32), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(255), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class ChannelState(Base):
    __tablename__ = "channel_state"

    channel: Mapped[str] = mapped_column(String(255), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


SessionTarget = Database | Engine | sessionmaker[Session]


def _sessions(target: SessionTarget) -> sessionmaker[Session]:
    if isinstance(target, Database):
        return target.sessions
    if isinstance(target, Engine):
        return make_session_factory(target)
    return target


def _insert_for(session: Session) -> Any:
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert
    if name == "sqlite":
        return sqlite.insert
    return None


def claim_inbound_event(target: SessionTarget, platform: str, event_id: str) -> bool:
    """True the first time (platform, event_id) is seen; False for a duplicate or retry.

    The primary key makes this safe across processes: of two concurrent claims
    exactly one insert succeeds.
    """
    with _sessions(target)() as session, session.begin():
        insert = _insert_for(session)
        if insert is not None:
            statement = (
                insert(InboundEvent)
                .values(platform=platform, event_id=event_id, received_at=utcnow())
                .on_conflict_do_nothing(index_elements=["platform", "event_id"])
                .returning(InboundEvent.event_id)
            )
            # A row comes back only if this insert created it.
            return session.connection().execute(statement).first() is not None
    try:  # any other database: rely on the constraint
        with _sessions(target)() as session, session.begin():
            session.add(InboundEvent(platform=platform, event_id=event_id, received_at=utcnow()))
        return True
    except IntegrityError:
        return False


def purge_inbound_events(target: SessionTarget, older_than: timedelta = timedelta(days=2)) -> int:
    """Forget event ids older than any platform retries (Slack retries within minutes)."""
    cutoff = utcnow() - older_than
    with _sessions(target)() as session, session.begin():
        result = session.execute(delete(InboundEvent).where(InboundEvent.received_at < cutoff))
        return int(result.rowcount)  # type: ignore[attr-defined]


def get_channel_state(target: SessionTarget, channel: str, key: str, default: Any = None) -> Any:
    """The JSON value stored for (channel, key), or `default`."""
    with _sessions(target)() as session:
        row = session.get(ChannelState, (channel, key))
        return default if row is None else row.value


def channel_state_items(target: SessionTarget, channel: str) -> dict[str, Any]:
    """Every key stored for one channel."""
    with _sessions(target)() as session:
        rows = session.scalars(select(ChannelState).where(ChannelState.channel == channel))
        return {row.key: row.value for row in rows}


@contextmanager
def _unit_of_work(target: SessionTarget | Session) -> Iterator[Session]:
    """The caller's session (its transaction), or a transaction of our own."""
    if isinstance(target, Session):
        yield target
        return
    with _sessions(target)() as session, session.begin():
        yield session


def put_channel_state(target: SessionTarget | Session, channel: str, key: str, value: Any) -> None:
    """Store a JSON-serialisable value for (channel, key), replacing any earlier one.

    Given a `Session`, it is written in that session's transaction.
    """
    now = utcnow()
    with _unit_of_work(target) as session:
        insert = _insert_for(session)
        if insert is not None:
            statement = insert(ChannelState).values(channel=channel, key=key, value=value, updated_at=now)
            statement = statement.on_conflict_do_update(
                index_elements=["channel", "key"],
                set_={"value": statement.excluded.value, "updated_at": statement.excluded.updated_at},
            )
            session.connection().execute(statement)
            return
        row = session.get(ChannelState, (channel, key))
        if row is None:
            session.add(ChannelState(channel=channel, key=key, value=value, updated_at=now))
        else:
            row.value = value
            row.updated_at = now


def delete_channel_state(target: SessionTarget, channel: str, key: str) -> bool:
    with _sessions(target)() as session, session.begin():
        result = session.execute(
            delete(ChannelState).where(ChannelState.channel == channel, ChannelState.key == key)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]
