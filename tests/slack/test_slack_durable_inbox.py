"""The durable inbox over Slack's Events API: two real `sgbot serve` processes on loopback share one database
(SQLite file, then PostgreSQL). Slack never sends an acknowledged event again, so nothing here relies on a
retry: a replica SIGKILLed after its ack, while answering, leaves the stored event to the other replica's
sweeper, which answers it once the lease has run out, exactly once; with both alive there is one answer; an
answer slower than the lease is still answered once (its holder renews the lease); and a deployment of one
replica, killed and restarted, answers what it had acknowledged. A button press (a checklist answer) and a
slash command are stored the same way as a typed message. A Teams activity is answered inline in its
HTTP request (the HTTP answer is the ack): a replica killed mid-turn never acknowledges it, and the stored
activity is answered by the other replica's sweeper even if Teams never redelivers it.

A replica is caught between its ack and its answer by the Slack stand-in holding its `users.info` call (the
first thing it asks Slack after storing and acknowledging the event).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import test_slack_lease_hardening as lease
from conftest import buttons_of
from slack_stand_in import TEAM, SlackStandIn, form_body, sign
from sqlalchemy import select

from bot.db import InboundEvent, forget_databases, open_database
from tests.deploy.processes import ServeProcess, base_environment
from tests.teams.harness import ConnectorStandIn, message_activity

LEASE_SECONDS = 4.0  # longer than a replica takes to start on a message on a loaded machine
SWEEP_SECONDS = 0.5
pytestmark = pytest.mark.timeout(900)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def pair(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[lease.Pair]:
    root = tmp_path_factory.mktemp(f"inbox-{request.param}")
    sqlite = f"sqlite:///{root / 'shared.sqlite3'}"
    url = sqlite if request.param == "sqlite" else request.getfixturevalue("module_postgres_url")
    slack = SlackStandIn().start()
    teams = ConnectorStandIn()
    environment = base_environment(
        DATABASE_URL=url, SLACK_BOT_TOKEN="xoxb-test-token", SLACK_SIGNING_SECRET=lease.SECRET,
        SLACK_API_URL=slack.base_url, SGBOT_INBOUND_LEASE_SECONDS=str(LEASE_SECONDS),
        SGBOT_INBOX_SWEEP_SECONDS=str(SWEEP_SECONDS), TEAMS_ANONYMOUS="true", TEAMS_SERVICE_URL=teams.url,
    )
    replicas = [ServeProcess(root / name, {**environment, "SGBOT_DATA_DIR": str(root / name / "data")}, name=name)
                for name in ("a", "b")]
    pair = lease.Pair(slack, teams, *replicas, environment={**environment, "SGBOT_DATA_DIR": str(root / "cli")})
    try:
        for replica in replicas:
            replica.wait_until("/healthz")
        yield pair
    finally:
        for replica in {id(r): r for r in [*replicas, pair.a, pair.b]}.values():
            replica.kill()
        slack.stop()
        teams.close()
        forget_databases()


def _restarted(replica: ServeProcess, environment: dict[str, str], name: str) -> ServeProcess:
    """The replica started afresh on the same database (a new work directory, the same settings)."""
    workdir = replica.log_path.parent.with_name(f"{name}-{time.monotonic_ns()}")
    fresh = ServeProcess(workdir, {**environment, "SGBOT_DATA_DIR": str(workdir / "data")}, name=name)
    fresh.wait_until("/healthz")
    return fresh


def _stored(pair: lease.Pair, event_id: str) -> InboundEvent:
    database = open_database(pair.environment["DATABASE_URL"])
    try:
        with database.sessions() as session:
            row = session.scalars(select(InboundEvent).where(InboundEvent.event_id == event_id)).one()
            session.expunge(row)
            return row
    finally:
        database.dispose()


def _logged(replica: ServeProcess, what: str, event_id: str) -> int:
    """How many of the replica's log lines say `what` about this event."""
    return sum(what in line and event_id in line for line in replica.log_text().splitlines())


def _ids(prefix: str) -> tuple[str, str, str]:
    user = f"{prefix}{time.time_ns() % 10**6:06d}"
    return user, f"Ev{user}{time.time_ns()}", f"{time.time():.6f}"


def test_a_replica_sigkilled_after_the_ack_is_answered_by_the_other_replica_after_the_lease_exactly_once(
    pair: lease.Pair,
) -> None:
    user, event_id, ts = _ids("UDIES")
    replica_a = pair.alive_a()
    hold = pair.slack.hold_next("users.info")

    acked = pair.event(replica_a, user, "refer", event_id, ts)
    assert acked.status_code == 200
    assert hold.arrived.wait(60), "replica A never started on the message"
    killed_at = time.monotonic()
    replica_a.kill()  # SIGKILL: acknowledged and stored, never answered; Slack will not send it again
    hold.release()

    pair.slack.wait_for("chat.postMessage", 1, 90, channel=f"D{user[1:]}")
    answered_after = time.monotonic() - killed_at
    time.sleep(LEASE_SECONDS + 3 * SWEEP_SECONDS)  # a second answer, were one coming

    assert pair.answers_to(user) == 1
    assert answered_after > LEASE_SECONDS - 1.0  # not before A's lease (renewed up to its death) ran out
    assert _logged(pair.b, "inbox.taken_over", event_id) == 1  # B's sweeper, not a retry: Slack sent none
    stored = _stored(pair, event_id)
    assert stored.handled_at is not None and stored.payload is None and stored.attempts == 2


def test_with_both_replicas_alive_the_sweepers_add_nothing_one_answer(pair: lease.Pair) -> None:
    user, event_id, ts = _ids("UALIVE")
    pair.event(pair.alive_a(), user, "refer", event_id, ts)
    pair.slack.wait_for("chat.postMessage", 1, 90, channel=f"D{user[1:]}")
    time.sleep(LEASE_SECONDS + 4 * SWEEP_SECONDS)  # every sweeper has looked, more than once

    assert pair.answers_to(user) == 1
    assert _logged(pair.a, "inbox.taken_over", event_id) + _logged(pair.b, "inbox.taken_over", event_id) == 0
    assert _stored(pair, event_id).attempts == 1


def test_an_answer_slower_than_the_lease_is_answered_once_by_its_holder_which_renews_the_lease(
    pair: lease.Pair,
) -> None:
    user, event_id, ts = _ids("USLOW")
    replica_a = pair.alive_a()
    hold = pair.slack.hold_next("users.info")

    pair.event(replica_a, user, "refer", event_id, ts)
    assert hold.arrived.wait(60)
    time.sleep(LEASE_SECONDS + 1.0)  # past the first lease: only renewals keep the claim A's
    retried = pair.event(pair.b, user, "refer", event_id, ts, retry=1)  # Slack's retry, say, to B
    time.sleep(LEASE_SECONDS + 1.0)  # B's sweeper has looked many times
    assert pair.posts_to(user) == []
    hold.release()  # A's answer, two and a half leases after the ack
    pair.slack.wait_for("chat.postMessage", 1, 90, channel=f"D{user[1:]}")
    time.sleep(LEASE_SECONDS + 3 * SWEEP_SECONDS)

    assert retried.status_code == 200
    assert pair.answers_to(user) == 1
    assert _logged(pair.b, "inbox.duplicate", event_id) == 1  # the retry: acknowledged and left to A
    assert _logged(pair.b, "inbox.taken_over", event_id) == 0
    assert _stored(pair, event_id).attempts == 1  # never taken over


def test_a_single_replica_killed_after_the_ack_and_restarted_answers_what_it_had_acknowledged(
    pair: lease.Pair,
) -> None:
    pair.b.terminate()  # a deployment of one replica: A alone
    try:
        user, event_id, ts = _ids("URESTART")
        replica_a = pair.alive_a()
        hold = pair.slack.hold_next("users.info")
        assert pair.event(replica_a, user, "refer", event_id, ts).status_code == 200
        assert hold.arrived.wait(60)
        replica_a.kill()
        hold.release()
        time.sleep(1.0)
        assert pair.posts_to(user) == []

        pair.a = _restarted(replica_a, pair.environment, "a")
        pair.slack.wait_for("chat.postMessage", 1, 120, channel=f"D{user[1:]}")
        time.sleep(LEASE_SECONDS + 3 * SWEEP_SECONDS)

        assert pair.answers_to(user) == 1
        assert _logged(pair.a, "inbox.taken_over", event_id) == 1
    finally:
        pair.b = _restarted(pair.b, pair.environment, "b")


def test_a_teams_replica_killed_mid_turn_is_answered_by_the_other_replicas_sweeper_without_a_redelivery(
    pair: lease.Pair,
) -> None:
    conversation = f"a:personal-inbox-{time.time_ns()}"
    activity = message_activity("refer", service_url=pair.teams.url, conversation_id=conversation)
    replica_a = pair.alive_a()
    arrived, release = pair.teams.hold_next_member_lookup()
    first = threading.Thread(target=lease._post_quietly, args=(replica_a.url + "/api/messages", activity),
                             daemon=True)
    first.start()
    assert arrived.wait(60), "replica A never started on the activity"
    replica_a.kill()  # its HTTP answer never comes
    release.set()

    deadline = time.monotonic() + 90
    while not pair.teams.posted(conversation) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(LEASE_SECONDS + 3 * SWEEP_SECONDS)  # a second answer, were one coming

    replies = [str(reply.get("text")) + str(reply.get("attachments")) for reply in pair.teams.posted(conversation)]
    assert sum("Which kind of review" in reply for reply in replies) == 1
    assert len(replies) == len(set(replies))  # nothing sent twice
    assert any("inbox.taken_over" in line for line in pair.b.log_text().splitlines())


def _press(replica: ServeProcess, user: str, channel: str, message: dict[str, Any], button: dict[str, Any]
           ) -> httpx.Response:
    """A signed block_actions payload, as Slack sends a press of a button on a message the app posted."""
    block_id = next(block.get("block_id") for block in message["blocks"]
                    if button in (block.get("elements") or []) or block.get("accessory") == button)
    payload = {
        "type": "block_actions", "team": {"id": TEAM}, "api_app_id": "A0TEST", "token": "legacy",
        "user": {"id": user, "team_id": TEAM}, "trigger_id": f"trig.{time.time_ns()}",
        "container": {"type": "message", "message_ts": message["ts"], "channel_id": channel, "is_ephemeral": False},
        "channel": {"id": channel}, "message": message,
        "actions": [{**button, "block_id": block_id, "action_ts": f"{time.time():.6f}"}],
    }
    body = form_body({"payload": json.dumps(payload)})
    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(lease.SECRET, body)}
    return httpx.post(replica.url + "/slack/events", content=body.encode(), headers=headers, timeout=30)


def test_a_button_press_acknowledged_by_a_replica_that_is_then_killed_is_answered_by_the_other_once(
    pair: lease.Pair,
) -> None:
    user, event_id, ts = _ids("UPRESS")
    dm = f"D{user[1:]}"
    pair.event(pair.b, user, "refer", event_id, ts)
    message = _with_buttons(pair.slack, dm)
    rapid = buttons_of(message)[0]  # "a child died or was seriously harmed": a checklist answer
    replica_a = pair.alive_a()
    hold = pair.slack.hold_next("chat.update")  # the first thing A does for a press: replace the buttons

    pressed = _press(replica_a, user, dm, message, rapid)
    assert pressed.status_code == 200
    assert hold.arrived.wait(60), "replica A never started on the press"
    replica_a.kill()
    hold.release()

    before = len(pair.posts_to(user))
    pair.slack.wait_for("chat.postMessage", before + 1, 90, channel=dm)  # the checklist's next step, from B
    time.sleep(LEASE_SECONDS + 3 * SWEEP_SECONDS)  # a second one, were it coming

    steps = pair.posts_to(user)[before:]
    assert len(steps) >= 1 and len(steps) == len(set(steps))  # answered, nothing twice
    assert "Which kind of review" not in " ".join(steps)  # the press was taken: the checklist moved on
    assert _logged(pair.b, "inbox.taken_over", "press:") == 1


def test_a_slash_command_acknowledged_by_a_replica_that_is_then_killed_is_answered_by_the_other_once(
    pair: lease.Pair,
) -> None:
    user, _, _ = _ids("UCMD")
    replica_a = pair.alive_a()
    hold = pair.slack.hold_next("conversations.open")  # the first thing A does for /refer: open the DM
    body = form_body({"token": "legacy", "team_id": TEAM, "channel_id": "C0GENERAL", "user_id": user,
                      "command": "/refer", "text": "", "api_app_id": "A0TEST",
                      "response_url": "https://hooks.slack.com/commands/T/1/x", "trigger_id": f"trig.{time.time_ns()}"})
    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(lease.SECRET, body)}

    acked = httpx.post(replica_a.url + "/slack/events", content=body.encode(), headers=headers, timeout=30)
    assert acked.status_code == 200
    assert hold.arrived.wait(60), "replica A never started on the command"
    replica_a.kill()
    hold.release()

    pair.slack.wait_for("chat.postMessage", 2, 90, channel=f"D{user[1:]}")  # the intro and the first question
    time.sleep(LEASE_SECONDS + 3 * SWEEP_SECONDS)

    assert pair.answers_to(user) == 1  # and nothing posted twice
    assert _logged(pair.b, "inbox.taken_over", "refer:trig.") == 1


def test_a_replica_killed_after_posting_the_first_part_of_an_answer_leaves_only_the_rest_to_the_other(
    pair: lease.Pair,
) -> None:
    """`/refer` posts its intro, then the checklist's first step in the intro's thread. A dies between
    the two: B's retry posts only the step (under A's intro), never a second intro."""
    user, _, _ = _ids("UHALF")
    dm = f"D{user[1:]}"
    replica_a = pair.alive_a()
    hold = pair.slack.hold_next("users.info")  # asked after the intro is posted, before the first step
    body = form_body({"token": "legacy", "team_id": TEAM, "channel_id": "C0GENERAL", "user_id": user,
                      "command": "/refer", "text": "", "api_app_id": "A0TEST",
                      "response_url": "https://hooks.slack.com/commands/T/1/x", "trigger_id": f"trig.{time.time_ns()}"})
    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(lease.SECRET, body)}

    assert httpx.post(replica_a.url + "/slack/events", content=body.encode(), headers=headers,
                      timeout=30).status_code == 200
    assert hold.arrived.wait(60), "replica A never got past the intro"
    (intro,) = pair.slack.wait_for("chat.postMessage", 1, 30, channel=dm)
    replica_a.kill()  # the intro is posted, the checklist's first step is not
    hold.release()

    pair.slack.wait_for("chat.postMessage", 2, 90, channel=dm)
    time.sleep(LEASE_SECONDS + 3 * SWEEP_SECONDS)  # the rest of the step, and a second intro were one coming

    calls = [call for call in pair.slack.calls_to("chat.postMessage") if call.args.get("channel") == dm]
    texts = [pair.slack.posted_text(call) for call in calls]
    assert pair.answers_to(user) == 1  # the checklist's first question once, and nothing posted twice
    assert sum("Pre-referral checklist" in text for text in texts) == 1  # the intro once
    assert all(call.args.get("thread_ts") == intro.response["ts"] for call in calls[1:])  # under A's intro
    assert _logged(pair.b, "inbox.part_skipped", "refer:trig.") == 1


def _with_buttons(slack: SlackStandIn, channel: str) -> dict[str, Any]:
    """The first message posted to `channel` that has buttons, waiting for it."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        for call in slack.calls_to("chat.postMessage"):
            if call.args.get("channel") == channel and buttons_of(call.response["message"]):
                return dict(call.response["message"])
        time.sleep(0.2)
    raise AssertionError(f"no message with buttons was posted to {channel}")


def test_a_teams_turn_slower_than_the_lease_is_answered_once_by_its_holder(pair: lease.Pair) -> None:
    conversation = f"a:personal-slow-{time.time_ns()}"
    activity = message_activity("refer", service_url=pair.teams.url, conversation_id=conversation)
    replica_a = pair.alive_a()
    taken_over_before = _logged(pair.b, "inbox.taken_over", "")
    arrived, release = pair.teams.hold_next_member_lookup()
    answered: list[int] = []
    turn = threading.Thread(target=lambda: answered.append(
        httpx.post(replica_a.url + "/api/messages", json=activity, timeout=120).status_code), daemon=True)
    turn.start()
    assert arrived.wait(60), "replica A never started on the activity"
    time.sleep(2 * LEASE_SECONDS + 1.0)  # two leases: only A's renewals keep B's sweeper off it
    assert pair.teams.posted(conversation) == []
    release.set()
    turn.join(120)
    time.sleep(LEASE_SECONDS + 3 * SWEEP_SECONDS)

    replies = [str(reply.get("text")) + str(reply.get("attachments")) for reply in pair.teams.posted(conversation)]
    assert answered and answered[0] < 300
    assert sum("Which kind of review" in reply for reply in replies) == 1
    assert _logged(pair.b, "inbox.taken_over", "") == taken_over_before  # B's sweeper never took it
