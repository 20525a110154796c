"""Socket Mode with two replicas (`sgbot serve --socket-mode` twice, real processes, one database): an event
envelope is stored in the durable inbox with its claim before it is acknowledged, as an event over HTTP.
Replica A acknowledges a DM's envelope and is caught before answering it (the Slack stand-in holds its
`users.info` call); a redelivery to replica B while A's lease runs is acknowledged and left; A is SIGKILLed
and B's sweeper answers the stored event once A's lease has run out, exactly once, with no redelivery.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from slack_stand_in import SlackStandIn

from tests.deploy.processes import ServeProcess, base_environment
from tests.slack.socket_mode_stand_in import SocketModeStandIn, dm_payload

LEASE_SECONDS = 4.0
SWEEP_SECONDS = 0.5
# Answered without a knowledge index (these replicas have none): the checklist's first question.
MESSAGE = "refer"
pytestmark = pytest.mark.timeout(600)


@dataclass
class SocketPair:
    slack: SlackStandIn
    endpoint: SocketModeStandIn
    a: ServeProcess
    b: ServeProcess


@pytest.fixture(scope="module")
def socket_pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SocketPair]:
    root = tmp_path_factory.mktemp("slack-socket-inbox")
    slack = SlackStandIn().start()
    endpoint = SocketModeStandIn().start()
    slack.socket_url = endpoint.url
    environment = base_environment(
        DATABASE_URL=f"sqlite:///{root / 'shared.sqlite3'}", SLACK_BOT_TOKEN="xoxb-test-token",
        SLACK_APP_TOKEN="xapp-test-token", SLACK_API_URL=slack.base_url,
        SGBOT_INBOUND_LEASE_SECONDS=str(LEASE_SECONDS), SGBOT_INBOX_SWEEP_SECONDS=str(SWEEP_SECONDS),
    )
    replicas: list[ServeProcess] = []
    try:
        for count, name in enumerate(("a", "b"), start=1):  # one at a time: connection 0 is A's, 1 is B's
            replica = ServeProcess(root / name, {**environment, "SGBOT_DATA_DIR": str(root / name / "data")},
                                   "--socket-mode", name=name)
            replicas.append(replica)
            replica.wait_until("/healthz")
            endpoint.wait_connections(count, timeout=90)
        yield SocketPair(slack, endpoint, *replicas)
    finally:
        slack.reset()  # releases anything still held
        for replica in replicas:
            replica.kill()
        slack.stop()
        endpoint.stop()


def test_an_envelope_acknowledged_by_a_replica_that_is_then_killed_is_answered_by_the_other_once(
    socket_pair: SocketPair,
) -> None:
    slack, endpoint = socket_pair.slack, socket_pair.endpoint
    user = f"USOCKDIE{time.time_ns() % 10**6:06d}"
    ts = f"{time.time():.6f}"
    event_id = f"EvSockDie{time.time_ns()}"
    payload = dm_payload(user, MESSAGE, ts, event_id)
    held = slack.hold_next("users.info")
    envelope = endpoint.deliver(payload, to=[0])  # replica A
    endpoint.wait_for_ack(envelope)
    assert held.arrived.wait(60), "replica A never started on the event"

    # Redelivered at once (A's lease still running): acknowledged by B, and left to A.
    endpoint.deliver(payload, retry_attempt=1, to=[1], envelope_id=envelope)
    assert endpoint.wait_for_acks(envelope, 2) == [0, 1]  # A the delivery, B the redelivery
    socket_pair.a.kill()  # SIGKILL after the ack, mid-answer
    held.release()

    # No redelivery comes: B's sweeper finds the stored event once A's lease is over and answers it.
    slack.wait_for("chat.postMessage", thread_ts=ts, timeout=90)
    time.sleep(LEASE_SECONDS + 3 * SWEEP_SECONDS)  # a second answer, were one coming
    posts = [slack.posted_text(c) for c in slack.calls_to("chat.postMessage") if c.args.get("thread_ts") == ts]
    assert sum("Which kind of review" in text for text in posts) == 1
    assert len(posts) == len(set(posts))  # nothing posted twice
    b_log = socket_pair.b.log_text().splitlines()
    assert any("inbox.duplicate" in line and event_id in line for line in b_log)
    assert any("inbox.taken_over" in line and event_id in line for line in b_log)
