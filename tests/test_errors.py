"""One exception root: what sgbot raises on purpose is a message and an exit code, never a traceback."""

from __future__ import annotations

from typer.testing import CliRunner

from bot.channels.slack.client import SlackNotConfigured
from bot.channels.teams.startup import TeamsConfigError
from bot.cli import app
from bot.config import get_settings
from bot.errors import ConfigurationError, SgbotError
from bot.outbox.worker import DeliveryFailed
from bot.referral.answers import InvalidAnswer
from bot.referral.errors import QueueError


def test_errors_a_person_can_cause_share_one_root() -> None:
    for error in (SlackNotConfigured, TeamsConfigError, QueueError, InvalidAnswer, DeliveryFailed):
        assert issubclass(error, SgbotError), error
    assert issubclass(TeamsConfigError, ValueError)  # what callers caught before still catches it


def test_the_command_line_prints_a_configuration_error_and_exits_2(tmp_path: object) -> None:
    env = {"SGBOT_DATA_DIR": str(tmp_path), "TEAMS_ANONYMOUS": "true"}
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0"], env=env)
    finally:
        get_settings.cache_clear()
    assert result.exit_code == ConfigurationError.exit_code == 2
    assert "TEAMS_ANONYMOUS is on" in result.output and "Traceback" not in result.output
