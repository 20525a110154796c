"""A disclosure typed into a case discussion gets the emergency route exactly once, and is stored once, however
often its event is delivered or taken over. Over real HTTP on loopback, the real Bolt app, one SQLite file.

- Slack's retry of the event (X-Slack-Retry-Num), while the first delivery is still being answered and again
  after it was answered, is acknowledged and left: one route, one "Saved".
- Two replicas share the database. Replica A stalls (its whole event loop stops, as a starved or paused process
  does) after acknowledging the disclosure and before answering it, for longer than its lease; replica B's
  sweeper takes the event over and answers it. When A wakes up it finds the claim is no longer its own and
  posts nothing: the person reads the route once, and the contribution is in the discussion once.

A replica is caught after its ack by the Slack stand-in holding its `users.info` call (the first thing it asks
Slack once it answers the event).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import OFFICER, ServedSlack, slack_settings, unique
from slack_stand_in import SlackStandIn
from test_slack_referrals import in_thread, settle

from bot.assistant import Assistant
from bot.channels.slack.app import SlackChannel
from bot.config import Settings
from bot.referral.queue import Actor
from tests.discussion.filing import file_accepted_review

DISCLOSURE = "She has just told me her stepfather hit her tonight and she is scared to go home"
SHORT_LEASE = {"inbound_lease_seconds": 1.0, "inbox_sweep_seconds": 0.2}
pytestmark = pytest.mark.timeout(300)


class Discussion:
    """A case discussion in a channel thread, with a school invited to it."""

    def __init__(self, served: ServedSlack, stand_in: SlackStandIn) -> None:
        self.served = served
        self.stand_in = stand_in
        self.reference = file_accepted_review(served.channel.assistant, OFFICER, referrer=unique("UREF"))
        self.channel = unique("CDISC")
        self.school = unique("USCHOOL")
        self.thread = f"{time.time():.6f}"
        served.event({"type": "app_mention", "channel": self.channel, "user": OFFICER,
                      "text": f"<@UBOT0001> discuss {self.reference} kolb", "ts": self.thread})
        stand_in.wait_for("chat.postMessage", count=2, thread_ts=self.thread)
        settle(served)
        served.event(self.message(OFFICER, f"invite <@{self.school}> Eastbrook Primary School"))
        stand_in.wait_for("chat.postMessage", count=3, thread_ts=self.thread)
        settle(served)

    def message(self, user: str, text: str) -> dict[str, str]:
        return {"type": "message", "channel": self.channel, "channel_type": "channel", "user": user, "text": text,
                "ts": f"{time.time():.6f}", "thread_ts": self.thread}

    def said(self) -> list[str]:
        return [self.stand_in.posted_text(call) for call in in_thread(self.stand_in, self.thread)]

    def wait_until_said(self, words: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while not any(words in text for text in self.said()):
            assert time.monotonic() < deadline, f"never said {words!r}"
            time.sleep(0.05)

    def stored_times(self, assistant: Assistant, words: str) -> int:
        return assistant.discussions.report(Actor(OFFICER), self.reference).to_markdown().count(words)


def quiet(discussion: Discussion, *served: ServedSlack) -> list[str]:
    """What the thread says once nothing is being answered and nothing more arrives for a while."""
    count = -1
    while (now := len(discussion.said())) != count:
        count = now
        for replica in served:
            settle(replica)
        time.sleep(1.5)
    return discussion.said()


def routes(said: list[str]) -> int:
    return sum("999" in text for text in said)


def test_slack_retrying_a_disclosure_gets_no_second_emergency_route(
    served: ServedSlack, stand_in: SlackStandIn
) -> None:
    discussion = Discussion(served, stand_in)
    event, event_id = discussion.message(discussion.school, DISCLOSURE), unique("EvDisc")
    held = stand_in.hold_next("users.info")
    assert served.event(event, event_id=event_id).status_code == 200
    assert held.arrived.wait(30)  # acknowledged, and being answered
    assert served.event(event, event_id=event_id, retry=1).status_code == 200  # Slack thought it was missed
    held.release()
    discussion.wait_until_said("Saved")
    assert served.event(event, event_id=event_id, retry=2).status_code == 200  # and again, once it was answered

    said = quiet(discussion, served)
    assert routes(said) == 1
    assert sum("Saved" in text for text in said) == 1
    assert discussion.stored_times(served.channel.assistant, "scared to go home") == 1


@pytest.fixture
def replicas(sample_settings: Settings, stand_in: SlackStandIn, tmp_path: Path) -> Iterator[list[ServedSlack]]:
    settings = slack_settings(sample_settings, stand_in, tmp_path / "shared.sqlite3", **SHORT_LEASE)
    started = [ServedSlack(SlackChannel(settings), stand_in).start() for _ in range(2)]
    yield started
    for replica in started:
        replica.stop()


def test_a_replica_that_stalls_past_its_lease_does_not_post_the_emergency_route_again(
    replicas: list[ServedSlack], stand_in: SlackStandIn
) -> None:
    a, b = replicas
    discussion = Discussion(a, stand_in)
    before = len(discussion.said())

    held = stand_in.hold_next("users.info")
    assert a.event(discussion.message(discussion.school, DISCLOSURE)).status_code == 200
    assert held.arrived.wait(30)  # A has stored and acknowledged the disclosure and is answering it
    awake = threading.Event()
    a.server.servers[0].get_loop().call_soon_threadsafe(awake.wait, 120)  # A's process stops running
    try:
        discussion.wait_until_said("Saved")  # B's sweeper took the event over once A's lease ran out
    finally:
        held.release()
        awake.set()  # A runs again, where it stopped

    said = quiet(discussion, a, b)[before:]
    assert routes(said) == 1 and "999" in said[0]
    assert sum("Saved" in text for text in said) == 1
    assert discussion.stored_times(b.channel.assistant, "scared to go home") == 1
    assert a.channel.metrics.value("inbox_lease_lost") >= 1  # A noticed, and stopped
