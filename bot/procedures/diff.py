"""A document as a list of sections, and what changed between two versions of it.

Sections are keyed by their heading path without the document title, so a
retitled document still lines up section by section. A section whose heading
changed but whose text is nearly the same is reported as renamed-and-changed,
not as one section removed and another added: that is what a reader means by
"the same section". Within a changed section, the sentences that changed are
listed (removed and added), found with difflib over sentence lists.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

SECTION_SEPARATOR = " › "
# Above this similarity two differently headed sections are the same section, renamed.
RENAME_SIMILARITY = 0.6
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9*])")


@dataclass(frozen=True)
class Section:
    """One section of a document: its heading path (title › heading › …) and its text."""

    path: str
    text: str

    @property
    def heading(self) -> str:
        """The path without the document title: what identifies the section across versions."""
        return self.path.split(SECTION_SEPARATOR, 1)[1] if SECTION_SEPARATOR in self.path else ""


def sections_from_chunks(chunks: Iterable[tuple[str, str]]) -> list[Section]:
    """Join the chunks of each section (in document order) back into one text per section.

    Chunks repeat their section's heading on their first line; that line is dropped."""
    order: list[str] = []
    texts: dict[str, list[str]] = {}
    for path, text in chunks:
        if path not in texts:
            order.append(path)
            texts[path] = []
        lines = text.strip().splitlines()
        last = path.rsplit(SECTION_SEPARATOR, 1)[-1].strip()
        if lines and lines[0].strip().lstrip("#").strip() == last:
            lines = lines[1:]
        body = "\n".join(lines).strip()
        if body and body not in texts[path]:
            texts[path].append(body)
    return [Section(path, "\n".join(texts[path]).strip()) for path in order]


def sentences(text: str) -> list[str]:
    """Sentences and list items, whitespace normalised: the unit a reader notices changing."""
    units: list[str] = []
    for line in text.splitlines():
        line = " ".join(line.split())
        if not line:
            continue
        units.extend(part.strip() for part in _SENTENCE_END.split(line) if part.strip())
    return units


@dataclass
class SectionChange:
    section: str  # heading path of the new version (or the old one, if the section was removed)
    previous_section: str | None = None  # set when the heading changed
    removed_sentences: list[str] = field(default_factory=list)
    added_sentences: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"section": self.section, "previous_section": self.previous_section,
                "removed_sentences": self.removed_sentences, "added_sentences": self.added_sentences}


@dataclass
class DocumentDiff:
    added: list[str] = field(default_factory=list)  # section headings only in the new version
    removed: list[str] = field(default_factory=list)  # only in the old one
    changed: list[SectionChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def sections(self) -> list[str]:
        """Every section the change touches, for notices and "updated on" lookups."""
        return [*(c.section for c in self.changed), *self.added, *self.removed]

    def as_dict(self) -> dict[str, Any]:
        return {"added": self.added, "removed": self.removed, "changed": [c.as_dict() for c in self.changed]}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> DocumentDiff:
        data = data or {}
        return cls(
            added=list(data.get("added") or []),
            removed=list(data.get("removed") or []),
            changed=[SectionChange(**c) for c in data.get("changed") or []],
        )


def _label(section: Section) -> str:
    return section.heading or section.path


def _normalised(text: str) -> str:
    return " ".join(text.split())


def diff_sections(old: Sequence[Section], new: Sequence[Section]) -> DocumentDiff:
    """Added, removed and changed sections, and the sentences that changed in each changed one."""
    result = DocumentDiff()
    old_by = {_label(s): s for s in old}
    new_by = {_label(s): s for s in new}
    only_old = [k for k in old_by if k not in new_by]
    only_new = [k for k in new_by if k not in old_by]
    renamed: dict[str, str] = {}  # new heading -> old heading
    for new_key in only_new:
        best, best_ratio = None, RENAME_SIMILARITY
        for old_key in only_old:
            if old_key in renamed.values():
                continue
            ratio = difflib.SequenceMatcher(
                None, _normalised(old_by[old_key].text), _normalised(new_by[new_key].text), autojunk=False
            ).ratio()
            if ratio > best_ratio:
                best, best_ratio = old_key, ratio
        if best is not None:
            renamed[new_key] = best
    for key, section in new_by.items():
        previous_key = key if key in old_by else renamed.get(key)
        if previous_key is None:
            result.added.append(key)
            continue
        before = old_by[previous_key]
        if _normalised(before.text) == _normalised(section.text) and previous_key == key:
            continue
        removed, added = changed_sentences(before.text, section.text)
        result.changed.append(SectionChange(
            section=key, previous_section=previous_key if previous_key != key else None,
            removed_sentences=removed, added_sentences=added,
        ))
    result.removed = [k for k in only_old if k not in renamed.values()]
    return result


def changed_sentences(before: str, after: str) -> tuple[list[str], list[str]]:
    """(sentences only in `before`, sentences only in `after`), in document order."""
    a, b = sentences(before), sentences(after)
    removed: list[str] = []
    added: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag in ("replace", "delete"):
            removed.extend(a[i1:i2])
        if tag in ("replace", "insert"):
            added.extend(b[j1:j2])
    return removed, added
