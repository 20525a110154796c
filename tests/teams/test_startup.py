"""`sgbot serve` refuses a Teams configuration that is unsafe or cannot work."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from bot.channels.teams import TeamsConfigError, check_teams_can_start
from bot.cli import app
from bot.config import Settings

APP = {"TEAMS_APP_ID": "0f3c2d1e-aaaa-4bbb-8ccc-000000000042", "TEAMS_TENANT_ID": "tenant"}


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_without_teams_settings_teams_is_simply_off():
    assert check_teams_can_start(settings(), "0.0.0.0") is False


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"])
def test_anonymous_mode_is_allowed_on_loopback(host):
    assert check_teams_can_start(settings(TEAMS_ANONYMOUS=True), host) is True


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.1.2.3", "bot.example.org"])
def test_anonymous_mode_is_refused_anywhere_else(host):
    with pytest.raises(TeamsConfigError, match="TEAMS_ANONYMOUS.*127.0.0.1"):
        check_teams_can_start(settings(TEAMS_ANONYMOUS=True), host)


def test_an_app_id_needs_a_tenant_and_a_credential():
    with pytest.raises(TeamsConfigError, match="TEAMS_TENANT_ID"):
        check_teams_can_start(settings(TEAMS_APP_ID="x", TEAMS_APP_PASSWORD="s"), "0.0.0.0")
    with pytest.raises(TeamsConfigError, match="TEAMS_APP_PASSWORD.*TEAMS_CERT_PFX_FILE"):
        check_teams_can_start(settings(**APP), "0.0.0.0")
    assert check_teams_can_start(settings(**APP, TEAMS_APP_PASSWORD="s"), "0.0.0.0") is True


def test_a_certificate_must_exist_and_excludes_a_secret(tmp_path):
    missing = tmp_path / "bot.pfx"
    with pytest.raises(TeamsConfigError, match="not a file"):
        check_teams_can_start(settings(**APP, TEAMS_CERT_PFX_FILE=missing), "0.0.0.0")
    missing.write_bytes(b"pfx")
    assert check_teams_can_start(settings(**APP, TEAMS_CERT_PFX_FILE=missing), "0.0.0.0") is True
    with pytest.raises(TeamsConfigError, match="choose one"):
        check_teams_can_start(settings(**APP, TEAMS_CERT_PFX_FILE=missing, TEAMS_APP_PASSWORD="s"), "0.0.0.0")


def test_serve_refuses_to_start_anonymous_on_all_interfaces(monkeypatch, tmp_path):
    monkeypatch.setenv("TEAMS_ANONYMOUS", "true")
    monkeypatch.setenv("SGBOT_DATA_DIR", str(tmp_path))
    from bot.config import get_settings

    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--port", "0"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "TEAMS_ANONYMOUS" in result.output
