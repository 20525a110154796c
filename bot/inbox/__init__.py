"""The durable inbox every channel shares: nothing acknowledged is lost, nothing is answered twice.

A core service, not a channel's: the channels (Slack, Teams) call it and never the
database, which only this package reaches for them.

A platform that sees an event acknowledged does not send it again (Slack), so
a replica that dies between its ack and its answer must not be the only one
that knows of the event. Each channel therefore:

1. `receive`s the event before acknowledging it: the claim, with this
   process's lease, and the event itself (what is needed to answer it again)
   are stored in one row of `inbound_events`. A duplicate or a platform retry
   loses the claim while the lease runs and is acknowledged and left.
2. `work`s on it: the answer runs while a heartbeat renews the lease (every
   third of it), so a slow answer is never taken over; once the answer is
   posted the event is marked handled and its stored text blanked.
3. runs a `sweep` on a timer (`SGBOT_INBOX_SWEEP_SECONDS`): stored events
   whose lease ran out unhandled (their holder died, or its answer failed)
   are claimed by exactly one replica and answered through the same `work`.
   One that has been claimed `SGBOT_INBOX_MAX_ATTEMPTS` times is set aside
   instead, and the business unit is told (ids only) in the same transaction.

An answer that raises leaves its event unhandled: the claim is released with a
backoff (`SGBOT_INBOX_RETRY_SECONDS`, doubling per claim) and a sweeper tries it
again, until it is set aside as above. Each post an answer makes is a `part` of
its event, numbered in order (or named, like the one apology a person gets) and
recorded once posted: a retry skips what was already posted and goes on from
there. Before each part the holder checks, in the database and renewing its
lease in the same transaction, that the claim is still its own: a holder that
stalled past its lease (a starved or paused process) while another worker took
the event over posts nothing more, so a part is never posted by two tries at
once and the assistant is never asked twice (`LeaseLost`). The one window left
is between the platform's answer and that record: a replica killed exactly
then, or stalled there for a whole lease, repeats that one part.

Logs name event ids only; the stored text never leaves the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol, TypeVar

from sqlalchemy.orm import Session

from bot.config import Settings
from bot.db import (
    Database,
    StoredEvent,
    claim_inbound_event,
    claim_stale_inbound_events,
    complete_inbound_event,
    inbound_event_progress,
    record_inbound_part,
    release_inbound_event,
    renew_inbound_event,
    take_inbound_part,
    utcnow,
)
from bot.errors import SgbotError
from bot.messages import Outcome, Reply
from bot.outbox import Outbox
from bot.outbox.codec import reply_from_json, reply_to_json
from bot.outbox.store import UnansweredMessage, unanswered_notification

log = logging.getLogger(__name__)

# How long stopping waits for the sweep under way; within `sgbot serve`'s graceful shutdown.
STOP_SECONDS = 10.0
# What the channel does with a claimed event: answer it (raising if it could not).
Answer = Callable[[dict[str, Any]], Awaitable[None]]
# Who sent a stored event and where, as platform ids (for the business unit's notice).
Sender = Callable[[dict[str, Any]], tuple[str, str]]
# The longest a failed answer waits for its next try (the backoff doubles up to this).
MAX_RETRY_SECONDS = 600.0
Posted = TypeVar("Posted")


@dataclass
class Answering:
    """The event this task is answering: which parts of its answer are already posted."""

    platform: str
    event_id: str
    attempt: int  # claims so far, this one included
    posted: dict[str, Any] = field(default_factory=dict)
    next_part: int = 0
    lost: bool = False  # the claim turned out to be another worker's: this try posts nothing more


# Set while an event is being answered (`Inbox.answering`); asyncio tasks and threads started inside inherit it.
_ANSWERING: ContextVar[Answering | None] = ContextVar("sgbot_inbox_answering", default=None)


def answering_now() -> Answering | None:
    """The event the current task is answering, if it is answering one for the durable inbox."""
    return _ANSWERING.get()


class InboxError(SgbotError):
    """An answer the inbox should try again (a channel's way of saying "this failed" without raising its SDK's own)."""


class LeaseLost(SgbotError):
    """The event being answered is no longer this worker's (its lease ran out and another worker took it
    over, or it was answered meanwhile): post nothing more, and leave it to its holder."""


class Counter(Protocol):
    def count(self, name: str, kind: str = "", amount: int = 1) -> None: ...


def process_holder() -> str:
    """This process's name on its claims: only the holder renews a lease."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Inbox:
    """One channel's durable inbox in this process: `receive`, `work`, and a sweeper (`start`/`stop`)."""

    def __init__(
        self,
        platform: str,
        settings: Settings,
        database: Callable[[], Awaitable[Database]],
        answer: Answer,
        sender: Sender,
        *,
        metrics: Counter | None = None,
        track: Callable[[str, Awaitable[None]], Awaitable[None]] | None = None,
    ) -> None:
        self.platform = platform
        self.settings = settings
        self.lease = settings.inbound_lease_seconds
        self.holder = process_holder()
        self._database = database
        self._answer = answer
        self._sender = sender
        self._metrics = metrics
        # The channel's bookkeeping of work after an ack (in-flight gauge, failure log), if it has one.
        self._track = track
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._working: set[asyncio.Task[None]] = set()

    # --- one event ---------------------------------------------------------------------

    async def receive(self, event_id: str, payload: dict[str, Any]) -> bool:
        """Claim the event and store it, before it is acknowledged; False if another worker has it."""
        database = await self._database()
        first = await asyncio.to_thread(
            claim_inbound_event, database, self.platform, event_id, self.lease,
            payload=payload, holder=self.holder,
        )
        if not first:
            self._count("duplicates")
            log.info("inbox.duplicate", extra={"platform": self.platform, "event_id": event_id})
        return bool(first)

    async def once(self, scope: str, key: str) -> bool:
        """True the first time `key` is seen in `scope` (in any replica), False ever after.

        For what must never be acted on twice and needs no answer kept: a replayed
        signed request, a Socket Mode envelope delivered again.
        """
        database = await self._database()
        return bool(await asyncio.to_thread(claim_inbound_event, database, scope, key))

    async def work(self, event_id: str, payload: dict[str, Any]) -> None:
        """Answer a claimed event (see `answering`)."""
        async with self.answering(event_id):
            await self._answer(payload)

    @contextlib.asynccontextmanager
    async def answering(self, event_id: str) -> AsyncIterator[Answering]:
        """Answer a claimed event in the body: lease renewed meanwhile, handled once the body returns.

        If the body raises, the event stays unhandled: the claim is released with a backoff
        and a sweeper (this replica's or another's) tries it again; the exception goes on.
        Posts made through `part` inside the body are recorded against the event. If the claim
        turns out to be another worker's (`LeaseLost`), the body stops there and the event is left to
        that worker: nothing is released, nothing is marked, nothing is raised.
        """
        database = await self._database()
        attempt, posted = await asyncio.to_thread(inbound_event_progress, database, self.platform, event_id)
        current = Answering(self.platform, event_id, max(attempt, 1), posted)
        token = _ANSWERING.set(current)
        try:
            async with self.holding(event_id, current.attempt):
                yield current
        except Exception as exc:  # (cancelled at shutdown: the lease runs out by itself)
            if current.lost:  # LeaseLost, or what a channel's SDK made of it
                log.warning("inbox.left_to_new_holder", extra={"platform": self.platform, "event_id": event_id,
                                                               "attempt": current.attempt})
                return
            await self._release(event_id, current.attempt, exc)
            raise
        finally:
            _ANSWERING.reset(token)
        await self.complete(event_id)

    async def _release(self, event_id: str, attempt: int, error: BaseException) -> None:
        """Leave a failed answer for a sweeper: at once after the last try (to be set aside), else after a backoff."""
        self._count("inbox_answer_failed")
        log.warning("inbox.answer_failed", extra={"platform": self.platform, "event_id": event_id,
                                                   "attempt": attempt, "error": type(error).__name__})
        if attempt >= self.settings.inbox_max_attempts:
            wait = 0.0
        else:
            wait = min(self.settings.inbox_retry_seconds * 2 ** (attempt - 1), MAX_RETRY_SECONDS)
        try:
            database = await self._database()
            await asyncio.to_thread(release_inbound_event, database, self.platform, event_id, self.holder,
                                    utcnow() + timedelta(seconds=wait), attempt)
        except Exception as exc:  # the lease runs out by itself: a sweeper retries then instead
            log.warning("inbox.release_failed", extra={"event_id": event_id, "error": type(exc).__name__})

    async def part(self, post: Callable[[], Awaitable[Posted]], name: str | None = None) -> Posted:
        """Post one part of the answer to the event being answered, unless a try before this one did.

        Parts are numbered in the order the answer posts them (or `name`d, for a post that is not
        in that order, like an apology): a retry that posts the same answer again gets, for
        each part already posted, what the platform returned for it then (JSON), and posts only
        the rest. Outside an event's answer (or for another platform's) it simply posts.

        Each part is posted only while the claim is still this try's (checked in the database, the
        lease renewed, together with reading what any try has posted): raises `LeaseLost` if not.
        A database that cannot be asked does not hold a part back (its record then fails, and the
        event is tried again, as before).
        """
        current = _ANSWERING.get()
        if current is None or current.platform != self.platform:
            return await post()
        if name is None:
            current.next_part += 1
            name = str(current.next_part)
        database = await self._database()
        try:
            posted = None if current.lost else await asyncio.to_thread(
                take_inbound_part, database, self.platform, current.event_id, self.holder, current.attempt,
                self.lease,
            )
        except Exception as exc:  # the database cannot say: post as before (an emergency route is never held back)
            log.warning("inbox.part_unchecked", extra={"platform": self.platform, "event_id": current.event_id,
                                                       "part": name, "error": type(exc).__name__})
            posted = {}
        if posted is None:
            current.lost = True
            self._count("inbox_lease_lost")
            log.warning("inbox.lease_lost", extra={"platform": self.platform, "event_id": current.event_id,
                                                   "part": name})
            raise LeaseLost(f"event {current.event_id} is no longer this worker's to answer")
        current.posted.update(posted)
        if name in current.posted:
            self._count("inbox_part_skipped")
            log.info("inbox.part_skipped", extra={"platform": self.platform, "event_id": current.event_id,
                                                   "part": name})
            done: Posted = current.posted[name]
            return done
        result = await post()
        current.posted[name] = result
        await asyncio.to_thread(record_inbound_part, database, self.platform, current.event_id, name, result)
        return result

    async def outcome(self, make: Callable[[], Outcome]) -> tuple[list[Reply], bool]:
        """The assistant's replies to the event being answered (`make`, run off the event loop), and
        whether it told anyone else: made once and kept with the event, so a retry posts the rest of
        what was decided then and never asks the assistant a second time."""

        async def kept() -> dict[str, Any]:
            made = await asyncio.to_thread(make)
            return {"replies": [reply_to_json(reply) for reply in made.replies], "notify": bool(made.notifications)}

        stored = await self.part(kept, name="outcome")
        return [reply_from_json(reply) for reply in stored["replies"]], bool(stored.get("notify"))

    async def replies(self, make: Callable[[], list[Reply]], name: str) -> list[Reply]:
        """Replies made by a core service (`make`, run off the event loop) for the event being answered:
        made once and kept with the event under `name`, so a retry posts them without running it again
        (a hand-off is recorded once, however often its message is retried)."""

        async def kept() -> list[dict[str, Any]]:
            return [reply_to_json(reply) for reply in await asyncio.to_thread(make)]

        return [reply_from_json(reply) for reply in await self.part(kept, name=name)]

    def retrying(self) -> bool:
        """True while answering an event that an earlier claim did not finish (a retry, not the first try)."""
        current = _ANSWERING.get()
        return current is not None and current.platform == self.platform and current.attempt > 1

    async def complete(self, event_id: str) -> None:
        database = await self._database()
        await asyncio.to_thread(complete_inbound_event, database, self.platform, event_id)

    @contextlib.asynccontextmanager
    async def holding(self, event_id: str, attempt: int | None = None) -> AsyncIterator[None]:
        """Renew this process's lease on the event (its `attempt`th claim, if given) every third of the
        lease while the body runs."""
        database = await self._database()
        every = max(self.lease / 3, 0.05)

        async def heartbeat() -> None:
            while True:
                await asyncio.sleep(every)
                try:
                    kept = await asyncio.to_thread(
                        renew_inbound_event, database, self.platform, event_id, self.holder, self.lease, attempt
                    )
                except Exception as exc:  # the database is down: the next beat tries again
                    log.warning("inbox.renew_failed", extra={"event_id": event_id, "error": type(exc).__name__})
                    continue
                if not kept:
                    # Too late (this process stalled longer than its lease): another worker may answer too.
                    self._count("inbox_lease_lost")
                    log.warning("inbox.lease_lost", extra={"platform": self.platform, "event_id": event_id})
                    return

        beat = asyncio.create_task(heartbeat(), name=f"inbox-heartbeat-{self.platform}")
        try:
            yield
        finally:
            beat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beat

    # --- the sweeper ---------------------------------------------------------------------

    async def start(self) -> None:
        self._stopping = asyncio.Event()
        self._task = asyncio.create_task(self._run(self._stopping), name=f"inbox-sweeper-{self.platform}")

    async def stop(self, timeout: float = STOP_SECONDS) -> None:
        """Finish the sweep under way, then stop (as the outbox's delivery workers do).

        A sweep's claim runs in a thread, which cancelling cannot stop: it would go on
        writing after the server has gone, and what it claimed would wait a lease for
        another replica. Answers already started are the channel's to wait for.
        """
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping.set()
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout)
        except TimeoutError:
            log.warning("inbox.stop_timeout", extra={"platform": self.platform, "seconds": timeout})
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self, stopping: asyncio.Event) -> None:
        while not stopping.is_set():
            try:
                await self.sweep()
            except Exception as exc:  # the database may be down now and up at the next round
                log.warning("inbox.sweep_failed", extra={"platform": self.platform, "error": type(exc).__name__})
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), timeout=self.settings.inbox_sweep_seconds)

    async def sweep(self) -> int:
        """Claim the stored events whose lease ran out unhandled and start answering them; how many."""
        database = await self._database()
        outbox = Outbox(database, self.settings)

        def tell_business_unit(session: Session, stored: StoredEvent) -> None:
            user, conversation = self._sender(stored.payload)
            notice = UnansweredMessage(
                platform=self.platform, event_id=stored.event_id, attempts=stored.attempts,
                user=user, conversation=conversation,
            )
            outbox.publish(session, [unanswered_notification(notice)],
                           key=f"inbox-dead:{self.platform}:{stored.event_id}")

        claimed, dead = await asyncio.to_thread(
            claim_stale_inbound_events, database, self.platform, self.holder, self.lease,
            max_attempts=self.settings.inbox_max_attempts, set_aside=tell_business_unit,
        )
        for stored in dead:
            self._count("inbox_dead")
            log.warning("inbox.set_aside",
                        extra={"platform": self.platform, "event_id": stored.event_id, "attempts": stored.attempts})
        for stored in claimed:
            self._count("inbox_swept")
            log.info("inbox.taken_over",
                     extra={"platform": self.platform, "event_id": stored.event_id, "attempt": stored.attempts})
            work = self.work(stored.event_id, stored.payload)
            task = asyncio.create_task(self._tracked(work), name=f"inbox-answer-{self.platform}")
            self._working.add(task)
            task.add_done_callback(self._working.discard)
        return len(claimed)

    async def _tracked(self, work: Awaitable[None]) -> None:
        if self._track is not None:
            await self._track("swept", work)
            return
        with contextlib.suppress(Exception):  # logged and released by `answering`: a later sweep tries again
            await work

    def _count(self, name: str) -> None:
        if self._metrics is not None:
            self._metrics.count(name)
