"""The queue on the command line, as a new user would meet it: fits the terminal, says things in sentences."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.config import Settings
from bot.db import open_database
from bot.referral.errors import IllegalTransition
from bot.referral.queue import Actor, ReviewQueue

from .test_interfaces import _sgbot, _submit_one


@pytest.fixture
def cli_env(sqlite_settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SGBOT_", "DATABASE_URL"))}
    env.update(SGBOT_DATA_DIR=str(sqlite_settings.data_dir), SGBOT_BUSINESS_UNIT="officer.one,officer.two",
               COLUMNS="80")
    return env


def test_queue_list_fits_80_columns_with_review_types_by_name(
    sqlite_settings: Settings, cli_env: dict[str, str]
) -> None:
    reference = _submit_one(sqlite_settings, "practitioner.one")
    listed = _sgbot(cli_env, "queue", "list").stdout
    assert reference in listed
    assert max(len(line) for line in listed.splitlines()) <= 80
    assert "serious_child" not in listed and "Serious child" in listed


def test_queue_list_as_someone_outside_the_business_unit_says_so(
    sqlite_settings: Settings, cli_env: dict[str, str]
) -> None:
    _submit_one(sqlite_settings, "practitioner.one")
    output = _sgbot(cli_env, "queue", "list", "--as", "someone.else").stdout
    assert "someone.else is not in the business unit" in output


def test_queue_show_lays_answers_out_by_section_without_markdown_stars(
    sqlite_settings: Settings, cli_env: dict[str, str]
) -> None:
    reference = _submit_one(sqlite_settings, "practitioner.one")
    shown = _sgbot(cli_env, "queue", "show", reference).stdout
    assert "**" not in shown
    position = 0
    for title in ("Review and criteria", "Agreement and consultation", "About the person", "What happened", "Referrer"):
        position = shown.index(title, position)  # each section after the one before


def test_a_refused_move_is_a_proper_sentence(sqlite_settings: Settings, tmp_path: Path) -> None:
    reference = _submit_one(sqlite_settings, "practitioner.one")
    database = open_database(sqlite_settings)
    queue = ReviewQueue(database, sqlite_settings)
    officer = Actor("officer.one")
    try:
        with pytest.raises(IllegalTransition, match=rf"^Can't complete {reference}: it is submitted\."):
            queue.move(officer, reference, "completed")
        queue.decide(officer, reference, "accepted", "Criteria met", review_type="rapid_review")
        with pytest.raises(IllegalTransition, match=rf"^Can't record the decision “not accepted” on {reference}"):
            queue.decide(officer, reference, "not_accepted", "Changed my mind")
    finally:
        database.dispose()
