"""Discussion tests run against SQLite and PostgreSQL, like the referral tests (same fixtures)."""

from __future__ import annotations

from tests.referral.conftest import db_url, postgres_url  # noqa: F401 - fixtures
