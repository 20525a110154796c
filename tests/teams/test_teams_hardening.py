"""Bad input at /api/messages gets a 4xx naming the problem, never a 500; hostile text is drawn as text.

Real server on loopback (anonymous local-testing mode, so the body itself is
what is tested), the Bot Connector stand-in beside it.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from hostile_strings import CONTROL_OR_BIDI, DISGUISED_LINK, HOSTILE

from .harness import card_of, card_texts, message_activity


@pytest.fixture
def served(anonymous_settings, serve):
    return serve(anonymous_settings)


def raw_post(served: Any, body: bytes, content_type: str = "application/json") -> httpx.Response:
    return httpx.post(f"{served.url}/api/messages", content=body, headers={"Content-Type": content_type}, timeout=30)


MALFORMED: dict[str, bytes] = {
    "truncated JSON": b'{"type": "message", "text": "hel',
    "a list": b"[1, 2, 3]",
    "null": b"null",
    "a number": b"42",
    "not UTF-8": b'{"type": "message", "text": "\xff\xfe"}',
    "no type": b'{"text": "hello"}',
    "type not text": b'{"type": 7}',
    "from not an object": b'{"type": "message", "from": "29:pat"}',
    "conversation id not text": b'{"type": "message", "conversation": {"id": 12}}',
    "deeply nested": b'{"type": "message", "value": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    "empty": b"",
    "id of 300 characters": json.dumps(
        {"type": "message", "from": {"id": "29:" + "x" * 300}, "text": "hi"}
    ).encode(),
}


@pytest.mark.parametrize("kind", list(MALFORMED))
def test_a_malformed_activity_gets_400_and_does_nothing(kind: str, served, connector) -> None:
    response = raw_post(served, MALFORMED[kind])
    assert response.status_code == 400, response.text
    assert connector.posted() == []


def test_an_oversized_activity_gets_413_before_it_is_read(served, connector, anonymous_settings) -> None:
    activity = message_activity("x" * (anonymous_settings.max_request_bytes + 10), service_url=connector.url)
    response = raw_post(served, json.dumps(activity).encode())
    assert response.status_code == 413
    assert connector.posted() == []


def _mutations(base: dict[str, Any], rng: random.Random) -> dict[str, Any] | list[Any] | str | None:
    junk: list[Any] = [None, 0, -1, 3.5, True, "", "x" * 400, [], {}, [1, 2], {"a": {"b": None}}, "\u202e\x00"]
    activity = json.loads(json.dumps(base))
    for _ in range(rng.randint(1, 4)):
        choice = rng.random()
        # serviceUrl is left alone: it is bound to the caller's token, and replies go there.
        key = rng.choice([k for k in activity if k != "serviceUrl"] + ["value", "entities", "attachments"])
        if choice < 0.4:
            activity[key] = rng.choice(junk)
        elif choice < 0.6:
            activity.pop(key, None)
        elif choice < 0.8 and isinstance(activity.get(key), dict):
            inner = activity[key]
            inner[rng.choice(list(inner) or ["id"])] = rng.choice(junk)
        else:
            activity["text"] = rng.choice(HOSTILE)
    if rng.random() < 0.05:
        return rng.choice([None, [activity], "activity"])
    return activity


def test_300_fuzzed_activities_never_get_a_server_error(served, connector) -> None:
    rng = random.Random(9)  # seeded: a failure is reproducible
    bodies = []
    for number in range(300):
        # In a channel without an @mention: the bot reads it and stays quiet, so the run stays fast.
        base = message_activity(
            "hello", service_url=connector.url, activity_id=f"fuzz-{number}", conversation_type="channel",
            conversation_id=f"19:fuzz-{number}@thread.tacv2",
        )
        body = json.dumps(_mutations(base, rng)).encode()
        if rng.random() < 0.05:
            body = body[: rng.randint(0, len(body))]
        bodies.append(body)
    with httpx.Client(timeout=30) as client, ThreadPoolExecutor(8) as pool:
        statuses = Counter(
            pool.map(
                lambda body: client.post(
                    f"{served.url}/api/messages", content=body, headers={"Content-Type": "application/json"}
                ).status_code,
                bodies,
            )
        )
    print(f"fuzz statuses: {dict(sorted(statuses.items()))}")  # the counts the closing note quotes (-rP)
    assert sum(statuses.values()) == 300
    assert not [s for s in statuses if s >= 500], statuses


def test_a_referrer_name_with_a_disguised_link_is_text_in_teams(served, connector) -> None:
    # What the bot says back includes what was typed ("… isn't one of the choices"): drawn as text.
    activity = message_activity("refer", service_url=connector.url)
    raw_post(served, json.dumps(activity).encode())
    connector.clear()
    for value in (DISGUISED_LINK, '<a href="https://evil.example/a">x</a>', "![x](https://evil.example/p.png)"):
        response = raw_post(served, json.dumps(message_activity(value, service_url=connector.url)).encode())
        assert response.status_code in (200, 202)
    for posted in connector.posted("a:personal-pat"):
        texts = [posted.get("text") or ""] + (card_texts(card_of(posted)) if card_of(posted) else [])
        for text in texts:
            assert not re.search(r"(?<!\\)\[[^\]]*(?<!\\)\]\(", text), text  # no link or image
            assert not re.search(r"(?<!\\)<", text), text  # no HTML
            assert not CONTROL_OR_BIDI.search(text)
