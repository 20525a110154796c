"""Tests that use PostgreSQL never share a database: each test (`postgres_url`, `db_url`) or module
(`module_postgres_url`, for servers started once per module) gets a database of its own, a copy of the
run's migrated template, dropped with its connections once it ends. Whatever order tests run in, and
whichever of them run, none sees another's rows, claims, outbox or published index generation.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from bot.db import Database, open_database
from bot.db.migrations import HEAD
from bot.db.schema import current_revision
from bot.qa.generations import IndexGeneration, Published, newest
from bot.referral.models import Referral
from tests.conftest import REPO
from tests.deploy.processes import free_port
from tests.pg_databases import PostgresServer, name_of


def _write(database: Database, reference: str) -> None:
    """A referral, and an index generation published as an ingest publishes one."""
    with database.transaction() as session:
        session.add(Referral(reference=reference, checklist="practice_review", status="submitted", user_id="u1"))
        session.add(IndexGeneration(catalog_generation=1, chunk_count=1, sha256="0" * 64, archive=b"index"))


def _contents(database: Database) -> tuple[list[str], Published | None]:
    with database.sessions() as session:
        references = list(session.scalars(select(Referral.reference).order_by(Referral.reference)))
    return references, newest(database)


@pytest.mark.parametrize("turn", [1, 2])
def test_a_test_sees_no_rows_and_no_published_index_of_any_test_before_it(postgres_url: str, turn: int) -> None:
    # Both turns write; whichever runs second would find the other's rows in a shared database.
    database = open_database(postgres_url)
    try:
        before = _contents(database)
        _write(database, f"PR-2026-000{turn}")
        after = _contents(database)
    finally:
        database.dispose()

    assert before == ([], None)
    assert after[0] == [f"PR-2026-000{turn}"] and after[1] is not None


def test_a_modules_database_is_not_its_tests_database(module_postgres_url: str, postgres_url: str) -> None:
    module_database, test_database = open_database(module_postgres_url), open_database(postgres_url)
    try:
        _write(module_database, "PR-2026-0100")
        seen_by_the_test = _contents(test_database)
    finally:
        module_database.dispose()
        test_database.dispose()

    assert name_of(module_postgres_url) != name_of(postgres_url)
    assert seen_by_the_test == ([], None)


def test_a_fresh_database_is_already_at_the_latest_migration(postgres_url: str) -> None:
    database = open_database(postgres_url, migrate=False)
    try:
        assert current_revision(database.engine) == HEAD
    finally:
        database.dispose()


def test_a_finished_database_is_dropped_even_with_a_connection_still_open(postgres: PostgresServer) -> None:
    url = postgres.fresh()
    left_open = open_database(url, migrate=False)
    connection = left_open.engine.connect()  # say, a server thread the test never stopped
    connection.execute(text("SELECT 1"))

    postgres.drop(url, wait=True)  # as the fixtures drop theirs, but now rather than in the background

    assert name_of(url) not in postgres.databases()
    with pytest.raises(OperationalError):  # the server terminated it
        connection.execute(text("SELECT 1"))
    connection.invalidate()
    left_open.dispose()


def test_without_postgresql_the_postgresql_tests_skip_saying_so() -> None:
    port = free_port()  # nothing listens there
    environment = {**os.environ, "SGBOT_TEST_PG_HOST": "127.0.0.1", "SGBOT_TEST_PG_PORT": str(port)}
    this_test = f"{__file__}::test_a_fresh_database_is_already_at_the_latest_migration"
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", this_test],
                         cwd=REPO, env=environment, capture_output=True, text=True, timeout=300)

    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "1 skipped" in run.stdout
    assert f"PostgreSQL is not reachable at 127.0.0.1:{port}; start it to run the PostgreSQL variants" in run.stdout
