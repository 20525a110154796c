"""Two `sgbot serve --socket-mode` replicas sharing one PostgreSQL database: one answer per event.

Slack sends each Socket Mode envelope to one of the app's open connections, and
redelivers an unacknowledged one, possibly to another connection. Here two real
`sgbot serve --socket-mode` processes connect (through `apps.connections.open` on
the Web API stand-in) to a local WebSocket stand-in for Slack's endpoint, and the
same envelope is delivered to both at once: both acknowledge it, one answers.
Each replica has a data directory of its own (a copy of the sample index); the
database is the only thing they share, as in compose and Kubernetes.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from bot.config import Settings
from tests.deploy.processes import ServeProcess, base_environment
from tests.slack.slack_stand_in import SlackStandIn
from tests.slack.socket_mode_stand_in import SocketModeStandIn, command_payload, dm_payload

QUESTION = "How should I respond when a child makes a disclosure?"
# Two servers starting on a busy 2-core machine.
pytestmark = pytest.mark.timeout(600)


@dataclass
class Replicas:
    slack: SlackStandIn
    endpoint: SocketModeStandIn
    servers: list[ServeProcess]

    def answers_in(self, thread_ts: str, settle: float = 3.0) -> list[str]:
        """The posts in a thread once the first has come and `settle` seconds passed with room for more."""
        self.slack.wait_for("chat.postMessage", 1, 120, thread_ts=thread_ts)
        time.sleep(settle)
        return [self.slack.posted_text(call) for call in self.slack.calls_to("chat.postMessage")
                if call.args.get("thread_ts") == thread_ts]


@pytest.fixture(scope="module")
def replicas(tmp_path_factory: pytest.TempPathFactory, module_postgres_url: str,
             sample_settings: Settings) -> Iterator[Replicas]:
    root = tmp_path_factory.mktemp("socket-replicas")
    slack = SlackStandIn().start()
    endpoint = SocketModeStandIn().start()
    slack.socket_url = endpoint.url
    environment = base_environment(
        DATABASE_URL=module_postgres_url, SLACK_BOT_TOKEN="xoxb-test-token", SLACK_APP_TOKEN="xapp-test-token",
        SLACK_API_URL=slack.base_url,
    )
    servers: list[ServeProcess] = []
    try:
        for name in ("a", "b"):
            data = root / name / "data"
            shutil.copytree(sample_settings.data_dir, data)  # the index; never the database
            servers.append(ServeProcess(root / name, {**environment, "SGBOT_DATA_DIR": str(data)},
                                        "--socket-mode", name=name))
            servers[-1].wait_ready()
            endpoint.wait_connections(len(servers), timeout=60)  # in order: connection i is replica i
        yield Replicas(slack, endpoint, servers)
    finally:
        for server in servers:
            server.kill()
        endpoint.stop()
        slack.stop()


def test_the_same_event_delivered_to_both_replicas_is_acknowledged_by_both_and_answered_once(
    replicas: Replicas,
) -> None:
    ts = f"{time.time():.6f}"
    envelope = replicas.endpoint.deliver(dm_payload("USOCKAB1", QUESTION, ts, f"EvBoth{time.time_ns()}"),
                                         to=[0, 1])

    assert sorted(replicas.endpoint.wait_for_acks(envelope, 2)) == [0, 1]
    (answer,) = replicas.answers_in(ts)
    assert "disclosure" in answer.lower()


def test_a_redelivery_to_the_other_replica_after_a_timeout_is_answered_once(replicas: Replicas) -> None:
    ts = f"{time.time():.6f}"
    payload = dm_payload("USOCKAB2", QUESTION, ts, f"EvRetry{time.time_ns()}")
    first = replicas.endpoint.deliver(payload, to=[0])
    again = replicas.endpoint.deliver(payload, to=[1], retry_attempt=1)  # a new envelope, the same event

    assert replicas.endpoint.wait_for_acks(first, 1) == [0]
    assert replicas.endpoint.wait_for_acks(again, 1) == [1]
    assert len(replicas.answers_in(ts)) == 1


def test_a_slash_command_envelope_delivered_to_both_replicas_is_run_once(replicas: Replicas) -> None:
    channel = "CSOCKCMD1"
    command = command_payload("USOCKCMD1", channel, QUESTION)
    posted_before = len(replicas.slack.calls_to("chat.postMessage"))
    envelope = replicas.endpoint.deliver(command, kind="slash_commands", to=[0, 1])

    assert sorted(replicas.endpoint.wait_for_acks(envelope, 2)) == [0, 1]
    # The question is posted in the channel, then answered in its thread: two posts, from one replica.
    replicas.slack.wait_for("chat.postMessage", 2, 120, channel=channel)
    time.sleep(3)
    posted = [call for call in replicas.slack.calls_to("chat.postMessage")[posted_before:]
              if call.args.get("channel") == channel]
    assert [bool(call.args.get("thread_ts")) for call in posted] == [False, True]
