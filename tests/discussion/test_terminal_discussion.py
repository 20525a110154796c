"""`sgbot discuss` in the terminal: each person in their own terminal, one shared discussion.

The real command (Typer) reading typed lines from stdin, the real assistant and
a real SQLite database. Each agency's representative runs `sgbot discuss
PR-… --user …`; the facilitator starts it with a method, invites, moves between
stages and closes it; `--report FILE.docx` writes the Word report. A last run
starts a real `sgbot` process, as a user would.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.assistant import Assistant
from bot.cli import app
from bot.config import Settings, get_settings
from bot.db import forget_databases
from bot.reviews.action_plans import ActionPlans

from .filing import file_accepted_review
from .reading import docx_sections, docx_tables
from .script import ACTION_TEXT, AGENCIES, HEALTH, POLICE, SCHOOL, STEPS, check_report_sections

OFFICER = "officer.one"
PEOPLE = {POLICE: "police.rep", HEALTH: "health.rep", SCHOOL: "school.rep"}


@pytest.fixture
def environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    env = {"SGBOT_DATA_DIR": str(tmp_path / "data"), "SGBOT_BUSINESS_UNIT": OFFICER, "COLUMNS": "200"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)  # no developer's .env
    get_settings.cache_clear()
    yield env
    get_settings.cache_clear()
    forget_databases()


def terminal(reference: str, user: str, lines: list[str], *extra: str) -> str:
    """One person's terminal session: the lines they type, then end of input."""
    result = CliRunner().invoke(app, ["discuss", reference, *extra, "--user", user], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    return result.output


def test_three_agencies_discuss_in_their_terminals_and_the_word_report_is_written(
    environment: dict[str, str], tmp_path: Path
) -> None:
    reference = file_accepted_review(Assistant(Settings()), OFFICER)

    opened = terminal(reference, OFFICER, [f"invite {PEOPLE[key]} {AGENCIES[key]}" for key in PEOPLE], "kolb")
    assert "Stage 1 of 4: What happened" in opened and AGENCIES[SCHOOL] in opened
    assert "not invited" in terminal(reference, "nosy.practitioner", ["I know this family too."])

    # Each run of consecutive lines by one person is one terminal session of theirs.
    sessions: list[tuple[str, list[str]]] = []
    for who, text in STEPS:
        user = OFFICER if who == "facilitator" else PEOPLE[who]
        if sessions and sessions[-1][0] == user:
            sessions[-1][1].append(text)
        else:
            sessions.append((user, [text]))
    invited: set[str] = set()
    for user, lines in sessions:
        output = terminal(reference, user, lines)
        assert "Stage" in output  # each joins where the discussion is, and is shown the stage
        if user != OFFICER and user not in invited:  # the invitation waited for their first message
            assert f"has invited you to the Kolb's learning cycle case discussion on {reference}" in output
            invited.add(user)
    assert "is closed" in output

    document = tmp_path / "report.docx"
    written = terminal(reference, OFFICER, [], "--report", str(document))
    assert "Word report" in written
    check_report_sections(docx_sections(document.read_bytes()))
    assert docx_tables(document.read_bytes())[0][1][:2] == [ACTION_TEXT, AGENCIES[POLICE]]

    # The agreed action is on the review's action plan.
    plan = ActionPlans(Assistant(Settings()).referrals.database, Settings()).for_review(OFFICER, reference)
    assert [(i.recommendation, i.owner_agency, i.due_on) for i in plan] == [
        (ACTION_TEXT, AGENCIES[POLICE], "2027-01-31")
    ]

    refused = CliRunner().invoke(app, ["discuss", reference, "--user", "nosy.practitioner", "--report", "x.docx"])
    assert refused.exit_code == 1 and "not invited" in refused.output
    assert not (tmp_path / "x.docx").exists()

    # The installed command itself, in its own process: the business unit exports the HTML report.
    html = tmp_path / "report.html"
    process = subprocess.run(
        [str(Path(sys.executable).parent / "sgbot"), "discuss", reference, "--user", OFFICER, "--report", str(html)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **environment},
        cwd=tmp_path,
    )
    assert process.returncode == 0, process.stderr
    assert f"<h3>{AGENCIES[SCHOOL]}</h3>" in html.read_text(encoding="utf-8")


def test_a_database_that_is_down_is_one_clear_line(
    environment: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:9/sgbot")  # nothing listens on port 9
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["discuss", "PR-2026-0001", "--user", OFFICER], input="hello\n")
    assert result.exit_code == 2
    assert "The database could not be reached (OperationalError)" in result.output
    assert "Traceback" not in result.output
