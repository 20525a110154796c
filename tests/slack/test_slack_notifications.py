"""Notifications that are never lost: the outbox and Slack's delivery worker, over real HTTP on loopback.

Every notification is written to the outbox with the change it tells of; the
Slack delivery worker inside the real server posts it to the Slack stand-in.
A post Slack refuses for a while is tried again (and posted once), a process
killed between the commit and the post is made good by the next one, and two
servers sharing one outbox post each notification once.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import BUSINESS_UNIT_CHANNEL, OFFICER, ServedSlack, buttons_of, slack_settings, unique
from referral.helpers import CHILD_REFERRAL
from slack_stand_in import Call, SlackStandIn
from sqlalchemy import select
from teams.harness import ConnectorStandIn, all_text, card_of, find_action, message_activity

from bot import prompts
from bot.assistant import Assistant
from bot.channels.slack.app import SlackChannel
from bot.channels.teams.agent import TeamsBot
from bot.channels.teams.render import ACTION_KEY
from bot.channels.teams.route import teams_component
from bot.config import Settings
from bot.db import Database, open_database
from bot.messages import Notification, Reply
from bot.outbox import HeldNotification, Outbox
from bot.people import People
from bot.referral import notices
from bot.referral.queue import notification

REPO = Path(__file__).resolve().parents[2]
FAST = {
    "outbox_retry_seconds": 0.05,
    "outbox_retry_cap_seconds": 0.5,
    "outbox_poll_seconds": 0.2,
    "outbox_lease_seconds": 1.0,
}


@pytest.fixture
def fast_settings(tmp_path: Path, stand_in: SlackStandIn) -> Settings:
    base = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    return slack_settings(base, stand_in, tmp_path / "sgbot.sqlite3", **FAST)


def publish(database: Database, settings: Settings, texts: list[str], *, key: str) -> None:
    """Notifications for the business unit, committed as a change would commit them."""
    outbox = Outbox(database, settings)
    with database.transaction() as session:
        for number, text in enumerate(texts):
            notification = Notification(audience="business_unit", reply=Reply(text), event="test")
            outbox.publish(session, [notification], key=f"{key}:{number}")


def posts_to_business_unit(stand_in: SlackStandIn, marker: str) -> list[str]:
    return [
        stand_in.posted_text(call)
        for call in stand_in.calls_to("chat.postMessage")
        if call.args.get("channel") == BUSINESS_UNIT_CHANNEL and marker in stand_in.posted_text(call)
    ]


def rows(database: Database) -> list[HeldNotification]:
    with database.sessions() as session:
        return list(session.scalars(select(HeldNotification).order_by(HeldNotification.id)))


def wait_until(check, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def test_a_post_slack_refuses_with_500_then_429_is_posted_exactly_once(
    fast_settings: Settings, stand_in: SlackStandIn
) -> None:
    stand_in.fail_next("chat.postMessage", "internal_error", status=500)
    stand_in.fail_next("chat.postMessage", "ratelimited", status=429, headers={"Retry-After": "1"})
    served = ServedSlack(SlackChannel(fast_settings), stand_in).start()
    try:
        database = open_database(fast_settings.sqlalchemy_url)
        marker = unique("retried-")
        publish(database, fast_settings, [f"New referral {marker}"], key=marker)
        stand_in.wait_for("chat.postMessage", channel=BUSINESS_UNIT_CHANNEL)
        wait_until(lambda: rows(database)[0].delivered_at is not None)
        time.sleep(0.5)  # time enough for a second post, if there were going to be one
        assert posts_to_business_unit(stand_in, marker) == [f"New referral {marker}"]
        refused = [
            c.status for c in stand_in.calls if c.method == "chat.postMessage" and not c.response["ok"]
        ]
        assert refused == [500, 429]
        [row] = rows(database)
        assert row.attempts >= 2 and row.dead_at is None
        assert served.channel.metrics.value("notifications_retried", "internal_error") == 1
    finally:
        served.stop()


def test_a_post_slack_never_takes_is_set_aside_and_the_business_unit_told(
    fast_settings: Settings, stand_in: SlackStandIn
) -> None:
    # The referrer's DM keeps failing: after the last attempt it is a dead letter.
    settings = fast_settings.model_copy(update={"outbox_max_attempts": 3})
    served = ServedSlack(SlackChannel(settings), stand_in).start()
    try:
        database = open_database(settings.sqlalchemy_url)
        referrer = unique("UREF")
        People(database).identify("slack", referrer)
        for _ in range(3):
            stand_in.fail_next("conversations.open", "internal_error", status=500)
        outbox = Outbox(database, settings)
        with database.transaction() as session:
            outbox.publish(
                session,
                [Notification(referrer, Reply("Decision on PR-2026-0042"), "PR-2026-0042", event="decided")],
                key="dead-test",
            )
        [told] = stand_in.wait_for("chat.postMessage", channel=BUSINESS_UNIT_CHANNEL)
        text = stand_in.posted_text(told)
        assert "could not be delivered after 3 attempts" in text and "PR-2026-0042" in text
        dead = [row for row in rows(database) if row.dead_at is not None]
        assert [(row.channel, row.last_error) for row in dead] == [("slack", "internal_error")]
        # Nothing is lost: the referrer is shown it at their next message, in any channel.
        assert [n.reply.text for n in outbox.take(referrer)] == ["Decision on PR-2026-0042"]
    finally:
        served.stop()


def test_a_decision_stored_before_a_wording_change_is_posted_in_the_new_wording(
    fast_settings: Settings, stand_in: SlackStandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = open_database(fast_settings.sqlalchemy_url)
    referrer = unique("UREF")
    People(database).identify("slack", referrer)
    reason = unique("Threshold met: serious harm and agency concerns ")
    decided = notices.Decided(reference="PR-2026-0042", decision="not_accepted", reason=reason)
    with database.transaction() as session:  # as the review queue commits a decision
        Outbox(database, fast_settings).publish(session, [notification(referrer, decided)], key=reason)
    [row] = [r for r in rows(database) if r.event == "decided"]
    assert row.payload == {"event": decided.model_dump()}  # the facts, not the sentence

    # The wording changes before the worker posts it (the server was down, Slack refused, …).
    reworded = tmp_path / "prompts"
    shutil.copytree(prompts.prompts_dir(), reworded)
    wording = yaml.safe_load((reworded / "referral_notices.yaml").read_text(encoding="utf-8"))
    wording["decided"]["referrer"] = "Decision on {reference}: {decision}. Why: {reason}"
    (reworded / "referral_notices.yaml").write_text(yaml.safe_dump(wording, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("SGBOT_PROMPTS_DIR", str(reworded))
    prompts.load_yaml.cache_clear()
    served = ServedSlack(SlackChannel(fast_settings), stand_in).start()
    try:
        wait_until(lambda: any(reason in stand_in.posted_text(c) for c in stand_in.calls_to("chat.postMessage")))
        posted = [stand_in.posted_text(c) for c in stand_in.calls_to("chat.postMessage")]
        assert [text for text in posted if reason in text] == [f"Decision on PR-2026-0042: not accepted. Why: {reason}"]
    finally:
        served.stop()
        monkeypatch.delenv("SGBOT_PROMPTS_DIR")
        prompts.load_yaml.cache_clear()


KILLED_WORKER = """
import asyncio, os, signal, sys
from bot.config import Settings
from bot.db import open_database
from bot.messages import Notification, Reply
from bot.outbox import Outbox
from bot.outbox.worker import DeliveryWorker

settings = Settings(_env_file=None)
database = open_database(settings.sqlalchemy_url)
outbox = Outbox(database, settings)
with database.transaction() as session:  # the change and its notification: committed
    outbox.publish(session, [Notification("business_unit", Reply(sys.argv[1]), event="submitted")], key=sys.argv[1])

class KilledBeforePosting:
    channel = "slack"
    async def send(self, delivery):
        os.kill(os.getpid(), signal.SIGKILL)  # the process dies after claiming, before posting

asyncio.run(DeliveryWorker(outbox, KilledBeforePosting(), lease_seconds=1.0).drain())
"""


def test_a_server_killed_after_the_commit_and_before_the_post_delivers_it_on_restart(
    fast_settings: Settings, stand_in: SlackStandIn
) -> None:
    marker = unique("killed-")
    env = {
        **os.environ,
        "SGBOT_DATA_DIR": str(fast_settings.data_dir),
        "DATABASE_URL": fast_settings.sqlalchemy_url,
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_BUSINESS_UNIT_CHANNEL": BUSINESS_UNIT_CHANNEL,
    }
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_WORKER, f"New referral {marker}"], env=env, cwd=REPO, timeout=120
    )
    assert killed.returncode == -signal.SIGKILL
    database = open_database(fast_settings.sqlalchemy_url)
    [row] = rows(database)
    assert row.claimed_by and row.delivered_at is None  # claimed by the dead process, never posted
    assert posts_to_business_unit(stand_in, marker) == []

    served = ServedSlack(SlackChannel(fast_settings), stand_in).start()  # the restart
    try:
        stand_in.wait_for("chat.postMessage", channel=BUSINESS_UNIT_CHANNEL)
        wait_until(lambda: rows(database)[0].delivered_at is not None)
        assert posts_to_business_unit(stand_in, marker) == [f"New referral {marker}"]
    finally:
        served.stop()


FRESH_SERVER = """
import asyncio
from bot.channels.slack.app import SlackChannel
from bot.channels.slack.server import SlackDelivery
from bot.config import Settings

async def main():  # the server's Slack delivery, started before any message has reached it
    delivery = SlackDelivery(SlackChannel(Settings(_env_file=None)))
    await delivery.start()
    assert delivery.worker is not None
    await delivery.worker.drain()
    await delivery.stop()

asyncio.run(main())
"""


def test_a_freshly_started_server_words_and_posts_a_referral_event_before_any_message(
    fast_settings: Settings, stand_in: SlackStandIn
) -> None:
    database = open_database(fast_settings.sqlalchemy_url)
    reference = "PR-2026-0077"
    marker = unique("Fresh Start ")
    submitted = notices.Submitted(reference=reference, review_type="serious_child", referrer=marker, version=2)
    with database.transaction() as session:
        Outbox(database, fast_settings).publish(session, [notification("business_unit", submitted)], key=marker)
    env = {
        **os.environ,
        "SGBOT_DATA_DIR": str(fast_settings.data_dir),
        "DATABASE_URL": fast_settings.sqlalchemy_url,
        "SLACK_BOT_TOKEN": "xoxb-test-token",
        "SLACK_BUSINESS_UNIT_CHANNEL": BUSINESS_UNIT_CHANNEL,
        "SLACK_API_URL": stand_in.base_url,
        "SLACK_SIGNING_SECRET": "test-signing-secret",
    }
    fresh = subprocess.run([sys.executable, "-c", FRESH_SERVER], env=env, cwd=REPO, timeout=120)
    assert fresh.returncode == 0
    [posted] = posts_to_business_unit(stand_in, marker)
    assert posted.startswith(f"New practice review referral *{reference}*")  # Slack's bold
    assert [(row.delivered_at is not None, row.last_error) for row in rows(database)] == [(True, None)]


def test_two_servers_draining_one_outbox_on_postgresql_post_each_notification_once(
    postgres_url: str, stand_in: SlackStandIn, tmp_path: Path
) -> None:
    base = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    settings = slack_settings(base, stand_in, tmp_path / "unused.sqlite3", **FAST).model_copy(
        update={"database_url": postgres_url, "outbox_lease_seconds": 30.0}
    )
    # Two replicas, each with its own engine and connection pool, like two processes.
    replicas = [
        ServedSlack(SlackChannel(settings, assistant=Assistant(settings, database=open_database(postgres_url))),
                    stand_in).start()
        for _ in range(2)
    ]
    try:
        database = open_database(postgres_url)
        marker = unique("pair-")
        expected = [f"Notice {marker} #{n}" for n in range(40)]
        for start in range(0, len(expected), 10):  # several commits, each waking both replicas
            publish(database, settings, expected[start : start + 10], key=f"{marker}:{start}")
        wait_until(lambda: len(posts_to_business_unit(stand_in, marker)) >= len(expected), timeout=60)
        time.sleep(0.5)
        posted = posts_to_business_unit(stand_in, marker)
        assert sorted(posted) == sorted(expected)  # every one, and none twice
        workers = {row.claimed_by for row in rows(database)}
        assert all(row.delivered_at is not None for row in rows(database))
        print(json.dumps({"workers_that_delivered": len(workers)}))
    finally:
        for served in replicas:
            served.stop()


# --- one person, whichever platform: triage across Slack and Teams ------------------------------

TEAMS_BUSINESS_UNIT = "19:business-unit@thread.tacv2"
TEAMS_OFFICER = {
    "conversation_id": f"{TEAMS_BUSINESS_UNIT};messageid=1700000000100",
    "conversation_type": "channel",
    "user_id": "29:officer",
    "aad_object_id": "aad-officer",
    "name": "Olu Officer",
}
TINA = {
    "conversation_id": "a:personal-tina",
    "user_id": "29:tina",
    "aad_object_id": "aad-tina",
    "name": "Tina",
}
QUESTION = "Which hospital was J admitted to, and on which ward?"
REASON = "Criteria met: serious harm, abuse suspected."


@pytest.fixture
def connector() -> Iterator[ConnectorStandIn]:
    stand_in = ConnectorStandIn()
    yield stand_in
    stand_in.close()


@pytest.fixture
def both(
    fast_settings: Settings, stand_in: SlackStandIn, connector: ConnectorStandIn
) -> Iterator[ServedSlack]:
    """One server with Slack and Teams and a business-unit channel in each, as `sgbot serve` runs it."""
    settings = fast_settings.model_copy(
        update={
            "teams_anonymous": True,
            "teams_service_url": connector.url,
            "teams_business_unit_conversation": TEAMS_BUSINESS_UNIT,
            "business_unit": [OFFICER, "aad-officer"],
        }
    )
    channel = SlackChannel(settings)
    teams = teams_component(settings, bot=TeamsBot(settings, assistant=channel.assistant))
    assert teams is not None
    served = ServedSlack(channel, stand_in, also=[teams]).start()
    yield served
    served.stop()


def teams_post(
    served: ServedSlack, connector: ConnectorStandIn, text: str | None, **options: Any
) -> list[dict[str, Any]]:
    """Post one Teams activity; the messages the bot sent back to that conversation."""
    conversation = options["conversation_id"]
    before = len(connector.posted(conversation))
    response = served.http.post(
        "/api/messages", json=message_activity(text, service_url=connector.url, **options)
    )
    assert response.status_code in (200, 202), response.text
    return connector.posted(conversation)[before:]


def texts_in(connector: ConnectorStandIn, conversation: str) -> list[str]:
    return [all_text(m) for m in connector.posted(conversation)]


def slack_triage(
    served: ServedSlack, stand_in: SlackStandIn, post: Call, kind: str, values: dict[str, Any]
) -> None:
    button = next(b for b in buttons_of(post.response["message"]) if b["action_id"] == kind)
    before = len(stand_in.calls_to("views.open"))
    served.press(OFFICER, BUSINESS_UNIT_CHANNEL, post.response["message"], button)
    opened = stand_in.wait_for("views.open", count=before + 1)[-1]
    served.submit(OFFICER, opened.args["view"], values)


def test_a_teams_referrer_triaged_from_slack_hears_the_request_and_the_decision_in_teams(
    both: ServedSlack, stand_in: SlackStandIn, connector: ConnectorStandIn
) -> None:
    teams_post(both, connector, "refer", **TINA)
    for _step, answer in CHILD_REFERRAL:
        assert teams_post(both, connector, answer, **TINA), f"no reply after {_step!r}"
    receipt = teams_post(both, connector, None, value={ACTION_KEY: "submit"}, **TINA)
    reference = re.search(r"PR-\d{4}-\d{4,}", "\n".join(all_text(m) for m in receipt)).group(0)  # type: ignore[union-attr]

    # The business unit hears of it in every business-unit channel: Slack's and Teams'.
    [posted] = [
        c
        for c in stand_in.wait_for("chat.postMessage", channel=BUSINESS_UNIT_CHANNEL)
        if reference in stand_in.posted_text(c)
    ]
    wait_until(lambda: any(reference in t for t in texts_in(connector, TEAMS_BUSINESS_UNIT)))

    # An officer in Slack asks for more information: Tina is asked in her Teams chat.
    slack_triage(
        both,
        stand_in,
        posted,
        "sgbot.triage.request_info",
        {"sgbot.input": {"value": {"type": "plain_text_input", "value": QUESTION}}},
    )
    wait_until(lambda: any(QUESTION in t for t in texts_in(connector, "a:personal-tina")))
    # Every business-unit channel hears who asked whom, by the name Slack's users.info gives, never the id.
    def asked_in_teams() -> list[str]:
        return [t for t in texts_in(connector, TEAMS_BUSINESS_UNIT) if "More information requested on" in t]

    wait_until(lambda: bool(asked_in_teams()))
    [asked] = asked_in_teams()
    assert f"**{reference}**: name-{OFFICER} asked Sam Jones:" in asked and QUESTION in asked
    wait_until(
        lambda: any(
            "More information requested on" in stand_in.posted_text(c)
            for c in stand_in.calls_to("chat.postMessage")
            if c.args.get("channel") == BUSINESS_UNIT_CHANNEL
        )
    )

    # Her reply, typed in Teams, reaches the business unit in Slack, in the referral's thread.
    teams_post(both, connector, f"reply {reference} Northshire General, the children's ward.", **TINA)

    def replied() -> list[Call]:
        thread = [
            c
            for c in stand_in.calls_to("chat.postMessage")
            if c.args.get("thread_ts") == posted.response["ts"]
        ]
        return [c for c in thread if "replied" in stand_in.posted_text(c)]

    wait_until(lambda: bool(replied()))

    # The officer opens the referral as it is now (Show) and decides: she hears it in Teams.
    [note] = replied()
    show = next(b for b in buttons_of(note.response["message"]) if b["text"]["text"] == "Show")
    before = len(stand_in.calls_to("chat.postMessage"))
    both.press(OFFICER, BUSINESS_UNIT_CHANNEL, note.response["message"], show)
    shown = stand_in.wait_for("chat.postMessage", count=before + 1)[before:]
    current = next(
        c
        for c in shown
        if any(b["action_id"] == "sgbot.triage.decide" for b in buttons_of(c.response["message"]))
    )
    slack_triage(
        both,
        stand_in,
        current,
        "sgbot.triage.decide",
        {
            "sgbot.choice": {
                "choice": {"type": "radio_buttons", "selected_option": {"value": "rapid_review"}}
            },
            "sgbot.input": {"value": {"type": "plain_text_input", "value": REASON}},
        },
    )
    wait_until(
        lambda: any(
            "has made a decision" in t and REASON in t for t in texts_in(connector, "a:personal-tina")
        )
    )
    # Nothing for her went to Slack: she has never used it.
    assert not [
        c for c in stand_in.calls_to("chat.postMessage") if str(c.args.get("channel", "")).startswith("D")
    ]


def wait_for_text(stand_in: SlackStandIn, channel: str, text: str) -> Call:
    """The first post to `channel` whose text holds `text`, waiting for it."""
    found: list[Call] = []

    def posted() -> bool:
        found[:] = [
            c for c in stand_in.calls_to("chat.postMessage")
            if c.args.get("channel") == channel and text in stand_in.posted_text(c)
        ]
        return bool(found)

    wait_until(posted)
    return found[0]


def settle(served: ServedSlack) -> None:
    """Until the Slack app has finished every event it acknowledged (its replies are posted)."""
    time.sleep(0.05)
    deadline = time.monotonic() + 60
    while served.channel.metrics.gauge("in_flight") and time.monotonic() < deadline:
        time.sleep(0.02)


def in_thread(stand_in: SlackStandIn, thread: str) -> list[Call]:
    return [c for c in stand_in.calls_to("chat.postMessage") if c.args.get("thread_ts") == thread]


def test_a_slack_referrer_triaged_from_teams_hears_the_request_and_the_decision_in_slack(
    both: ServedSlack, stand_in: SlackStandIn, connector: ConnectorStandIn
) -> None:
    referrer = unique("UREF")
    dm = f"D{referrer[1:]}"
    # The referrer files the referral in a Slack DM, every answer a signed event over HTTP in the thread.
    _response, thread = both.dm(referrer, "refer")
    stand_in.wait_for("chat.postMessage", thread_ts=thread)
    settle(both)
    for step, answer in CHILD_REFERRAL:
        before = len(in_thread(stand_in, thread))
        both.dm(referrer, answer, thread_ts=thread)
        assert stand_in.wait_for("chat.postMessage", count=before + 1, thread_ts=thread), f"no reply to {step!r}"
        settle(both)
    summary = in_thread(stand_in, thread)[-1]
    submit = next(b for b in buttons_of(summary.response["message"]) if "submit" in b["text"]["text"].lower())
    both.press(referrer, dm, summary.response["message"], submit)
    [posted] = stand_in.wait_for("chat.postMessage", channel=BUSINESS_UNIT_CHANNEL)
    reference = re.search(r"PR-\d{4}-\d{4,}", stand_in.posted_text(posted)).group(0)  # type: ignore[union-attr]
    settle(both)

    # An officer in Teams asks for more information from the card in the business unit's channel.
    wait_until(lambda: any(reference in all_text(m) for m in connector.posted(TEAMS_BUSINESS_UNIT)))
    notice = next(m for m in connector.posted(TEAMS_BUSINESS_UNIT) if reference in all_text(m))
    card = card_of(notice)
    assert card is not None
    ask = find_action(card, "Request more information")["card"]["actions"][0]
    teams_post(both, connector, None, value={**ask["data"], "sgbot_triage_text": QUESTION}, **TEAMS_OFFICER)
    asked = wait_for_text(stand_in, dm, QUESTION)
    assert reference in stand_in.posted_text(asked)

    # The referrer replies in Slack (a signed DM); the business unit hears of it in Teams.
    both.dm(referrer, f"reply {reference} Northshire General, the children's ward.")
    wait_until(lambda: any("replied" in t and reference in t for t in texts_in(connector, TEAMS_BUSINESS_UNIT)))
    settle(both)
    # The officer opens it as it is now and decides from that card.
    shown = teams_post(both, connector, f"show {reference}", mention_bot=True, **TEAMS_OFFICER)
    current = next(card_of(m) for m in shown if card_of(m) and "Decide" in json.dumps(card_of(m)))
    assert current is not None
    decide = find_action(current, "Decide")["card"]["actions"][0]
    decided = teams_post(
        both,
        connector,
        None,
        value={**decide["data"], "sgbot_decision": "rapid_review", "sgbot_triage_text": REASON},
        **TEAMS_OFFICER,
    )
    assert decided, "the officer's decision was not acknowledged"
    # The decision reaches her Slack DM, a new message of its own, and nothing for her went to Teams: the
    # only Teams conversations that heard of the referral are the business unit's and the officer's.
    decision = wait_for_text(stand_in, dm, "has made a decision")
    assert REASON in stand_in.posted_text(decision) and reference in stand_in.posted_text(decision)
    assert "thread_ts" not in decision.args
    told_in_teams = {
        request.path.split("/")[3] for request in connector.requests
        if request.path.startswith("/v3/conversations/") and reference in json.dumps(request.body)
    }
    assert told_in_teams <= {TEAMS_BUSINESS_UNIT, TEAMS_OFFICER["conversation_id"]}, told_in_teams
