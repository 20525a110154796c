"""The terminal under attack, through real `sgbot chat`, `sgbot converse` and `sgbot queue` processes
(stdin in, stdout read back): escape sequences, bidi overrides, NUL and Rich markup typed as questions,
checklist answers and replies are shown, never executed; a disclosure typed as a checklist answer gets
the emergency route first, and is still saved as the answer."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hostile_strings import CLEAR_SCREEN, CLIPBOARD, RICH_MARKUP, RLO, TERMINAL_LINK
from referral.helpers import CHILD_REFERRAL

from tests.deploy.processes import SGBOT, base_environment

# Everything a terminal would obey, typed in one line: clipboard write, screen clear, hidden link,
# NUL, BEL, a C1 control sequence introducer, a right-to-left override, and Rich markup.
TYPED = f"{RICH_MARKUP} {CLIPBOARD} {CLEAR_SCREEN} {TERMINAL_LINK} NUL\x00 BEL\x07 CSI\x9b31m {RLO}"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
DISCLOSURE = "She has just told me her stepfather hit her tonight and she is scared to go home"
OFFICER = "officer.one"


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    # Not a terminal: Rich writes no escape sequences of its own, so any in the output came from input.
    return base_environment(SGBOT_DATA_DIR=str(tmp_path / "data"), SGBOT_BUSINESS_UNIT=OFFICER, COLUMNS="160",
                            TERM="dumb")


def sgbot(environment: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    result = subprocess.run([SGBOT, *args], input=stdin, capture_output=True, text=True, env=environment,
                            timeout=300, cwd=Path(environment["SGBOT_DATA_DIR"]).parent)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    return result


def converse(environment: dict[str, str], user: str, *lines: str) -> list[dict[str, Any]]:
    stdin = "".join(json.dumps({"text": line}) + "\n" for line in lines)
    replies = [json.loads(line) for line in sgbot(environment, "converse", "--user", user, stdin=stdin)
               .stdout.splitlines()]
    assert len(replies) == len(lines)
    return replies


def _raw_controls(text: str) -> list[str]:
    return sorted({f"U+{ord(c):04X}" for c in RAW.findall(text)})


def test_sgbot_chat_shows_escape_sequences_bidi_nul_and_markup_as_text(environment: dict[str, str]) -> None:
    lines = ["refer", TYPED, "quit"]  # the typed line answers the "which kind of review" choice

    shown = sgbot(environment, "chat", "--user", "practitioner.one", stdin="\n".join(lines) + "\n").stdout

    assert _raw_controls(shown) == []  # the checklist's echo drops controls; nothing reaches the terminal raw
    assert "isn't one of the choices" in shown
    assert f'"{RICH_MARKUP} ' in shown  # Rich markup shown as typed, not obeyed (and `[/]` did not crash it)


def test_sgbot_chat_tolerates_markup_and_escapes_in_a_question(environment: dict[str, str]) -> None:
    # No index here: the question gets the "nothing indexed" answer. What matters is the terminal.
    result = sgbot(environment, "chat", "--user", "practitioner.two", stdin=f"What about {TYPED}?\nquit\n")

    assert _raw_controls(result.stdout) == []
    assert "MarkupError" not in result.stderr


def test_a_disclosure_typed_as_a_checklist_answer_in_sgbot_chat_gets_the_emergency_route_first(
    environment: dict[str, str],
) -> None:
    before = [answer for _, answer in CHILD_REFERRAL[:6]]  # up to the senior lead's name (free text)
    lines = ["refer", *before, DISCLOSURE, "quit"]

    shown = sgbot(environment, "chat", "--user", "practitioner.three", stdin="\n".join(lines) + "\n").stdout
    after_disclosure = shown.split("you>")[len(lines) - 1]

    assert "999" in after_disclosure
    assert after_disclosure.index("999") < after_disclosure.index("Has the family been told")


def test_a_disclosure_typed_as_a_checklist_answer_in_sgbot_converse_comes_first_and_is_saved(
    environment: dict[str, str],
) -> None:
    before = [answer for _, answer in CHILD_REFERRAL[:6]]  # up to the senior lead's name (free text)

    outcomes = converse(environment, "practitioner.four", "refer", *before, DISCLOSURE)
    replies = outcomes[-1]["replies"]
    resumed = converse(environment, "practitioner.four", "back")

    assert replies[0]["text"].startswith("🚨") and "999" in replies[0]["text"]
    assert outcomes[-1]["expects"]["step"] == "family_consulted"  # the answer was taken, and the steps go on
    assert resumed[0]["expects"]["step"] == "senior_lead" and "stepfather" in json.dumps(resumed)


def test_sgbot_converse_writes_control_and_bidi_characters_visibly(environment: dict[str, str]) -> None:
    [outcome] = converse(environment, "practitioner.five", TYPED)
    written = json.dumps(outcome, ensure_ascii=False)

    assert _raw_controls(written) == []


def test_a_hostile_referrer_name_and_reply_are_text_in_sgbot_queue_show(environment: dict[str, str]) -> None:
    referrer = "practitioner.six"
    answers = [(step, f"Robin {CLIPBOARD} {RICH_MARKUP}" if step == "referrer_name" else answer)
               for step, answer in CHILD_REFERRAL]
    outcomes = converse(environment, referrer, "refer", *[answer for _, answer in answers], "submit")
    reference = re.search(r"PR-\d{4}-\d+", json.dumps(outcomes[-1])).group(0)  # type: ignore[union-attr]
    sgbot(environment, "queue", "triage", reference, "request-info", "--question", "What did the GP know?",
          "--as", OFFICER)
    converse(environment, referrer, f"reply {reference}", f"The GP knew. {TYPED}")

    shown = sgbot(environment, "queue", "show", reference, "--as", OFFICER).stdout

    assert _raw_controls(shown) == []
    # The checklist drops controls from a name; the reply is kept as typed and drawn with them visible.
    assert f"Robin ]52;c;ZXZpbA==copied {RICH_MARKUP}" in shown
    assert "␛]52;c;ZXZpbA==␇copied" in shown and "␛[2Jcleared" in shown and "NUL␀ BEL␇" in shown
    assert "<U+202E>" in shown and "<U+009B>" in shown


def test_a_too_long_reply_in_sgbot_converse_is_refused_naming_the_limit_and_the_shortened_one_is_attached(
    environment: dict[str, str],
) -> None:
    filed = converse(environment, "practitioner.six", "refer", *[answer for _, answer in CHILD_REFERRAL], "submit")
    reference = re.findall(r"PR-\d{4}-\d{4}", json.dumps(filed[-1]))[0]
    sgbot(environment, "queue", "triage", reference, "request-info", "--question", "Which hospital?",
          "--as", OFFICER)

    outcomes = converse(environment, "practitioner.six", f"reply {reference}", "x" * 8001,
                        "Northshire General, children's ward.")
    refused = json.dumps(outcomes[1])
    shown = sgbot(environment, "queue", "show", reference, "--as", OFFICER).stdout

    assert "8001 characters" in refused and "limit is 8000" in refused
    assert "has been added" in json.dumps(outcomes[2])  # still replying: attached, not taken as a question
    assert "Northshire General" in shown and "xxxxxxxxxx" not in shown


def test_an_answer_citing_a_document_titled_with_markup_and_escapes_is_text_in_sgbot_ask(
    environment: dict[str, str], tmp_path: Path
) -> None:
    # Issue 9: a title with `[/]` crashed `sgbot ask` (Rich markup), and ESC sequences in a title reached
    # the terminal. The title is written as a JSON string, which YAML reads with its escapes.
    title = f"Pond safety {RICH_MARKUP} {CLEAR_SCREEN} {CLIPBOARD} {RLO}"
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "ponds.md").write_text(
        f"---\ntitle: {json.dumps(title)}\nkind: procedure\nareas: [Northshire]\ntopic: pond-safety\n"
        "effective: 2026-01-01\nsource_url: https://example.org/ponds\n---\n# Garden ponds\n\n"
        "Fence every garden pond at a childminder's home with a locked gate at least 1.2 metres high.\n",
        encoding="utf-8",
    )
    sgbot(environment, "ingest", str(documents))

    shown = sgbot(environment, "ask", "How high must the fence round a garden pond at a childminder's be?").stdout

    assert "1.2 metres" in shown  # answered, and cited
    assert _raw_controls(shown) == []
    assert "Guidance [/] on [bold red]markup[/bold red]" in shown  # markup shown as written, not obeyed
    assert "␛[2Jcleared" in shown and "<U+202E>" in shown
