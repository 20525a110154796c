"""Claims on inbound events, on SQLite and PostgreSQL: a claim with a lease is only final once the
event is marked handled; a claim whose holder died (lease out, not handled) is taken by one retry."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.db import Database, claim_inbound_event, complete_inbound_event, forget_databases, open_database

LEASE = 0.3


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    database = open_database(db_url)
    yield database
    database.dispose()
    forget_databases()


def test_a_live_claim_keeps_retries_out_and_an_expired_unhandled_one_is_taken_over(database: Database) -> None:
    assert claim_inbound_event(database, "slack", "Ev1", LEASE) is True
    assert claim_inbound_event(database, "slack", "Ev1", LEASE) is False  # the holder is still working
    time.sleep(LEASE + 0.2)  # the holder died without answering
    assert claim_inbound_event(database, "slack", "Ev1", LEASE) is True
    assert claim_inbound_event(database, "slack", "Ev1", LEASE) is False  # and the new claim holds


def test_a_handled_event_is_never_taken_again(database: Database) -> None:
    assert claim_inbound_event(database, "teams", "act-1", LEASE) is True
    complete_inbound_event(database, "teams", "act-1")
    time.sleep(LEASE + 0.2)
    assert claim_inbound_event(database, "teams", "act-1", LEASE) is False


def test_of_many_retries_racing_for_an_expired_claim_exactly_one_wins(database: Database) -> None:
    assert claim_inbound_event(database, "slack", "Ev-race", LEASE) is True
    time.sleep(LEASE + 0.2)
    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(lambda _: claim_inbound_event(database, "slack", "Ev-race", 30), range(6)))
    assert results.count(True) == 1


def test_a_claim_without_a_lease_is_final_at_once(database: Database) -> None:
    assert claim_inbound_event(database, "slack-request", "sig-1") is True
    time.sleep(0.1)
    assert claim_inbound_event(database, "slack-request", "sig-1", LEASE) is False
