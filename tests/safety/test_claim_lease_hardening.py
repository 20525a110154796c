"""Claims on inbound events, on SQLite and PostgreSQL: a claim with a lease is only final once the
event is marked handled; a claim whose holder died (lease out, not handled) is taken by one retry.
A holder that only stalled, and whose claim was taken over meanwhile, posts no further part of the
answer (what it had posted is kept, for its successor to skip)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.db import (
    Database,
    claim_inbound_event,
    complete_inbound_event,
    forget_databases,
    inbound_event_progress,
    open_database,
    record_inbound_part,
    renew_inbound_event,
    take_inbound_part,
)

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


def test_a_holder_that_stalled_past_its_lease_posts_nothing_more_and_what_it_posted_is_kept(
    database: Database,
) -> None:
    assert claim_inbound_event(database, "slack", "Ev-parts", LEASE, payload={"text": "t"}, holder="a") is True
    assert take_inbound_part(database, "slack", "Ev-parts", "a", 1, LEASE) == {}  # "a" may post part 1
    time.sleep(LEASE + 0.2)  # ... and stalls, its post made, before recording it
    assert claim_inbound_event(database, "slack", "Ev-parts", 30, holder="b") is True  # "b" takes over
    record_inbound_part(database, "slack", "Ev-parts", "1", ["1.1"])  # "a" wakes and records what it posted
    assert take_inbound_part(database, "slack", "Ev-parts", "a", 1, LEASE) is None  # and posts nothing more
    assert take_inbound_part(database, "slack", "Ev-parts", "b", 2, 30) == {"1": ["1.1"]}  # "b" skips part 1
    record_inbound_part(database, "slack", "Ev-parts", "2", ["2.2"])
    assert inbound_event_progress(database, "slack", "Ev-parts") == (2, {"1": ["1.1"], "2": ["2.2"]})
    complete_inbound_event(database, "slack", "Ev-parts")
    assert take_inbound_part(database, "slack", "Ev-parts", "b", 2, 30) is None  # answered: nothing more


def test_a_claim_its_own_process_took_over_is_not_the_earlier_try_s(database: Database) -> None:
    assert claim_inbound_event(database, "teams", "act-again", LEASE, payload={"text": "t"}, holder="p") is True
    time.sleep(LEASE + 0.2)  # the first try stalled; the same process's sweeper claims the event again
    assert claim_inbound_event(database, "teams", "act-again", 30, holder="p") is True
    assert renew_inbound_event(database, "teams", "act-again", "p", 30, attempt=1) is False
    assert take_inbound_part(database, "teams", "act-again", "p", 1, 30) is None
    assert take_inbound_part(database, "teams", "act-again", "p", 2, 30) == {}
