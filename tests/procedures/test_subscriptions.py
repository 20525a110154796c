"""Subscriptions and alignment in chat, channel-neutral (the terminal here; Slack and Teams in their own suites)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from bot import prompts
from bot.assistant import Assistant
from bot.config import Settings
from bot.db import get_database
from bot.messages import Message
from bot.outbox import HeldNotification
from bot.procedures.chat import parse_subscription
from ingest.pipeline import ingest_paths

NAME = "making-a-referral-to-childrens-social-care.md"


def say(assistant: Assistant, text: str, user: str = "pat") -> list[str]:
    return [r.text for r in assistant.handle(Message(user_id=user, text=text, channel="terminal")).replies]


def test_subscription_wording_names_areas_and_kinds() -> None:
    assert parse_subscription("Northshire, West Midlands procedures and threshold") == (
        ["Northshire", "West Midlands"], ["procedure", "threshold"], None)
    assert parse_subscription("") == ([], [], None)


def test_a_terminal_user_hears_of_changes_at_their_next_message_once(
    procedures_settings: Settings, library: Path
) -> None:
    ingest_paths([library], procedures_settings)
    assistant = Assistant(procedures_settings)
    [done] = say(assistant, "subscribe changes Northshire")
    assert "will now get a short notice" in done and "Northshire" in done
    procedure = library / "northshire" / NAME
    procedure.write_text(procedure.read_text(encoding="utf-8").replace("within 24 hours", "within 48 hours"),
                         encoding="utf-8")
    eastbrook = library / "eastbrook" / NAME
    eastbrook.write_text(eastbrook.read_text(encoding="utf-8") + "\nAn Eastbrook note.\n", encoding="utf-8")
    assert len(ingest_paths([library], procedures_settings).changes) == 2

    notice, reply = say(assistant, "subscribe changes Northshire")
    assert "What changed" in notice and "Northshire" in notice and "How to refer in Northshire" in notice
    assert "Eastbrook" not in notice.split("\n", 1)[1]  # the Eastbrook change is not for this subscription
    assert say(assistant, "subscribe changes Northshire") == [reply]  # told once, not again
    assert "no longer get notices" in say(assistant, "unsubscribe changes")[0]
    assert say(assistant, "unsubscribe changes") == [
        "This chat was not subscribed to changed documents."]


@pytest.fixture
def new_wording(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of prompts/ that a test rewords; the bot reads it once the test has changed it."""
    copy = tmp_path / "prompts"
    shutil.copytree(prompts.prompts_dir(), copy)
    monkeypatch.setenv("SGBOT_PROMPTS_DIR", str(copy))
    yield copy
    monkeypatch.delenv("SGBOT_PROMPTS_DIR")
    _forget_wording()


def _forget_wording() -> None:
    prompts.load_yaml.cache_clear()
    prompts.load_text.cache_clear()
    prompts._templates.cache_clear()


def _notice_rows(settings: Settings) -> list[HeldNotification]:
    with get_database(settings).sessions() as session:
        statement = select(HeldNotification).where(HeldNotification.event == "document_changed")
        return list(session.scalars(statement.order_by(HeldNotification.id)))


def test_a_change_notice_is_stored_as_the_changes_and_worded_when_it_is_delivered(
    procedures_settings: Settings, library: Path, new_wording: Path
) -> None:
    ingest_paths([library], procedures_settings)
    assistant = Assistant(procedures_settings)
    say(assistant, "subscribe changes Northshire")
    procedure = library / "northshire" / NAME
    procedure.write_text(procedure.read_text(encoding="utf-8").replace("within 24 hours", "within 48 hours"),
                         encoding="utf-8")
    assert ingest_paths([library], procedures_settings).updated == [NAME]

    # The row holds the facts of the change (document, version, sections), no sentence the bot wrote.
    [row] = _notice_rows(procedures_settings)
    assert set(row.payload) == {"event"} and row.channel == "held" and row.user_id == "pat"
    event = row.payload["event"]
    assert (event["kind"], event["total"]) == ("document_changed", 1)
    [document] = event["documents"]
    assert document["change"] == "updated" and "Northshire" in document["areas"]
    assert document["version"] == 2 and document["previous_version"] == 1
    assert document["changed"], "the sections the edit touched are named"
    assert "What changed" not in str(row.payload)

    # The wording changes before the notice is delivered: the user reads the new wording.
    path = new_wording / "procedures.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["notice_heading"] = "Documents you follow were revised ({count}):"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _forget_wording()
    notice, _reply = say(assistant, "subscribe changes Northshire")
    assert notice.startswith("Documents you follow were revised (1):")
    assert "How to refer in Northshire" in notice and "version 1 → 2" in notice
    [row] = _notice_rows(procedures_settings)
    assert row.delivered_at is not None


def test_a_change_notice_stored_as_wording_before_events_still_delivers_as_written(
    procedures_settings: Settings,
) -> None:
    database = get_database(procedures_settings)
    worded = {"text": "📋 What changed in the partnership's documents (1): an older notice.", "buttons": [],
              "citations": [], "urgent": False, "card": None, "expects": None}
    with database.transaction() as session:
        session.execute(HeldNotification.__table__.insert().values(
            user_id="pat", audience="pat", reply=worded, event="document_changed", channel="held",
            idempotency_key="changes:1:1-1", attempts=0))
    notice, _reply = say(Assistant(procedures_settings), "subscribe changes Northshire")
    assert notice == worded["text"]


def test_the_business_unit_asks_how_aligned_two_areas_are_and_gets_the_summary_and_the_report(
    tmp_path: Path, library: Path
) -> None:
    settings = Settings(_env_file=None, SGBOT_DATA_DIR=tmp_path / "data",  # type: ignore[call-arg]
                        SGBOT_BUSINESS_UNIT="officer.one")
    ingest_paths([library], settings)
    assistant = Assistant(settings)
    [summary] = say(assistant, "How aligned are Northshire and Eastbrook?", user="officer.one")
    assert "Level 2" in summary and "Making a referral" in summary
    path = Path(summary.rsplit("Full report: ", 1)[1].strip())
    assert path.is_file() and "Level 2" in path.read_text(encoding="utf-8")
    [refused] = say(assistant, "how aligned are Northshire and Eastbrook?", user="pat")
    assert "business unit" in refused
    [need_two] = say(assistant, "how aligned is Northshire?", user="officer.one")
    assert "at least two areas" in need_two and "Eastbrook" in need_two


@pytest.fixture(autouse=True)
def _fresh_settings_cache() -> None:
    from bot.config import get_settings

    get_settings.cache_clear()  # type: ignore[attr-defined]
