"""Who a Slack user is (display name, email), for roles that list emails.

`SGBOT_BUSINESS_UNIT` / `SGBOT_ADMINS` may name people by email; Slack events
carry only the user id, so users.info is asked once and remembered for an hour.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)

CACHE_SECONDS = 3600.0


@dataclass(frozen=True)
class Profile:
    user_id: str
    display_name: str | None = None
    email: str | None = None


class UserDirectory:
    def __init__(self, client: AsyncWebClient, ttl: float = CACHE_SECONDS) -> None:
        self.client = client
        self.ttl = ttl
        self._cache: dict[str, tuple[float, Profile]] = {}

    async def profile(self, user_id: str) -> Profile:
        cached = self._cache.get(user_id)
        now = time.monotonic()
        if cached is not None and now - cached[0] < self.ttl:
            return cached[1]
        try:
            response = await self.client.users_info(user=user_id)
        except SlackApiError as exc:
            # Missing scope or a deleted user: roles by user id still work.
            log.info("users.info failed for %s: %s", user_id, exc.response.get("error"))
            profile = Profile(user_id=user_id)
        else:
            user = response.get("user") or {}
            details = user.get("profile") or {}
            profile = Profile(
                user_id=user_id,
                display_name=details.get("display_name") or details.get("real_name") or user.get("name"),
                email=details.get("email"),
            )
        self._cache[user_id] = (now, profile)
        return profile
