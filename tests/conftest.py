"""Fixtures shared by every capability's tests.

PostgreSQL (tests/pg_databases.py): `postgres_url` is a fresh database for one test, `module_postgres_url`
one for a module's fixtures (servers started once per module), `db_url` a fresh SQLite file or a fresh
PostgreSQL database; each is a copy of a template migrated once per run and is dropped afterwards, so
no test sees another's rows. They skip, saying so, when 127.0.0.1:5432 does not answer.

The embedding model takes seconds to load and encodes ~20 passages a second on
these machines, so each knowledge base is ingested once per test session, into
a temporary SGBOT_DATA_DIR, and shared. Nothing here is a stand-in: it is the
real ingest, the real model, the real Chroma and BM25 indexes.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from log_privacy import DETECTOR, describe, install

from bot.config import Settings
from bot.db import forget_databases
from tests.pg_databases import PostgresServer, reachable, unreachable_reason

REPO = Path(__file__).resolve().parent.parent
KNOWLEDGE_DIR = REPO / "knowledge"


def _shared_dir() -> Path:
    """../shared beside the checkout (SGBOT_SHARED_DIR overrides; a git worktree one level deeper finds it too)."""
    if os.environ.get("SGBOT_SHARED_DIR"):
        return Path(os.environ["SGBOT_SHARED_DIR"])
    candidates = [REPO.parent / "shared", REPO.parent.parent / "shared"]
    return next((c for c in candidates if (c / "corpus").is_dir()), candidates[0])


SHARED_DIR = _shared_dir()
SEEDS_DIR = SHARED_DIR / "corpus" / "seeds"
REAL_DIR = SHARED_DIR / "corpus" / "real"
DEV_EVAL = SHARED_DIR / "eval" / "dev.jsonl"


def pytest_configure(config: pytest.Config) -> None:
    install()  # every log record of the session is scanned for referral content


@pytest.fixture(autouse=True)
def _no_referral_content_in_logs(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fails the test during which any log record carried referral content the tests typed."""
    DETECTOR.current_test = request.node.nodeid
    yield
    leaks = DETECTOR.take()
    assert not leaks, f"referral content reached the logs: {describe(leaks)}"


@pytest.fixture(autouse=True)
def _logging_as_it_was() -> Iterator[None]:
    """A test that runs `sgbot serve` in-process reconfigures the root logger: its handler writes to that
    test's captured stderr, closed once the test ends, and it replaces the privacy detector. Put back
    after every test, so a later record is neither lost as "I/O operation on closed file" nor unscanned."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    for handler in [h for h in handlers if h not in root.handlers]:
        root.addHandler(handler)
    root.setLevel(level)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """The PostgreSQL server, with this run's migrated template database (skips when it does not answer)."""
    if not reachable():
        pytest.skip(unreachable_reason())
    server = PostgresServer()
    try:
        yield server
    finally:
        forget_databases()
        server.close()


def _fresh_database(postgres: PostgresServer) -> Iterator[str]:
    url = postgres.fresh()
    try:
        yield url
    finally:
        forget_databases()  # this process's pooled connections to it, closed before it is dropped
        postgres.drop(url)


@pytest.fixture
def postgres_url(postgres: PostgresServer) -> Iterator[str]:
    """A fresh PostgreSQL database for this test alone, at the latest migration (dropped afterwards)."""
    yield from _fresh_database(postgres)


@pytest.fixture(scope="module")
def module_postgres_url(postgres: PostgresServer) -> Iterator[str]:
    """A fresh PostgreSQL database for this module's fixtures (servers started once per module)."""
    yield from _fresh_database(postgres)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database for this test: a fresh SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'sgbot.sqlite3'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    """Settings for a test: its own data directory, nothing read from a developer's .env."""
    return Settings(_env_file=None, data_dir=data_dir, **overrides)  # type: ignore[call-arg]


def _ingest(settings: Settings, *paths: Path) -> None:
    from ingest.pipeline import ingest_paths

    report = ingest_paths(list(paths), settings)
    assert report.ok, f"ingest failed: {report.failed}"


@pytest.fixture(scope="session")
def sample_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings whose data directory holds an index of the sample knowledge base (knowledge/)."""
    settings = make_settings(tmp_path_factory.mktemp("sample-data"))
    _ingest(settings, KNOWLEDGE_DIR)
    return settings


@pytest.fixture(scope="session")
def seeds_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings whose data directory holds an index of ../shared/corpus/seeds."""
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"the seed corpus is not at {SEEDS_DIR} (it ships in ../shared beside the checkout)")
    settings = make_settings(tmp_path_factory.mktemp("seeds-data"))
    _ingest(settings, SEEDS_DIR)
    return settings


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings whose data directory holds an index of ../shared/corpus/real (real policies, as published)."""
    if not REAL_DIR.is_dir():
        pytest.skip(f"the real-document corpus is not at {REAL_DIR} (it ships in ../shared beside the checkout)")
    settings = make_settings(tmp_path_factory.mktemp("real-data"))
    _ingest(settings, REAL_DIR)
    return settings


@pytest.fixture(scope="session")
def sample_answerer(sample_settings: Settings):  # type: ignore[no-untyped-def]
    from bot.qa.service import Answerer

    return Answerer.from_settings(sample_settings)
