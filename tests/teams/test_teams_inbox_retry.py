"""A Teams message whose answer fails is kept and answered later, with one apology, over real HTTP on loopback.

The real Agents SDK app under `sgbot serve`'s ASGI app, a Bot Connector stand-in, the real assistant: the
knowledge server is down when the question comes, so the turn fails. The person is told once that the
message is kept (not "try again", which would get two answers), whatever the number of tries; once the
server is back (started on the same port) the inbox's sweeper answers the stored activity, once.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from bot.config import Settings
from tests.deploy.processes import ChromaServer, free_port

from .harness import ConnectorStandIn, message_activity

QUESTION = "How should I respond when a child makes a disclosure?"
pytestmark = pytest.mark.timeout(600)


def test_a_message_whose_answer_fails_gets_one_apology_however_many_tries_then_the_answer(
    sample_settings: Settings, connector: ConnectorStandIn, serve, post, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    port = free_port()
    settings = sample_settings.model_copy(update={
        "database_url": f"sqlite:///{tmp_path / 'teams.sqlite3'}", "teams_anonymous": True,
        "teams_service_url": connector.url, "chroma_host": "127.0.0.1", "chroma_port": port,
        "inbound_lease_seconds": 1.5, "inbox_sweep_seconds": 0.2, "inbox_retry_seconds": 0.3,
        "inbox_max_attempts": 12,
    })
    served = serve(settings)
    conversation = "a:personal-kept"

    response = post(served, message_activity(QUESTION, service_url=connector.url, conversation_id=conversation))
    assert response.status_code in (200, 202)  # never a 500: Teams must not send it again
    time.sleep(2.0)  # the sweeper's first retries fail too (the server is still down)
    (apology,) = connector.posted(conversation)
    assert "something went wrong" in apology["text"] and "kept your message" in apology["text"]
    assert "try again" not in apology["text"]

    copy = tmp_path / "chroma"
    shutil.copytree(sample_settings.index_dir / "chroma", copy)
    chroma = ChromaServer(copy, port=port)
    try:
        deadline = time.monotonic() + 180
        while len(connector.posted(conversation)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(3.0)  # a second answer or apology, were one coming
        replies = [str(reply.get("text")) + str(reply.get("attachments")) for reply in connector.posted(conversation)]
    finally:
        chroma.stop()

    assert len(replies) == 2, replies  # one apology, one answer
    assert sum("something went wrong" in reply for reply in replies) == 1
    assert "Sources" in replies[1]


def test_a_retry_sends_only_the_replies_the_failed_turn_had_not_sent(
    anonymous_settings: Settings, connector: ConnectorStandIn, serve, post  # type: ignore[no-untyped-def]
) -> None:
    """Teams refuses the second reply of the checklist's first step: the person is told once, and the
    sweeper's retry sends the rest of that step, never the first reply again, without asking the
    assistant a second time."""
    settings = anonymous_settings.model_copy(update={
        "teams_service_url": connector.url, "inbound_lease_seconds": 1.5, "inbox_sweep_seconds": 0.2,
        "inbox_retry_seconds": 0.3,
    })
    served = serve(settings)
    conversation = "a:personal-parts"
    connector.fail_message = 2

    response = post(served, message_activity("refer", service_url=connector.url, conversation_id=conversation))
    assert response.status_code in (200, 202)
    deadline = time.monotonic() + 60
    while not any("Which kind of review" in str(r) for r in connector.posted(conversation)) \
            and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(3.0)  # anything sent twice would be here by now

    replies = [str(reply.get("text")) + str(reply.get("attachments")) for reply in connector.posted(conversation)]
    assert sum("something went wrong" in reply for reply in replies) == 1
    assert sum("Which kind of review" in reply for reply in replies) == 1
    assert len(replies) == len(set(replies)), replies  # nothing sent twice
    # The retry sent the rest of the step the assistant had made, not a second run of "refer" (which
    # would find the draft the first run started and say "Welcome back").
    assert not any("Welcome back" in reply for reply in replies), replies
    refused = [r for r in connector.requests
               if r.refused and isinstance(r.body, dict) and r.body.get("type") == "message"]
    assert len(refused) == 1
