"""The deployed topology for real, on loopback: one PostgreSQL database, one `chroma run` server, two
`sgbot serve` processes on two ports (each with a data directory of its own), and ingest as a separate
process, exactly as compose and Kubernetes run them (SGBOT_INDEX_STORE=database).

Slack and Teams are played by their local stand-ins; requests are signed as the platforms sign them.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.db import open_database
from bot.qa.generations import Published, newest
from tests.conftest import KNOWLEDGE_DIR
from tests.deploy.processes import SGBOT, ChromaServer, ServeProcess, base_environment
from tests.slack.slack_stand_in import TEAM, SlackStandIn, form_body, sign
from tests.teams.harness import ConnectorStandIn, message_activity

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
# Two servers, a Chroma server and two ingests: minutes on a busy 2-core machine.
pytestmark = pytest.mark.timeout(900)


@dataclass
class Topology:
    root: Path
    environment: dict[str, str]
    slack: SlackStandIn
    teams: ConnectorStandIn
    documents: Path
    replicas: dict[str, ServeProcess] = field(default_factory=dict)
    published_at_start: Published | None = None  # in the database, before the topology's first ingest
    first_ingest: dict[str, Any] = field(default_factory=dict)

    def start(self, name: str) -> ServeProcess:
        environment = {**self.environment, "SGBOT_DATA_DIR": str(self.root / name / "data")}
        replica = ServeProcess(self.root / name, environment, name=f"{name}-{time.monotonic_ns()}")
        self.replicas[name] = replica
        return replica

    def ingest(self) -> dict[str, Any]:
        environment = {**self.environment, "SGBOT_DATA_DIR": str(self.root / "ingest" / "data")}
        result = subprocess.run([SGBOT, "ingest", str(self.documents), "--json"], cwd=self.root, env=environment,
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr[-3000:]
        return json.loads(result.stdout.strip().splitlines()[-1])

    def slack_event(self, replica: str, event: dict[str, Any], event_id: str,
                    retry: int | None = None) -> httpx.Response:
        envelope = {
            "token": "legacy", "team_id": TEAM, "api_app_id": "A0TEST", "type": "event_callback",
            "event": {"event_ts": event["ts"], **event}, "event_id": event_id, "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM, "user_id": "UBOT0001", "is_bot": True}],
        }
        body = json.dumps(envelope)
        headers = {"Content-Type": "application/json", **sign(SECRET, body)}
        if retry is not None:
            headers.update({"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"})
        return httpx.post(self.replicas[replica].url + "/slack/events", content=body.encode(), headers=headers,
                          timeout=30)

    def dm(self, replica: str, user: str, text: str, *, retry: int | None = None,
           event_id: str | None = None, ts: str | None = None) -> str:
        ts = ts or f"{time.time():.6f}"
        event = {"type": "message", "channel": f"D{user[1:]}", "channel_type": "im", "user": user,
                 "text": text, "ts": ts}
        response = self.slack_event(replica, event, event_id or f"Ev{time.time_ns()}", retry)
        assert response.status_code == 200, response.text
        return ts

    def posts_to(self, user: str) -> list[str]:
        return [self.slack.posted_text(call) for call in self.slack.calls_to("chat.postMessage")
                if call.args.get("channel") == f"D{user[1:]}"]

    def wait_posts(self, user: str, count: int, timeout: float = 90) -> list[str]:
        self.slack.wait_for("chat.postMessage", count, timeout, channel=f"D{user[1:]}")
        return self.posts_to(user)

    def settled(self, user: str, at_least: int, quiet: float = 2.0) -> list[dict[str, Any]]:
        """The messages posted to a user once at least `at_least` have come and no more arrive for `quiet` s."""
        self.slack.wait_for("chat.postMessage", at_least, 120, channel=f"D{user[1:]}")
        count = -1
        while True:
            calls = [call for call in self.slack.calls_to("chat.postMessage")
                     if call.args.get("channel") == f"D{user[1:]}"]
            if len(calls) == count:
                return [{**call.args, "ts": call.response.get("ts"), "text_read": self.slack.posted_text(call)}
                        for call in calls]
            count = len(calls)
            time.sleep(quiet)

    def press(self, replica: str, user: str, message: dict[str, Any], button: dict[str, Any]) -> None:
        block_id = next(block.get("block_id") for block in message["blocks"]
                        if button in (block.get("elements") or []) or block.get("accessory") == button)
        channel = message["channel"]
        payload = {
            "type": "block_actions", "team": {"id": TEAM}, "api_app_id": "A0TEST", "token": "legacy",
            "user": {"id": user, "team_id": TEAM}, "trigger_id": f"trig.{time.time_ns()}",
            "container": {"type": "message", "message_ts": message["ts"], "channel_id": channel,
                          "is_ephemeral": False},
            "channel": {"id": channel}, "message": message,
            "actions": [{**button, "block_id": block_id, "action_ts": f"{time.time():.6f}"}],
        }
        body = form_body({"payload": json.dumps(payload)})
        headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(SECRET, body)}
        response = httpx.post(self.replicas[replica].url + "/slack/events", content=body.encode(),
                              headers=headers, timeout=30)
        assert response.status_code == 200, response.text

    def metric(self, replica: str, name: str) -> float:
        text = httpx.get(self.replicas[replica].url + "/metrics", timeout=10).text
        return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                   if line.startswith(name) and not line.startswith("#"))


@pytest.fixture(scope="module")
def topology(tmp_path_factory: pytest.TempPathFactory, module_postgres_url: str,
             chroma_server: ChromaServer) -> Iterator[Topology]:
    root = tmp_path_factory.mktemp("topology")
    documents = root / "documents"
    shutil.copytree(KNOWLEDGE_DIR, documents, ignore=shutil.ignore_patterns("README.md"))
    slack = SlackStandIn().start()
    teams = ConnectorStandIn()
    environment = base_environment(
        DATABASE_URL=module_postgres_url, CHROMA_HOST="127.0.0.1", CHROMA_PORT=str(chroma_server.port),
        SGBOT_COLLECTION=f"topology-{root.name}"[:60], SGBOT_INDEX_STORE="database", SGBOT_INDEX_POLL_SECONDS="1",
        SLACK_BOT_TOKEN="xoxb-test-token", SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=slack.base_url,
        SLACK_BUSINESS_UNIT_CHANNEL="CBUSINESS1", SGBOT_BUSINESS_UNIT="UOFFICER1",
        TEAMS_ANONYMOUS="true", TEAMS_SERVICE_URL=teams.url,
    )
    topology = Topology(root, environment, slack, teams, documents)
    database = open_database(module_postgres_url)
    topology.published_at_start = newest(database)
    database.dispose()
    topology.first_ingest = topology.ingest()
    try:
        for name in ("a", "b"):
            topology.start(name)
        for replica in topology.replicas.values():
            replica.wait_ready()
        yield topology
    finally:
        for replica in topology.replicas.values():
            replica.kill()
        slack.stop()
        teams.close()


def test_the_topology_starts_with_a_database_of_its_own_and_no_published_index(topology: Topology) -> None:
    first = topology.first_ingest
    documents = [path.name for path in KNOWLEDGE_DIR.rglob("*")  # what the fixture copied and ingested
                 if path.is_file() and path.name != "README.md" and not path.name.endswith(".meta.yaml")]

    assert topology.published_at_start is None  # no other test's generation to start from
    # so the first ingest indexed every document afresh: none found "unchanged", none "removed"
    assert sorted(first["added"]) == sorted(documents)
    assert first["updated"] == first["skipped"] == first["removed"] == []


def test_a_slack_retry_delivered_to_the_other_replica_gets_one_answer(topology: Topology) -> None:
    user, event_id, ts = "UPAT0001", f"Ev{time.time_ns()}", f"{time.time():.6f}"

    question = "Who do I call out of hours?"
    with ThreadPoolExecutor(2) as pool:  # the original to A and Slack's retry to B, at the same moment
        list(pool.map(lambda args: topology.dm(args[0], user, question, retry=args[1], event_id=event_id, ts=ts),
                      [("a", None), ("b", 1)]))
    answers = topology.wait_posts(user, 1)
    time.sleep(3)  # time enough for a second answer, were one coming

    assert len(topology.posts_to(user)) == 1
    assert "out of hours" in answers[0].lower() or "emergency duty" in answers[0].lower()


def test_a_referral_started_on_one_replica_continues_on_the_other(topology: Topology) -> None:
    user = "UREF0002"
    topology.dm("a", user, "refer")
    question = topology.settled(user, 1)[-1]["text_read"]

    topology.dm("b", user, "continue")
    resumed = topology.settled(user, 2)[-1]["text_read"]

    assert "Which kind of review" in question
    assert "Which kind of review" in resumed


def test_a_teams_activity_delivered_to_both_replicas_gets_one_reply(topology: Topology) -> None:
    conversation = f"a:personal-{time.time_ns()}"
    activity = message_activity("What are the levels of need?", service_url=topology.teams.url,
                                conversation_id=conversation)

    with ThreadPoolExecutor(2) as pool:
        statuses = list(pool.map(
            lambda name: httpx.post(topology.replicas[name].url + "/api/messages", json=activity, timeout=60)
            .status_code, ["a", "b"]))
    deadline = time.monotonic() + 60
    while not topology.teams.posted(conversation) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(3)

    assert all(status < 300 for status in statuses), statuses
    assert len(topology.teams.posted(conversation)) == 1


def test_an_ingest_during_a_burst_of_questions_gives_zero_errors_and_every_replica_moves_to_the_new_index(
    topology: Topology,
) -> None:
    (topology.documents / "pets.md").write_text(
        "---\ntitle: Dogs in family homes\nkind: guidance\nareas: [Northshire]\neffective: 2026-01-01\n---\n"
        "# Dogs in family homes\n\nWhen a practitioner visits a home with a dangerous dog, the visit is "
        "rearranged and the dog warden is told the same day.\n", encoding="utf-8")
    failures_before = sum(topology.metric(n, "sgbot_slack_failures") for n in ("a", "b"))
    generation_before = max(_served_generation(topology, name) for name in ("a", "b"))
    stop = threading.Event()
    asked: list[str] = []

    def burst() -> None:
        n = 0
        while not stop.is_set():
            user = f"UBURST{n:04d}"
            topology.dm("ab"[n % 2], user, "What are the levels of need?")
            asked.append(user)
            n += 1
            time.sleep(0.3)

    asker = threading.Thread(target=burst)
    asker.start()
    try:
        report = topology.ingest()
    finally:
        stop.set()
        asker.join()
    answers = [topology.wait_posts(user, 1, timeout=120)[0] for user in asked]
    failures_after = sum(topology.metric(n, "sgbot_slack_failures") for n in ("a", "b"))

    assert report["added"] == ["pets.md"]
    assert len(asked) >= 5 and all("level" in answer.lower() for answer in answers)
    assert failures_after == failures_before == 0
    # Both replicas switch to the newly published generation without a restart, and answer from it.
    # (Earlier tests on the same topology may have published generations of their own: compare, don't count.)
    for name in ("a", "b"):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and _served_generation(topology, name) <= generation_before:
            time.sleep(0.5)
        assert _served_generation(topology, name) > generation_before, _index_check(topology, name)
        user = f"UDOG{name.upper()}"
        topology.dm(name, user, "What do I do about a dangerous dog on a home visit?")
        assert "dog warden" in topology.wait_posts(user, 1)[0]


def test_a_replica_killed_mid_conversation_loses_nothing(topology: Topology) -> None:
    user = "UKILL003"
    topology.dm("a", user, "refer")
    posted = topology.settled(user, 1)
    first, button = next((message, element) for message in reversed(posted)
                         for block in message.get("blocks") or []
                         for element in [*(block.get("elements") or []), block.get("accessory") or {}]
                         if element.get("type") == "button")
    topology.press("a", user, first, button)  # the first kind of review, answered on A
    posted = topology.settled(user, len(posted) + 1)
    second = posted[-1]["text_read"]

    topology.replicas["a"].kill()  # SIGKILL: no chance to tidy up
    topology.dm("b", user, "continue")
    resumed = topology.settled(user, len(posted) + 1)[-1]["text_read"]
    restarted = topology.start("a")
    restarted.wait_ready()

    assert "Which kind of review" not in second  # A moved on to the next step
    assert second.split("\n\n")[1] in resumed  # and B carries on from it: the answer given on A was kept


def _index_check(topology: Topology, name: str) -> dict[str, Any]:
    checks = httpx.get(topology.replicas[name].url + "/readyz").json()["checks"]
    return next(c for c in checks if c["name"] == "index")


def _served_generation(topology: Topology, name: str) -> int:
    found = re.search(r"generation (\d+)", _index_check(topology, name)["detail"])
    return int(found.group(1)) if found else 0
