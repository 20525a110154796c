"""A message the durable inbox cannot answer is tried again, then set aside with the business unit told.

Over real HTTP on loopback with the real Bolt app: a DM is acknowledged and stored, and every post of its
answer fails at the Slack stand-in. The inbox's sweeper claims it again each time its lease runs out, until
it has had SGBOT_INBOX_MAX_ATTEMPTS claims; the next sweep sets it aside and the business unit's channel
is told who wrote where (ids only, never the text, which stays in the database until the retention purge).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from conftest import BUSINESS_UNIT_CHANNEL, ServedSlack, slack_settings, unique
from hostile_strings import MARKER
from slack_stand_in import SlackStandIn
from sqlalchemy import select

from bot.channels.slack.app import SlackChannel
from bot.config import Settings
from bot.db import InboundEvent, get_database

ATTEMPTS = 3


@pytest.fixture(scope="module")
def failing(
    sample_settings: Settings, stand_in: SlackStandIn, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServedSlack]:
    database = tmp_path_factory.mktemp("slack-inbox-dead") / "slack.sqlite3"
    settings = slack_settings(
        sample_settings, stand_in, database,
        inbound_lease_seconds=0.6, inbox_sweep_seconds=0.2, inbox_max_attempts=ATTEMPTS,
    )
    served = ServedSlack(SlackChannel(settings), stand_in).start()
    yield served
    served.stop()


def test_a_message_whose_answer_cannot_be_posted_is_tried_again_then_set_aside_and_the_business_unit_told(
    failing: ServedSlack, stand_in: SlackStandIn
) -> None:
    user = unique("UDEAD")
    event_id = unique("EvDead")
    for _ in range(ATTEMPTS):  # every attempt's answer is refused by Slack
        stand_in.fail_next("chat.postMessage", "channel_not_found")

    acknowledged, _ = failing.dm(user, f"What is a rapid review? {MARKER}", event_id=event_id)
    (told,) = stand_in.wait_for("chat.postMessage", timeout=60, channel=BUSINESS_UNIT_CHANNEL)

    assert acknowledged.status_code == 200
    assert _tries(stand_in, user) == [False] * ATTEMPTS  # refused each time, never posted
    notice = stand_in.posted_text(told)
    assert f"could not be answered after {ATTEMPTS} attempts" in notice
    assert user in notice and f"D{user[1:]}" in notice and event_id in notice
    assert MARKER not in notice and "rapid review" not in notice  # ids only
    time.sleep(1.0)  # set aside: no further tries
    assert len(_tries(stand_in, user)) == ATTEMPTS
    with get_database(failing.channel.settings).sessions() as session:
        row = session.scalars(select(InboundEvent).where(InboundEvent.event_id == event_id)).one()
        assert row.dead_at is not None and row.handled_at is None and row.attempts == ATTEMPTS
        assert MARKER in row.payload["text"]  # kept for a person to read, in the database only


def _tries(stand_in: SlackStandIn, user: str) -> list[bool]:
    """Whether each post of an answer to `user`'s DM was taken (failed calls included)."""
    return [bool(call.response.get("ok")) for call in list(stand_in.calls)
            if call.method == "chat.postMessage" and call.args.get("channel") == f"D{user[1:]}"]
