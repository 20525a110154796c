"""The database: SQLite under `SGBOT_DATA_DIR` by default, PostgreSQL via `DATABASE_URL`.

Everything the application remembers between messages lives here (never in
process memory): referrals, checklist sessions, and the shared tables the
channels use. The schema is managed by Alembic migrations in
`bot/db/migrations`, applied automatically (`upgrade head`) the first time a
process opens the database.

Using it::

    from bot.db import get_database

    db = get_database(settings)          # one engine per URL per process; schema at head
    with db.transaction() as session:    # unit of work: commits, or rolls back on error
        ...

    engine = make_engine(settings)       # a bare engine (SQLite: WAL, busy_timeout, BEGIN IMMEDIATE)
    ensure_schema(engine)                # run migrations to head (locked against other processes)
    sessions = make_session_factory(engine)

Shared infrastructure for the core's services that the channels ask for (the
inbox, conversation references, the assistant's thread context); the channels
themselves never import this package. Each function takes a `Database`, an
`Engine` or a `sessionmaker`:

- ``claim_inbound_event(db, platform, event_id) -> bool``: True the first time an
  event is seen, False for a duplicate or platform retry. Backed by the primary
  key (platform, event_id) of table ``inbound_events``, so of two processes
  racing on the same event exactly one gets True. With ``lease_seconds=`` the
  claim is provisional until ``complete_inbound_event(db, platform, event_id)``
  marks it handled; a claim whose lease ran out can be taken by a retry.
  ``purge_inbound_events(db, older_than=timedelta(days=2))`` forgets old ids.
- ``get_channel_state(db, channel, key, default=None)`` /
  ``put_channel_state(db, channel, key, value)`` /
  ``channel_state_items(db, channel) -> dict`` /
  ``delete_channel_state(db, channel, key) -> bool``: a JSON key/value store per
  channel (table ``channel_state``: channel, key, value JSON, updated_at), for
  conversation references (`bot.channel_settings.references`) and the
  conversation's last questions (per-channel settings have their own table).
  ``channel`` is free text; use a prefix per platform, e.g. ``"slack:C0123"`` or ``"teams:19:abc@thread.tacv2"``.

A new table: add the model in its own module, import that module in
`bot/tables.py` (never from here: the database layer imports no model), and add
a migration in `bot/db/migrations/versions/` (`down_revision` = the previous head).
"""

from __future__ import annotations

from bot.db.base import Base, UTCDateTime, utcnow
from bot.db.engine import (
    Database,
    database_url,
    forget_databases,
    get_database,
    make_engine,
    make_session_factory,
    open_database,
)
from bot.db.infrastructure import (
    ChannelState,
    InboundEvent,
    StoredEvent,
    channel_state_items,
    claim_inbound_event,
    claim_stale_inbound_events,
    complete_inbound_event,
    delete_channel_state,
    get_channel_state,
    inbound_event_progress,
    purge_inbound_events,
    put_channel_state,
    record_inbound_part,
    release_inbound_event,
    renew_inbound_event,
    take_inbound_part,
    unanswered_inbound_events,
)
from bot.db.schema import ensure_schema

__all__ = [
    "Base",
    "ChannelState",
    "Database",
    "InboundEvent",
    "StoredEvent",
    "UTCDateTime",
    "channel_state_items",
    "claim_inbound_event",
    "claim_stale_inbound_events",
    "complete_inbound_event",
    "database_url",
    "delete_channel_state",
    "ensure_schema",
    "forget_databases",
    "get_channel_state",
    "inbound_event_progress",
    "get_database",
    "make_engine",
    "make_session_factory",
    "open_database",
    "purge_inbound_events",
    "put_channel_state",
    "record_inbound_part",
    "release_inbound_event",
    "renew_inbound_event",
    "take_inbound_part",
    "unanswered_inbound_events",
    "utcnow",
]
