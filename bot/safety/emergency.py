"""The emergency route first, on every path where a person types free text.

A disclosure can arrive anywhere: as a checklist answer, as the reply to the
business unit's request for information, as a hand-off note. Wherever it does,
the person is shown the emergency route before anything else, and what they
typed is still stored where it was meant to go (nothing a user typed is lost).
The detector is `bot.qa.urgent.check_urgency` (one detector for the product).
"""

from __future__ import annotations

import logging

from bot.messages import Reply
from bot.prompts import load_text
from bot.qa.urgent import check_urgency

log = logging.getLogger(__name__)


def emergency_first(text: str | None, *, path: str) -> Reply | None:
    """The emergency route as a reply, if `text` describes someone at risk now; else None.

    `path` names where the text was typed (for the log line, which never carries the text).
    """
    if not text or not text.strip():
        return None
    check = check_urgency(text)
    if not check.urgent:
        return None
    log.info("emergency route shown", extra={"path": path, "rule": check.reason})
    return Reply(load_text("emergency_route.md"), urgent=True)
