"""Changes as lines of text (wording from prompts/procedures.yaml), shared by the CLI and the notices."""

from __future__ import annotations

from bot.procedures.versions import ChangeView
from bot.prompts import say_from

PROMPTS = "procedures.yaml"
MAX_SENTENCES = 3  # per changed section, in a listing; the rest is in `sgbot changes --json`


def say(name: str, **fields: object) -> str:
    return say_from(PROMPTS, name, **fields)


def headline(change: ChangeView) -> str:
    return say(
        f"change_{change.change}", date=change.changed_at.date().isoformat(), title=change.title,
        areas=", ".join(change.areas) or "no area", kind=change.kind or "document", version=change.version,
        previous_version=change.previous_version,
    )


def change_lines(change: ChangeView, *, detail: bool = False, max_sections: int | None = None) -> list[str]:
    """A headline, then the sections touched (and, with `detail`, the sentences that changed)."""
    lines = [headline(change)]
    section_lines: list[list[str]] = []
    diff = change.diff
    if change.change == "updated":
        for item in diff.changed:
            block = [say("section_renamed", section=item.section, previous_section=item.previous_section)
                     if item.previous_section else say("section_changed", section=item.section)]
            if detail:
                block += [say("sentence_removed", sentence=s) for s in item.removed_sentences[:MAX_SENTENCES]]
                block += [say("sentence_added", sentence=s) for s in item.added_sentences[:MAX_SENTENCES]]
            section_lines.append(block)
        section_lines += [[say("section_added", section=s)] for s in diff.added]
        section_lines += [[say("section_removed", section=s)] for s in diff.removed]
    shown = section_lines if max_sections is None else section_lines[:max_sections]
    for block in shown:
        lines.extend(block)
    if len(shown) < len(section_lines):
        lines.append(say("sections_more", count=len(section_lines) - len(shown)))
    if change.source_url:
        lines.append(say("link", url=change.source_url))
    return lines
