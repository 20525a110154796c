"""Slack benchmark: 50 concurrent signed events against the real app on loopback.

Measures how fast each event is acknowledged (Slack wants < 3 s) and how long
until the answer is posted to the Slack stand-in. Needs an ingested index:

    SGBOT_DATA_DIR=/path/with/index .venv/bin/python bench/slack.py [--events 50]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn
from pydantic import SecretStr

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "slack"))

from slack_stand_in import TEAM, SlackStandIn, sign  # noqa: E402

from bot.channels.slack.app import SlackChannel  # noqa: E402
from bot.channels.slack.server import slack_component  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.server import create_app  # noqa: E402

SECRET = "bench-signing-secret"
QUESTIONS = [
    "How should I respond when a child makes a disclosure?",
    "What level of need is a family that needs support from more than one agency?",
    "How do I make a referral to children's social care?",
    "What should I do about bruising in a baby who is not yet mobile?",
    "How do I resolve a professional disagreement about a case?",
]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def envelope(user: str, text: str, ts: str, event_id: str) -> str:
    return json.dumps(
        {
            "token": "legacy",
            "team_id": TEAM,
            "api_app_id": "A0BENCH",
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "event": {
                "type": "message",
                "channel": f"D{user[1:]}",
                "channel_type": "im",
                "user": user,
                "text": text,
                "ts": ts,
                "event_ts": ts,
            },
        }
    )


async def fire(client: httpx.AsyncClient, body: str) -> float:
    headers = {"Content-Type": "application/json", **sign(SECRET, body)}
    started = time.perf_counter()
    response = await client.post("/slack/events", content=body.encode(), headers=headers)
    elapsed = time.perf_counter() - started
    response.raise_for_status()
    return elapsed


async def burst(port: int, bodies: list[str]) -> list[float]:
    limits = httpx.Limits(max_connections=len(bodies))
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30, limits=limits) as client:
        return list(await asyncio.gather(*(fire(client, body) for body in bodies)))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=50)
    args = parser.parse_args()

    stand_in = SlackStandIn().start()
    base = Settings()
    if not (base.index_dir.exists() and any(base.index_dir.iterdir())):
        sys.exit(
            f"No knowledge index in {base.index_dir}: run `sgbot ingest knowledge/` or set SGBOT_DATA_DIR."
        )
    database = Path(tempfile.mkdtemp(prefix="sgbot-bench-")) / "bench.sqlite3"
    settings = base.model_copy(
        update={
            "slack_bot_token": SecretStr("xoxb-bench"),
            "slack_signing_secret": SecretStr(SECRET),
            "slack_api_url": stand_in.base_url,
            "database_url": f"sqlite:///{database}",
        }
    )
    channel = SlackChannel(settings)
    component = slack_component(settings, channel=channel)
    assert component is not None
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(settings, components=[component]), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)

    # Warm up: the first question loads the embedding model and the index (seconds, once per process).
    warm_ts = f"{time.time():.6f}"
    asyncio.run(burst(port, [envelope("UWARM0001", QUESTIONS[0], warm_ts, "EvWarm")]))
    stand_in.wait_for("chat.postMessage", thread_ts=warm_ts, timeout=180)

    bodies, threads = [], []
    for index in range(args.events):
        ts = f"{1_800_000_000 + index}.{index:06d}"
        threads.append(ts)
        bodies.append(
            envelope(f"UBENCH{index:04d}", QUESTIONS[index % len(QUESTIONS)], ts, f"EvBench{index}")
        )
    started = time.monotonic()
    acks = asyncio.run(burst(port, bodies))
    answered = []
    for ts in threads:
        (call,) = stand_in.wait_for("chat.postMessage", thread_ts=ts, timeout=600)
        answered.append(call.at - started)
    total = max(answered)
    server.should_exit = True
    thread.join(timeout=30)
    stand_in.stop()

    print(f"events: {args.events} concurrent signed message.im events, real app under uvicorn on loopback")
    print(
        f"ack latency: p50 {percentile(acks, 0.5) * 1000:.0f} ms, "
        f"p99 {percentile(acks, 0.99) * 1000:.0f} ms, "
        f"max {max(acks) * 1000:.0f} ms"
    )
    print(
        f"time to posted answer: p50 {percentile(answered, 0.5):.2f} s, "
        f"p99 {percentile(answered, 0.99):.2f} s, "
        f"mean {statistics.mean(answered):.2f} s, all {args.events} answered in {total:.2f} s "
        f"({args.events / total:.1f} answers/s)"
    )


if __name__ == "__main__":
    main()
