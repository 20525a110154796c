"""Liveness and readiness for a load balancer or Kubernetes.

`/healthz` (liveness) says only that the process answers: restarting a replica
because PostgreSQL is down would not bring PostgreSQL back. `/readyz`
(readiness) says whether this replica should be sent traffic:

- the database answers, within a short timeout;
- its schema is at the newest migration this code knows (a replica of a newer
  release must wait until the migration has run; an older one would write rows
  a newer schema no longer expects);
- the knowledge index is loaded: the embedding model, and the index generation
  the catalog says is current (an empty index is not ready: run `sgbot ingest`);
- the server is not shutting down (so the load balancer stops sending new
  requests while in-flight turns finish).

Each check says what is wrong and the fix, and never includes a password.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import make_url

from bot.config import Settings
from bot.db.engine import database_url, make_engine

if TYPE_CHECKING:
    from bot.assistant import Assistant
    from bot.qa.generations import GenerationFollower

log = logging.getLogger(__name__)

CHECK_TIMEOUT_SECONDS = 3.0
# A failed index load is retried no more often than this (it costs seconds of CPU).
INDEX_RETRY_SECONDS = 10.0


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def describe_url(settings_or_url: Settings | str) -> str:
    """The database URL without its password, for messages."""
    url = database_url(settings_or_url) if isinstance(settings_or_url, Settings) else settings_or_url
    return make_url(url).render_as_string(hide_password=True)


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message (the driver's reason, e.g. 'Connection refused')."""
    orig = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(orig).splitlines() if line.strip()]
    return lines[0] if lines else type(orig).__name__


def _probe_engine(settings: Settings) -> Engine:
    url = database_url(settings)
    if make_url(url).get_backend_name() == "postgresql":
        # Without a connect timeout a probe against a blackholed host waits minutes.
        return create_engine(url, hide_parameters=True, pool_pre_ping=True, pool_size=1, max_overflow=1,
                             connect_args={"connect_timeout": int(CHECK_TIMEOUT_SECONDS)})
    return make_engine(settings, pool_size=1, max_overflow=1)


class Readiness:
    """The checks behind /readyz, for one server process."""

    def __init__(self, settings: Settings, assistant: Assistant | None = None) -> None:
        self.settings = settings
        self.assistant = assistant
        self.shutting_down = False
        self._engine: Engine | None = None
        self._engine_lock = threading.Lock()
        self._index_error: str | None = None
        self._index_loading = False
        self._index_failed_at = 0.0
        self._index_lock = threading.Lock()
        self._follower: GenerationFollower | None = None
        # The startup load (its own thread) and the poller (another) both follow the index: without this
        # lock both could build a follower, and two followers unpack and prune the same generation
        # directory under each other's open answerer (a load fails with FileNotFoundError, a question
        # with the catalog gone from under it). One follower per process, one refresh at a time.
        self._follow_lock = threading.Lock()
        self._follower_lock = threading.Lock()
        self._migrated_at = -INDEX_RETRY_SECONDS

    # ------------------------------------------------------------------ database

    def _probe(self) -> Engine:
        with self._engine_lock:
            if self._engine is None:
                self._engine = _probe_engine(self.settings)
            return self._engine

    def database(self) -> list[Check]:
        from bot.db.migrations import HEAD

        where = describe_url(self.settings)
        try:
            with self._probe().connect() as connection:
                connection.execute(text("SELECT 1"))
                revision = None
                if inspect(connection).has_table("alembic_version"):
                    revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except Exception as exc:
            return [Check("database", False, f"{where} is not reachable ({first_line(exc)})")]
        reachable = Check("database", True, where)
        if revision != HEAD and self._migrate():
            revision = HEAD
        if revision != HEAD:
            return [reachable, Check("migrations", False,
                                     f"schema at {revision or 'nothing'}, this release needs {HEAD}: "
                                     "the migration failed or the schema belongs to a newer release "
                                     "(see the log; any sgbot command migrates, e.g. `sgbot purge --dry-run`)")]
        return [reachable, Check("migrations", True, str(HEAD))]

    def _migrate(self) -> bool:
        """Bring an older schema to head (as every process does on first use), at most once per retry period."""
        now = time.monotonic()
        if now - self._migrated_at < INDEX_RETRY_SECONDS:
            return False
        self._migrated_at = now
        try:
            from bot.db import get_database

            get_database(self.settings)
            return True
        except Exception as exc:
            log.warning("database.migration_failed", extra={"error": type(exc).__name__})
            return False

    # --------------------------------------------------------------------- index

    def start_loading_index(self) -> None:
        """Load the model and index in the background, so the first question is not slow."""
        if self.assistant is None:
            return
        with self._index_lock:
            if self._index_loading:
                return
            self._index_loading = True
        threading.Thread(target=self._load_index, name="sgbot-index-load", daemon=True).start()

    def _load_index(self) -> None:
        assert self.assistant is not None
        try:
            if self.settings.index_store == "database":
                self.follow_published_index()
            else:
                answerer = self.assistant.answerer
                answerer.index.keyword  # noqa: B018 - loads the keyword index of the current generation
            self._index_error = None
        except Exception as exc:
            self._index_error = f"the knowledge index could not be loaded ({type(exc).__name__}: {first_line(exc)})"
            self._index_failed_at = time.monotonic()
            log.warning("index.load_failed", extra={"error": type(exc).__name__})
        finally:
            with self._index_lock:
                self._index_loading = False

    def follow_published_index(self) -> None:
        """SGBOT_INDEX_STORE=database: switch to the newest published generation, if there is a newer one."""
        assert self.assistant is not None
        with self._follow_lock:
            answerer = self.generation_follower().refresh()
            if answerer is not None:
                self.assistant.use_answerer(answerer)

    def generation_follower(self) -> GenerationFollower:
        """This process's one follower of the published generations, made on first use."""
        with self._follower_lock:
            if self._follower is None:
                from bot.db import get_database
                from bot.qa.generations import GenerationFollower, check_store

                check_store(self.settings)
                self._follower = GenerationFollower(self.settings, get_database(self.settings))
            return self._follower

    def index(self) -> Check:
        if self.assistant is None:
            return Check("index", True, "not served by this process")
        if self.settings.index_store == "database":
            loaded = self._follower.loaded if self._follower is not None else None
            if loaded is None:
                if not self._index_loading and time.monotonic() - self._index_failed_at > INDEX_RETRY_SECONDS:
                    self.start_loading_index()
                return Check("index", False, self._index_error
                             or "no index generation loaded yet (none published? run `sgbot ingest`)")
            return Check("index", True, f"published generation {loaded.id} ({loaded.chunk_count} passages)")
        answerer = self.assistant.loaded_answerer
        if answerer is None:
            if self._index_error and time.monotonic() - self._index_failed_at > INDEX_RETRY_SECONDS:
                self.start_loading_index()
            return Check("index", False, self._index_error or "loading the embedding model and the index")
        if answerer.index.catalog.count() == 0:
            return Check("index", False, "the knowledge index is empty: run `sgbot ingest`")
        # Follows the catalog: a newer generation (after an ingest) is loaded here, before it says ready.
        return Check("index", True, f"generation {answerer.index.keyword.generation}")

    # ---------------------------------------------------------------------- all

    def checks(self) -> list[Check]:
        checks = self.database()
        checks.append(self.index())
        if self.shutting_down:
            checks.append(Check("shutdown", False, "shutting down: finishing in-flight turns"))
        return checks

    async def report(self) -> tuple[bool, dict[str, Any]]:
        try:
            checks = await asyncio.wait_for(asyncio.to_thread(self.checks), CHECK_TIMEOUT_SECONDS + 2)
        except TimeoutError:
            checks = [Check("readiness", False, "the checks did not finish in time (database or index busy)")]
        ready = all(check.ok for check in checks)
        return ready, {"status": "ready" if ready else "not ready", "checks": [asdict(c) for c in checks]}

    def dispose(self) -> None:
        with self._engine_lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None
