"""A document as a flat list of blocks: headings, paragraphs, list items, table rows.

Every loader produces blocks; the chunker only sees blocks. Plain text (and text
extracted from PDFs) has no markup, so its structure is recovered here by
heuristics that suit documents like the seed corpus: headings are short lines
standing alone, bullets start with a marker, table rows contain tabs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

BlockKind = Literal["heading", "text", "item", "row"]


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str
    level: int = 0  # heading level: 1 is the document title, 2 a section, 3 a subsection


_BULLET = re.compile(r"^\s*(?:[-*+•▪●◦o]|\d{1,2}[.)]|[a-z][.)])\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SENTENCE_END = (".", ",", ";", "?", "!", "…")


def clean_line(line: str) -> str:
    """One line of text: control characters dropped, every run of white space (newlines too) one space."""
    return " ".join(_CONTROL.sub("", line).split())


def table_row(line: str, separator: str = "\t") -> str:
    cells = [clean_line(c) for c in line.split(separator)]
    return " | ".join(c for c in cells if c)


def looks_like_heading(line: str, prev_blank: bool, next_blank: bool) -> bool:
    """A short line standing alone, not ending like a sentence, starting with a capital or number."""
    if not (prev_blank and next_blank):
        return False
    words = line.split()
    if not words or len(words) > 12 or len(line) > 100:
        return False
    if line.endswith(_SENTENCE_END) or "\t" in line or _BULLET.match(line):
        return False
    if line.startswith(("#", "@", "http")):
        return False
    first = line[0]
    return first.isupper() or first.isdigit()


def blocks_from_plain_text(text: str, *, join_wrapped_lines: bool = False) -> list[Block]:
    """Recover headings, bullets, tab-separated tables and paragraphs from plain text.

    `join_wrapped_lines` joins consecutive lines into one paragraph (PDF text wraps
    mid-sentence); otherwise each line is its own paragraph, as in the seed text.
    """
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [_CONTROL.sub("", line).rstrip() for line in raw_lines]
    blocks: list[Block] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Block("text", clean_line(" ".join(paragraph))))
            paragraph.clear()

    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        prev_blank = i == 0 or not lines[i - 1].strip()
        next_blank = i + 1 >= len(lines) or not lines[i + 1].strip()
        if "\t" in line and len([c for c in line.split("\t") if c.strip()]) >= 2:
            flush()
            blocks.append(Block("row", table_row(line)))
        elif _BULLET.match(stripped) and not looks_like_heading(stripped, prev_blank, next_blank):
            flush()
            blocks.append(Block("item", clean_line(_BULLET.sub("", stripped, count=1))))
        elif looks_like_heading(clean_line(stripped), prev_blank, next_blank):
            flush()
            blocks.append(Block("heading", clean_line(stripped).rstrip(":"), level=2))
        elif join_wrapped_lines:
            paragraph.append(stripped)
        else:
            flush()
            blocks.append(Block("text", clean_line(stripped.replace("\t", " "))))
    flush()
    return [b for b in blocks if b.text]
