"""Alembic environment, configured in code (see bot/db/schema.py): no alembic.ini.

`ensure_schema` passes an open connection in `config.attributes["connection"]`.
Run by hand (e.g. to autogenerate a revision) it falls back to the configured
database from the settings.
"""

from __future__ import annotations

from alembic import context

from bot.db.models import Base

config = context.config


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from bot.config import get_settings
        from bot.db.engine import make_engine

        engine = make_engine(get_settings())
        with engine.begin() as own_connection:
            _run(own_connection)
        return
    _run(connection)


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
