"""Posting to Slack without losing anything: splitting on `msg_too_long`, waiting out rate limits.

Rate limits (429 + Retry-After) are retried by the client's retry handler.
`msg_too_long` and block errors mean a message Slack will not take as it is:
the message is halved and each half posted, down to plain text pieces, so
the user still gets the whole answer.

Each message posted for an inbound event is one part of its answer (`parts`: the
durable inbox's `Inbox.part`): a retry of the event skips the messages already
posted and gets their timestamps, so nothing is posted twice.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.slack.blocks import SlackMessage
from bot.channels.slack.mrkdwn import split_text
from bot.metrics import Metrics

log = logging.getLogger(__name__)

# Errors that say "this message is too big / malformed", not "this channel is wrong".
SPLITTABLE_ERRORS = {"msg_too_long", "msg_blocks_too_long", "invalid_blocks", "too_many_blocks"}


def error_code(exc: SlackApiError) -> str:
    data = getattr(exc.response, "data", None)
    if isinstance(data, dict):
        return str(data.get("error", ""))
    return ""


# Posts a part of an event's answer once (`Inbox.part`): what the platform returned for it.
Parts = Callable[[Callable[[], Awaitable[list[str]]]], Awaitable[list[str]]]


async def _post_now(post: Callable[[], Awaitable[list[str]]]) -> list[str]:
    return await post()


class Poster:
    def __init__(self, client: AsyncWebClient, metrics: Metrics, parts: Parts | None = None) -> None:
        self.client = client
        self.metrics = metrics
        self.parts: Parts = parts or _post_now

    async def post(
        self, channel: str, messages: Sequence[SlackMessage], thread_ts: str | None = None
    ) -> list[str]:
        """Post messages in order; the timestamps of what was posted."""
        posted: list[str] = []
        for message in messages:

            async def post_it(message: SlackMessage = message) -> list[str]:
                return await self._post_one(channel, message, thread_ts)

            posted.extend(await self.parts(post_it))
        return posted

    async def post_together(
        self, channel: str, messages: Sequence[SlackMessage], thread_ts: str | None = None
    ) -> list[str]:
        """Post messages in order as they are (for a caller that makes them one part itself)."""
        posted: list[str] = []
        for message in messages:
            posted.extend(await self._post_one(channel, message, thread_ts))
        return posted

    async def _post_one(self, channel: str, message: SlackMessage, thread_ts: str | None) -> list[str]:
        arguments: dict[str, Any] = {
            "channel": channel,
            "text": message.text,
            "unfurl_links": False,
            "unfurl_media": False,
        }
        if message.blocks:
            arguments["blocks"] = message.blocks
        if thread_ts:
            arguments["thread_ts"] = thread_ts
        try:
            response = await self.client.chat_postMessage(**arguments)
        except SlackApiError as exc:
            code = error_code(exc)
            if code not in SPLITTABLE_ERRORS:
                raise
            self.metrics.count("api_errors", code)
            log.warning("slack refused a message (%s); splitting it", code, extra={"slack_channel": channel})
            return await self._post_split(channel, message, thread_ts)
        self.metrics.count("posted")
        return [str(response.get("ts", ""))]

    async def _post_split(self, channel: str, message: SlackMessage, thread_ts: str | None) -> list[str]:
        if len(message.blocks) > 1:
            middle = len(message.blocks) // 2
            first = SlackMessage(text=message.text, blocks=message.blocks[:middle])
            second = SlackMessage(text=message.text, blocks=message.blocks[middle:])
            return await self._post_one(channel, first, thread_ts) + await self._post_one(
                channel, second, thread_ts
            )
        if message.blocks:  # one block Slack will not take: send its text without blocks
            return await self._post_one(channel, SlackMessage(text=_block_text(message.blocks[0])), thread_ts)
        if len(message.text) < 2:
            raise SlackApiError("message cannot be split further", {"ok": False, "error": "msg_too_long"})
        posted: list[str] = []
        for piece in split_text(message.text, max(len(message.text) // 2, 1)):
            posted.extend(await self._post_one(channel, SlackMessage(text=piece), thread_ts))
        return posted

    async def update(self, channel: str, ts: str, message: SlackMessage) -> None:
        await self.client.chat_update(channel=channel, ts=ts, text=message.text, blocks=message.blocks)
        self.metrics.count("updated")

    async def open_dm(self, user_id: str) -> str:
        response = await self.client.conversations_open(users=[user_id])
        channel = response.get("channel") or {}
        return str(channel.get("id", ""))


def _block_text(block: dict[str, Any]) -> str:
    text = block.get("text")
    if isinstance(text, dict):
        return str(text.get("text", ""))
    return ""
