"""The database layer other features build on: automatic migrations, event de-duplication, channel state."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect

from bot.config import Settings
from bot.db import (
    Database,
    channel_state_items,
    claim_inbound_event,
    delete_channel_state,
    get_channel_state,
    open_database,
    put_channel_state,
)
from bot.db.schema import current_revision, head_revision


def test_first_use_creates_the_sqlite_file_and_its_directory_and_migrates_to_head(tmp_path: Path) -> None:
    settings = Settings(SGBOT_DATA_DIR=tmp_path / "not" / "there" / "yet")
    database = open_database(settings)
    try:
        assert (tmp_path / "not" / "there" / "yet" / "sgbot.sqlite3").exists()
        assert current_revision(database.engine) == head_revision()
        tables = set(inspect(database.engine).get_table_names())
        assert {"inbound_events", "channel_state"} <= tables
        assert database.engine.dialect.name == "sqlite"
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        database.dispose()


def test_the_recorded_head_is_alembics_head() -> None:
    from bot.db.migrations import HEAD

    assert head_revision() == HEAD


def test_the_models_and_the_migrations_describe_the_same_schema(database: Database) -> None:
    """What autogenerate would write from the models (bot.tables) is nothing: no table, column or
    index exists in one and not the other. `alembic check` raises otherwise."""
    from alembic import command

    from bot.db.schema import alembic_config
    from bot.tables import Base

    with database.engine.connect() as connection:
        command.check(alembic_config(connection, target_metadata=Base.metadata))


def test_migrating_a_database_imports_no_model_of_the_layers_above() -> None:
    """The database layer stores the domain's tables without depending on the domain: its
    migrations run with no model imported."""
    script = (
        "import sys, tempfile\n"
        "from bot.db import open_database\n"
        "open_database(f'sqlite:///{tempfile.mkdtemp()}/sgbot.sqlite3').dispose()\n"
        "print(sorted(m for m in sys.modules if m == 'bot.tables' or m.endswith('.models')))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[]"


def test_plain_postgres_urls_use_the_installed_psycopg_driver() -> None:
    from bot.db import database_url

    settings = Settings(DATABASE_URL="postgres://u@h:5432/db")
    assert database_url(settings) == "postgresql+psycopg://u@h:5432/db"


def test_an_inbound_event_is_claimed_once(database: Database) -> None:
    assert claim_inbound_event(database, "slack", "Ev123") is True
    assert claim_inbound_event(database, "slack", "Ev123") is False  # Slack's retry
    assert claim_inbound_event(database.engine, "teams", "Ev123") is True  # other platform, other id space
    assert claim_inbound_event(database.sessions, "teams", "Ev123") is False


def test_two_processes_claiming_the_same_events_get_each_exactly_once(db_url: str) -> None:
    open_database(db_url).dispose()  # migrate first, so both processes race on the claims only
    script = (
        "import sys; from bot.db import open_database, claim_inbound_event\n"
        "db = open_database(sys.argv[1])\n"
        "won = [i for i in range(60) if claim_inbound_event(db, 'slack', f'ev{i}')]\n"
        "print(','.join(map(str, won)))\n"
    )
    processes = [
        subprocess.Popen([sys.executable, "-c", script, db_url], stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=60)[0].strip() for p in processes]
    assert all(p.returncode == 0 for p in processes)
    won = [int(x) for out in outputs for x in out.split(",") if x]
    assert sorted(won) == list(range(60))


def test_processes_starting_together_on_a_new_database_all_get_the_schema(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh' / 'sgbot.sqlite3'}"
    script = "import sys; from bot.db import open_database; open_database(sys.argv[1]).dispose(); print('ok')"
    processes = [
        subprocess.Popen([sys.executable, "-c", script, url], stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    assert [p.communicate(timeout=60)[0].strip() for p in processes] == ["ok"] * 3


def test_channel_state_round_trips_json_and_replaces_earlier_values(database: Database) -> None:
    assert get_channel_state(database, "slack:C1", "areas") is None
    assert get_channel_state(database, "slack:C1", "areas", default=[]) == []
    put_channel_state(database, "slack:C1", "areas", ["Northshire"])
    put_channel_state(database, "slack:C1", "areas", ["Northshire", "Eastbrook"])
    reference = {"conversation": {"id": "19:abc"}, "serviceUrl": "http://localhost"}
    put_channel_state(database, "slack:C1", "teams_reference", reference)
    assert get_channel_state(database, "slack:C1", "areas") == ["Northshire", "Eastbrook"]
    assert channel_state_items(database, "slack:C1") == {
        "areas": ["Northshire", "Eastbrook"],
        "teams_reference": reference,
    }
    assert channel_state_items(database, "slack:C2") == {}
    assert delete_channel_state(database, "slack:C1", "areas") is True
    assert delete_channel_state(database, "slack:C1", "areas") is False


def test_database_errors_never_carry_the_values_that_were_written(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import sqlalchemy as sa

    from bot.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'privacy.sqlite3'}")
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE t (id INTEGER PRIMARY KEY, note TEXT NOT NULL UNIQUE)"))
        connection.execute(sa.text("INSERT INTO t (note) VALUES (:note)"), {"note": "J, 7, disclosed at school"})

    with pytest.raises(sa.exc.IntegrityError) as error, engine.begin() as connection:
        connection.execute(sa.text("INSERT INTO t (note) VALUES (:note)"), {"note": "J, 7, disclosed at school"})

    assert "disclosed" not in str(error.value)  # a logged traceback would not leak what was typed
