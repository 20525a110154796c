"""A disclosure typed into a case discussion gets the emergency route first, through the one shared
helper every free-text path uses (`bot.safety.emergency.emergency_first`), and what was typed is
still stored where it was meant to go: a contribution, a learning point, an agreed action. Typed by
someone who may not add to the discussion, or in a form the discussion refuses, the route still comes
first (the text is not stored, as before). Real Assistant, real database, no mocks.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.assistant import Assistant
from bot.config import Settings
from bot.db import forget_databases
from bot.discussion.service import MAX_CONTRIBUTION
from bot.referral.queue import Actor
from tests.discussion.filing import file_referral
from tests.discussion.script import AGENCIES, POLICE, SCHOOL
from tests.discussion.test_discussion import OFFICER, Thread, settings_for, speak, start_with_agencies

DISCLOSURE = "She has just told me her stepfather hit her tonight and she is scared to go home"
ORDINARY = "Attendance has been better since the new breakfast club started"


@pytest.fixture
def settings(tmp_path: Path) -> Iterator[Settings]:
    yield settings_for("sqlite", tmp_path)
    forget_databases()


@pytest.fixture
def thread(settings: Settings) -> tuple[Thread, str]:
    assistant = Assistant(settings)
    reference = file_referral(assistant)
    thread = Thread(assistant)
    start_with_agencies(thread, reference)
    return thread, reference


def _texts(thread: Thread) -> list[str]:
    return [reply.text for reply in thread.said[-1].replies]


def _stored(thread: Thread, reference: str) -> str:
    return thread.assistant.discussions.report(Actor(OFFICER), reference).to_markdown()


def test_a_disclosure_as_a_contribution_gets_the_route_first_and_is_stored(thread: tuple[Thread, str]) -> None:
    chat, reference = thread
    speak(chat, SCHOOL, DISCLOSURE)
    replies = chat.said[-1].replies
    assert replies[0].urgent and "999" in replies[0].text
    assert sum(reply.urgent for reply in replies) == 1
    assert f"Saved: {AGENCIES[SCHOOL]}" in replies[-1].text
    assert "scared to go home" in _stored(chat, reference)


def test_a_disclosure_as_a_learning_point_gets_the_route_first_and_is_stored(thread: tuple[Thread, str]) -> None:
    chat, reference = thread
    speak(chat, POLICE, f"learning {DISCLOSURE}")
    replies = chat.said[-1].replies
    assert replies[0].urgent and "999" in replies[0].text
    assert "scared to go home" in _stored(chat, reference)


def test_a_disclosure_as_an_action_before_the_action_stage_comes_before_the_stage_notice(
    thread: tuple[Thread, str],
) -> None:
    chat, reference = thread
    said = speak(chat, POLICE, f"action {AGENCIES[POLICE]} by 31/01/2027: {DISCLOSURE}")
    replies = chat.said[-1].replies
    assert replies[0].urgent and "999" in replies[0].text
    assert sum(reply.urgent for reply in replies) == 1
    assert "Actions are agreed at the stage" in said  # kept as a contribution, after the route
    assert "scared to go home" in _stored(chat, reference)


def test_a_disclosure_in_a_malformed_action_still_gets_the_route_first(thread: tuple[Thread, str]) -> None:
    chat, _reference = thread
    chat.say(OFFICER, "stage 4")
    said = speak(chat, POLICE, f"action {DISCLOSURE}")
    assert chat.said[-1].replies[0].urgent
    assert "owner agency and a due date" in said


def test_someone_not_invited_gets_the_route_first_and_nothing_is_stored(thread: tuple[Thread, str]) -> None:
    chat, reference = thread
    said = chat.say("outsider.one", DISCLOSURE)
    assert chat.said[-1].replies[0].urgent and "not invited" in said
    assert "scared to go home" not in _stored(chat, reference)


def test_an_over_long_disclosure_gets_the_route_first_and_the_limit(thread: tuple[Thread, str]) -> None:
    chat, _reference = thread
    long = DISCLOSURE + ". " + "More of what happened. " * (MAX_CONTRIBUTION // 20)
    assert len(long) > MAX_CONTRIBUTION
    speak(chat, SCHOOL, long)
    replies = chat.said[-1].replies
    assert replies[0].urgent and not replies[-1].urgent and str(MAX_CONTRIBUTION) in replies[-1].text


def test_an_ordinary_contribution_gets_no_route(thread: tuple[Thread, str]) -> None:
    chat, reference = thread
    speak(chat, SCHOOL, ORDINARY)
    assert not any(reply.urgent for reply in chat.said[-1].replies)
    assert "breakfast club" in _stored(chat, reference)


def test_the_discussion_uses_the_shared_helper_not_its_own_check() -> None:
    """One emergency-first helper for every path: the discussion must not keep a private copy."""
    source = (Path(__file__).resolve().parents[2] / "bot" / "discussion" / "service.py").read_text()
    assert "from bot.safety.emergency import emergency_first" in source
    assert "check_urgency" not in source
