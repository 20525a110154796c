"""Entra ID configuration for the Agents SDK, built from our `Settings`.

The SDK normally reads `CONNECTIONS__SERVICE_CONNECTION__SETTINGS__…` from the
environment; we build the same objects from `TEAMS_*` settings so that all
configuration goes through one `Settings` object and secrets stay `SecretStr`
until the moment MSAL needs them.
"""

from __future__ import annotations

from collections.abc import Callable

from microsoft_agents.hosting.core import (
    AccessTokenProviderBase,
    AgentAuthConfiguration,
    AuthTypes,
    ConnectionManager,
)

from bot.config import Settings

SERVICE_CONNECTION = "SERVICE_CONNECTION"

ProviderFactory = Callable[[AgentAuthConfiguration], AccessTokenProviderBase]


def auth_configuration(settings: Settings) -> AgentAuthConfiguration:
    """The JWT validation and token settings for the bot's app registration."""
    if settings.teams_anonymous and not settings.teams_app_id:
        # No app id: the SDK validates nothing and sends replies without a token.
        return AgentAuthConfiguration(anonymous_allowed=True, connection_name=SERVICE_CONNECTION)
    if settings.teams_cert_pfx_file is not None:
        return AgentAuthConfiguration(
            auth_type=AuthTypes.certificate,
            client_id=settings.teams_app_id,
            tenant_id=settings.teams_tenant_id,
            cert_pfx_file=str(settings.teams_cert_pfx_file),
            send_x5c=settings.teams_cert_send_x5c,
            connection_name=SERVICE_CONNECTION,
            anonymous_allowed=settings.teams_anonymous,
            # Opt in to the SDK's issuer allow-list (Bot Framework + our tenant).
            validate_issuer=True,
        )
    secret = settings.teams_app_password.get_secret_value() if settings.teams_app_password else None
    return AgentAuthConfiguration(
        auth_type=AuthTypes.client_secret,
        client_id=settings.teams_app_id,
        tenant_id=settings.teams_tenant_id,
        client_secret=secret,
        connection_name=SERVICE_CONNECTION,
        anonymous_allowed=settings.teams_anonymous,
        validate_issuer=True,
    )


def connection_manager(
    configuration: AgentAuthConfiguration, provider_factory: ProviderFactory | None = None
) -> ConnectionManager:
    """Outbound token providers: MSAL against Entra ID unless told otherwise.

    `provider_factory` exists for hosts with no route to Entra ID (the loopback
    tests use the SDK's own `AnonymousTokenProvider` there); production leaves
    it unset.
    """
    if provider_factory is None:
        from microsoft_agents.authentication.msal import MsalAuth

        provider_factory = MsalAuth
    return ConnectionManager(
        provider_factory=provider_factory,
        connections_configurations={SERVICE_CONNECTION: configuration},
    )
