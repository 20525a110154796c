"""One delivery worker per channel: drains the outbox through that channel's `Notifier`.

The worker runs in the server's event loop. It claims due rows (a lease, so
that several replicas share the outbox without delivering anything twice),
hands each to the notifier, and records the result: delivered, retry later
(backoff with jitter, or the platform's Retry-After), or set aside after
repeated failure. It wakes when this process commits a notification for its
channel and otherwise polls, so rows written by another process, or left by a
process that died between the commit and the post, are delivered too.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from datetime import timedelta
from typing import Protocol

from bot.errors import SgbotError
from bot.outbox import signal
from bot.outbox.store import Delivery, Outbox

log = logging.getLogger(__name__)

# How long stopping waits for the delivery under way; within `sgbot serve`'s graceful shutdown.
STOP_SECONDS = 10.0


class DeliveryFailed(SgbotError):
    """The platform did not take a notification: `code` (never content), and whether to try again."""

    def __init__(self, code: str, *, retry_after: float | None = None, permanent: bool = False) -> None:
        super().__init__(code)
        self.code = code
        self.retry_after = retry_after
        self.permanent = permanent


class Notifier(Protocol):
    """A channel's way of telling someone: renders a delivery's `Reply` and posts it.

    `send` returns when the platform has taken the message, and raises
    `DeliveryFailed` (or anything else, counted as a transient failure) if not.
    """

    channel: str

    async def send(self, delivery: Delivery) -> None: ...


class Counter(Protocol):
    def count(self, name: str, kind: str = "", amount: int = 1) -> None: ...


class DeliveryWorker:
    def __init__(
        self,
        outbox: Outbox,
        notifier: Notifier,
        *,
        poll_seconds: float = 2.0,
        batch: int = 20,
        lease_seconds: float = 120.0,
        metrics: Counter | None = None,
        worker_id: str | None = None,
    ) -> None:
        self.outbox = outbox
        self.notifier = notifier
        self.channel = notifier.channel
        self.poll_seconds = poll_seconds
        self.batch = batch
        self.lease = timedelta(seconds=lease_seconds)
        self.metrics = metrics
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._pass_lock: asyncio.Lock | None = None
        self._wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    # --- life cycle ---------------------------------------------------------------------

    async def start(self) -> None:
        self._stopping = False
        self._loop = asyncio.get_running_loop()
        self._pass_lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._task = asyncio.create_task(self._run(), name=f"outbox-{self.channel}")
        signal.register(self)

    async def stop(self, timeout: float = STOP_SECONDS) -> None:
        """Finish the pass under way, then stop.

        Cancelling at once would abandon a step running in a thread (`asyncio.to_thread` cannot be
        cancelled): the post made but not recorded as sent, and the thread writing to the database
        and the log after the server (or a test) has gone. So the worker stops between deliveries;
        only a pass that overruns `timeout` (a platform that does not answer) is cancelled, and its
        rows are delivered by the next worker once their lease ends.
        """
        signal.unregister(self)
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping = True
        if self._wake is not None:
            self._wake.set()
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout)
        except TimeoutError:
            log.warning("outbox.stop_timeout", extra={"channel": self.channel, "seconds": timeout})
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def wake(self) -> None:
        """Deliver now rather than at the next poll (safe from any thread)."""
        loop, wake = self._loop, self._wake
        if loop is None or wake is None or loop.is_closed():
            return
        loop.call_soon_threadsafe(wake.set)

    async def _run(self) -> None:
        assert self._wake is not None
        while not self._stopping:
            try:
                await self.drain()
            except asyncio.CancelledError:
                raise
            except Exception:  # the database may be down: say so, and try again at the next poll
                log.exception("outbox.worker_failed", extra={"channel": self.channel})
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)
            self._wake.clear()

    # --- delivering ---------------------------------------------------------------------

    async def drain(self) -> int:
        """Deliver everything due now for this channel; how many were delivered.

        Passes in one process run one at a time, so a caller that awaits `drain`
        (a channel finishing a turn) returns only once what was due is delivered.
        """
        if self._pass_lock is None:
            self._pass_lock = asyncio.Lock()
        delivered = 0
        async with self._pass_lock:
            while True:
                claimed = await asyncio.to_thread(
                    self.outbox.claim, self.channel, self.worker_id, limit=self.batch, lease=self.lease
                )
                if not claimed:
                    return delivered
                for delivery in claimed:
                    delivered += await self._deliver(delivery)
                if self._stopping:  # what was claimed is delivered; the rest waits for the next worker
                    return delivered

    async def _deliver(self, delivery: Delivery) -> int:
        if not await asyncio.to_thread(self.outbox.renew, delivery, self.worker_id, lease=self.lease):
            self._count("notifications_claim_lost")  # another worker took it after our lease ran out
            return 0
        try:
            await self.notifier.send(delivery)
        except DeliveryFailed as failure:
            await self._failed(delivery, failure.code, failure.retry_after, failure.permanent)
            return 0
        except Exception as exc:  # anything else is treated as transient
            log.warning(
                "outbox.send_error",
                extra={"outbox_id": delivery.id, "channel": self.channel, "error": type(exc).__name__},
            )
            await self._failed(delivery, type(exc).__name__, None, False)
            return 0
        await asyncio.to_thread(self.outbox.complete, delivery)
        self._count("notifications_delivered")
        return 1

    async def _failed(self, delivery: Delivery, code: str, retry_after: float | None, permanent: bool) -> None:
        dead = await asyncio.to_thread(
            self.outbox.fail, delivery, code, retry_after=retry_after, permanent=permanent
        )
        self._count("notifications_dead" if dead else "notifications_retried", code)
        if dead:
            signal.wake({"slack", "teams"})  # the business unit's notice of it

    def _count(self, name: str, kind: str = "") -> None:
        if self.metrics is not None:
            self.metrics.count(name, kind)
