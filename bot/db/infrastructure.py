"""Shared tables the channels need: de-duplicating platform retries (the durable inbox), and per-channel state.

Slack retries an event it thinks we missed and Teams can deliver an activity
twice; `claim_inbound_event` lets exactly one worker, in any process, act on
each. A claim made with a lease is only a claim until `complete_inbound_event`
marks the event handled (after its answer is posted): if the worker holding it
dies first, a retry that arrives once the lease has run out takes it over.

Slack does not retry an event it saw acknowledged, so the claim also stores
the event itself (`payload`, what is needed to answer it again) before the
ack: `claim_stale_inbound_events` lets any replica's sweeper take over stored
events whose lease ran out unhandled, one claimer per event (a conditional
UPDATE, on SQLite and PostgreSQL alike). The holder renews its lease while it
works (`renew_inbound_event`), so a slow answer is never taken over. The
payload holds what someone typed: it lives only in this table, is blanked
when the event is handled, and goes with the row at the retention purge.
`channel_state` is a small key/value store for things a channel must
remember across restarts (areas configured for a Slack channel, Teams
conversation references for proactive messages).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Engine, Integer, String, delete, func, select, update
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
    # A worker's claim runs until `claimed_until`; the event is done once `handled_at` is set.
    # A row with neither (a replay key, or a row older than leases) is handled for good.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The durable inbox: the event as received (blanked once handled), who holds the claim (so
    # that only the holder renews it), how many claims it has had, and when it was set aside.
    payload: Mapped[Any] = mapped_column(JSON(none_as_null=True), nullable=True)
    claimed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0", nullable=False)
    dead_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # What the answer has posted so far (part -> the platform's ids for it): a retry posts only the rest.
    posted: Mapped[Any] = mapped_column(JSON(none_as_null=True), nullable=True)


@dataclass(frozen=True)
class StoredEvent:
    """A stored inbound event a sweeper has just claimed (or set aside): enough to answer it again."""

    platform: str
    event_id: str
    payload: dict[str, Any]
    attempts: int  # claims so far, this one included


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


def claim_inbound_event(
    target: SessionTarget,
    platform: str,
    event_id: str,
    lease_seconds: float | None = None,
    *,
    payload: dict[str, Any] | None = None,
    holder: str | None = None,
) -> bool:
    """True if this worker should act on (platform, event_id); False for a duplicate, retry or replay.

    Without a lease the first claim is final (a replayed request is never acted on
    again). With `lease_seconds` the claim lasts that long unless
    `complete_inbound_event` marks the event handled or `holder` renews it: a later
    claim of an event that is neither handled, set aside nor still leased takes it
    over (the worker that held it died). The first claim stores `payload`, so that
    a sweeper can answer the event if no retry ever comes. Safe across processes:
    of two concurrent claims exactly one insert, or one conditional UPDATE, succeeds.
    """
    now = utcnow()
    claimed_until = None if lease_seconds is None else now + timedelta(seconds=lease_seconds)
    handled_at = now if lease_seconds is None else None
    row = {"platform": platform, "event_id": event_id, "received_at": now,
           "claimed_until": claimed_until, "handled_at": handled_at,
           "payload": payload if lease_seconds is not None else None,
           "claimed_by": holder, "attempts": 1, "dead_at": None}
    with _sessions(target)() as session, session.begin():
        insert = _insert_for(session)
        if insert is not None:
            statement = (
                insert(InboundEvent)
                .values(**row)
                .on_conflict_do_nothing(index_elements=["platform", "event_id"])
                .returning(InboundEvent.event_id)
            )
            # A row comes back only if this insert created it.
            if session.connection().execute(statement).first() is not None:
                return True
        else:
            try:  # any other database: rely on the constraint
                with session.begin_nested():
                    session.add(InboundEvent(**row))
                return True
            except IntegrityError:
                pass
        if lease_seconds is None:
            return False
        # Take over a claim whose holder neither finished nor renewed it in time.
        taken = session.execute(
            update(InboundEvent)
            .where(
                InboundEvent.platform == platform,
                InboundEvent.event_id == event_id,
                *_open_and_expired(now),
            )
            .values(claimed_until=claimed_until, claimed_by=holder, attempts=InboundEvent.attempts + 1)
        )
        return bool(taken.rowcount)  # type: ignore[attr-defined]


def _open_and_expired(now: datetime) -> tuple[Any, ...]:
    """Not handled, not set aside, leased once and the lease is over: free for another worker."""
    return (
        InboundEvent.handled_at.is_(None),
        InboundEvent.dead_at.is_(None),
        InboundEvent.claimed_until.is_not(None),
        InboundEvent.claimed_until < now,
    )


def _held_by(platform: str, event_id: str, holder: str, attempt: int | None = None) -> tuple[Any, ...]:
    """An open event whose claim is still `holder`'s (its `attempt`th, if given): only the holder
    renews or releases it, or posts a part of its answer."""
    return (
        InboundEvent.platform == platform,
        InboundEvent.event_id == event_id,
        InboundEvent.claimed_by == holder,
        InboundEvent.handled_at.is_(None),
        InboundEvent.dead_at.is_(None),
        *(() if attempt is None else (InboundEvent.attempts == attempt,)),
    )


def renew_inbound_event(
    target: SessionTarget, platform: str, event_id: str, holder: str, lease_seconds: float,
    attempt: int | None = None,
) -> bool:
    """Extend `holder`'s lease (a heartbeat while it works); False if the claim is no longer its own.

    With `attempt`, only that claim of `holder`'s (its `attempt`th) is its own: a later claim the same
    process made after this one's lease ran out belongs to the worker that made it."""
    with _sessions(target)() as session, session.begin():
        renewed = session.execute(
            update(InboundEvent)
            .where(*_held_by(platform, event_id, holder, attempt))
            .values(claimed_until=utcnow() + timedelta(seconds=lease_seconds))
        )
        return bool(renewed.rowcount)  # type: ignore[attr-defined]


def take_inbound_part(
    target: SessionTarget, platform: str, event_id: str, holder: str, attempt: int, lease_seconds: float
) -> dict[str, Any] | None:
    """Before an answer posts a part: the parts already posted by any try (part -> the platform's ids),
    with the lease renewed, if the claim is still `holder`'s `attempt`th; None if it is not (its lease
    ran out and another worker took the event over, or the event was handled or set aside meanwhile),
    and then the caller posts nothing more.

    One transaction, the conditional renewal first: a takeover cannot slip between the check and the
    read, and the part is then posted and recorded under a fresh lease. So a worker that stalled past
    its lease never posts again what its successor posted, nor asks the assistant a second time.
    """
    with _sessions(target)() as session, session.begin():
        kept = session.execute(
            update(InboundEvent)
            .where(*_held_by(platform, event_id, holder, attempt))
            .values(claimed_until=utcnow() + timedelta(seconds=lease_seconds))
        ).rowcount  # type: ignore[attr-defined]
        if not kept:
            return None
        posted = session.scalar(
            select(InboundEvent.posted).where(InboundEvent.platform == platform, InboundEvent.event_id == event_id)
        )
    return dict(posted) if isinstance(posted, dict) else {}


def complete_inbound_event(target: SessionTarget, platform: str, event_id: str) -> None:
    """Mark a leased event handled (its answer is posted): no retry or sweeper will take it over now,
    and what was typed is blanked from the stored event."""
    with _sessions(target)() as session, session.begin():
        session.execute(
            update(InboundEvent)
            .where(InboundEvent.platform == platform, InboundEvent.event_id == event_id,
                   InboundEvent.handled_at.is_(None))
            .values(handled_at=utcnow(), payload=None, posted=None)
        )


def release_inbound_event(
    target: SessionTarget, platform: str, event_id: str, holder: str, retry_at: datetime,
    attempt: int | None = None,
) -> bool:
    """`holder`'s answer failed: the event stays unhandled, free for any sweeper from `retry_at` (a backoff).

    False if the claim was no longer `holder`'s (another worker took it over meanwhile).
    """
    with _sessions(target)() as session, session.begin():
        released = session.execute(
            update(InboundEvent)
            .where(*_held_by(platform, event_id, holder, attempt))
            .values(claimed_until=retry_at, claimed_by=None)
        )
        return bool(released.rowcount)  # type: ignore[attr-defined]


def inbound_event_progress(target: SessionTarget, platform: str, event_id: str) -> tuple[int, dict[str, Any]]:
    """(claims so far, parts already posted) of a stored event; (0, {}) for one not stored."""
    with _sessions(target)() as session:
        row = session.execute(
            select(InboundEvent.attempts, InboundEvent.posted)
            .where(InboundEvent.platform == platform, InboundEvent.event_id == event_id)
        ).first()
    if row is None:
        return 0, {}
    attempts, posted = row
    return int(attempts or 0), dict(posted) if isinstance(posted, dict) else {}


def record_inbound_part(target: SessionTarget, platform: str, event_id: str, part: str, result: Any) -> None:
    """Remember that the event's answer has posted `part` (and the platform's ids for it), whoever posted it.

    Added to what is recorded already, in a unit of work (SQLite takes the write lock at BEGIN, PostgreSQL
    locks the row): a worker that lost its claim while posting still records what it posted, without
    dropping what its successor recorded meanwhile. An event already handled keeps nothing.
    """
    with _write_transaction(target) as session:
        posted = session.scalar(
            select(InboundEvent.posted)
            .where(InboundEvent.platform == platform, InboundEvent.event_id == event_id)
            .with_for_update()
        )
        session.execute(
            update(InboundEvent)
            .where(InboundEvent.platform == platform, InboundEvent.event_id == event_id,
                   InboundEvent.handled_at.is_(None))
            .values(posted={**(posted if isinstance(posted, dict) else {}), part: result})
        )


@contextmanager
def _write_transaction(target: SessionTarget) -> Iterator[Session]:
    """A transaction that reads and then writes (a `Database`'s takes SQLite's write lock up front)."""
    if isinstance(target, Database):
        with target.transaction() as session:
            yield session
        return
    with _sessions(target)() as session, session.begin():
        yield session


def claim_stale_inbound_events(
    target: SessionTarget,
    platform: str,
    holder: str,
    lease_seconds: float,
    *,
    max_attempts: int,
    limit: int = 10,
    set_aside: Callable[[Session, StoredEvent], None] | None = None,
) -> tuple[list[StoredEvent], list[StoredEvent]]:
    """(claimed, set aside): stored events of `platform` whose lease ran out unhandled.

    Each is claimed for `holder` with a conditional UPDATE that only one claimer in
    any process can win (the row must still be open and expired when it is written,
    which PostgreSQL re-checks after a concurrent writer commits and SQLite's write
    lock serialises). One that has already had `max_attempts` claims is set aside
    instead (`dead_at`), keeping its payload for a person to read until the
    retention purge; `set_aside` is called in that transaction (to tell the
    business unit: the notice is stored if and only if the event was set aside).
    """
    now = utcnow()
    claimed: list[StoredEvent] = []
    dead: list[StoredEvent] = []
    with _sessions(target)() as session:
        candidates = session.execute(
            select(InboundEvent.event_id, InboundEvent.payload, InboundEvent.attempts)
            .where(InboundEvent.platform == platform, InboundEvent.payload.is_not(None), *_open_and_expired(now))
            .order_by(InboundEvent.received_at)
            .limit(limit)
        ).all()
    for event_id, payload, attempts in candidates:
        if not isinstance(payload, dict):
            continue  # a JSON null: nothing to answer from
        exhausted = attempts >= max_attempts
        values: dict[str, Any] = (
            {"dead_at": now}
            if exhausted
            else {"claimed_until": now + timedelta(seconds=lease_seconds), "claimed_by": holder,
                  "attempts": InboundEvent.attempts + 1}
        )
        with _sessions(target)() as session, session.begin():
            won = session.execute(
                update(InboundEvent)
                .where(InboundEvent.platform == platform, InboundEvent.event_id == event_id,
                       InboundEvent.attempts == attempts, *_open_and_expired(now))
                .values(**values)
            ).rowcount  # type: ignore[attr-defined]
            stored = StoredEvent(platform, event_id, payload, attempts if exhausted else attempts + 1)
            if won and exhausted and set_aside is not None:
                set_aside(session, stored)
        if won:
            (dead if exhausted else claimed).append(stored)
    return claimed, dead


def unanswered_inbound_events(target: SessionTarget, platform: str | None = None) -> int:
    """Stored events not yet handled nor set aside (for /metrics and tests)."""
    statement = select(func.count()).select_from(InboundEvent).where(
        InboundEvent.payload.is_not(None), InboundEvent.handled_at.is_(None), InboundEvent.dead_at.is_(None)
    )
    if platform is not None:
        statement = statement.where(InboundEvent.platform == platform)
    with _sessions(target)() as session:
        return int(session.scalar(statement) or 0)


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
