"""Heading-aware chunking.

Each chunk stays inside one section and remembers its section path
(document title › heading › subheading). Sentences, list items and table rows
are never cut in half; a list keeps the sentence that introduces it, and a table
split across chunks repeats its header row, so a chunk still reads sensibly when
it is quoted on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.index.tokens import split_line
from ingest.blocks import Block

SECTION_SEPARATOR = " › "
# Bump when chunking changes, so that the next ingest re-indexes every file.
CHUNKER_VERSION = 16  # 10: contractions, PDF paragraphs, conversion debris, numbered headings; 11: unit vectors;
# 12: unit vectors as int8; 13: folder, file name and areas indexed with each passage, "tell" a content word;
# 14: the areas no longer; 15: PDF page numbers, lead-ins and list ends at blank lines, bare-numbered lists,
# "1. Name…" list items not headings, "## - Scope" headings, a section number not a sentence, a lead-in kept
# with its paragraph; 16: abbreviation plurals, "-ffed" and "-ed" of words in -e stemmed with their word


@dataclass(frozen=True)
class Chunk:
    ordinal: int
    section: str  # "Title › Heading › Subheading"
    text: str  # what is quoted and cited: the nearest heading, then the body


def _words(text: str) -> int:
    return len(text.split())


def split_sentences(text: str) -> list[str]:
    return split_line(text)


def _pieces(text: str, max_words: int) -> list[str]:
    """A unit longer than a chunk, cut at sentence ends (or, failing that, at words)."""
    pieces: list[str] = []
    current: list[str] = []
    for sentence in split_sentences(text):
        if _words(sentence) > max_words:
            words = sentence.split()
            sentence_parts = [" ".join(words[i : i + max_words]) for i in range(0, len(words), max_words)]
        else:
            sentence_parts = [sentence]
        for part in sentence_parts:
            if current and _words(" ".join(current)) + _words(part) > max_words:
                pieces.append(" ".join(current))
                current = []
            current.append(part)
    if current:
        pieces.append(" ".join(current))
    return pieces


def chunk_blocks(blocks: list[Block], title: str, *, target_words: int = 160, max_words: int = 220) -> list[Chunk]:
    chunks: list[Chunk] = []
    headings: dict[int, str] = {}
    units: list[tuple[Block, str]] = []
    table_header: str | None = None

    def section_path() -> str:
        return SECTION_SEPARATOR.join([title] + [headings[level] for level in sorted(headings)])

    def leaf_heading() -> str | None:
        return headings[max(headings)] if headings else None

    def emit() -> None:
        body = "\n".join(text for _, text in units)
        if not body.strip():
            units.clear()
            return
        heading = leaf_heading()
        text = f"{heading}\n{body}" if heading else body
        chunks.append(Chunk(len(chunks), section_path(), text))
        units.clear()

    def size() -> int:
        return sum(_words(text) for _, text in units)

    for index, block in enumerate(blocks):
        if block.kind == "heading":
            emit()
            table_header = None
            if block.level <= 1 and block.text.strip().lower() == title.strip().lower():
                continue  # the title is already the root of every section path
            level = max(block.level, 2)
            headings = {k: v for k, v in headings.items() if k < level}
            headings[level] = block.text
            continue

        if block.kind == "row":
            previous = blocks[index - 1] if index else None
            if previous is None or previous.kind != "row":
                table_header = block.text
        else:
            table_header = None

        rendered = f"- {block.text}" if block.kind == "item" else block.text
        parts = _pieces(rendered, max_words) if _words(rendered) > max_words else [rendered]
        for part in parts:
            if units and size() + _words(part) > target_words:
                carried: list[tuple[Block, str]] = []
                last_block, last_text = units[-1]
                # Keep a lead-in with what it introduces: a list ("Referrers must:") or a paragraph
                # ("…they will be defined as follows:" / "Vulnerable Adult shall be defined as: A person…").
                if block.kind in ("item", "text") and last_block.kind == "text" and last_text.rstrip().endswith(":"):
                    carried.append(units.pop())
                emit()
                if block.kind == "row" and table_header and table_header != part:
                    units.append((Block("row", table_header), table_header))
                units.extend(carried)
            units.append((block, part))
    emit()
    return chunks
