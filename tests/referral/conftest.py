"""Fixtures for the referral tests: every database test runs against SQLite and PostgreSQL.

`db_url` (tests/conftest.py) is a fresh SQLite file or a fresh PostgreSQL database for each test
(a copy of the run's migrated template, dropped afterwards), so no test sees another's rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.assistant import Assistant
from bot.config import Settings
from bot.db import Database, forget_databases, open_database

from .helpers import Chat


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
