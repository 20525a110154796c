"""Typed actions over real HTTP on loopback, in Slack and in Teams: what a button or form carries
is the core's JSON command (kind, reference, version seen, payload), and anything forged,
damaged or incomplete is refused in words, in the conversation, with nothing changed.

One server with Slack and Teams (as `sgbot serve` runs it), no knowledge index: triage needs none.
The same server delivers the clock notices (bot/referral/clock_notices.py) to both business-unit
channels, once each.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import BUSINESS_UNIT_CHANNEL, OFFICER, ServedSlack, buttons_of, slack_settings, unique
from referral.helpers import CHILD_REFERRAL
from slack_stand_in import Call, SlackStandIn
from teams.harness import ConnectorStandIn, all_text, card_of, find_action, message_activity

from bot.channels.slack.app import SlackChannel
from bot.channels.teams.agent import TeamsBot
from bot.channels.teams.render import ACTION_KEY
from bot.channels.teams.route import teams_component
from bot.config import Settings
from bot.db import get_database
from bot.messages import Message
from bot.referral.actions import TriageAction, decode
from bot.referral.clock_notices import publish_clock_notices
from bot.referral.queue import Actor, ReviewQueue

TEAMS_BUSINESS_UNIT = "19:business-unit-typed@thread.tacv2"
TEAMS_OFFICER = {
    "conversation_id": f"{TEAMS_BUSINESS_UNIT};messageid=1700000000200",
    "conversation_type": "channel",
    "user_id": "29:officer-typed",
    "aad_object_id": "aad-officer-typed",
    "name": "Olu Officer",
}
REASON_WITH_AN_AT = "Meets the criteria: serious harm @7\nand abuse suspected."


@pytest.fixture
def served(tmp_path: Path, stand_in: SlackStandIn) -> Iterator[tuple[ServedSlack, ConnectorStandIn]]:
    connector = ConnectorStandIn()
    base = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    settings = slack_settings(
        base, stand_in, tmp_path / "sgbot.sqlite3", outbox_poll_seconds=0.2, outbox_lease_seconds=1.0
    ).model_copy(
        update={
            "teams_anonymous": True,
            "teams_service_url": connector.url,
            "teams_business_unit_conversation": TEAMS_BUSINESS_UNIT,
            "business_unit": [OFFICER, "aad-officer-typed"],
        }
    )
    channel = SlackChannel(settings)
    teams = teams_component(settings, bot=TeamsBot(settings, assistant=channel.assistant))
    assert teams is not None
    server = ServedSlack(channel, stand_in, also=[teams]).start()
    yield server, connector
    server.stop()
    connector.close()


def file_referral(served: ServedSlack, referrer: str) -> str:
    """Filed through the core as the Slack channel hands it messages (the checklist over HTTP is
    covered in test_slack_referrals)."""
    assistant = served.channel.assistant
    assistant.handle(Message(user_id=referrer, text="refer", channel="slack"))
    for _step, answer in CHILD_REFERRAL:
        assistant.handle(Message(user_id=referrer, text=answer, channel="slack"))
    outcome = assistant.handle(Message(user_id=referrer, action="submit", channel="slack"))
    reference = outcome.notifications[0].referral_reference
    assert reference
    return reference


def press_value(served: ServedSlack, user: str, action_id: str, value: str, thread: str) -> int:
    """A block action as Slack would post it, with whatever value the (forged) button carried."""
    message = {"ts": thread, "blocks": []}
    response = served.interact(
        {
            "type": "block_actions",
            "user": {"id": user, "team_id": "T0TEST"},
            "trigger_id": unique("trig."),
            "container": {"type": "message", "message_ts": thread, "channel_id": BUSINESS_UNIT_CHANNEL},
            "channel": {"id": BUSINESS_UNIT_CHANNEL},
            "message": message,
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": "forged",
                    "value": value,
                    "text": {"type": "plain_text", "text": "Forged"},
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }
    )
    return response.status_code


def said_in_thread(stand_in: SlackStandIn, thread: str, count: int = 1) -> str:
    calls: list[Call] = stand_in.wait_for("chat.postMessage", count=count, thread_ts=thread)
    return stand_in.posted_text(calls[count - 1])


def status_and_events(served: ServedSlack, reference: str) -> tuple[str, list[str]]:
    settings = served.channel.settings
    detail = ReviewQueue(get_database(settings), settings).show(Actor(OFFICER), reference)
    return detail.status, [e.action for e in detail.events]


def test_slack_buttons_and_modals_carry_typed_actions_and_forged_ones_are_refused(
    served: tuple[ServedSlack, ConnectorStandIn], stand_in: SlackStandIn
) -> None:
    server, _connector = served
    reference = file_referral(server, unique("UREF"))
    [posted] = [
        c
        for c in stand_in.wait_for("chat.postMessage", channel=BUSINESS_UNIT_CHANNEL)
        if reference in stand_in.posted_text(c)
    ]
    # Every button on the business unit's notice carries a typed action for this referral.
    buttons = buttons_of(posted.response["message"])
    typed = [TriageAction.model_validate_json(b["value"]) for b in buttons]
    assert {t.reference for t in typed} == {reference}
    assert {t.kind for t in typed} == {"show", "assign", "request_info", "decide"}

    # Damaged JSON on a plain button, a kind the core does not know, a field it does not take,
    # a version that is a string: each refused in the thread, over a 200 (never a 500).
    forged = [
        ("sgbot.button.0", "{not json", "couldn't read that button's action"),
        ("sgbot.button.0", json.dumps({"kind": "drop_tables", "reference": reference}), "couldn't read"),
        (
            "sgbot.button.0",
            json.dumps({"kind": "assign", "reference": reference, "payload": {"to": "me", "sql": "x"}}),
            "carried fields it should not have",
        ),
        (
            "sgbot.button.0",
            json.dumps({"kind": "close", "reference": reference, "version": "1"}),
            "couldn't read",
        ),
        (
            "sgbot.button.0",
            json.dumps(
                {
                    "kind": "decide",
                    "reference": reference,
                    "payload": {"decision": "rapid_review", "reason": "ok"},
                }
            ),
            "at least 10 characters",
        ),
        ("sgbot.triage.decide", "not an action at all", "couldn't read"),
    ]
    for number, (action_id, value, expected) in enumerate(forged):
        thread = f"1700000100.{number:06d}"
        assert press_value(server, OFFICER, action_id, value, thread) == 200
        assert expected in said_in_thread(stand_in, thread), (value, said_in_thread(stand_in, thread))
    assert not stand_in.calls_to("views.open")  # no form was drawn for a forged triage button
    assert status_and_events(server, reference) == ("submitted", ["submitted"])

    # Someone outside the business unit pressing a well-formed decision: refused by role.
    outsider_decides = json.dumps(
        {
            "kind": "decide",
            "reference": reference,
            "version": 1,
            "payload": {"decision": "rapid_review", "reason": "Looks serious enough to me."},
        }
    )
    assert press_value(server, "UOUTSIDER1", "sgbot.button.0", outsider_decides, "1700000200.000001") == 200
    assert "Only the safeguarding partnership business unit" in said_in_thread(stand_in, "1700000200.000001")

    # A modal whose action was tampered with (private metadata) is refused the same way.
    decide = next(b for b in buttons if b["action_id"] == "sgbot.triage.decide")
    server.press(OFFICER, BUSINESS_UNIT_CHANNEL, posted.response["message"], decide)
    (opened,) = stand_in.wait_for("views.open")
    view = opened.args["view"]
    metadata = json.loads(view["private_metadata"])
    assert decode(metadata["action"]) is None  # no reason yet: the form's action is not complete
    assert json.loads(metadata["action"])["kind"] == "decide"
    values = {
        "sgbot.choice": {"choice": {"type": "radio_buttons", "selected_option": {"value": "rapid_review"}}},
        "sgbot.input": {"value": {"type": "plain_text_input", "value": REASON_WITH_AN_AT}},
    }
    tampered = {**view, "private_metadata": json.dumps({**metadata, "action": '{"kind": "decide"'})}
    assert server.submit(OFFICER, tampered, values).status_code == 200
    assert "couldn't read" in said_in_thread(stand_in, str(metadata["t"]))
    assert status_and_events(server, reference) == ("submitted", ["submitted"])

    # The real form: a reason with an "@7" and a newline is kept as written (one line), not read
    # as "the version the officer saw" as when the form became a typed-out command.
    assert server.submit(OFFICER, view, values).status_code == 200
    said = said_in_thread(stand_in, str(metadata["t"]), count=2)
    assert "rapid review" in said.lower()
    settings = server.channel.settings
    detail = ReviewQueue(get_database(settings), settings).show(Actor(OFFICER), reference)
    assert detail.status == "accepted"
    assert detail.decision_reason == "Meets the criteria: serious harm @7 and abuse suspected."


def test_teams_card_submissions_carry_typed_actions_and_forged_ones_are_refused(
    served: tuple[ServedSlack, ConnectorStandIn],
) -> None:
    server, connector = served
    reference = file_referral(server, unique("UREF"))

    def post(value: dict[str, Any] | None, text: str | None = None, **options: Any) -> str:
        before = len(connector.posted(TEAMS_OFFICER["conversation_id"]))
        response = server.http.post(
            "/api/messages",
            json=message_activity(text, service_url=connector.url, value=value, **{**TEAMS_OFFICER, **options}),
        )
        assert response.status_code in (200, 202), response.text
        return "\n".join(all_text(m) for m in connector.posted(TEAMS_OFFICER["conversation_id"])[before:])

    # Forged Action.Submit data: damaged, unknown kind, extra field, too short a reason.
    assert "couldn't read" in post({ACTION_KEY: "{oops"})
    assert "couldn't read" in post({ACTION_KEY: json.dumps({"kind": "erase", "reference": reference})})
    assert "carried fields it should not have" in post(
        {ACTION_KEY: json.dumps({"kind": "show", "reference": reference, "payload": {"x": "y"}})}
    )
    assert "couldn't read" in post({"sgbot_triage": {"kind": "decide"}, "sgbot_triage_text": REASON_WITH_AN_AT})
    assert "at least 10" in post(
        {
            ACTION_KEY: json.dumps(
                {"kind": "request_info", "reference": reference, "payload": {"question": "why?"}}
            )
        }
    )
    assert status_and_events(server, reference) == ("submitted", ["submitted"])

    # The card's own form: its Action.Submit data is the typed action, the reason merged in.
    shown = post(None, f"show {reference}", mention_bot=True)
    assert reference in shown
    card = next(
        card_of(m)
        for m in connector.posted(TEAMS_OFFICER["conversation_id"])
        if card_of(m) and "Decide" in json.dumps(card_of(m))
    )
    assert card is not None
    submit = find_action(card, "Decide")["card"]["actions"][0]
    assert json.loads(submit["data"]["sgbot_triage"])["kind"] == "decide"
    post({**submit["data"], "sgbot_decision": "rapid_review", "sgbot_triage_text": REASON_WITH_AN_AT})
    settings = server.channel.settings
    detail = ReviewQueue(get_database(settings), settings).show(Actor(OFFICER), reference)
    assert detail.status == "accepted"
    assert detail.decision_reason == "Meets the criteria: serious harm @7 and abuse suspected."


def test_clock_notices_reach_every_business_unit_channel_once(
    served: tuple[ServedSlack, ConnectorStandIn], stand_in: SlackStandIn
) -> None:
    server, connector = served
    reference = file_referral(server, unique("UREF"))
    settings = server.channel.settings
    database = get_database(settings)
    # The job as it runs a fortnight later (in `sgbot serve`'s hourly round, or from cron), twice.
    later = ReviewQueue(database, settings).now() + timedelta(days=14)
    queue = ReviewQueue(database, settings, now=lambda: later)
    told = publish_clock_notices(queue)
    assert {(n.clock, n.threshold) for n in told} == {("decision", "overdue"), ("notification", "overdue")}
    assert all(set(n.channels) == {"slack", "teams"} for n in told)
    assert publish_clock_notices(queue) == []

    def in_slack() -> list[str]:
        return [
            stand_in.posted_text(c)
            for c in stand_in.calls_to("chat.postMessage")
            if c.args.get("channel") == BUSINESS_UNIT_CHANNEL and "Overdue on" in stand_in.posted_text(c)
        ]

    def in_teams() -> list[str]:
        return [t for t in map(all_text, connector.posted(TEAMS_BUSINESS_UNIT)) if "Overdue on" in t]

    deadline = time.monotonic() + 60
    while (len(in_slack()) < 2 or len(in_teams()) < 2) and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1.0)  # long enough for a second post, if there were to be one
    assert len(in_slack()) == 2 and len(in_teams()) == 2
    assert all(reference in text and "Panel notification due" in "\n".join(in_slack()) for text in in_slack())
