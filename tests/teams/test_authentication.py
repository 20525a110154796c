"""Every request to /api/messages must carry a valid Bot Framework token when auth is on.

Tokens are signed with an RSA key generated here. The Agents SDK fetches its
signing keys from login.botframework.com; there is no internet on loopback, so
the SDK's own JWKS client for that URL is pointed at the stand-in's /jwks.
Everything else (header parsing, RS256 signature, expiry, audience, issuer
allow-list) is the SDK's real validation path. Outbound tokens would come from
Entra ID via MSAL; here the token provider is a stand-in returning a fixed
token, so that the connector stand-in can check it arrives.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from jwt import PyJWKClient
from microsoft_agents.hosting.core import AgentAuthConfiguration, AnonymousTokenProvider
from microsoft_agents.hosting.core.authorization import AuthenticationConstants
from microsoft_agents.hosting.core.authorization.jwt import JwtTokenValidator
from microsoft_agents.hosting.core.authorization.jwt.jwt_token_validator import _JwkClientCacheEntry

from bot.config import Settings

from .harness import TokenIssuer, message_activity

APP_ID = "0f3c2d1e-aaaa-4bbb-8ccc-000000000042"
TENANT_ID = "72f988bf-0000-4000-8000-000000000001"
OUTBOUND_TOKEN = "outbound-token-from-entra-stand-in"


class EntraStandIn(AnonymousTokenProvider):
    """Plays Entra ID's token endpoint for outgoing calls: a fixed bearer token."""

    async def get_access_token(
        self, resource_url: str, scopes: list[str], force_refresh: bool = False
    ) -> str:
        return OUTBOUND_TOKEN


def entra_stand_in(_configuration: AgentAuthConfiguration) -> EntraStandIn:
    return EntraStandIn()


@pytest.fixture
def issuer(connector) -> Iterator[TokenIssuer]:
    """Our signing key, published at the stand-in's /jwks for the SDK's Bot Framework key URL."""
    issuer = TokenIssuer()
    connector.jwks = issuer.jwks
    cache = JwtTokenValidator._jwk_client_manager._cache
    url = AuthenticationConstants.PUBLIC_ABS_JWKS_URL
    previous = cache.get(url)
    cache[url] = _JwkClientCacheEntry(PyJWKClient(f"{connector.url}jwks"), threading.Lock())
    yield issuer
    if previous is None:
        cache.pop(url, None)
    else:
        cache[url] = previous


@pytest.fixture
def secured_settings(tmp_path: Any) -> Settings:
    return Settings(
        SGBOT_DATA_DIR=tmp_path,
        TEAMS_APP_ID=APP_ID,
        TEAMS_TENANT_ID=TENANT_ID,
        TEAMS_APP_PASSWORD="not-used-the-token-provider-is-a-stand-in",
        # The connector stand-in is http://127.0.0.1, which the Microsoft host check refuses.
        TEAMS_CHECK_SERVICE_URL=False,
    )


@pytest.fixture
def secured(secured_settings, serve, issuer):
    return serve(secured_settings, provider_factory=entra_stand_in)


def test_a_request_with_a_valid_token_is_answered(secured, issuer, connector, post):
    token = issuer.token(audience=APP_ID, service_url=connector.url)
    response = post(secured, message_activity("about", service_url=connector.url), token=token)
    assert response.status_code in (200, 202)
    [reply] = connector.posted("a:personal-pat")
    assert "Refer a case" in reply["text"]
    sent = [r for r in connector.requests if r.path.startswith("/v3/conversations/a:personal-pat/")]
    assert sent[0].headers["authorization"] == f"Bearer {OUTBOUND_TOKEN}"


def test_a_request_without_a_token_is_refused_and_does_nothing(secured, connector, post):
    response = post(secured, message_activity("about", service_url=connector.url))
    assert response.status_code == 401
    assert connector.posted() == []


@pytest.mark.parametrize(
    "problem",
    ["signed by another key", "for another bot", "expired", "not a bearer token", "garbage"],
)
def test_a_request_with_an_invalid_token_is_refused(problem, secured, issuer, connector, post):
    if problem == "signed by another key":
        token = TokenIssuer(kid=issuer.kid).token(audience=APP_ID, service_url=connector.url)
    elif problem == "for another bot":
        token = issuer.token(audience="another-app-id", service_url=connector.url)
    elif problem == "expired":
        # Beyond the SDK's five minutes of clock-skew leeway.
        token = issuer.token(audience=APP_ID, service_url=connector.url, expires_in=-600)
    elif problem == "not a bearer token":
        token = "Basic dXNlcjpwYXNz"
    else:
        token = "not.a.jwt"
    activity = message_activity("about", service_url=connector.url)
    if problem == "not a bearer token":
        import httpx

        response = httpx.post(f"{secured.url}/api/messages", json=activity, headers={"Authorization": token})
    else:
        response = post(secured, activity, token=token)
    assert response.status_code == 401
    assert connector.posted() == []


def test_a_token_from_an_unexpected_issuer_is_refused(secured, issuer, connector, post):
    token = issuer.token(audience=APP_ID, service_url=connector.url, iss="https://attacker.example/")
    response = post(secured, message_activity("about", service_url=connector.url), token=token)
    assert response.status_code == 401
    assert connector.posted() == []


def test_an_activity_pointing_replies_outside_microsoft_is_refused(tmp_path, serve, issuer, connector, post):
    # With the service-URL check on (the default), a valid token does not let a
    # caller send the bot's replies, and its token, to a host of their choosing.
    settings = Settings(
        SGBOT_DATA_DIR=tmp_path, TEAMS_APP_ID=APP_ID, TEAMS_TENANT_ID=TENANT_ID, TEAMS_APP_PASSWORD="x"
    )
    served = serve(settings, provider_factory=entra_stand_in)
    token = issuer.token(audience=APP_ID, service_url=connector.url)
    response = post(served, message_activity("about", service_url=connector.url), token=token)
    assert response.status_code == 401
    assert connector.posted() == []


def test_a_token_without_a_key_id_is_refused_with_401_not_a_server_error(secured, issuer, connector, post):
    import jwt as pyjwt

    claims = {"iss": "https://api.botframework.com", "aud": APP_ID, "serviceurl": connector.url}
    token = pyjwt.encode(claims, issuer.key, algorithm="RS256")  # no "kid" in the header
    response = post(secured, message_activity("about", service_url=connector.url), token=token)
    assert response.status_code == 401
    assert connector.posted() == []
