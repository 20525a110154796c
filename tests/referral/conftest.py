"""Fixtures for the referral tests: every database test runs against SQLite and PostgreSQL.

PostgreSQL is the server at 127.0.0.1:5432 (trust auth). Each test run creates
its own uniquely named database through the `postgres` maintenance database
and drops it at the end, so runs never see each other's rows; between tests
the tables are emptied.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.assistant import Assistant
from bot.config import Settings
from bot.db import Database, forget_databases, open_database
from bot.tables import Base

from .helpers import Chat

PG_HOST = os.environ.get("SGBOT_TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("SGBOT_TEST_PG_PORT", "5432"))
PG_USER = os.environ.get("SGBOT_TEST_PG_USER", "postgres")


def _postgres_reachable() -> bool:
    try:
        with socket.create_connection((PG_HOST, PG_PORT), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test run (dropped afterwards)."""
    if not _postgres_reachable():
        pytest.skip(
            f"PostgreSQL is not reachable at {PG_HOST}:{PG_PORT}; start it to run the PostgreSQL variants"
        )
    name = f"sgbot_test_{uuid.uuid4().hex[:12]}"
    maintenance = create_engine(
        f"postgresql+psycopg://{PG_USER}@{PG_HOST}:{PG_PORT}/postgres", isolation_level="AUTOCOMMIT"
    )
    with maintenance.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"postgresql+psycopg://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        forget_databases()
        with maintenance.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        maintenance.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty, migrated database: a fresh SQLite file, or the run's PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'data' / 'sgbot.sqlite3'}"
        return
    url: str = request.getfixturevalue("postgres_url")
    database = open_database(url)
    _empty(database)
    database.dispose()
    yield url


def _empty(database: Database) -> None:
    names = ", ".join(f'"{table.name}"' for table in reversed(Base.metadata.sorted_tables))
    with database.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    """Settings for one test: its own data dir, the parametrised database, two business-unit officers."""
    return Settings(
        SGBOT_DATA_DIR=tmp_path / "data",
        DATABASE_URL=db_url if db_url.startswith("postgresql") else None,
        SGBOT_BUSINESS_UNIT="officer.one,officer.two@example.org",
        SGBOT_ADMINS="admin.user",
    )


@pytest.fixture
def database(settings: Settings) -> Iterator[Database]:
    database = open_database(settings)
    try:
        yield database
    finally:
        database.dispose()
        forget_databases()


@pytest.fixture
def sqlite_settings(tmp_path: Path) -> Iterator[Settings]:
    """SQLite only: for conversation tests whose behaviour does not depend on the database."""
    yield Settings(
        SGBOT_DATA_DIR=tmp_path / "data",
        SGBOT_BUSINESS_UNIT="officer.one,officer.two@example.org",
        SGBOT_ADMINS="admin.user",
    )
    forget_databases()


@pytest.fixture
def assistant(sqlite_settings: Settings) -> Assistant:
    """An assistant with no knowledge index: the checklist must work without one."""
    return Assistant(sqlite_settings)


@pytest.fixture
def chat(assistant: Assistant) -> Chat:
    return Chat(assistant)
