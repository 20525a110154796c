"""The command-line interfaces, run as real processes: `sgbot converse` survives being killed,
and `sgbot queue` lists, shows, triages and exports with the configured roles."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.assistant import Assistant
from bot.config import Settings

from .helpers import CHILD_REFERRAL, Chat

SGBOT = Path(sys.executable).parent / "sgbot"


@pytest.fixture
def env(db_url: str, tmp_path: Path) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("SGBOT_", "DATABASE_URL"))}
    environment.update(
        SGBOT_DATA_DIR=str(tmp_path / "data"),
        SGBOT_BUSINESS_UNIT="officer.one,officer.two",
        SGBOT_ADMINS="admin.user",
    )
    if db_url.startswith("postgresql"):
        environment["DATABASE_URL"] = db_url
    return environment


class Converse:
    """`sgbot converse` in lockstep: one JSON line in, exactly one JSON line out."""

    def __init__(self, env: dict[str, str], user: str) -> None:
        self.process = subprocess.Popen(
            [str(SGBOT), "converse", "--user", user],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=env["SGBOT_DATA_DIR"].rsplit("/", 1)[0],
        )

    def send_raw(self, line: str) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        out = self.process.stdout.readline()
        assert out, "sgbot converse closed its output"
        return json.loads(out)  # type: ignore[no-any-return]

    def say(self, text: str) -> dict[str, Any]:
        return self.send_raw(json.dumps({"text": text}))

    def press(self, value: str) -> dict[str, Any]:
        return self.send_raw(json.dumps({"action": value}))

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


def test_converse_survives_a_kill_half_way_and_resumes_on_continue(env: dict[str, str]) -> None:
    first = Converse(env, "practitioner.one")
    out = first.say("refer")
    assert out["expects"]["step"] == "review_type"
    assert set(out) == {"replies", "expects"}
    assert all(set(r) == {"text", "buttons"} for r in out["replies"])
    half = len(CHILD_REFERRAL) // 2
    for step, answer in CHILD_REFERRAL[:half]:
        assert out["expects"]["step"] == step
        out = first.say(answer)
    where = out["expects"]["step"]
    first.kill()  # no goodbye, no flush: everything must already be in the database

    second = Converse(env, "practitioner.one")
    out = second.say("continue")
    assert out["expects"]["step"] == where
    assert "Welcome back" in out["replies"][0]["text"]
    for step, answer in CHILD_REFERRAL[half:]:
        assert out["expects"]["step"] == step
        out = second.say(answer)
    assert out["expects"] == {"step": "summary", "type": "confirm", "options": ["submit", "change", "cancel"]}
    summary = out["replies"][-2]["text"]  # the summary; the Submit prompt follows it
    assert "R. Patel, named nurse for safeguarding" in summary  # answered before the kill
    out = second.press("submit")
    assert "PR-" in out["replies"][0]["text"] and out["expects"] is None
    second.close()


def test_converse_answers_bad_lines_with_one_line_naming_the_problem(env: dict[str, str]) -> None:
    session = Converse(env, "practitioner.two")
    assert "not JSON" in session.send_raw("refer")["error"]
    assert 'string "text" or "action"' in session.send_raw('{"text": 5}')["error"]
    assert session.say("refer")["expects"]["step"] == "review_type"
    session.close()


def _sgbot(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(SGBOT), *args], capture_output=True, text=True, env=env, timeout=60)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def _submit_one(settings: Settings, user: str) -> str:
    chat = Chat(Assistant(settings), user)
    chat.send("refer")
    chat.answer_all(CHILD_REFERRAL)
    [notification] = chat.press("submit").notifications
    return notification.referral_reference or ""


def test_queue_cli_lists_shows_triages_and_exports(sqlite_settings: Settings, tmp_path: Path) -> None:
    # The queue itself is tested on both databases (test_queue.py); this is the command line over it.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SGBOT_", "DATABASE_URL"))}
    env.update(SGBOT_DATA_DIR=str(sqlite_settings.data_dir), SGBOT_BUSINESS_UNIT="officer.one,officer.two")
    reference = _submit_one(sqlite_settings, "practitioner.one")
    listed = json.loads(_sgbot(env, "queue", "list", "--json").stdout)
    assert [r["reference"] for r in listed] == [reference]
    row = listed[0]
    assert {
        "reference",
        "status",
        "review_type",
        "submitted_at",
        "notification_due",
        "rapid_review_due",
    } <= set(row)
    assert row["status"] == "submitted" and row["review_type"] == "serious_child"

    decided = _sgbot(
        env,
        "queue",
        "triage",
        reference,
        "accept",
        "--type",
        "rapid_review",
        "--reason",
        "Meets the criteria.",
        "--json",
    )
    payload = json.loads(decided.stdout)
    assert payload["referral"]["status"] == "accepted"
    assert payload["notifications"][0]["audience"] == "practitioner.one"

    stale = _sgbot(env, "queue", "triage", reference, "assign", "--expect-version", "1", check=False)
    assert stale.returncode == 1 and "changed while you were looking" in stale.stderr

    shown = json.loads(_sgbot(env, "queue", "show", reference, "--json").stdout)
    assert [e["action"] for e in shown["events"]] == ["submitted", "accepted"]

    exported = list(csv.DictReader(io.StringIO(_sgbot(env, "queue", "export", "--format", "csv").stdout)))
    assert exported[0]["reference"] == reference and exported[0]["status"] == "accepted"

    # Roles apply on the command line too: a practitioner sees only their own referrals.
    assert json.loads(_sgbot(env, "queue", "list", "--json", "--as", "someone.else").stdout) == []
