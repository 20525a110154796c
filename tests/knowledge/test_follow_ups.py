"""Follow-up questions in the terminal chat are read with the previous question and answer, kept in
the database for SGBOT_FOLLOW_UP_MINUTES: through the real Assistant, terminal channel and index."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from rich.console import Console

from bot.assistant import Assistant
from bot.bench.follow_ups import load_follow_ups, score_follow_ups
from bot.channels.terminal import TerminalChannel
from bot.config import Settings

DATA = Path(__file__).parent / "data"


def _chat(settings: Settings, user: str) -> tuple[Assistant, TerminalChannel, Console]:
    console = Console(record=True, width=2000)  # one quoted line per line of output
    return Assistant(settings), TerminalChannel(user_id=user, console=console), console


def _say(assistant: Assistant, channel: TerminalChannel, console: Console, line: str) -> str:
    console.export_text(clear=True)
    channel.render(assistant.handle(channel.message(line)))
    return console.export_text(clear=True)


def _quoted(shown: str) -> list[str]:
    """The quoted lines of an answer as the terminal shows them (" • … [1]")."""
    return [line.strip()[1:].strip() for line in shown.splitlines()
            if line.strip().startswith(("•", "- ")) and re.search(r"\[\d+\]\s*$", line)]


def test_a_follow_up_about_a_vulnerable_adult_answers_about_adults(sample_settings: Settings) -> None:
    assistant, channel, console = _chat(sample_settings, f"fu-{uuid.uuid4().hex[:8]}")
    _say(assistant, channel, console, "who do I ring out of hours?")

    shown = _say(assistant, channel, console, "and if it's a vulnerable adult?")

    quoted = _quoted(shown)
    assert quoted, shown
    assert any("adult" in line.casefold() for line in quoted), shown


def test_a_follow_up_with_no_words_of_its_own_is_answered_from_the_thread(sample_settings: Settings) -> None:
    assistant, channel, console = _chat(sample_settings, f"fu-{uuid.uuid4().hex[:8]}")
    _say(assistant, channel, console, "what should I put in my notes after a child discloses?")

    shown = _say(assistant, channel, console, "and who do I tell about it?")

    assert "won't guess" not in shown
    assert _quoted(shown)


def test_a_follow_up_naming_another_area_gets_the_same_fact_for_that_area(sample_settings: Settings) -> None:
    assistant, channel, console = _chat(sample_settings, f"fu-{uuid.uuid4().hex[:8]}")
    _say(assistant, channel, console, "whats the number for the MASH")

    shown = _say(assistant, channel, console, "and in eastbrook?")

    # Eastbrook's MASH is its Children's Front Door: its number, not only other Eastbrook numbers.
    assert any("01632 960300" in line for line in _quoted(shown)), shown


def test_a_restarted_terminal_chat_still_reads_a_follow_up_with_the_last_turn(sample_settings: Settings) -> None:
    user = f"fu-{uuid.uuid4().hex[:8]}"
    assistant, channel, console = _chat(sample_settings, user)
    _say(assistant, channel, console, "whats the number for the MASH")

    # A new process: a new assistant and channel, the same database.
    assistant, channel, console = _chat(sample_settings, user)
    shown = _say(assistant, channel, console, "and in eastbrook?")

    assert any("Eastbrook" in line and re.search(r"01632 96\d{4}", line) for line in _quoted(shown)), shown


def test_a_restarted_chat_asked_what_happens_next_gets_the_step_after_the_one_it_was_given(
        sample_settings: Settings) -> None:
    user = f"fu-{uuid.uuid4().hex[:8]}"
    assistant, channel, console = _chat(sample_settings, user)
    first = _say(assistant, channel, console, "when do we have to notify the national panel about a serious incident")
    assert "Within 5 working days" in first, first

    # A new process: what the last answer quoted comes from the database, not from memory.
    assistant, channel, console = _chat(sample_settings, user)
    shown = _say(assistant, channel, console, "then what happens?")

    # The rapid review, the row after the notification in the same table, leads.
    assert "15 working days" in _quoted(shown)[0], shown


def test_a_follow_up_about_the_step_failing_gets_what_the_procedure_says_to_do_next(
        sample_settings: Settings) -> None:
    assistant, channel, console = _chat(sample_settings, f"fu-{uuid.uuid4().hex[:8]}")
    _say(assistant, channel, console,
         "I disagree with a decision at a child protection conference, who do i raise it with")

    shown = _say(assistant, channel, console, "and if the chair doesnt change anything?")

    assert "follow stages 3 and 4" in shown, shown


def test_the_thread_keeps_what_its_last_answer_cited_and_quoted_and_nothing_else(sample_settings: Settings) -> None:
    from bot.db import get_channel_state

    user = f"fu-{uuid.uuid4().hex[:8]}"
    assistant, channel, console = _chat(sample_settings, user)
    shown = _say(assistant, channel, console, "when do we have to notify the national panel about a serious incident")

    stored = get_channel_state(assistant.database, "conversation:terminal", user)

    assert set(stored) == {"questions", "at", "answer"}
    assert stored["questions"] == ["when do we have to notify the national panel about a serious incident"]
    assert stored["answer"]["passages"] and all(isinstance(p, str) for p in stored["answer"]["passages"])
    # The lines are the documents' own, as the answer showed them.
    assert stored["answer"]["quoted"] and all(line in shown for line in stored["answer"]["quoted"])


def test_a_turn_older_than_the_follow_up_window_is_not_leaned_on(sample_settings: Settings) -> None:
    user = f"fu-{uuid.uuid4().hex[:8]}"
    assistant, channel, console = _chat(sample_settings, user)
    _say(assistant, channel, console, "what should I put in my notes after a child discloses?")

    expired = sample_settings.model_copy(update={"follow_up_minutes": 0.0})
    later, channel, console = _chat(expired, user)
    shown = _say(later, channel, console, "and what about that one?")

    # On its own, "and what about that one?" says nothing the documents can answer. ("who do I tell about
    # it?" does now: "tell" is a word of the question, and the documents say who to tell.)
    assert "won't guess" in shown


def test_a_new_question_starts_a_new_thread_of_follow_ups(sample_settings: Settings) -> None:
    assistant, channel, console = _chat(sample_settings, f"fu-{uuid.uuid4().hex[:8]}")
    _say(assistant, channel, console, "what should I put in my notes after a child discloses?")
    _say(assistant, channel, console, "How many working days does the partnership have to complete a rapid review?")

    shown = _say(assistant, channel, console, "and who decides that?")

    assert "disclos" not in " ".join(_quoted(shown)).casefold()


def test_a_fragment_naming_another_area_is_the_last_question_asked_of_that_area(sample_settings: Settings) -> None:
    assistant, channel, console = _chat(sample_settings, f"fu-{uuid.uuid4().hex[:8]}")
    _say(assistant, channel, console, "eastbrook front door number")

    shown = _say(assistant, channel, console, "and northshire's?")

    assert "01632 960120" in shown, shown  # the Northshire MASH, not Eastbrook's Front Door again


def test_a_fragment_naming_another_stage_swaps_the_stage_and_the_next_one_builds_on_it(
        sample_settings: Settings) -> None:
    assistant, channel, console = _chat(sample_settings, f"fu-{uuid.uuid4().hex[:8]}")
    _say(assistant, channel, console, "escalation stage 2 how long have we got")

    assert "Within 10 working days of referral" in _say(assistant, channel, console, "and stage 4?")
    # "and stage 3?" now follows "escalation stage 4 how long have we got", not the fragment alone.
    assert "Within 5 working days of stage 2 ending" in _say(assistant, channel, console, "and stage 3?")


def test_a_fragment_naming_an_adult_replaces_the_child_of_the_last_question(sample_settings: Settings) -> None:
    assistant, channel, console = _chat(sample_settings, f"fu-{uuid.uuid4().hex[:8]}")
    _say(assistant, channel, console, "who do i phone about a child at risk in eastbrook")

    shown = _say(assistant, channel, console, "and if its an adult with care needs?")

    assert "01632 960350" in shown, shown  # Eastbrook Adult Care Connect


def test_slack_and_teams_threads_each_keep_their_own_last_question(sample_settings: Settings) -> None:
    """The core keys the thread by the channel's thread id: a follow-up in one thread leans on that
    thread's question, never on the same person's question in another thread."""
    from bot.messages import Message

    assistant = Assistant(sample_settings)
    user = f"fu-{uuid.uuid4().hex[:8]}"
    for channel in ("slack", "teams"):
        eastbrook, northshire = f"C1:{uuid.uuid4().hex[:6]}", f"C1:{uuid.uuid4().hex[:6]}"
        assistant.handle(Message(user_id=user, text="whats the LADO number in eastbrook", thread_id=eastbrook,
                                 channel=channel))
        assistant.handle(Message(user_id=user, text="how do i refer to the MASH in northshire",
                                 thread_id=northshire, channel=channel))

        reply = assistant.handle(Message(user_id=user, text="and their email?", thread_id=eastbrook,
                                         channel=channel)).replies[0].text

        assert "lado@eastbrook.example.org" in reply, (channel, reply)


# Follow-ups right, per corpus, as measured with bench/follow_ups.py when the fragment reading came in
# (before it: tune knowledge 7/14, seeds 1/1, real 1/3; check knowledge 7/13, seeds 2/3, real 3/8).
# The check pairs were written before the mechanism and are never tuned on. With 20 pairs more (fu19-fu28,
# fc25-fc34) and the last answer's lines read with a follow-up: tune knowledge 18/22 (15 without), real
# 3/5, seeds 1/1; check knowledge 16/21, real 6/10, seeds 3/3 (the same without).
FLOORS = {("tune", "knowledge"): 18, ("tune", "seeds"): 1, ("tune", "real"): 3,
          ("check", "knowledge"): 16, ("check", "seeds"): 3, ("check", "real"): 5}
FIXTURES = {"knowledge": "sample_settings", "seeds": "seeds_settings", "real": "real_settings"}


@pytest.mark.parametrize("part, corpus", sorted(FLOORS))
def test_the_follow_up_sets_keep_their_measured_figures(part: str, corpus: str, request: pytest.FixtureRequest) -> None:
    settings: Settings = request.getfixturevalue(FIXTURES[corpus])
    pairs = [p for p in load_follow_ups(DATA / f"followups_{part}.jsonl") if p.corpus == corpus]

    results = score_follow_ups(settings, pairs, user_prefix=f"fu-{uuid.uuid4().hex[:6]}")

    right = sum(r.right for r in results)
    assert right >= FLOORS[(part, corpus)], [(r.pair_id, r.first_line) for r in results if not r.right]
