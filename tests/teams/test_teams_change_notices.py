"""A Teams channel conversation subscribed to document changes gets one "what changed" notice after an ingest.

End to end on loopback: the real app (Agents SDK) serving /api/messages, a message
in a channel conversation to subscribe, a procedure edited and re-ingested, and
the notice round posting proactively to the connector stand-in exactly once.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from bot.config import Settings
from bot.db import forget_databases
from ingest.pipeline import ingest_paths
from tests.conftest import KNOWLEDGE_DIR

from .conftest import build_app
from .harness import ServedApp, all_text, message_activity

CHANNEL = "19:procedures@thread.tacv2"
NAME = "bruising-in-non-mobile-babies.md"


class ServedWithLifespan(ServedApp):
    """As `sgbot serve` runs it: with the app's startup (which starts the notice round) and shutdown."""

    def __init__(self, app: object) -> None:
        import threading

        import uvicorn

        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline and self.thread.is_alive(), "uvicorn did not start"
            time.sleep(0.01)
        self.url = f"http://127.0.0.1:{self.server.servers[0].sockets[0].getsockname()[1]}"


def test_a_subscribed_conversation_gets_the_notice_once(tmp_path: Path, connector, post) -> None:
    library = tmp_path / "library" / "northshire"
    library.mkdir(parents=True)
    shutil.copy(KNOWLEDGE_DIR / "northshire" / NAME, library / NAME)
    settings = Settings(SGBOT_DATA_DIR=tmp_path / "data", TEAMS_ANONYMOUS=True,
                        SGBOT_CHANGE_NOTICE_SECONDS=0.2)
    assert ingest_paths([library], settings).ok
    served = ServedWithLifespan(build_app(settings))
    try:
        response = post(served, message_activity("subscribe changes", service_url=connector.url,
                                                 conversation_id=CHANNEL, conversation_type="channel",
                                                 mention_bot=True))
        assert response.status_code in (200, 202)
        [confirmed] = connector.posted(CHANNEL)
        assert "will now get a short notice" in all_text(confirmed)
        connector.clear()

        procedure = library / NAME
        procedure.write_text(procedure.read_text(encoding="utf-8").replace(
            "## Birthmarks and other skin marks", "## Birthmarks, moles and other skin marks"), encoding="utf-8")
        assert ingest_paths([library], settings).updated == [NAME]
        deadline = time.monotonic() + 60
        while not connector.posted(CHANNEL) and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)  # further rounds must not post it again
        [notice] = connector.posted(CHANNEL)
        text = all_text(notice)
        assert "What changed" in text and "Birthmarks, moles and other skin marks" in text
    finally:
        served.close()
        forget_databases()
