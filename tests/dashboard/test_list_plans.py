"""Every list page reads one page of an index in the list's order: the database never sorts the lot.

The timings are measured by bench/dashboard.py (10,000 referrals); this checks the reason they hold, on
SQLite's planner with no statistics (a new database): no "USE TEMP B-TREE FOR ORDER BY" in the plan.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Select

from bot.config import Settings
from bot.db import Database, open_database
from bot.referral import statuses as st
from bot.referral.repository import queue_statement
from bot.reviews.action_plans import listing_statement

REVIEW_STAGES = frozenset({st.ACCEPTED, st.IN_REVIEW, st.COMPLETED})
TODAY = date(2026, 12, 6)

LISTS: dict[str, Select] = {  # type: ignore[type-arg]
    "queue, first page": queue_statement(),
    "queue, page 20": queue_statement(offset=950),
    "queue with closed ones": queue_statement(statuses=None),
    "queue, one status and an area": queue_statement(statuses=frozenset({st.SUBMITTED}), area="Eastbrook"),
    "queue, one assignee": queue_statement(assigned_to="officer.one"),
    "reviews in progress": queue_statement(statuses=REVIEW_STAGES, accepted_only=True, offset=950),
    "action plans": listing_statement(status=None, overdue_only=False, today=TODAY, limit=51, offset=450),
    "action plans, overdue": listing_statement(status=None, overdue_only=True, today=TODAY, limit=51),
    "action plans, one status": listing_statement(status="open", overdue_only=False, today=TODAY, limit=51),
}


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """A new database (migrated to head): the plans are the ones a fresh installation gets."""
    opened = open_database(Settings(_env_file=None, SGBOT_DATA_DIR=tmp_path_factory.mktemp("plans")))  # type: ignore[call-arg]
    yield opened
    opened.dispose()


@pytest.mark.parametrize("name", list(LISTS))
def test_the_list_is_read_in_index_order(name: str, database: Database) -> None:
    sql = str(LISTS[name].compile(dialect=database.engine.dialect, compile_kwargs={"literal_binds": True}))
    with database.engine.connect() as connection:
        plan = [row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]
    assert not any("TEMP B-TREE" in step for step in plan), plan
    assert any("USING INDEX" in step for step in plan), plan
