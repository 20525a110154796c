"""Every log record the suite produces, scanned for referral content the tests typed.

Referral and discussion content lives only in the database: never in logs.
The tests type distinctive referral content (below); a handler on the root
logger, at DEBUG so that even library debug output is covered, records any
log record whose message or traceback contains one of these markers, and the
test during which it was logged fails at teardown.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

# Strings that appear only in referral content typed by tests (never in code or prompts).
MARKERS: tuple[str, ...] = (
    "NHV-20931",  # the case reference of the sample child referral (tests/referral/helpers.py)
    "loves dinosaurs",  # its "about the child" answer
    "Northshire General",  # a reply to a request for information
    "stepfather hit her",  # the disclosure typed on every free-text path
    "Qx7-REFERRAL-MARKER",  # carried by the hostile strings and by request bodies in the security tests
)


@dataclass(frozen=True)
class Leak:
    logger: str
    level: str
    marker: str
    test: str


class LeakDetector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.leaks: list[Leak] = []
        self.current_test = "(between tests)"
        self._guard = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except Exception:
            text = str(record.msg)
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            text += record.exc_text
        for marker in MARKERS:
            if marker in text:
                with self._guard:
                    self.leaks.append(Leak(record.name, record.levelname, marker, self.current_test))

    def take(self) -> list[Leak]:
        with self._guard:
            leaks, self.leaks = self.leaks, []
        return leaks


DETECTOR = LeakDetector()


def install() -> None:
    root = logging.getLogger()
    if DETECTOR not in root.handlers:
        root.addHandler(DETECTOR)
    root.setLevel(logging.DEBUG)


def describe(leaks: list[Leak]) -> str:
    return "; ".join(f"{leak.logger} {leak.level} logged {leak.marker!r} during {leak.test}" for leak in leaks)
