"""Dashboard sign-in: one-time links given in chat, and sessions that expire.

A business-unit member types `dashboard` in Slack, Teams or the terminal and gets a link. The link
carries a random secret signed with the server's key (itsdangerous, with its issue time): it is refused
if the signature is wrong, after `link_minutes`, or once it has been used (the database marks it used
in the same statement that checks it, so two clicks cannot both sign in). Only a hash of each secret
is stored. A session ends after `session_idle_minutes` without a request or `session_hours` in all.

Roles are checked on every request, not only at sign-in: someone removed from the business unit loses
the dashboard at once. An OpenID Connect sign-in (bot.dashboard.oidc) carries the role the identity
provider's group claim gave: it lasts for that session (at most `session_hours`), and the next sign-in
asks the identity provider again.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select, update

from bot.config import Settings
from bot.dashboard.models import DashboardSession, SignInLink
from bot.db import Database, get_channel_state, put_channel_state, utcnow
from bot.errors import SgbotError
from bot.roles import Role, in_business_unit, role_of, sees_every_referral

Now = Callable[[], datetime]
KEY_CHANNEL = "dashboard"
KEY_NAME = "signing_key"


class SignInRefused(SgbotError):
    """`str(error)` says why and what to do (ask for a new link)."""


@dataclass(frozen=True)
class SignedIn:
    user_id: str
    email: str | None
    csrf_token: str
    role: Role
    session_token: str = ""


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def signing_key(database: Database, settings: Settings) -> str:
    """The configured secret, or one made once and kept in the database (shared by every replica)."""
    if settings.dashboard_secret is not None:
        return settings.dashboard_secret.get_secret_value()
    stored = get_channel_state(database, KEY_CHANNEL, KEY_NAME)
    if isinstance(stored, str) and stored:
        return stored
    put_channel_state(database, KEY_CHANNEL, KEY_NAME, secrets.token_urlsafe(48))
    # Read back: if two processes raced, both use whichever value was written last.
    stored = get_channel_state(database, KEY_CHANNEL, KEY_NAME)
    assert isinstance(stored, str)
    return stored


class SignIn:
    def __init__(self, database: Database, settings: Settings, *, now: Now = utcnow) -> None:
        self.database = database
        self.settings = settings
        self.now = now

    def _serializer(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(signing_key(self.database, self.settings), salt="sgbot-dashboard-link")

    def may_use(self, user_id: str, email: str | None) -> bool:
        return in_business_unit(self.settings, self.database, user_id, email)

    # --- links -----------------------------------------------------------------------------

    def issue_link(self, user_id: str, email: str | None = None) -> str:
        """A one-time sign-in URL for a business-unit member (anyone else is refused)."""
        if not self.may_use(user_id, email):
            raise SignInRefused("The dashboard is for the safeguarding partnership business unit.")
        secret = secrets.token_urlsafe(32)
        now = self.now()
        with self.database.transaction() as session:
            session.add(
                SignInLink(
                    token_hash=_hash(secret),
                    user_id=user_id,
                    email=email,
                    created_at=now,
                    expires_at=now + timedelta(minutes=self.settings.dashboard_link_minutes),
                )
            )
        token = self._serializer().dumps(secret)
        return f"{self.settings.public_url.rstrip('/')}/dashboard/sign-in?token={token}"

    def use_link(self, token: str, *, method: str = "link") -> SignedIn:
        """Exchange a link's token for a new session, once."""
        try:
            secret = self._serializer().loads(token, max_age=self.settings.dashboard_link_minutes * 60)
        except SignatureExpired:
            raise SignInRefused(
                "This sign-in link has expired. Type dashboard in chat for a new one."
            ) from None
        except BadSignature:
            raise SignInRefused(
                "This sign-in link is not valid. Type dashboard in chat for a new one."
            ) from None
        now = self.now()
        with self.database.transaction() as session:
            claimed = session.execute(
                update(SignInLink)
                .where(SignInLink.token_hash == _hash(str(secret)), SignInLink.used_at.is_(None),
                       SignInLink.expires_at > now)
                .values(used_at=now)
                .returning(SignInLink.user_id, SignInLink.email)
            ).first()
            if claimed is None:
                raise SignInRefused(
                    "This sign-in link has already been used or has expired. Type dashboard in chat for a new one."
                )
            user_id, email = claimed
        if not self.may_use(user_id, email):
            raise SignInRefused("The dashboard is for the safeguarding partnership business unit.")
        return self.start_session(user_id, email, method=method)

    # --- sessions --------------------------------------------------------------------------

    def start_session(self, user_id: str, email: str | None, *, method: str, role: Role | None = None) -> SignedIn:
        """A new session; `role` is the one an identity provider gave (OpenID Connect), kept on the session.

        Without it, `bot.roles` decides the role on every request (configuration and grants).
        """
        granted = role if role is not None else role_of(self.settings, user_id, email, database=self.database)
        if not sees_every_referral(granted):
            raise SignInRefused("The dashboard is for the safeguarding partnership business unit.")
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(24)
        now = self.now()
        with self.database.transaction() as session:
            session.add(
                DashboardSession(
                    token_hash=_hash(token),
                    user_id=user_id,
                    email=email,
                    csrf_token=csrf,
                    method=method,
                    role=str(role) if role is not None else None,
                    created_at=now,
                    last_seen_at=now,
                    expires_at=now + timedelta(hours=self.settings.dashboard_session_hours),
                )
            )
        return SignedIn(user_id, email, csrf, granted, token)

    def session(self, token: str | None) -> SignedIn | None:
        """The signed-in person for a session cookie, or None (unknown, ended, idle too long, expired)."""
        if not token:
            return None
        now = self.now()
        idle = timedelta(minutes=self.settings.dashboard_session_idle_minutes)
        with self.database.transaction() as session:
            row = session.scalars(select(DashboardSession).where(DashboardSession.token_hash == _hash(token))).first()
            if row is None or row.ended_at is not None or row.expires_at <= now or row.last_seen_at + idle <= now:
                return None
            # Touch at most once a minute: a page of requests is not a page of writes.
            if now - row.last_seen_at > timedelta(minutes=1):
                row.last_seen_at = now
            user_id, email, csrf, granted = row.user_id, row.email, row.csrf_token, row.role
        role = Role(granted) if granted in set(Role) else role_of(self.settings, user_id, email, database=self.database)
        return SignedIn(user_id, email, csrf, role, token)

    def end_session(self, token: str | None) -> None:
        if not token:
            return
        with self.database.transaction() as session:
            session.execute(
                update(DashboardSession)
                .where(DashboardSession.token_hash == _hash(token), DashboardSession.ended_at.is_(None))
                .values(ended_at=self.now())
            )
