"""A Slack channel subscribed to document changes gets one short "what changed" notice after an ingest.

End to end on loopback: the real app under uvicorn, a signed `app_mention` to
subscribe, a procedure edited and re-ingested, the notice round posting to the
Slack stand-in exactly once, and nothing for an area the channel did not ask for.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from conftest import ServedSlack, slack_settings, unique
from slack_stand_in import SlackStandIn

from bot.channels.slack.app import SlackChannel
from bot.config import Settings
from bot.db import forget_databases
from ingest.pipeline import ingest_paths
from tests.conftest import KNOWLEDGE_DIR

NAME = "making-a-referral-to-childrens-social-care.md"


def test_a_subscribed_channel_gets_the_notice_once_and_only_for_its_areas(
    stand_in: SlackStandIn, tmp_path: Path
) -> None:
    library = tmp_path / "library"
    for area in ("northshire", "eastbrook"):
        (library / area).mkdir(parents=True)
        shutil.copy(KNOWLEDGE_DIR / area / NAME, library / area / NAME)
    base = Settings(_env_file=None, SGBOT_DATA_DIR=tmp_path / "data")  # type: ignore[call-arg]
    settings = slack_settings(base, stand_in, tmp_path / "slack.sqlite3", change_notice_seconds=0.2)
    assert ingest_paths([library], settings).ok
    served = ServedSlack(SlackChannel(settings), stand_in).start()
    try:
        channel, user = unique("CNEWS"), unique("UNEWS")
        ts = f"{time.time():.6f}"
        served.event({"type": "app_mention", "channel": channel, "user": user,
                      "text": "<@UBOT0001> subscribe changes Northshire procedure", "ts": ts})
        (confirmed,) = stand_in.wait_for("chat.postMessage", thread_ts=ts)
        assert "will now get a short notice" in stand_in.posted_text(confirmed)
        assert "Northshire" in stand_in.posted_text(confirmed)

        procedure = library / "northshire" / NAME
        procedure.write_text(procedure.read_text(encoding="utf-8").replace(
            "within 24 hours", "within 48 hours"), encoding="utf-8")
        assert ingest_paths([library], settings).updated == [NAME]

        posts = stand_in.wait_for("chat.postMessage", count=2, channel=channel, timeout=60)
        [notice] = [c for c in posts if "thread_ts" not in c.args]  # a new message in the channel, not a reply
        shown = stand_in.posted_text(notice)
        assert "What changed" in shown and "UPDATED" in shown and "How to refer in Northshire" in shown

        eastbrook = library / "eastbrook" / NAME
        eastbrook.write_text(eastbrook.read_text(encoding="utf-8") + "\nA new Eastbrook note.\n", encoding="utf-8")
        assert ingest_paths([library], settings).updated == [NAME]
        time.sleep(1.5)  # several notice rounds
        posted = [c for c in stand_in.calls_to("chat.postMessage")
                  if c.args.get("channel") == channel and "thread_ts" not in c.args]
        assert len(posted) == 1  # once, and nothing about Eastbrook
    finally:
        served.stop()
        forget_databases()
