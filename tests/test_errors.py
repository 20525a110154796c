"""One exception root: what sgbot raises on purpose is a message and an exit code, never a traceback."""

from __future__ import annotations

import ast
import builtins
import importlib
from pathlib import Path

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


REPO = Path(__file__).resolve().parent.parent
# Raised and caught inside one channel's HTTP handling and answered with a status code: never shown
# to a person as an error, never reaching the command line.
HTTP_ONLY = {"bot.channels.inbound.Refused"}


def _exception_classes() -> list[str]:
    """Every class in bot/ and ingest/ whose bases include an exception (by the names in its source)."""
    known = {name for name in dir(builtins) if name.endswith(("Error", "Exception"))}
    found = []
    for path in sorted([*(REPO / "bot").rglob("*.py"), *(REPO / "ingest").rglob("*.py")]):
        module = ".".join(path.relative_to(REPO).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases}
                if bases & known or any(b.endswith(("Error", "Exception", "Refused", "Failed")) for b in bases):
                    found.append(f"{module}.{node.name}")
    return found


def test_every_exception_sgbot_defines_has_the_one_root_and_so_an_exit_code() -> None:
    classes = _exception_classes()
    assert len(classes) > 20  # the scan finds them (there are ~30)
    outside = []
    for qualified in classes:
        module, name = qualified.rsplit(".", 1)
        error = getattr(importlib.import_module(module), name)
        if issubclass(error, BaseException) and not issubclass(error, SgbotError) and qualified not in HTTP_ONLY:
            outside.append(qualified)
    assert outside == []
