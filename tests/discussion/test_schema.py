"""The discussion tables' migration matches the models, and runs both ways, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from bot.db import forget_databases, open_database
from bot.db.schema import alembic_config
from bot.tables import Base

TABLES = {"discussions", "discussion_participants", "discussion_contributions"}


def test_the_migration_creates_the_discussion_tables_as_the_models_describe_them(db_url: str) -> None:
    database = open_database(db_url)
    try:
        with database.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = [d for d in compare_metadata(context, Base.metadata) if "discussion" in repr(d)]
        assert differences == []
        assert set(inspect(database.engine).get_table_names()) >= TABLES

        with database.engine.begin() as connection:
            command.downgrade(alembic_config(connection), "0003")
        assert not TABLES & set(inspect(database.engine).get_table_names())
        with database.engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
        assert set(inspect(database.engine).get_table_names()) >= TABLES
    finally:
        database.dispose()
        forget_databases()
