"""Alembic environment, configured in code (see bot/db/schema.py): no alembic.ini.

`ensure_schema` passes an open connection in `config.attributes["connection"]`.
Run by hand it falls back to the configured database from the settings.

Upgrading and downgrading need no model, so this imports none: the database layer
stays below the domain whose tables it stores. Autogenerating a revision compares
with the models, which the caller passes as `config.attributes["target_metadata"]`
(`bot.tables.Base.metadata`, the whole schema).
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Column, Index

config = context.config


def _comparable(obj: Any, _name: str | None, type_: str, _reflected: bool, _compare_to: Any) -> bool:
    """Autogenerate leaves out indexes on expressions: each dialect reflects an expression in its own
    spelling (PostgreSQL turns `status IN (...)` into `status::text = ANY (ARRAY[...])`), so they
    would be dropped and re-created in every revision. SQLite cannot reflect them at all. A change
    to one is written by hand."""
    if type_ == "index" and isinstance(obj, Index):
        return all(isinstance(expression, Column) for expression in obj.expressions)
    return True


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
        target_metadata=config.attributes.get("target_metadata"),
        include_object=_comparable,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
