"""The dashboard served by uvicorn on loopback over a real database, and a real headless Chromium.

Chromium is Debian's package (/usr/bin/chromium, installed by `make test`), driven by Playwright with
that executable: no browser is ever downloaded. Screenshots go to tests/artifacts/ (ignored by git).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from starlette.routing import Mount

from bot.assistant import Assistant
from bot.config import Settings
from bot.dashboard.app import build_dashboard
from bot.db import Database, forget_databases, open_database
from bot.messages import Message
from bot.referral.conversation import ReferralConversation
from bot.referral.queue import ReviewQueue
from bot.server import Component, create_app
from tests.referral.helpers import CHILD_REFERRAL, Chat

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
OFFICER_ONE = "officer.one"
OFFICER_TWO = "officer.two"
PRACTITIONER = "practitioner.one"


@dataclass
class Served:
    settings: Settings
    database: Database
    assistant: Assistant
    base_url: str
    references: dict[str, str]  # area -> reference of a referral made there

    def link_for(self, user_id: str) -> str:
        """What the assistant says when `user_id` types `dashboard` in chat: the sign-in URL in it."""
        outcome = self.assistant.handle(Message(user_id=user_id, text="dashboard", channel="terminal"))
        text = outcome.replies[-1].text
        assert "/dashboard/sign-in?token=" in text, text
        return text[text.index("http") :].split()[0]

    def http(self) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, timeout=30, follow_redirects=False)


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def refer(assistant: Assistant, user: str, area: str) -> str:
    chat = Chat(assistant, user, area=area)
    chat.send("refer")
    chat.answer_all(CHILD_REFERRAL)
    [note] = chat.press("submit").notifications
    assert note.referral_reference
    return note.referral_reference


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    sock = _free_socket()
    port = sock.getsockname()[1]
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        SGBOT_DATA_DIR=tmp_path_factory.mktemp("dashboard-data"),
        SGBOT_BUSINESS_UNIT=f"{OFFICER_ONE},{OFFICER_TWO}",
        SGBOT_ADMINS="admin.user",
        SGBOT_PUBLIC_URL=f"http://127.0.0.1:{port}",
    )
    database = open_database(settings)
    queue = ReviewQueue(database, settings)
    assistant = Assistant(settings, referrals=ReferralConversation(database, settings, queue=queue))
    references = {area: refer(assistant, PRACTITIONER, area) for area in ("Northshire", "Eastbrook", "Westmoor")}
    component = Component("dashboard", routes=[Mount("/dashboard", app=build_dashboard(settings, database=database,
                                                                                       queue=queue))])
    server = uvicorn.Server(uvicorn.Config(create_app(settings, components=[component]), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield Served(settings, database, assistant, f"http://127.0.0.1:{port}", references)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        database.dispose()
        forget_databases()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def serious_accessibility_problems(page: Any) -> list[dict[str, Any]]:
    """axe-core (npm package, vendored) run in the page: violations of impact serious or critical."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
