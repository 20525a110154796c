"""PostgreSQL databases for the tests: a fresh one for every test (or module) that uses PostgreSQL.

The server is the one at 127.0.0.1:5432 (trust auth; SGBOT_TEST_PG_HOST, SGBOT_TEST_PG_PORT and
SGBOT_TEST_PG_USER override). A test run migrates one template database once; every fresh database
is a copy of it (CREATE DATABASE ... TEMPLATE: no migration to run), and is dropped once its test or
module ends, its connections terminated. So no test sees another's rows, claims, outbox or published
index generation, whatever order the tests run in and whichever of them run.

Neither costs a test any waiting: a copy takes PostgreSQL most of a second on a loaded machine (about
what emptying every table took when the tests shared one database), so the next copy is made in the
background while a test runs; dropping one waits for a checkpoint (seconds), so drops run in the
background too. The run waits for the last of them at its end. (A run that is killed leaves its
databases behind, named sgbot_t_<run>_<n> and sgbot_t_<run>_template.)
"""

from __future__ import annotations

import itertools
import os
import socket
import threading
import uuid
from concurrent.futures import Future, ThreadPoolExecutor

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from bot.db import open_database

PG_HOST = os.environ.get("SGBOT_TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("SGBOT_TEST_PG_PORT", "5432"))
PG_USER = os.environ.get("SGBOT_TEST_PG_USER", "postgres")
PREFIX = "sgbot_t_"


def reachable() -> bool:
    try:
        with socket.create_connection((PG_HOST, PG_PORT), timeout=0.5):
            return True
    except OSError:
        return False


def unreachable_reason() -> str:
    return f"PostgreSQL is not reachable at {PG_HOST}:{PG_PORT}; start it to run the PostgreSQL variants"


def url_of(name: str) -> str:
    return f"postgresql+psycopg://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"


def name_of(url: str) -> str:
    name = make_url(url).database
    assert name, url
    return name


class PostgresServer:
    """The test run's view of the server: one migrated template, fresh copies of it, drops in the background."""

    def __init__(self) -> None:
        self.run = f"{PREFIX}{uuid.uuid4().hex[:10]}"
        self._maintenance = create_engine(url_of("postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool)
        self._numbers = itertools.count(1)
        self._numbers_lock = threading.Lock()
        self._dropper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pg-drop")
        self._drops: list[Future[None]] = []
        self.template = self._make_template()
        self._copier = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pg-copy")
        self._spare: Future[str] | None = None
        self._spare_lock = threading.Lock()

    # ------------------------------------------------------------------ databases

    def fresh(self) -> str:
        """The URL of a new database at the latest migration, with no rows of any test in it."""
        with self._spare_lock:
            spare, self._spare = self._spare, self._copier.submit(self._copy)  # the next one, made meanwhile
        return spare.result() if spare is not None else self._copy()

    def blank(self) -> str:
        """The URL of a new database with no schema at all (for tests that migrate step by step)."""
        name = self._name()
        self._execute(f'CREATE DATABASE "{name}"')
        return url_of(name)

    def drop(self, url: str, *, wait: bool = False) -> None:
        """Drop the database, terminating its connections: on the background thread, or now if told to wait."""
        if wait:
            self._drop_now(name_of(url))
        else:
            self._drops.append(self._dropper.submit(self._drop_now, name_of(url)))

    def databases(self) -> set[str]:
        """The names of this run's databases that exist now (the template included)."""
        with self._maintenance.connect() as connection:
            names = connection.execute(
                text("SELECT datname FROM pg_database WHERE starts_with(datname, :run)"), {"run": self.run}
            ).scalars()
            return set(names)

    def close(self) -> None:
        self._copier.shutdown(wait=True)
        if self._spare is not None and self._spare.exception() is None:
            self.drop(self._spare.result())
        self._drops.append(self._dropper.submit(self._drop_now, self.template))
        self._dropper.shutdown(wait=True)
        self._maintenance.dispose()
        for drop in self._drops:
            drop.result()  # a database left behind is an error of the run's last test, not a silent leak

    # ------------------------------------------------------------------ the rest

    def _name(self) -> str:
        with self._numbers_lock:
            return f"{self.run}_{next(self._numbers)}"

    def _copy(self) -> str:
        name = self._name()
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        return url_of(name)

    def _make_template(self) -> str:
        name = f"{self.run}_template"
        self._execute(f'CREATE DATABASE "{name}"')
        database = open_database(url_of(name))  # upgrade head, once for the whole run
        database.dispose()
        # Nothing may connect to a template while it is copied: this keeps every connection out.
        self._execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
        return name

    def _drop_now(self, name: str) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _execute(self, statement: str) -> None:
        with self._maintenance.connect() as connection:
            connection.execute(text(statement))

