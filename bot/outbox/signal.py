"""Waking this process's delivery workers the moment a notification is committed.

Workers also poll, so a notification written by another process (the command
line, another replica) is delivered within a poll interval; this only saves
the wait when the change was made here.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable
from typing import Protocol


class Wakeable(Protocol):
    channel: str

    def wake(self) -> None: ...


_workers: set[Wakeable] = set()
_lock = threading.Lock()


def register(worker: Wakeable) -> None:
    with _lock:
        _workers.add(worker)


def unregister(worker: Wakeable) -> None:
    with _lock:
        _workers.discard(worker)


def wake(channels: Iterable[str]) -> None:
    wanted = set(channels)
    with _lock:
        workers = [w for w in _workers if w.channel in wanted]
    for worker in workers:
        with contextlib.suppress(RuntimeError):  # its event loop has closed
            worker.wake()


__all__ = ["register", "unregister", "wake"]
