"""Every message issue 8 quotes, sent as a practitioner sends it in `sgbot chat` after `sgbot ingest
knowledge/`: the real assistant, terminal channel, index and model. The issue's "Done means": the
messages quoted get the emergency route or the right fact.
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from rich.console import Console

from bot.assistant import Assistant
from bot.channels.terminal import TerminalChannel
from bot.config import Settings
from bot.messages import Outcome
from bot.prompts import load_text, say

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"
EMERGENCY_ROUTE = load_text("emergency_route.md")
EMERGENCY_FIRST_LINE = EMERGENCY_ROUTE.splitlines()[0].replace("**", "")


def _chat(settings: Settings, line: str) -> tuple[Outcome, str]:
    """What the assistant says to one line of a new `sgbot chat` (a conversation of its own: no
    follow-up), and what the terminal shows of it."""
    console = Console(record=True, width=2000)  # one quoted line per line of output
    channel = TerminalChannel(user_id=f"issue8-{uuid.uuid4().hex[:8]}", console=console)
    outcome = Assistant(settings).handle(channel.message(line))
    channel.render(outcome)
    return outcome, console.export_text(clear=True)


def _say(settings: Settings, line: str) -> str:
    return _chat(settings, line)[1]


def _quoted(shown: str) -> list[str]:
    """The lines quoted from the documents, as the terminal shows them (" • … [1]")."""
    return [line.strip()[1:].strip() for line in shown.splitlines()
            if line.strip().startswith(("•", "- ")) and re.search(r"\[\d+\]\s*$", line)]


def _flat(text: str) -> str:
    return " ".join(re.sub(r"\[\d+\]|[*_`]", " ", text).casefold().split())


@pytest.mark.parametrize("message", [
    "a pupil says he wants to end it all",
    "student told me she does not want to be alive any more",
    "he says his dad will batter him when he gets home",
    "there's a little boy about 6 who's been on his own in the flat next to our office since yesterday, "
    "I can hear him crying through the door",
])
def test_danger_now_gets_the_emergency_route_first(sample_settings: Settings, message: str) -> None:
    outcome, shown = _chat(sample_settings, message)

    first = outcome.replies[0]
    assert first.urgent and first.text.startswith(EMERGENCY_ROUTE), shown
    assert EMERGENCY_FIRST_LINE in shown.replace("**", ""), shown  # and the terminal shows it


@pytest.mark.parametrize("message, facts", [
    ("whats the number for the MASH", ["01632 960120"]),
    ("should I promise the kid I won't tell anyone", ["cannot keep this a secret", "Don't: Promise to keep it secret"]),
    ("MASH have said no further action and I disagree", ["Ask the MASH for the reason in writing"]),
    ("who do I ring out of hours?", ["emergency duty team"]),
    ("who do I call out of hours?", ["emergency duty team"]),
    # Bare, with nothing but "ring" to go on: keyword search has no "ring" and meaning alone is weak (a fitted hybrid
    # abstention model turned it away in stop 25); the referral lines answer it.
    ("who do I ring?", ["01632 960120", "01632 960300"]),
    ("do I need mum and dad's permission before I refer?",
     ["You do not need consent to refer", "You can refer without consent"]),
])
def test_questions_the_documents_answer_get_the_fact_not_i_cant_find_this(
        sample_settings: Settings, message: str, facts: list[str]) -> None:
    shown = _say(sample_settings, message)

    assert "can't find this" not in shown, shown
    assert EMERGENCY_FIRST_LINE not in shown.replace("**", ""), shown  # a question, not a disclosure
    answer = _flat(" ".join(_quoted(shown)))
    assert any(_flat(fact) in answer for fact in facts), shown


def test_the_mash_phone_number_question_states_the_number(sample_settings: Settings) -> None:
    shown = _say(sample_settings, "what is the MASH phone number?")

    quoted = _quoted(shown)
    assert quoted and "01632 960120" in quoted[0], shown  # the number first, not "phone the same number"


def test_the_levels_of_need_question_lists_the_levels(sample_settings: Settings) -> None:
    shown = _say(sample_settings, "what are the levels of need?")

    answer = _flat(" ".join(_quoted(shown)))
    for level in ("universal", "early help", "complex", "acute"):
        assert level in answer, shown


def _do_and_dont_cells() -> tuple[list[str], list[str]]:
    """The two sides of the disclosure procedure's "Do | Don't" table, read from the document itself."""
    text = (KNOWLEDGE / "regional" / "responding-to-a-disclosure.md").read_text(encoding="utf-8")
    table = text.split("### Do and don't", 1)[1].split("\n## ", 1)[0]
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in table.splitlines()
            if line.strip().startswith("|") and not set(line) <= set("|- ")]
    body = rows[1:]  # the first row is the header
    return [r[0] for r in body], [r[1] for r in body]


def test_notes_after_a_disclosure_never_mix_the_do_and_dont_sides(sample_settings: Settings) -> None:
    shown = _say(sample_settings, "what should I put in my notes after a child discloses?")

    quoted = _quoted(shown)
    assert quoted, shown
    do, dont = _do_and_dont_cells()
    assert len(do) == len(dont) >= 4
    for line in quoted:
        flat = _flat(line)
        mixed = any(_flat(d) in flat for d in do) and any(_flat(d) in flat for d in dont)
        assert not mixed, f"a quoted line mixes what to do with what not to do: {line}"
    assert "own words" in _flat(" ".join(quoted)), shown


@pytest.mark.parametrize("message", ["hello", "hi there", "good morning"])
def test_a_greeting_gets_the_short_what_i_can_do_reply(sample_settings: Settings, message: str) -> None:
    shown = _say(sample_settings, message)

    assert "can't find this" not in shown
    assert _flat(shown) == _flat(say("greeting"))


def test_i_dont_know_names_the_configured_contact(sample_settings: Settings) -> None:
    contact = "the partnership business unit on safeguarding.businessunit@example.org"
    settings = sample_settings.model_copy(update={"contact": contact})

    shown = _say(settings, "whats the wifi password in the main office")

    assert "can't find this" in shown, shown
    assert contact in " ".join(shown.split()), shown


def test_i_dont_know_also_gives_the_business_units_contact_as_the_documents_give_it(
        sample_settings: Settings) -> None:
    settings = sample_settings.model_copy(update={"contact": "your duty team"})

    shown = " ".join(_say(settings, "whats the wifi password in the main office").split())

    assert "can't find this" in shown and "your duty team" in shown, shown
    # knowledge/ gives the business unit's email and phone ("Contact the business unit on … or 01632 960100").
    assert "safeguarding.businessunit@example.org" in shown and "01632 960100" in shown, shown


@pytest.mark.parametrize("message", [
    "what's the age limit for private fostering",  # "age limit": the documents say "under 16"
    "which team deals with adults at risk in eastbrook",
    "whats the LADO's email in northshire",
    "what's the MARF",
])
def test_what_is_the_thing_questions_the_documents_answer_are_answered(sample_settings: Settings,
                                                                       message: str) -> None:
    shown = _say(sample_settings, message)

    assert "can't find this" not in shown, shown
