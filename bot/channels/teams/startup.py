"""Whether `sgbot serve` may host Teams' /api/messages with the current settings.

Kept free of SDK imports so that `serve` can refuse a bad configuration before
loading anything heavy.
"""

from __future__ import annotations

import ipaddress

from bot.config import Settings
from bot.errors import ConfigurationError


class TeamsConfigError(ConfigurationError, ValueError):
    """A Teams setting is missing or unsafe; the message names the fix."""


_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost; False for 0.0.0.0 and real addresses."""
    name = host.strip().strip("[]").lower()
    if name in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def teams_configured(settings: Settings) -> bool:
    """Teams is served when an app id is set or anonymous mode is explicitly on."""
    return bool(settings.teams_app_id) or settings.teams_anonymous


def check_teams_can_start(settings: Settings, host: str) -> bool:
    """True if /api/messages should be mounted, False if Teams is not configured.

    Raises `TeamsConfigError` when the configuration would start an unsafe or
    broken endpoint: anonymous mode on a non-loopback address (anyone could post
    activities as any user), or an app id without a credential or tenant (every
    reply would fail at token time, long after start-up).
    """
    if not teams_configured(settings):
        return False
    if settings.teams_anonymous:
        if not is_loopback(host):
            raise TeamsConfigError(
                f"TEAMS_ANONYMOUS is on, which accepts Teams requests without a token, but the server "
                f"would listen on {host!r}. Anonymous mode is only for local testing: bind to 127.0.0.1 "
                f"(sgbot serve --host 127.0.0.1), or switch TEAMS_ANONYMOUS off and set TEAMS_APP_ID, "
                f"TEAMS_TENANT_ID and TEAMS_APP_PASSWORD (or TEAMS_CERT_PFX_FILE)."
            )
        return True
    if not settings.teams_tenant_id:
        raise TeamsConfigError(
            "TEAMS_APP_ID is set but TEAMS_TENANT_ID is not: set it to the Directory (tenant) ID of the "
            "bot's Entra ID app registration (Azure portal → Microsoft Entra ID → Overview)."
        )
    has_secret = settings.teams_app_password is not None and bool(
        settings.teams_app_password.get_secret_value()
    )
    if settings.teams_cert_pfx_file is not None:
        if has_secret:
            raise TeamsConfigError(
                "Both TEAMS_APP_PASSWORD and TEAMS_CERT_PFX_FILE are set: choose one credential "
                "(a certificate is preferred) and unset the other."
            )
        if not settings.teams_cert_pfx_file.is_file():
            raise TeamsConfigError(
                f"TEAMS_CERT_PFX_FILE points to {str(settings.teams_cert_pfx_file)!r}, which is not a file: "
                f"give the path of the PFX certificate uploaded to the app registration."
            )
        return True
    if not has_secret:
        raise TeamsConfigError(
            "TEAMS_APP_ID is set but there is no credential: set TEAMS_APP_PASSWORD to a client secret "
            "of the app registration, or TEAMS_CERT_PFX_FILE to its certificate."
        )
    return True
