"""Subscriptions and alignment in chat, channel-neutral (the terminal here; Slack and Teams in their own suites)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.assistant import Assistant
from bot.config import Settings
from bot.messages import Message
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
