"""Engines and sessions: SQLite under the data directory by default, PostgreSQL via DATABASE_URL.

SQLite is tuned for several processes at once (the Slack worker, `sgbot converse`,
the queue CLI): WAL so readers never block the writer, a busy timeout so a writer
waits instead of failing, and `BEGIN IMMEDIATE` for units of work
(`Database.transaction()`) so that they take the write lock up front. Without
it, two transactions that both read then write can fail with "database is
locked" no matter how long the timeout is. Reads (`Database.sessions()`) begin
a plain deferred transaction: they never take the write lock, so a question
or a queue listing never waits for a writer, nor makes one wait.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings

SQLITE_BUSY_TIMEOUT_MS = 30_000
# Execution option marking a unit of work that will write (SQLite: BEGIN IMMEDIATE).
WRITES = "sgbot_writes"


def normalise_url(url: str) -> str:
    """Use psycopg 3 (the installed driver) for plain postgres URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def database_url(settings: Settings) -> str:
    return normalise_url(settings.sqlalchemy_url)


def make_engine(settings_or_url: Settings | str, **kwargs: Any) -> Engine:
    """An engine for the configured database; creates the SQLite file's directory."""
    url = (
        normalise_url(settings_or_url) if isinstance(settings_or_url, str) else database_url(settings_or_url)
    )
    parsed = make_url(url)
    # Referral content lives only in the database: SQL parameters are its values, so they are
    # kept out of exception messages (and so out of any logged traceback).
    kwargs.setdefault("hide_parameters", True)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        connect_args = {"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        engine = create_engine(url, connect_args=connect_args, **kwargs)
        _tune_sqlite(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        writes = connection.get_execution_options().get(WRITES, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@dataclass
class Database:
    """An engine, its session factory, and a schema known to be at the latest migration."""

    engine: Engine
    sessions: sessionmaker[Session]  # reads (and single-statement writes)
    writes: sessionmaker[Session] | None = None  # units of work: SQLite takes the write lock at BEGIN

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on any error."""
        factory = self.writes or self.sessions
        with factory() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


_databases: dict[str, Database] = {}
_databases_lock = threading.Lock()


def open_database(settings_or_url: Settings | str, *, migrate: bool = True) -> Database:
    """A new `Database`; runs `upgrade head` first unless told not to."""
    from bot.db.schema import ensure_schema

    engine = make_engine(settings_or_url)
    if migrate:
        ensure_schema(engine)
    return Database(
        engine=engine,
        sessions=make_session_factory(engine),
        writes=make_session_factory(engine.execution_options(**{WRITES: True})),
    )


def get_database(settings: Settings) -> Database:
    """The process-wide `Database` for these settings (one engine and pool per URL)."""
    url = database_url(settings)
    with _databases_lock:
        database = _databases.get(url)
        if database is None:
            database = open_database(url)
            _databases[url] = database
        return database


def forget_databases() -> None:
    """Dispose every cached engine (tests, and forked worker processes)."""
    with _databases_lock:
        for database in _databases.values():
            database.dispose()
        _databases.clear()
