"""Who can open the dashboard: the business unit and admins, with a live session, and nobody else."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from bot.dashboard.app import COOKIE
from bot.dashboard.models import DashboardSession, SignInLink
from bot.dashboard.signin import SignIn, SignInRefused, _hash
from bot.messages import Message
from bot.people import People
from bot.referral.queue import Actor, ReviewQueue
from bot.roles import Role, Roles

from .conftest import OFFICER_ONE, PRACTITIONER, Served

PAGES = ["/dashboard/", "/dashboard/reviews", "/dashboard/actions", "/dashboard/themes", "/dashboard/queue.csv",
         "/dashboard/actions.csv", "/dashboard/reviews.csv", "/dashboard/themes.csv", "/dashboard/report",
         "/dashboard/report.html", "/dashboard/gaps", "/dashboard/gaps.csv"]


def _session_cookie_for(served: Served, user_id: str, *, idle: timedelta = timedelta(0)) -> str:
    """A session row as if one had been made for `user_id` (sign-in never makes one for a practitioner)."""
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    with served.database.transaction() as session:
        session.add(
            DashboardSession(token_hash=_hash(token), user_id=user_id, csrf_token="x", method="link",
                             created_at=now - idle, last_seen_at=now - idle, expires_at=now + timedelta(hours=8))
        )
    return token


def test_a_practitioner_who_types_dashboard_gets_no_link(served: Served) -> None:
    outcome = served.assistant.handle(Message(user_id=PRACTITIONER, text="dashboard", channel="terminal"))
    text = outcome.replies[-1].text
    assert "business unit" in text and "http" not in text


def test_without_a_session_every_page_asks_to_sign_in_and_shows_nothing(served: Served) -> None:
    reference = served.references["Northshire"]
    with served.http() as http:
        for path in [*PAGES, f"/dashboard/referrals/{reference}"]:
            response = http.get(path)
            assert response.status_code == 401, path
            assert reference not in response.text and "Sign in" in response.text


def test_a_practitioners_session_opens_no_dashboard_page_not_even_their_own_referral(served: Served) -> None:
    token = _session_cookie_for(served, PRACTITIONER)
    reference = served.references["Northshire"]  # the practitioner's own referral
    with served.http() as http:
        http.cookies.set(COOKIE, token)
        for path in [*PAGES, f"/dashboard/referrals/{reference}"]:
            response = http.get(path)
            assert response.status_code == 403, path
            assert reference not in response.text
        changed = http.post(f"/dashboard/referrals/{reference}", data={"csrf_token": "x", "change": "assign"})
        assert changed.status_code == 403


def test_a_link_made_for_a_practitioner_signs_nobody_in(served: Served) -> None:
    signin = SignIn(served.database, served.settings)
    secret = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    with served.database.transaction() as session:
        session.add(SignInLink(token_hash=_hash(secret), user_id=PRACTITIONER, created_at=now,
                               expires_at=now + timedelta(minutes=5)))
    token = signin._serializer().dumps(secret)
    with served.http() as http:
        response = http.get("/dashboard/sign-in", params={"token": token})
        assert response.status_code == 403 and COOKIE not in response.cookies


def test_a_tampered_or_expired_link_is_refused_with_what_to_do(served: Served) -> None:
    token = served.link_for(OFFICER_ONE).split("token=")[1]
    with served.http() as http:
        tampered = http.get("/dashboard/sign-in", params={"token": token[:-2] + "xx"})
        assert tampered.status_code == 403 and "Type dashboard in chat" in tampered.text
    later = SignIn(served.database, served.settings, now=lambda: datetime.now(UTC) + timedelta(minutes=11))
    with pytest.raises(SignInRefused, match="expired"):
        later.use_link(token)


def test_sessions_end_when_idle_signed_out_or_the_person_leaves_the_business_unit(served: Served) -> None:
    reference = served.references["Northshire"]
    idle = _session_cookie_for(served, OFFICER_ONE, idle=timedelta(minutes=31))
    with served.http() as http:
        http.cookies.set(COOKIE, idle)
        assert http.get("/dashboard/").status_code == 401
    with served.http() as http:
        response = http.get(served.link_for(OFFICER_ONE).removeprefix(served.base_url))
        assert response.status_code == 303
        assert "httponly" in response.headers["set-cookie"].lower()
        http.cookies.set(COOKIE, response.cookies[COOKIE])
        page = http.get(f"/dashboard/referrals/{reference}")
        assert page.status_code == 200 and "default-src 'self'" in page.headers["content-security-policy"]
        csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        forged = http.post(f"/dashboard/referrals/{reference}", data={"csrf_token": "wrong", "change": "assign"})
        assert forged.status_code == 403  # a form posted from elsewhere, without the page's token
        served.settings.business_unit.remove(OFFICER_ONE)
        try:
            assert http.get("/dashboard/").status_code == 403
        finally:
            served.settings.business_unit.insert(0, OFFICER_ONE)
        assert http.get("/dashboard/").status_code == 200
        assert http.post("/dashboard/sign-out", data={"csrf_token": csrf}).status_code == 200
        assert http.get("/dashboard/").status_code == 401


def _link_in(served: Served, message: Message) -> str | None:
    text = served.assistant.handle(message).replies[-1].text
    return text[text.index("http") :].split()[0] if "/dashboard/sign-in?token=" in text else None


def _signed_in(served: Served, http: httpx.Client, link: str) -> None:
    response = http.get(link.removeprefix(served.base_url))
    assert response.status_code == 303, response.text
    http.cookies.set(COOKIE, response.cookies[COOKIE])


def test_a_role_given_with_sgbot_roles_opens_the_dashboard_and_revoking_it_closes_it(served: Served) -> None:
    who = "dana.granted"  # in no configuration
    assert _link_in(served, Message(user_id=who, text="dashboard", channel="terminal")) is None
    Roles(served.database).grant(who, Role.BUSINESS_UNIT, granted_by="admin.user")  # `sgbot roles grant`
    link = _link_in(served, Message(user_id=who, text="dashboard", channel="terminal"))
    assert link is not None
    reference = served.references["Eastbrook"]
    with served.http() as http:
        _signed_in(served, http, link)
        assert http.get("/dashboard/").status_code == 200
        page = http.get(f"/dashboard/referrals/{reference}")
        assert page.status_code == 200 and reference in page.text
        csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        version = page.text.split('name="version" value="')[1].split('"')[0]
        assigned = http.post(f"/dashboard/referrals/{reference}",
                             data={"csrf_token": csrf, "change": "assign", "version": version})
        assert assigned.status_code in (200, 303), assigned.text
        assert ReviewQueue(served.database, served.settings).show(Actor(who), reference).assigned_to == who
        # Checked on every request: revoked, the open session loses the dashboard at once.
        assert Roles(served.database).revoke(who)
        assert http.get("/dashboard/").status_code == 403


def test_an_officer_named_by_their_terminal_id_opens_the_dashboard_from_teams(served: Served) -> None:
    # Configuration names OFFICER_ONE by id. The same person, known by one email, writes from Teams.
    People(served.database).identify("terminal", OFFICER_ONE, email="officer.one@example.org")
    from_teams = Message(user_id="aad-officer-one", text="dashboard", channel="teams",
                         email="Officer.One@example.org", display_name="Officer One")
    link = _link_in(served, from_teams)
    assert link is not None
    with served.http() as http:
        _signed_in(served, http, link)
        assert http.get("/dashboard/reviews").status_code == 200
    # A Teams id linked to nobody in the business unit gets no link.
    stranger = Message(user_id="aad-stranger", text="dashboard", channel="teams", email="stranger@example.org")
    assert _link_in(served, stranger) is None
