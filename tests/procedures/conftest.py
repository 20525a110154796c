"""Fixtures for procedures across areas: a small knowledge folder to edit and re-ingest, on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import Settings
from bot.db import forget_databases
from tests.conftest import KNOWLEDGE_DIR

PROCEDURE = KNOWLEDGE_DIR / "northshire" / "making-a-referral-to-childrens-social-care.md"


@pytest.fixture(params=["sqlite", "postgresql"])
def procedures_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """Settings with their own data dir and an empty database (a fresh SQLite file or a fresh PostgreSQL one)."""
    url = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    yield Settings(_env_file=None, SGBOT_DATA_DIR=tmp_path / "data", DATABASE_URL=url)  # type: ignore[call-arg]
    forget_databases()


@pytest.fixture
def sqlite_settings(tmp_path: Path) -> Iterator[Settings]:
    """SQLite only: for behaviour that does not depend on the database."""
    yield Settings(_env_file=None, SGBOT_DATA_DIR=tmp_path / "data")  # type: ignore[call-arg]
    forget_databases()


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A knowledge folder with one Northshire procedure and one Eastbrook procedure, free to edit."""
    folder = tmp_path / "library"
    (folder / "northshire").mkdir(parents=True)
    (folder / "eastbrook").mkdir(parents=True)
    shutil.copy(PROCEDURE, folder / "northshire" / PROCEDURE.name)
    shutil.copy(KNOWLEDGE_DIR / "eastbrook" / "making-a-referral-to-childrens-social-care.md",
                folder / "eastbrook" / "making-a-referral-to-childrens-social-care.md")
    return folder
