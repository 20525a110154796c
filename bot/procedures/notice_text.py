"""The short "what changed" notice a subscribed channel gets: the documents and the sections touched."""

from __future__ import annotations

from collections.abc import Sequence

from bot.messages import Reply
from bot.procedures.render import change_lines, say
from bot.procedures.versions import ChangeView

MAX_DOCUMENTS = 8  # a first ingest of a whole library is summarised, not listed
MAX_SECTIONS = 4


def notice_reply(changes: Sequence[ChangeView]) -> Reply:
    lines = [say("notice_heading", count=len(changes))]
    for change in changes[:MAX_DOCUMENTS]:
        lines.append("")
        lines.extend(change_lines(change, max_sections=MAX_SECTIONS))
    if len(changes) > MAX_DOCUMENTS:
        lines += ["", say("notice_more", count=len(changes) - MAX_DOCUMENTS)]
    return Reply(text="\n".join(lines))
