"""The checklist in real `sgbot chat` and `sgbot converse` processes: a chat started again finds the
draft waiting where the user left it; a button's number presses its typed command; an old button sent
to `sgbot converse` is refused."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.deploy.processes import SGBOT, base_environment

from .helpers import CHILD_REFERRAL


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    return base_environment(SGBOT_DATA_DIR=str(tmp_path / "data"), COLUMNS="160", TERM="dumb")


def sgbot(environment: dict[str, str], *args: str, stdin: str) -> str:
    result = subprocess.run([SGBOT, *args], input=stdin, capture_output=True, text=True, env=environment,
                            timeout=300, cwd=Path(environment["SGBOT_DATA_DIR"]).parent)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    return result.stdout


def chat(environment: dict[str, str], *lines: str) -> str:
    return sgbot(environment, "chat", "--user", "practitioner.one", stdin="\n".join([*lines, "quit"]) + "\n")


def test_a_restarted_sgbot_chat_says_a_draft_is_waiting_and_carries_on_where_the_user_was(
    environment: dict[str, str],
) -> None:
    first = chat(environment, "refer", "1", "1", "yes")  # type, safe now (button 1), abuse or neglect
    assert "Has the child died" in first

    restarted = chat(environment, "yes")  # a new process: nothing in memory
    before_typing = restarted.split("you>")[0]
    assert "you have a referral draft waiting" in before_typing
    assert "Has the child died, or been seriously harmed?" in before_typing  # the question they were on
    assert "Question 4 of" in before_typing
    after = restarted.split("you>")[1]
    assert "discussed the case with your line manager" in after  # "yes" answered the waiting question


def test_a_new_sgbot_chat_with_no_draft_says_nothing_about_one(environment: dict[str, str]) -> None:
    shown = chat(environment)
    assert "draft" not in shown.lower()


def converse(environment: dict[str, str], *lines: dict[str, str]) -> list[dict[str, Any]]:
    stdin = "".join(json.dumps(line) + "\n" for line in lines)
    out = sgbot(environment, "converse", "--user", "practitioner.two", stdin=stdin)
    return [json.loads(line) for line in out.splitlines()]


def test_sgbot_converse_shows_typed_buttons_and_refuses_an_old_one(environment: dict[str, str]) -> None:
    [started] = converse(environment, {"text": "refer"})
    first_question = started["replies"][-1]["buttons"]
    adult = next(b["value"] for b in first_question if b["label"].startswith("An adult with care"))
    child = next(b["value"] for b in first_question if b["label"].startswith("A child has died"))
    assert json.loads(child)["kind"] == "answer" and json.loads(child)["step"] == "review_type"

    pressed, old = converse(environment, {"action": child}, {"action": adult})
    assert pressed["expects"]["step"] == "safe_now"
    assert "belongs to an earlier point" in old["replies"][0]["text"]
    assert old["expects"]["step"] == "safe_now"  # still where the user is; the old press changed nothing
    answers = [{"text": answer} for _, answer in CHILD_REFERRAL[1:]]
    *_, summary = converse(environment, *answers)
    assert summary["expects"]["step"] == "summary"
    submit = next(b["value"] for b in summary["replies"][-1]["buttons"] if b["label"] == "Submit")
    [receipt] = converse(environment, {"action": submit})
    assert "PR-" in receipt["replies"][0]["text"]
