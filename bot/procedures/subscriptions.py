"""Subscriptions to "what changed", and the notices owed to each subscribed channel.

A subscription names a channel (a Slack channel, a Teams conversation, a
terminal user) and the areas and kinds of document it cares about (none =
all). When ingest records changes, a `ChangeNotice` row is written for every
matching subscription in the same transaction; delivery claims the undelivered
rows (`UPDATE … WHERE delivered_at IS NULL … RETURNING`), so each notice goes
out once even with several workers, and a post that fails gives its rows back.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.db import Database, utcnow
from bot.messages import Reply
from bot.procedures.models import ChangeNotice, ChangeSubscription, DocumentChange

log = logging.getLogger(__name__)


def matches(subscription: ChangeSubscription, change: DocumentChange) -> bool:
    from bot.procedures.versions import in_areas

    kinds = [k.lower() for k in subscription.kinds or []]
    if kinds and change.kind.lower() not in kinds:
        return False
    return in_areas(change.areas or [], subscription.areas or [])


def owe_notices(session: Session, changes: Sequence[DocumentChange], at: dt.datetime) -> int:
    """Write a notice for each (subscription, change) that matches; returns how many."""
    if not changes:
        return 0
    count = 0
    for subscription in session.scalars(select(ChangeSubscription)).all():
        for change in changes:
            if matches(subscription, change):
                session.add(ChangeNotice(subscription_id=subscription.id, change_id=change.id, created_at=at))
                count += 1
    return count


def subscribe(database: Database, channel: str, target: str, areas: Sequence[str], kinds: Sequence[str],
              created_by: str | None) -> ChangeSubscription:
    """Subscribe (or change what a subscribed channel hears about): one subscription per channel."""
    with database.transaction() as session:
        found = session.scalars(select(ChangeSubscription).where(
            ChangeSubscription.channel == channel, ChangeSubscription.target == target)).first()
        if found is None:
            found = ChangeSubscription(channel=channel, target=target, areas=list(areas), kinds=list(kinds),
                                       created_by=created_by, created_at=utcnow())
            session.add(found)
        else:
            found.areas, found.kinds = list(areas), list(kinds)
        session.flush()
        return found


def unsubscribe(database: Database, channel: str, target: str) -> bool:
    with database.transaction() as session:
        found = session.scalars(select(ChangeSubscription).where(
            ChangeSubscription.channel == channel, ChangeSubscription.target == target)).first()
        if found is None:
            return False
        session.execute(delete(ChangeNotice).where(ChangeNotice.subscription_id == found.id))
        session.delete(found)
        return True


@dataclass
class ClaimedNotices:
    """The undelivered notices of one subscription, claimed for delivery, and the reply that tells them."""

    channel: str
    target: str
    notice_ids: list[int]
    reply: Reply


def claim(database: Database, channel: str, target: str | None = None) -> list[ClaimedNotices]:
    """Mark a channel's undelivered notices delivered and return them, one reply per subscription.

    `UPDATE … WHERE delivered_at IS NULL … RETURNING`: of two workers claiming at once, each notice goes to one."""
    from bot.procedures.notice_text import notice_reply
    from bot.procedures.versions import view

    subscriptions = select(ChangeSubscription.id).where(ChangeSubscription.channel == channel)
    if target is not None:
        subscriptions = subscriptions.where(ChangeSubscription.target == target)
    statement = (
        update(ChangeNotice)
        .where(ChangeNotice.delivered_at.is_(None), ChangeNotice.subscription_id.in_(subscriptions))
        .values(delivered_at=utcnow())
        .returning(ChangeNotice.id, ChangeNotice.subscription_id, ChangeNotice.change_id)
        .execution_options(synchronize_session=False)
    )
    with database.transaction() as session:
        rows = session.execute(statement).all()
        if not rows:
            return []
        by_subscription: dict[int, list[tuple[int, int]]] = {}
        for row in rows:
            by_subscription.setdefault(row.subscription_id, []).append((row.id, row.change_id))
        subs = {s.id: s for s in session.scalars(
            select(ChangeSubscription).where(ChangeSubscription.id.in_(list(by_subscription)))).all()}
        changes = {c.id: view(c) for c in session.scalars(
            select(DocumentChange).where(DocumentChange.id.in_([r.change_id for r in rows]))).all()}
        claimed = [
            ClaimedNotices(channel, subs[sid].target, [n for n, _ in items],
                           notice_reply(sorted((changes[c] for _, c in items), key=lambda v: v.id)))
            for sid, items in sorted(by_subscription.items())
        ]
    log.info("procedures.notices_claimed", extra={"channel": channel, "notices": [r.id for r in rows]})
    return claimed


def release(database: Database, notice_ids: Sequence[int]) -> None:
    """Give notices back (their post failed) so the next round delivers them."""
    if not notice_ids:
        return
    with database.transaction() as session:
        session.execute(update(ChangeNotice).where(ChangeNotice.id.in_(list(notice_ids))).values(delivered_at=None))


Send = Callable[[str, Reply], Awaitable[bool]]


async def deliver_pending(database: Database, channel: str, send: Send) -> int:
    """Post every undelivered notice of a channel once; a failed post is given back. Returns how many posted."""
    import asyncio

    posted = 0
    for batch in await asyncio.to_thread(claim, database, channel):
        ok = False
        try:
            ok = await send(batch.target, batch.reply)
        except Exception:
            log.warning("procedures.notice_not_posted", extra={"channel": channel}, exc_info=True)
        if ok:
            posted += len(batch.notice_ids)
        else:
            await asyncio.to_thread(release, database, batch.notice_ids)
    return posted


def notice_loop(database: Callable[[], Database], channel: str, send: Send, interval: float) -> tuple[
        Callable[[], Awaitable[None]], Callable[[], Awaitable[None]]]:
    """(start, stop) for a server component: deliver the channel's notices every `interval` seconds.

    `database` is called in each round, so the database is first opened (and migrated) off startup."""
    import asyncio

    tasks: list[asyncio.Task[None]] = []

    async def run() -> None:
        while True:
            try:
                await deliver_pending(await asyncio.to_thread(database), channel, send)
            except Exception:  # the database may be down: try again next round
                log.warning("procedures.notice_round_failed", extra={"channel": channel}, exc_info=True)
            await asyncio.sleep(interval)

    async def start() -> None:
        tasks.append(asyncio.get_running_loop().create_task(run()))

    async def stop() -> None:
        for task in tasks:
            task.cancel()
        tasks.clear()

    return start, stop
