"""Nothing is lost after an ack: two real `sgbot serve` processes on loopback share one database
(SQLite file, then PostgreSQL); one is killed after acknowledging a message and before answering it,
and Slack's retry (X-Slack-Retry-Num) reaches the other, which answers once the dead one's lease is out.
Teams activities share the same claim table and get the same treatment. On the same two databases, a
user id of 300 characters is refused with a 4xx (Slack, Teams) or in words (`sgbot converse`).

The replica is caught between its ack and its answer by the Slack stand-in holding its `users.info`
call (the first thing it asks Slack after claiming the event), or the Teams connector stand-in holding
its member look-up, until it has been killed.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from slack_stand_in import TEAM, SlackStandIn, sign

from tests.deploy.processes import SGBOT, ServeProcess, base_environment
from tests.teams.harness import ConnectorStandIn, message_activity

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
LEASE_SECONDS = 5.0  # longer than a replica takes to start on a message on a loaded machine
# Two `sgbot serve` processes per database on a busy 2-core machine.
pytestmark = pytest.mark.timeout(600)


@dataclass
class Pair:
    slack: SlackStandIn
    teams: ConnectorStandIn
    a: ServeProcess
    b: ServeProcess
    environment: dict[str, str]

    def event(self, replica: ServeProcess, user: str, text: str, event_id: str, ts: str,
              retry: int | None = None, channel: str | None = None) -> httpx.Response:
        envelope = {
            "token": "legacy", "team_id": TEAM, "api_app_id": "A0TEST", "type": "event_callback",
            "event": {"type": "message", "channel": channel or f"D{user[1:]}", "channel_type": "im", "user": user,
                      "text": text, "ts": ts, "event_ts": ts},
            "event_id": event_id, "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM, "user_id": "UBOT0001", "is_bot": True}],
        }
        body = json.dumps(envelope)
        headers = {"Content-Type": "application/json", **sign(SECRET, body)}
        if retry is not None:
            headers.update({"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"})
        return httpx.post(replica.url + "/slack/events", content=body.encode(), headers=headers, timeout=30)

    def alive_a(self) -> ServeProcess:
        """Replica A, started afresh (same database) if an earlier test killed it."""
        if self.a.process.poll() is not None:
            workdir = self.a.log_path.parent.with_name(f"a-{time.monotonic_ns()}")
            self.a = ServeProcess(workdir, {**self.environment, "SGBOT_DATA_DIR": str(workdir / "data")},
                                  name="a")
            self.a.wait_until("/healthz")
        return self.a

    def posts_to(self, user: str) -> list[str]:
        return [self.slack.posted_text(call) for call in self.slack.calls_to("chat.postMessage")
                if call.args.get("channel") == f"D{user[1:]}"]

    def answers_to(self, user: str) -> int:
        """How many times the checklist's first question (the answer to "refer") was posted to `user`."""
        posts = self.posts_to(user)
        assert len(posts) == len(set(posts)), posts  # nothing posted twice
        return sum("Which kind of review" in text for text in posts)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def pair(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    root = tmp_path_factory.mktemp(f"lease-{request.param}")
    if request.param == "sqlite":
        url = f"sqlite:///{root / 'shared.sqlite3'}"
    else:
        url = request.getfixturevalue("module_postgres_url")
    slack = SlackStandIn().start()
    teams = ConnectorStandIn()
    environment = base_environment(
        DATABASE_URL=url, SLACK_BOT_TOKEN="xoxb-test-token", SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=slack.base_url, SGBOT_INBOUND_LEASE_SECONDS=str(LEASE_SECONDS),
        TEAMS_ANONYMOUS="true", TEAMS_SERVICE_URL=teams.url,
    )
    replicas = [ServeProcess(root / name, {**environment, "SGBOT_DATA_DIR": str(root / name / "data")}, name=name)
                for name in ("a", "b")]
    pair = Pair(slack, teams, *replicas, environment={**environment, "SGBOT_DATA_DIR": str(root / "cli")})
    try:
        for replica in replicas:
            replica.wait_until("/healthz")
        yield pair
    finally:
        for replica in {id(r): r for r in [*replicas, pair.a, pair.b]}.values():
            replica.kill()
        slack.stop()
        teams.close()


def _ids(user: str) -> tuple[str, str]:
    return f"Ev{user}{time.time_ns()}", f"{time.time():.6f}"


def test_with_both_replicas_alive_a_retry_during_the_answer_and_one_after_it_add_nothing(pair: Pair) -> None:
    user = f"UBOTH{time.time_ns() % 10**6:06d}"
    event_id, ts = _ids(user)
    hold = pair.slack.hold_next("users.info")

    pair.event(pair.alive_a(), user, "refer", event_id, ts)
    assert hold.arrived.wait(60)
    during = pair.event(pair.b, user, "refer", event_id, ts, retry=1)  # A is still working on it
    hold.release()
    pair.slack.wait_for("chat.postMessage", 1, 90, channel=f"D{user[1:]}")
    time.sleep(LEASE_SECONDS + 0.5)  # A's lease is over, but A answered: the event is handled
    after = pair.event(pair.b, user, "refer", event_id, ts, retry=2)
    time.sleep(3)

    assert (during.status_code, after.status_code) == (200, 200)
    assert pair.answers_to(user) == 1


def test_a_replica_killed_after_the_ack_loses_nothing_slacks_retry_to_the_other_replica_answers(
    pair: Pair,
) -> None:
    user = f"UKILL{time.time_ns() % 10**6:06d}"
    event_id, ts = _ids(user)
    replica_a = pair.alive_a()
    hold = pair.slack.hold_next("users.info")

    acked = pair.event(replica_a, user, "refer", event_id, ts)
    assert acked.status_code == 200
    assert hold.arrived.wait(60), "replica A never started on the message"
    replica_a.kill()  # acknowledged and claimed, never answered
    hold.release()
    time.sleep(LEASE_SECONDS + 0.5)
    retried = pair.event(pair.b, user, "refer", event_id, ts, retry=1)
    pair.slack.wait_for("chat.postMessage", 1, 90, channel=f"D{user[1:]}")
    time.sleep(3)  # the rest of the answer, and a second one were it coming

    assert retried.status_code == 200
    assert pair.answers_to(user) == 1


def test_a_300_character_user_id_is_refused_with_a_4xx_by_slack_and_teams_not_a_server_error(pair: Pair) -> None:
    long_id = "U" + "X" * 299
    event_id, ts = _ids("ULONG")
    slack = pair.event(pair.b, long_id, "hello", event_id, ts, channel="DLONG0001")
    activity = message_activity("hello", service_url=pair.teams.url, user_id="29:" + "x" * 297,
                                conversation_id=f"a:personal-{time.time_ns()}")
    teams = httpx.post(pair.b.url + "/api/messages", json=activity, timeout=30)

    assert slack.status_code == 400 and slack.json()["error"] == "user is longer than 200 characters"
    assert teams.status_code == 400 and "300" not in teams.text and "from" in teams.json()["error"]


def test_a_300_character_user_id_in_sgbot_converse_is_refused_in_words_not_a_database_error(pair: Pair) -> None:
    disclosure = "She has just told me her stepfather hit her tonight and she is scared to go home"
    lines = "\n".join(json.dumps({"text": text}) for text in ("refer", disclosure))
    result = subprocess.run([SGBOT, "converse", "--user", "u" * 300], input=lines + "\n", text=True,
                            capture_output=True, env=pair.environment, timeout=300,
                            cwd=pair.a.log_path.parent)
    replies = [json.loads(line) for line in result.stdout.splitlines()]

    assert result.returncode == 0, result.stderr[-2000:]
    assert len(replies) == 2 and not any("error" in reply for reply in replies)
    refusal = replies[0]["replies"][-1]["text"]
    assert "300 characters" in refusal and "at most 255" in refusal
    assert "DataError" not in result.stdout + result.stderr
    # A disclosure from that id still gets the emergency route first.
    assert "999" in replies[1]["replies"][0]["text"] and "255" in replies[1]["replies"][-1]["text"]


def test_a_teams_replica_killed_mid_turn_loses_nothing_the_redelivery_to_the_other_replica_answers(
    pair: Pair,
) -> None:
    conversation = f"a:personal-{time.time_ns()}"
    activity = message_activity("refer", service_url=pair.teams.url, conversation_id=conversation)
    replica_a = pair.alive_a()
    arrived, release = pair.teams.hold_next_member_lookup()
    # A is killed during the turn, so its HTTP answer never comes: Teams redelivers.
    first = threading.Thread(target=_post_quietly, args=(replica_a.url + "/api/messages", activity), daemon=True)
    first.start()
    assert arrived.wait(60), "replica A never started on the activity"
    replica_a.kill()
    release.set()
    time.sleep(LEASE_SECONDS + 0.5)
    again = httpx.post(pair.b.url + "/api/messages", json=activity, timeout=120)
    time.sleep(2)

    assert again.status_code < 300
    replies = [json.dumps(reply.get("text")) + json.dumps(reply.get("attachments"))
               for reply in pair.teams.posted(conversation)]
    assert replies and len(replies) == len(set(replies))  # nothing sent twice
    assert sum("Which kind of review" in reply for reply in replies) == 1


def _post_quietly(url: str, activity: dict[str, Any]) -> None:
    with contextlib.suppress(httpx.HTTPError):  # the replica is killed: no answer comes
        httpx.post(url, json=activity, timeout=60)
