"""The Slack Web API client: base URL and token from settings, retries on rate limits."""

from __future__ import annotations

from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import Settings
from bot.errors import ConfigurationError

# Slack answers 429 with Retry-After; the handler waits that long and tries again.
# Posting happens after the ack, so waiting costs the user a delay, not an answer.
# Server errors are not retried: Slack may have posted the message already.
RATE_LIMIT_RETRIES = 5


class SlackNotConfigured(ConfigurationError, RuntimeError):
    """A required Slack setting is missing; the message names it and where to find it."""


def make_client(settings: Settings) -> AsyncWebClient:
    if settings.slack_bot_token is None:
        raise SlackNotConfigured(
            "SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-…) from your Slack app's "
            "'OAuth & Permissions' page into the environment or .env (see README, 'Install in Slack')."
        )
    return AsyncWebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        timeout=30,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
            AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
        ],
    )
