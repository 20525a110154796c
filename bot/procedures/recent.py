"""Answers that quote a recently changed section say so ("updated on DATE").

Kept small and separate so that answering (bot/qa) needs one call: the
citations are looked up against the recorded changes of the last 30 days. A
database that cannot be reached only means the note is left off.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING

from bot.messages import Citation

if TYPE_CHECKING:
    from bot.config import Settings

log = logging.getLogger(__name__)


def updated_on_note(citation: Citation, separator: str = "") -> str:
    """ "· updated on 2026-11-20" for a citation of a recently changed section, else ""."""
    if not citation.updated_on:
        return ""
    from bot.prompts import say_from

    return separator + say_from("procedures.yaml", "updated_on", date=citation.updated_on)


def mark_recent_updates(citations: list[Citation], settings: Settings) -> list[Citation]:
    """The citations, each of a section changed in the last 30 days dated (`updated_on`).

    Takes citations, not an answer: bot/qa calls this, so this never imports bot/qa."""
    if not citations:
        return citations
    from sqlalchemy.exc import SQLAlchemyError

    from bot.db import get_database
    from bot.procedures.versions import recent_section_updates, section_label

    try:
        updates = recent_section_updates(get_database(settings), [c.source for c in citations])
    except (SQLAlchemyError, OSError) as exc:
        log.warning("procedures.recent_updates_unavailable", extra={"error": exc.__class__.__name__})
        return citations
    if not updates:
        return citations
    return [
        dataclasses.replace(c, updated_on=updates[key].isoformat())
        if (key := (c.source, section_label(c.section))) in updates else c
        for c in citations
    ]
