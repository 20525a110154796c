"""What the documents could not answer reaches the business unit, grouped by meaning, without names."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.assistant import Assistant
from bot.config import Settings
from bot.db import forget_databases, get_database
from bot.feedback import Feedback, record_feedback
from bot.gaps.models import KnowledgeGap
from bot.gaps.redact import redact
from bot.gaps.service import themes
from bot.messages import Message
from tests.conftest import make_settings


@pytest.fixture
def gap_settings(sample_settings: Settings, tmp_path: Path) -> Settings:
    """The sample knowledge index, its own database, keeping (redacted) question text."""
    return make_settings(
        sample_settings.data_dir,
        database_url=f"sqlite:///{tmp_path / 'gaps.sqlite3'}",
        gaps_keep_questions=True,
        business_unit=["officer.one"],
    )


def test_redaction_removes_names_initials_dates_phones_emails_and_case_references() -> None:
    text = ("Can Mrs Patel share Jane Smith's record (DOB 03/04/2015, J.T. for short) by phone on 07700 900123 "
            "or sam.jones@example.org, case NHV-20931 / PR-2026-0007?")
    cleaned = redact(text)
    for personal in ["Patel", "Jane Smith", "03/04/2015", "J.T.", "07700", "sam.jones", "NHV-20931", "PR-2026-0007"]:
        assert personal not in cleaned, personal
    assert redact("Who do I call at the MASH out of hours?") == "Who do I call at the MASH out of hours?"


def test_declined_questions_and_thumbs_down_are_grouped_by_meaning_with_counts(
    gap_settings: Settings, sample_answerer: object
) -> None:
    assistant = Assistant(gap_settings, answerer=sample_answerer)  # type: ignore[arg-type]
    declined = [
        "What time does the staff canteen open for lunch, Jane Smith asked?",
        "When does the canteen serve lunch?",
        "How do I reset my email password?",
    ]
    for question in declined:
        outcome = assistant.handle(Message(user_id="practitioner.one", text=question, channel="terminal"))
        assert "can't find this" in outcome.replies[-1].text  # declined, not guessed
    database = get_database(gap_settings)
    record_feedback(database, Feedback("terminal", "c1", "m1", "practitioner.two", "down",
                                       reason="The number for Mr Jones is out of date", sources=["contacts.md"]),
                    settings=gap_settings)
    try:
        found = themes(database, gap_settings)
        assert sum(t.count for t in found) == 4
        canteen = next(t for t in found if any("canteen" in e for e in t.examples))
        assert canteen.count == 2 and canteen.declined == 2  # the two lunch questions, one theme
        assert all("Jane Smith" not in e for t in found for e in t.examples)
        thumbs = next(t for t in found if t.thumbs_down)
        assert thumbs.label == "contacts.md" and "Jones" not in " ".join(thumbs.examples)
        with database.sessions() as session:
            rows = session.query(KnowledgeGap).all()
            assert all(row.vector for row in rows if row.kind == "declined")
    finally:
        forget_databases()


def test_question_text_is_not_kept_unless_switched_on(gap_settings: Settings, sample_answerer: object) -> None:
    settings = gap_settings.model_copy(update={"gaps_keep_questions": False})
    assistant = Assistant(settings, answerer=sample_answerer)  # type: ignore[arg-type]
    assistant.handle(Message(user_id="practitioner.one", text="Who won the 1966 World Cup?", channel="terminal"))
    database = get_database(settings)
    try:
        with database.sessions() as session:
            [row] = session.query(KnowledgeGap).all()
            assert row.question is None and row.vector and row.kind == "declined"
    finally:
        forget_databases()


def test_a_thumbs_down_typed_in_the_terminal_keeps_the_question_it_answered(
    gap_settings: Settings, sample_answerer: object
) -> None:
    """`/bad` in `sgbot chat`: the assistant rates it, as Slack's and Teams' buttons do."""
    from io import StringIO

    from rich.console import Console

    from bot.channels.terminal import TerminalChannel

    assistant = Assistant(gap_settings, answerer=sample_answerer)  # type: ignore[arg-type]
    channel = TerminalChannel(user_id="practitioner.three", console=Console(file=StringIO()))
    database = get_database(gap_settings)
    try:
        asked = channel.message("Who do I call out of hours in Eastbrook? It is about Sam Jones.")
        channel.render(assistant.handle(asked))
        said = channel.feedback("/bad the number for Mr Jones is wrong", assistant)
        assert "recorded" in said
        channel.feedback("/bad still wrong: ring 07700 900123", assistant)  # a second word on it
        with database.sessions() as session:
            [gap] = session.query(KnowledgeGap).filter(KnowledgeGap.kind == "thumbs_down").all()
            assert gap.question is not None and "out of hours" in gap.question and "Jones" not in gap.question
            assert gap.reason is not None and "07700" not in gap.reason and gap.vector
    finally:
        forget_databases()
