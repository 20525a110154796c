"""The runbooks in deploy/README.md, tried: PostgreSQL backup and restore with pg_dump/pg_restore, and
rebuilding a lost Chroma server's index from the documents with `sgbot reindex`."""

from __future__ import annotations

import json
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from bot.db import open_database
from bot.db.migrations import HEAD
from bot.db.schema import current_revision
from bot.referral.models import Referral, ReferralEvent
from tests.conftest import KNOWLEDGE_DIR
from tests.deploy.processes import SGBOT, ChromaServer, base_environment

# Three ingests and two Chroma servers: minutes on a busy 2-core machine.
pytestmark = pytest.mark.timeout(900)


def _libpq(url: str) -> str:
    """The URL as psql/pg_dump take it (no SQLAlchemy driver suffix)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def test_postgresql_backup_and_restore(postgres_url: str, tmp_path: Path) -> None:
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump/pg_restore are not installed (Debian: postgresql-client)")
    database = open_database(postgres_url)
    reference = f"PR-2026-{uuid.uuid4().int % 10000:04d}"
    with database.transaction() as session:
        referral = Referral(reference=reference, checklist="practice_review", status="submitted", user_id="u1")
        session.add(referral)
        session.flush()
        session.add(ReferralEvent(referral_id=referral.id, actor="u1", action="submitted", from_status="draft",
                                  to_status="submitted", version=1))
    database.dispose()
    backup = tmp_path / "sgbot.dump"
    restored_name = f"sgbot_restore_{uuid.uuid4().hex[:10]}"
    maintenance = create_engine(make_url(postgres_url).set(database="postgres"), isolation_level="AUTOCOMMIT")

    # The runbook's commands, as written in deploy/README.md.
    subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={backup}", _libpq(postgres_url)],
                   check=True, timeout=120)
    with maintenance.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{restored_name}"'))
    restored_url = make_url(postgres_url).set(database=restored_name).render_as_string(hide_password=False)
    try:
        subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_libpq(restored_url)}",
                        str(backup)], check=True, timeout=120)
        restored = open_database(restored_url, migrate=False)
        with restored.sessions() as session:
            found = session.scalar(select(Referral).where(Referral.reference == reference))
            assert found is not None and [e.action for e in found.events] == ["submitted"]
        # the audit trail is still append-only after a restore: the trigger came back too
        with restored.engine.connect() as connection, pytest.raises(Exception, match="append-only|cannot"):
            connection.execute(text("DELETE FROM referral_events"))
        assert current_revision(restored.engine) == HEAD
        restored.dispose()
    finally:
        with maintenance.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)'))
        maintenance.dispose()


def test_a_lost_chroma_server_is_rebuilt_from_the_documents(postgres_url: str, tmp_path: Path) -> None:
    documents = tmp_path / "documents"
    shutil.copytree(KNOWLEDGE_DIR, documents, ignore=shutil.ignore_patterns("README.md"))
    first = ChromaServer(tmp_path / "chroma-1")
    environment = base_environment(DATABASE_URL=postgres_url, CHROMA_HOST="127.0.0.1", SGBOT_INDEX_STORE="database",
                                   SGBOT_COLLECTION=f"runbook-{uuid.uuid4().hex[:8]}",
                                   SGBOT_DATA_DIR=str(tmp_path / "job"))

    def sgbot(*args: str, chroma: ChromaServer) -> dict:
        result = subprocess.run([SGBOT, *args, "--json"], cwd=tmp_path, env={**environment,
                                "CHROMA_PORT": str(chroma.port)}, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr[-2000:]
        return json.loads(result.stdout.strip().splitlines()[-1])

    try:
        ingested = sgbot("ingest", str(documents), chroma=first)
    finally:
        first.stop()
    fresh = ChromaServer(tmp_path / "chroma-2")  # the volume is gone: an empty server
    try:
        # A plain ingest would skip every file (the published catalog says they are indexed) ...
        assert sgbot("ingest", str(documents), chroma=fresh)["chunks_indexed"] == 0
        # ... so the runbook re-indexes from the documents, then checks an answer.
        rebuilt = sgbot("reindex", str(documents), chroma=fresh)
        answer = sgbot("ask", "Who do I call out of hours?", chroma=fresh)
    finally:
        fresh.stop()

    assert rebuilt["chunks_indexed"] == ingested["chunks_indexed"] > 0
    assert rebuilt["published_generation"] is not None
    assert answer["answered"] and answer["citations"]
