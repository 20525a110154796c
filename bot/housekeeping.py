"""Housekeeping on a schedule: forget what is kept only for a while.

- Platform event ids (`inbound_events`) exist to recognise Slack's and Teams'
  retries, which come within minutes: kept `SGBOT_INBOUND_EVENT_RETENTION_DAYS`.
- Delivered notifications are the record of when someone was told: kept
  `SGBOT_OUTBOX_RETENTION_DAYS`. Pending and set-aside ones are never purged.

`purge_expired` is the one function; `sgbot serve` runs it every hour
(`housekeeping_component`), and a command can call it too. The same hourly
round tells the business unit of clocks that have become due soon or overdue
(`bot.referral.clock_notices`, once per clock and threshold; `sgbot queue
clocks` does it from cron).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import timedelta

from bot.config import Settings
from bot.db import Database, get_database, purge_inbound_events
from bot.outbox import Outbox

log = logging.getLogger(__name__)

EVERY_SECONDS = 3600.0
# How long stopping waits for a round under way; within `sgbot serve`'s graceful shutdown.
STOP_SECONDS = 10.0


@dataclass(frozen=True)
class Purged:
    inbound_events: int
    notifications: int


def purge_expired(database: Database, settings: Settings) -> Purged:
    events = purge_inbound_events(database, timedelta(days=settings.inbound_event_retention_days))
    notifications = Outbox(database, settings).purge_delivered(timedelta(days=settings.outbox_retention_days))
    purged = Purged(inbound_events=events, notifications=notifications)
    log.info("housekeeping.purged", extra={"inbound_events": events, "notifications": notifications})
    return purged


def notify_clocks(settings: Settings) -> int:
    """Tell the business unit of clocks newly due soon or overdue; returns how many notices were written."""
    from bot.referral.clock_notices import publish_clock_notices
    from bot.referral.queue import ReviewQueue

    return len(publish_clock_notices(ReviewQueue(get_database(settings), settings)))


class Housekeeping:
    """Runs `purge_expired` now and then every `every` seconds while the server runs."""

    def __init__(self, settings: Settings, *, every: float = EVERY_SECONDS) -> None:
        self.settings = settings
        self.every = every
        self._task: asyncio.Task[None] | None = None
        self._stopping: asyncio.Event | None = None

    async def start(self) -> None:
        self._stopping = asyncio.Event()
        self._task = asyncio.create_task(self._run(self._stopping), name="housekeeping")

    async def stop(self, timeout: float = STOP_SECONDS) -> None:
        """Let the round under way finish, then stop.

        Its steps run in threads, which cancelling cannot stop: they would go on purging, writing
        notices and logging after the server has gone. Only a round that overruns `timeout` is cancelled.
        """
        task, self._task = self._task, None
        if task is None or self._stopping is None:
            return
        self._stopping.set()
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout)
        except TimeoutError:
            log.warning("housekeeping.stop_timeout", extra={"seconds": timeout})
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self, stopping: asyncio.Event) -> None:
        while not stopping.is_set():
            try:
                database = await asyncio.to_thread(get_database, self.settings)
                await asyncio.to_thread(purge_expired, database, self.settings)
            except Exception:  # a database that is down now may be up next time
                log.warning("housekeeping.failed", exc_info=True)
            if stopping.is_set():
                return
            try:
                await asyncio.to_thread(notify_clocks, self.settings)
            except Exception:  # the next round tells what this one could not
                log.warning("clocks.failed", exc_info=True)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), timeout=self.every)
