"""OpenID Connect sign-in against a stand-in issuer served on loopback, with real HTTP and real signatures.

The stand-in serves what Entra ID serves: a discovery document, its public keys (JWKS), an authorization
endpoint (it signs in whoever the test says, at once) and a token endpoint that checks the client's
secret and the PKCE verifier before it hands out an RS256-signed ID token carrying the person's groups.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import uvicorn
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route

from bot.config import Settings
from bot.dashboard.app import COOKIE, build_dashboard
from bot.dashboard.models import DashboardSession
from bot.db import Database, open_database
from bot.server import Component, create_app
from tests.dashboard.conftest import _free_socket

CLIENT_ID = "sgbot-dashboard"
CLIENT_SECRET = "s3cret-for-the-test"
BU_GROUP = "6f1e-business-unit"
ADMIN_GROUP = "9a2c-admins"


@dataclass
class Issuer:
    """The stand-in identity provider; `who` is the person the next sign-in is for."""

    url: str = ""
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": "k1"}))
    who: dict[str, Any] = field(default_factory=dict)
    forge_with: RSAKey | None = None  # sign the ID token with this key instead (not in the JWKS)
    audience: str = CLIENT_ID
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    token_requests: list[dict[str, str]] = field(default_factory=list)

    def app(self) -> Starlette:
        async def discovery(request: Request) -> Response:
            return JSONResponse({
                "issuer": self.url, "authorization_endpoint": self.url + "/authorize",
                "token_endpoint": self.url + "/token", "jwks_uri": self.url + "/keys",
                "id_token_signing_alg_values_supported": ["RS256"],
            })

        async def keys(request: Request) -> Response:
            return JSONResponse(KeySet([self.key]).as_dict(private=False))

        async def authorize(request: Request) -> Response:
            q = request.query_params
            code = secrets.token_urlsafe(16)
            self.codes[code] = {"nonce": q["nonce"], "challenge": q["code_challenge"],
                                "method": q["code_challenge_method"], "redirect_uri": q["redirect_uri"]}
            return RedirectResponse(f"{q['redirect_uri']}?code={code}&state={q['state']}", status_code=302)

        async def token(request: Request) -> Response:
            form = {k: str(v) for k, v in (await request.form()).items()}
            self.token_requests.append(form)
            expected_auth = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
            if request.headers.get("authorization") != expected_auth:
                return JSONResponse({"error": "invalid_client"}, status_code=401)
            issued = self.codes.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "")
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if issued is None or issued["method"] != "S256" or challenge != issued["challenge"] \
                    or form.get("redirect_uri") != issued["redirect_uri"]:
                return JSONResponse({"error": "invalid_grant"}, status_code=400)
            now = int(time.time())
            claims = {"iss": self.url, "aud": self.audience, "iat": now, "exp": now + 300,
                      "nonce": issued["nonce"], **self.who}
            signer = self.forge_with or self.key
            id_token = jwt.encode({"alg": "RS256", "kid": "k1"}, claims, signer)
            return JSONResponse({"access_token": "unused", "token_type": "Bearer", "id_token": id_token})

        return Starlette(routes=[
            Route("/.well-known/openid-configuration", discovery), Route("/keys", keys),
            Route("/authorize", authorize), Route("/token", token, methods=["POST"]),
        ])


def _serve(app: Any) -> tuple[uvicorn.Server, threading.Thread, str]:
    sock = _free_socket()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    return server, thread, f"http://127.0.0.1:{sock.getsockname()[1]}"


@dataclass
class Site:
    issuer: Issuer
    base_url: str
    database: Database


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    issuer = Issuer()
    issuer_server, issuer_thread, issuer.url = _serve(issuer.app())
    sock = _free_socket()
    port = sock.getsockname()[1]
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        SGBOT_DATA_DIR=tmp_path_factory.mktemp("oidc-data"),
        SGBOT_BUSINESS_UNIT="officer.one",
        SGBOT_PUBLIC_URL=f"http://127.0.0.1:{port}",
        SGBOT_OIDC_ISSUER=issuer.url,
        SGBOT_OIDC_CLIENT_ID=CLIENT_ID,
        SGBOT_OIDC_CLIENT_SECRET=CLIENT_SECRET,
        SGBOT_OIDC_BUSINESS_UNIT_GROUPS=BU_GROUP,
        SGBOT_OIDC_ADMIN_GROUPS=ADMIN_GROUP,
    )
    database = open_database(settings)
    component = Component("dashboard", routes=[Mount("/dashboard", app=build_dashboard(settings, database=database))])
    server = uvicorn.Server(uvicorn.Config(create_app(settings, components=[component]), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        yield Site(issuer, f"http://127.0.0.1:{port}", database)
    finally:
        for running, worker in ((server, thread), (issuer_server, issuer_thread)):
            running.should_exit = True
            worker.join(timeout=30)
        database.dispose()


def sign_in(site: Site, **who: Any) -> tuple[httpx.Response, httpx.Client]:
    """A browser's round trip: the dashboard, the issuer, and back; returns the callback's response."""
    site.issuer.who = who
    browser = httpx.Client(base_url=site.base_url, timeout=30)
    start = browser.get("/dashboard/oidc/login")
    assert start.status_code == 303, start.text
    to_issuer = start.headers["location"]
    assert to_issuer.startswith(site.issuer.url + "/authorize?")
    asked = parse_qs(urlsplit(to_issuer).query)
    assert asked["code_challenge_method"] == ["S256"] and asked["state"][0] and asked["nonce"][0]
    back = httpx.get(to_issuer, timeout=30)
    assert back.status_code == 302
    callback = urlsplit(back.headers["location"])
    return browser.get(f"{callback.path}?{callback.query}"), browser


def test_a_business_unit_group_member_signs_in_and_sees_the_queue(site: Site) -> None:
    response, browser = sign_in(site, sub="abc", preferred_username="jo.officer@partnership.example",
                                email="jo.officer@partnership.example", groups=["other", BU_GROUP])
    assert response.status_code == 303 and response.headers["location"] == "/dashboard/"
    assert browser.cookies.get(COOKIE)
    page = browser.get("/dashboard/")
    assert page.status_code == 200 and "Review queue" in page.text
    assert browser.get("/dashboard/actions").status_code == 200  # the services see the granted role too
    [request] = site.issuer.token_requests[-1:]
    assert request["grant_type"] == "authorization_code" and len(request["code_verifier"]) >= 43
    with site.database.sessions() as session:
        mine = DashboardSession.user_id == "jo.officer@partnership.example"
        row = session.scalars(select(DashboardSession).where(mine)).one()
        assert (row.method, row.role) == ("oidc", "business_unit")


def test_someone_outside_the_configured_groups_is_refused_and_gets_no_session(site: Site) -> None:
    response, browser = sign_in(site, sub="p1", preferred_username="teacher@school.example", groups=["staff"])
    assert response.status_code == 403
    assert "not in a group that may use the dashboard" in response.text
    assert not browser.cookies.get(COOKIE)
    assert browser.get("/dashboard/").status_code == 401


def test_someone_given_the_role_with_sgbot_roles_signs_in_whatever_their_groups(site: Site) -> None:
    from bot.roles import Role, Roles

    who = {"sub": "d1", "preferred_username": "dana.deputy@partnership.example", "groups": ["staff"]}
    refused, _ = sign_in(site, **who)
    assert refused.status_code == 403  # not in a dashboard group, and in no role yet
    Roles(site.database).grant("Dana.Deputy@partnership.example", Role.BUSINESS_UNIT, granted_by="officer.one")
    response, browser = sign_in(site, **who)
    assert response.status_code == 303 and browser.cookies.get(COOKIE)
    assert browser.get("/dashboard/").status_code == 200
    assert browser.get("/dashboard/actions").status_code == 200  # the services see the granted role too


def test_an_id_token_not_signed_by_the_issuers_keys_is_refused(site: Site) -> None:
    site.issuer.forge_with = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    try:
        response, browser = sign_in(site, sub="x", preferred_username="mallory@example.org", groups=[ADMIN_GROUP])
    finally:
        site.issuer.forge_with = None
    assert response.status_code == 403 and "ID token failed its checks" in response.text
    assert not browser.cookies.get(COOKIE)


def test_an_id_token_for_another_audience_is_refused(site: Site) -> None:
    site.issuer.audience = "some-other-app"
    try:
        response, _ = sign_in(site, sub="y", preferred_username="jo.officer@partnership.example", groups=[BU_GROUP])
    finally:
        site.issuer.audience = CLIENT_ID
    assert response.status_code == 403 and "ID token failed its checks" in response.text


def test_a_callback_this_browser_did_not_start_is_refused(site: Site) -> None:
    site.issuer.who = {"sub": "z", "preferred_username": "jo.officer@partnership.example", "groups": [BU_GROUP]}
    victim = httpx.Client(base_url=site.base_url, timeout=30)
    attacker_start = httpx.get(site.base_url + "/dashboard/oidc/login", timeout=30).headers["location"]
    back = urlsplit(httpx.get(attacker_start, timeout=30).headers["location"])
    victim.get("/dashboard/oidc/login")  # the victim's own pending sign-in, with another state
    response = victim.get(f"{back.path}?{back.query}")
    assert response.status_code == 403 and "does not match" in response.text
    assert not victim.cookies.get(COOKIE)
