"""Socket Mode with two replicas (`sgbot serve --socket-mode` twice, one database): an event envelope is
claimed with the same lease as an event over HTTP. Replica A acknowledges a DM's envelope and is caught
before answering it (the Slack stand-in holds its `users.info` call: to the database and to Slack it is as
good as dead); Slack redelivers the same envelope to replica B, which answers once A's claim is older
than SGBOT_INBOUND_LEASE_SECONDS. A redelivery while A's lease is still running is acknowledged and left.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from conftest import unique
from slack_stand_in import SlackStandIn
from test_slack_socket_mode import Served, socket_mode_settings

from bot.config import Settings
from bot.server import create_app
from tests.slack.socket_mode_stand_in import SocketModeStandIn, dm_payload

LEASE_SECONDS = 2.0
QUESTION = "How should I respond when a child makes a disclosure?"


@pytest.fixture(scope="module")
def socket_pair(
    sample_settings: Settings, stand_in: SlackStandIn, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SocketModeStandIn]:
    endpoint = SocketModeStandIn().start()
    stand_in.socket_url = endpoint.url
    database = tmp_path_factory.mktemp("slack-socket-lease-db") / "slack.sqlite3"
    replicas: list[Served] = []
    try:
        for count in (1, 2):  # one at a time, so that connection 0 is A's and 1 is B's
            settings = socket_mode_settings(sample_settings, stand_in, database,
                                            inbound_lease_seconds=LEASE_SECONDS)
            replicas.append(Served(create_app(settings, slack_mode="socket")).start())
            assert replicas[-1].server.started, "Socket Mode startup failed"
            endpoint.wait_connections(count)
        yield endpoint
    finally:
        stand_in.reset()  # releases anything still held
        for replica in replicas:
            replica.stop()
        stand_in.socket_url = None
        endpoint.stop()


def _answers(stand_in: SlackStandIn, ts: str) -> list[object]:
    return [c for c in stand_in.calls_to("chat.postMessage") if c.args.get("thread_ts") == ts]


def test_an_event_envelope_redelivered_after_the_lease_is_answered_by_the_other_replica(
    socket_pair: SocketModeStandIn, stand_in: SlackStandIn
) -> None:
    user = unique("USLEASE")
    ts = f"{time.time():.6f}"
    payload = dm_payload(user, QUESTION, ts, unique("EvSockLease"))
    held = stand_in.hold_next("users.info")
    envelope = socket_pair.deliver(payload, to=[0])  # replica A
    socket_pair.wait_for_ack(envelope)
    assert held.arrived.wait(60), "replica A never started on the event"

    # Redelivered at once (A's lease still running): acknowledged by B, and left to A.
    socket_pair.deliver(payload, retry_attempt=1, to=[1], envelope_id=envelope)
    assert socket_pair.wait_for_acks(envelope, 2) == [0, 1]  # A the delivery, B the redelivery
    time.sleep(0.5)
    assert _answers(stand_in, ts) == []

    # Redelivered after the lease, the same envelope: B takes A's claim over and answers.
    time.sleep(LEASE_SECONDS)
    socket_pair.deliver(payload, retry_attempt=2, to=[1], envelope_id=envelope)
    (answer,) = stand_in.wait_for("chat.postMessage", thread_ts=ts, timeout=60)
    assert "Sources" in stand_in.posted_text(answer)
    assert not held.released.is_set()  # answered while A was still caught: B's answer, not A's
