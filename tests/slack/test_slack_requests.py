"""Slack's HTTP contract: only correctly signed, fresh requests are acted on; every request is acked fast.

These run the real app under uvicorn on loopback; no question is answered, so
no knowledge index is needed.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
from conftest import SECRET, ServedSlack, slack_settings, unique
from slack_stand_in import SlackStandIn, sign

from bot.channels.slack.app import SlackChannel
from bot.channels.slack.client import SlackNotConfigured
from bot.config import Settings
from bot.db import get_database
from bot.server import create_app


@pytest.fixture(scope="module")
def bare(stand_in: SlackStandIn, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSlack]:
    data = tmp_path_factory.mktemp("slack-bare")
    settings = slack_settings(Settings(SGBOT_DATA_DIR=data), stand_in, data / "bare.sqlite3")
    served = ServedSlack(SlackChannel(settings), stand_in).start()
    yield served
    served.stop()


def channel_message(text: str) -> dict[str, str]:
    # A message in a channel set to "mentions only": acknowledged, never answered.
    return {
        "type": "message",
        "channel": "CQUIET0001",
        "channel_type": "channel",
        "user": "UALICE01",
        "text": text,
        "ts": f"{time.time():.6f}",
    }


def test_url_verification_is_answered_with_the_challenge(bare: ServedSlack) -> None:
    body = json.dumps(
        {
            "token": "x",
            "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
            "type": "url_verification",
        }
    )
    response = bare.send(body, "application/json")
    assert response.status_code == 200
    assert "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" in response.text


@pytest.mark.parametrize(
    "headers",
    [
        {},  # unsigned
        {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=" + "0" * 64},
    ],
    ids=["unsigned", "wrong-signature"],
)
def test_unsigned_or_wrongly_signed_requests_get_401_and_do_nothing(
    bare: ServedSlack, stand_in: SlackStandIn, headers: dict[str, str]
) -> None:
    event_id = unique("EvBad")
    response = bare.event(channel_message("hello"), event_id=event_id, signed=False, headers=headers)
    assert response.status_code == 401
    time.sleep(0.3)
    assert stand_in.calls == []
    # Not even claimed: a later, genuine delivery of the same event is still acted on.
    from bot.db import claim_inbound_event

    assert claim_inbound_event(get_database(bare.channel.settings), "slack", event_id) is True


def test_a_request_signed_with_another_secret_gets_401(bare: ServedSlack) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "abc"})
    headers = {"Content-Type": "application/json", **sign("not-the-secret", body)}
    response = bare.http.post("/slack/events", content=body, headers=headers)
    assert response.status_code == 401


def test_a_stale_request_over_five_minutes_old_gets_401(bare: ServedSlack) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "abc"})
    stale = int(time.time()) - 5 * 60 - 10
    headers = {"Content-Type": "application/json", **sign(SECRET, body, timestamp=stale)}
    response = bare.http.post("/slack/events", content=body, headers=headers)
    assert response.status_code == 401
    assert "abc" not in response.text


def test_a_tampered_body_gets_401(bare: ServedSlack) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "abc"})
    headers = {"Content-Type": "application/json", **sign(SECRET, body)}
    response = bare.http.post("/slack/events", content=body.replace("abc", "abd"), headers=headers)
    assert response.status_code == 401


def test_events_are_acknowledged_with_200(bare: ServedSlack) -> None:
    response = bare.event(channel_message("is anyone there?"))
    assert response.status_code == 200


def test_health_and_metrics_are_served_beside_slack(bare: ServedSlack) -> None:
    health = bare.http.get("/healthz")
    assert health.status_code == 200
    assert health.json() == {"status": "ok", "components": ["slack"]}
    bare.event(channel_message("counted"))
    metrics = bare.http.get("/metrics").text
    assert 'sgbot_slack_events_total{kind="message"}' in metrics
    assert "counted" not in metrics  # counts, never text


def test_missing_settings_are_named_with_the_fix(tmp_path: object) -> None:
    with pytest.raises(SlackNotConfigured, match="SLACK_SIGNING_SECRET"):
        SlackChannel(Settings(SLACK_BOT_TOKEN="xoxb-1"))
    with pytest.raises(SlackNotConfigured, match="SLACK_APP_TOKEN"):
        create_app(Settings(SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="s"), slack_mode="socket")
    # Without a token Slack is simply off, and the server still serves /healthz (and the dashboard).
    app = create_app(Settings())
    assert [component.name for component in app.state.components] == ["dashboard", "housekeeping"]


def test_secrets_are_never_shown_in_settings(bare: ServedSlack) -> None:
    shown = repr(bare.channel.settings) + str(bare.channel.settings.model_dump())
    assert SECRET not in shown
    assert "xoxb-test-token" not in shown


@pytest.mark.parametrize("why", ["stale-clock", "rotated-secret", "no-signature"])
def test_a_request_that_fails_the_signature_check_never_puts_its_body_in_the_logs(
    bare: ServedSlack, caplog: pytest.LogCaptureFixture, why: str
) -> None:
    body = json.dumps(
        {
            "type": "event_callback",
            "event_id": unique("EvLog"),
            "event": channel_message("Checklist answer: Qx7-REFERRAL-MARKER stepfather hit her"),
        }
    )
    if why == "stale-clock":
        headers = sign(SECRET, body, timestamp=int(time.time()) - 6 * 60)
    elif why == "rotated-secret":
        headers = sign("an-older-secret-that-was-rotated", body)
    else:
        headers = {}
    with caplog.at_level("DEBUG"):
        response = bare.send(body, "application/json", headers=headers, signed=False)
        time.sleep(0.2)
    assert response.status_code == 401
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Qx7-REFERRAL-MARKER" not in logged and "stepfather" not in logged
