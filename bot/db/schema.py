"""Bring the database to the latest migration, automatically, on first use.

Alembic is configured in code (no alembic.ini): the migrations live in
bot/db/migrations. Several processes may start at once (a Slack worker and a
CLI), so the upgrade runs under a lock: an advisory lock on PostgreSQL, a file
lock beside the SQLite file. A database that is already at head costs one query.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

from bot.db.migrations import HEAD

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import MetaData

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Arbitrary constant: identifies "sgbot schema migration" among advisory locks.
PG_ADVISORY_LOCK_ID = 0x5_6B07


def alembic_config(connection: Connection | None = None, *, target_metadata: MetaData | None = None) -> Config:
    """Alembic's configuration; `target_metadata` (`bot.tables.Base.metadata`) only to autogenerate a revision."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    if target_metadata is not None:
        config.attributes["target_metadata"] = target_metadata
    return config


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def ensure_schema(engine: Engine) -> None:
    """Run `alembic upgrade head` unless the schema is already there."""
    if current_revision(engine) == HEAD:
        return
    from alembic import command

    head = head_revision()
    with _migration_lock(engine):
        if current_revision(engine) == head:  # another process did it while we waited
            return
        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": PG_ADVISORY_LOCK_ID})
            command.upgrade(alembic_config(connection), "head")


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield  # PostgreSQL: the advisory lock is taken inside the transaction
        return
    lock_path = Path(database).with_suffix(".migrate.lock")
    with lock_path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
