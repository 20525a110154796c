"""OpenID Connect sign-in to the dashboard (Entra ID in production): the authorization-code flow with PKCE.

1. `/dashboard/oidc/login` sends the browser to the issuer's authorization endpoint with a fresh `state`,
   `nonce` and PKCE challenge (S256); the three secrets ride in a short-lived cookie signed with the
   dashboard's key, so any replica can finish the sign-in.
2. `/dashboard/oidc/callback` checks the returned `state` against that cookie, exchanges the code (with the
   PKCE verifier and the client secret) at the token endpoint, and checks the ID token: its signature
   against the issuer's published keys (JWKS), its issuer, audience, expiry and nonce (joserfc, the
   maintained JOSE library by Authlib's author; no hand-written crypto).
3. The role comes from a claim (`SGBOT_OIDC_ROLE_CLAIM`, e.g. Entra's `groups` or `roles`) whose values
   are mapped by configuration to the business unit or admin; anyone else is refused, with why.

Everything fetched from the issuer is fetched over HTTP at sign-in time (discovery document, keys): a key
rotated by the issuer is picked up at the next sign-in.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import httpx
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from itsdangerous import BadSignature, URLSafeTimedSerializer
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from bot.config import Settings
from bot.dashboard.signin import SignInRefused, signing_key
from bot.db import Database
from bot.roles import Role, role_of, sees_every_referral

COOKIE = "sgbot_oidc"
CALLBACK_PATH = "/dashboard/oidc/callback"
PENDING_SECONDS = 600  # the time someone has to sign in at the issuer
# Asymmetric algorithms only: never "none", never a shared-secret HMAC an attacker could sign with.
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256"]
CLOCK_SKEW_SECONDS = 60

NOT_CONFIGURED = "Sign-in with an organisation account is not set up here. Type dashboard in chat for a link."
TRY_AGAIN = "Go back to the sign-in page and try again, or type dashboard in chat for a link."


class OidcRefused(SignInRefused):
    """`str(error)` says why the sign-in failed and what to do."""


@dataclass(frozen=True)
class Identity:
    user_id: str
    email: str | None
    role: Role


class OidcSignIn:
    def __init__(self, database: Database, settings: Settings) -> None:
        self.database = database
        self.settings = settings

    @property
    def configured(self) -> bool:
        return bool(self.settings.oidc_issuer and self.settings.oidc_client_id)

    @property
    def redirect_uri(self) -> str:
        return self.settings.public_url.rstrip("/") + CALLBACK_PATH

    def _pending(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(signing_key(self.database, self.settings), salt="sgbot-oidc-pending")

    def _get(self, url: str) -> dict[str, Any]:
        try:
            with self._client() as client:
                response = client.get(url)
                response.raise_for_status()
                data = response.json()
        except (httpx.HTTPError, ValueError) as problem:
            raise OidcRefused(f"The organisation's sign-in service could not be reached ({type(problem).__name__}). "
                              + TRY_AGAIN) from None
        if not isinstance(data, dict):
            raise OidcRefused("The organisation's sign-in service answered with something unexpected. " + TRY_AGAIN)
        return data

    def _client(self) -> httpx.Client:
        return httpx.Client(timeout=10, follow_redirects=False)

    def metadata(self) -> dict[str, Any]:
        """The issuer's discovery document; its `issuer` must be the configured one."""
        issuer = (self.settings.oidc_issuer or "").rstrip("/")
        found = self._get(issuer + "/.well-known/openid-configuration")
        if str(found.get("issuer", "")).rstrip("/") != issuer:
            raise OidcRefused("The sign-in service's discovery document names a different issuer. " + TRY_AGAIN)
        for needed in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not isinstance(found.get(needed), str):
                raise OidcRefused(f"The sign-in service's discovery document has no {needed}. " + TRY_AGAIN)
        return found

    # --- step 1 ------------------------------------------------------------------------------

    def start(self) -> tuple[str, str]:
        """(the issuer's authorization URL to send the browser to, the signed cookie to set)."""
        if not self.configured:
            raise OidcRefused(NOT_CONFIGURED)
        metadata = self.metadata()
        state, nonce, verifier = secrets.token_urlsafe(24), secrets.token_urlsafe(24), secrets.token_urlsafe(48)
        params = {
            "response_type": "code",
            "client_id": self.settings.oidc_client_id or "",
            "redirect_uri": self.redirect_uri,
            "scope": self.settings.oidc_scopes,
            "state": state,
            "nonce": nonce,
            "code_challenge": create_s256_code_challenge(verifier),
            "code_challenge_method": "S256",
        }
        url = str(httpx.URL(metadata["authorization_endpoint"], params=params))
        cookie = self._pending().dumps({"state": state, "nonce": nonce, "verifier": verifier})
        return url, cookie

    # --- step 2 ------------------------------------------------------------------------------

    def finish(self, query: dict[str, str], cookie: str | None) -> Identity:
        """The signed-in person from the issuer's redirect back; OidcRefused saying why otherwise."""
        if not self.configured:
            raise OidcRefused(NOT_CONFIGURED)
        if query.get("error"):
            # The issuer's own words (e.g. the person cancelled): shown, autoescaped, as its reason.
            said = query.get("error_description") or query["error"]
            raise OidcRefused(f"The organisation's sign-in service refused: {said[:200]}. " + TRY_AGAIN)
        try:
            pending = self._pending().loads(cookie or "", max_age=PENDING_SECONDS)
        except BadSignature:
            raise OidcRefused("This sign-in took too long or was started in another browser. " + TRY_AGAIN) from None
        if not secrets.compare_digest(str(query.get("state", "")), str(pending.get("state", ""))):
            raise OidcRefused("This sign-in answer does not match the sign-in this browser started. " + TRY_AGAIN)
        code = query.get("code", "")
        if not code:
            raise OidcRefused("The sign-in service sent no authorization code. " + TRY_AGAIN)
        metadata = self.metadata()
        id_token = self._exchange(metadata, code, str(pending["verifier"]))
        claims = self._verified_claims(metadata, id_token, str(pending["nonce"]))
        return self._identity(claims)

    def _exchange(self, metadata: dict[str, Any], code: str, verifier: str) -> str:
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.redirect_uri,
            "client_id": self.settings.oidc_client_id or "",
            "code_verifier": verifier,
        }
        secret = self.settings.oidc_client_secret
        # A confidential client (Entra ID's web app) authenticates with its secret; without one, PKCE alone.
        auth = httpx.BasicAuth(self.settings.oidc_client_id or "", secret.get_secret_value()) if secret else None
        try:
            with self._client() as client:
                if auth is not None:
                    response = client.post(metadata["token_endpoint"], data=form, auth=auth)
                else:
                    response = client.post(metadata["token_endpoint"], data=form)
                body = response.json() if response.content else {}
        except (httpx.HTTPError, ValueError) as problem:
            raise OidcRefused(f"The sign-in service's token endpoint failed ({type(problem).__name__}). "
                              + TRY_AGAIN) from None
        if response.status_code != 200 or not isinstance(body, dict) or not isinstance(body.get("id_token"), str):
            error = body.get("error", response.status_code) if isinstance(body, dict) else response.status_code
            raise OidcRefused(f"The sign-in service did not give an ID token ({error}). " + TRY_AGAIN)
        return str(body["id_token"])

    def _verified_claims(self, metadata: dict[str, Any], id_token: str, nonce: str) -> dict[str, Any]:
        keys = KeySet.import_key_set(self._get(metadata["jwks_uri"]))  # type: ignore[arg-type]
        registry = jwt.JWTClaimsRegistry(
            leeway=CLOCK_SKEW_SECONDS,
            iss={"essential": True, "value": metadata["issuer"]},
            aud={"essential": True, "value": self.settings.oidc_client_id or ""},
            exp={"essential": True},
            nonce={"essential": True, "value": nonce},
        )
        try:
            token = jwt.decode(id_token, keys, algorithms=ALGORITHMS)
            registry.validate(token.claims)
        except (JoseError, ValueError) as problem:
            raise OidcRefused(f"The ID token failed its checks ({type(problem).__name__}). " + TRY_AGAIN) from None
        return dict(token.claims)

    def _identity(self, claims: dict[str, Any]) -> Identity:
        preferred = claims.get("preferred_username") or claims.get("upn")
        email = claims.get("email") or (preferred if isinstance(preferred, str) and "@" in preferred else None)
        user_id = str(preferred or email or claims.get("sub") or "")
        if not user_id:
            raise OidcRefused("The ID token does not say who signed in. " + TRY_AGAIN)
        role = self._role(claims.get(self.settings.oidc_role_claim))
        configured = role_of(self.settings, user_id, email, database=self.database)
        if configured == Role.ADMIN or (configured == Role.BUSINESS_UNIT and role == Role.PRACTITIONER):
            role = configured  # someone named in SGBOT_ADMINS / SGBOT_BUSINESS_UNIT or granted a role keeps it
        if not sees_every_referral(role):
            raise OidcRefused(
                "Your organisation account is not in a group that may use the dashboard (it is for the "
                "safeguarding partnership business unit and admins). Ask an admin if you need access."
            )
        return Identity(user_id, str(email) if email else None, role)

    def _role(self, value: Any) -> Role:
        given = {str(v) for v in value} if isinstance(value, list) else ({str(value)} if value else set())
        if given & set(self.settings.oidc_admin_groups):
            return Role.ADMIN
        if given & set(self.settings.oidc_business_unit_groups):
            return Role.BUSINESS_UNIT
        return Role.PRACTITIONER
