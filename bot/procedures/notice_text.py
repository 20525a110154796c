"""The short "what changed" notice a subscribed channel gets: the documents and the sections touched.

Worded from the stored event (`bot.procedures.notices`) when it is delivered;
the outbox asks through the presenter registered here.
"""

from __future__ import annotations

from typing import Any

from bot.messages import Reply
from bot.outbox import events
from bot.procedures.notices import KIND, DocumentsChanged
from bot.procedures.render import change_lines, say

MAX_DOCUMENTS = 8  # a first ingest of a whole library is summarised, not listed
MAX_SECTIONS = 4


def notice_reply(notice: DocumentsChanged) -> Reply:
    lines = [say("notice_heading", count=notice.total)]
    shown = notice.documents[:MAX_DOCUMENTS]
    for document in shown:
        lines.append("")
        lines.extend(change_lines(document.view(), max_sections=MAX_SECTIONS))
    if notice.total > len(shown):
        lines += ["", say("notice_more", count=notice.total - len(shown))]
    return Reply(text="\n".join(lines))


def _word_stored(event: dict[str, Any], audience: str, channel: str) -> Reply:
    """The outbox's call at delivery: the same words for a Slack channel, a Teams conversation or a user."""
    return notice_reply(DocumentsChanged.model_validate(event))


events.register([KIND], _word_stored)
