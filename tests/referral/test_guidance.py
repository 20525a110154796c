"""Questions in the middle of a referral, and guidance cited from the knowledge base at the right step.

These need the shared ingested index (`sample_settings`, tests/conftest.py); everything else in the
referral tests runs without it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.assistant import Assistant
from bot.config import Settings
from tests.conftest import KNOWLEDGE_DIR, make_settings

from .helpers import CHILD_REFERRAL, Chat, text_of


@pytest.fixture
def knowledge_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    try:
        sample: Settings = request.getfixturevalue("sample_settings")
    except pytest.FixtureLookupError:
        pytest.skip("needs the session fixture sample_settings (an ingested index of knowledge/)")
    # The shared index, but this test's own database.
    return sample.model_copy(update={"database_url": f"sqlite:///{tmp_path / 'sgbot.sqlite3'}"})


@pytest.fixture
def chat_with_knowledge(knowledge_settings: Settings) -> Chat:
    return Chat(Assistant(knowledge_settings))


def test_a_question_mid_checklist_is_answered_then_the_checklist_carries_on(
    chat_with_knowledge: Chat,
) -> None:
    chat = chat_with_knowledge
    chat.send("refer")
    chat.answer_all(CHILD_REFERRAL[:3])
    assert chat.step == "died_or_seriously_harmed"
    outcome = chat.send("ask How many working days does the local authority have to notify the Panel?")
    answer = outcome.replies[0]
    assert answer.citations, "the answer is cited"
    assert "5 working days" in answer.text or "five working days" in answer.text.lower()
    assert chat.step == "died_or_seriously_harmed"  # the same question is asked again
    chat.send("yes")
    assert chat.step == "discussed_with_manager"


def test_a_question_mark_at_a_choice_step_is_a_question_not_an_answer(chat_with_knowledge: Chat) -> None:
    chat = chat_with_knowledge
    chat.send("refer")
    outcome = chat.send("Who leads a domestic homicide review?")
    assert "Community Safety Partnership" in text_of(outcome)
    assert chat.step == "review_type"


def test_the_criteria_step_cites_the_review_criteria_from_the_knowledge_base(
    chat_with_knowledge: Chat,
) -> None:
    chat = chat_with_knowledge
    chat.send("refer")
    chat.send("1")
    outcome = chat.send("yes")
    assert chat.step == "abuse_or_neglect"
    guidance = next(r for r in outcome.replies if r.citations)
    assert "What the guidance says" in guidance.text
    assert any(c.title == "Practice reviews: when and how to refer a case" for c in guidance.citations)
    assert outcome.replies[-1].expects is not None  # the question still comes last, with its buttons


def test_no_emergency_banner_right_after_yes_everyone_is_safe_now(chat_with_knowledge: Chat) -> None:
    chat = chat_with_knowledge
    chat.send("refer")
    chat.send("1")
    outcome = chat.send("yes, everyone is safe now")
    assert chat.step == "abuse_or_neglect"
    assert not any(reply.urgent for reply in outcome.replies)
    assert "999" not in text_of(outcome)  # nor the guidance's own "call 999" passage, quoted as if urgent


def test_help_quotes_the_partnerships_document_with_its_citation(chat_with_knowledge: Chat) -> None:
    chat = chat_with_knowledge
    chat.send("refer")
    chat.answer_all(CHILD_REFERRAL[:9])
    assert chat.step == "initials"  # a question with no guidance of its own: help looks up its section
    outcome = chat.send("help")
    assert "Source: *Practice reviews: when and how to refer a case*" in text_of(outcome)
    cited = next(r for r in outcome.replies if r.citations)
    assert any(
        c.title == "Practice reviews: when and how to refer a case" and "personal information" in c.section
        for c in cited.citations
    ), [(c.title, c.section) for c in cited.citations]  # the section the help names
    assert chat.step == "initials"


def test_guidance_follows_a_re_ingest_without_a_restart(tmp_path: Path) -> None:
    """The guidance a checklist step quotes is cached per index generation: once the document is
    re-ingested (by any process), the next referral quotes the new version."""
    from ingest.pipeline import ingest_paths

    library = tmp_path / "library"
    library.mkdir()
    guide = library / "practice-reviews-guide.md"
    shutil.copy(KNOWLEDGE_DIR / "regional" / guide.name, guide)
    settings = make_settings(tmp_path / "data", SGBOT_BUSINESS_UNIT="officer.one")
    assert ingest_paths([library], settings).ok
    assistant = Assistant(settings)

    def guidance_titles(user: str) -> set[str]:
        chat = Chat(assistant, user_id=user)
        chat.send("refer")
        chat.send("1")
        outcome = chat.send("yes")
        assert chat.step == "abuse_or_neglect"
        return {c.title for r in outcome.replies for c in r.citations}

    assert guidance_titles("first.referrer") == {"Practice reviews: when and how to refer a case"}
    guide.write_text(guide.read_text(encoding="utf-8").replace(
        'title: "Practice reviews: when and how to refer a case"', 'title: "Practice reviews (2026 edition)"'),
        encoding="utf-8")
    assert ingest_paths([library], settings).updated == [guide.name]
    assert guidance_titles("second.referrer") == {"Practice reviews (2026 edition)"}
