"""Every mapped table, imported in one place so `Base.metadata` is complete.

Alembic's env.py imports this (for `alembic revision --autogenerate`), and so
does anything that needs the full schema at once.
"""

from __future__ import annotations

from bot.db import infrastructure as _infrastructure  # noqa: F401
from bot.db.base import Base

__all__ = ["Base"]
