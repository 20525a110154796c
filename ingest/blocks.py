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


_BULLET = re.compile(r"^\s*(?:[-*+•▪●◦o\uf0b7\uf0a7\uf076\uf0d8]|\d{1,2}[.)]|[a-z][.)]|[ivx]{1,4}[.)])\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SENTENCE_END = (".", ",", ";", "?", "!", "…")


def clean_line(line: str) -> str:
    """One line of text: control characters dropped, every run of white space (newlines too) one space."""
    return " ".join(_CONTROL.sub("", line).split())


# Conversion debris: HTML tags left by a converter (`<font …>`, pandoc's escaped `\<font …\>`),
# Markdown backslash escapes (`child\'s`, `1\.`), wiki links (`[[url|label]]`), pandoc's
# hard line breaks (a backslash at the end of a line) and table rules made of dashes.
_HTML_TAG = re.compile(r"\\?</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*?)?\\?/?>")
_ESCAPE = re.compile(r"\\([ !-/:-@\[-`{-~])")
_WIKI_LINK = re.compile(r"\[\[(?:[^|\]]*\|)?([^\]]+)\]\]")
_AUTOLINK = re.compile(r"<((?:https?://|mailto:)[^<>\s]+)>")
_RULE = re.compile(r"^[\s\-=+:|]*-{3,}[\s\-=+:|]*$")


def strip_conversion_debris(text: str) -> str:
    """Text as its author wrote it, without what a converter added around it."""
    # A tag can span lines ("Wholistic\\<font\n12px\\>Fostering"): the line break inside it was a space.
    text = _HTML_TAG.sub(lambda m: " " if "\n" in m.group(0) else "", text)
    lines = []
    for line in text.split("\n"):
        if _RULE.match(line):
            lines.append("")
            continue
        line = _AUTOLINK.sub(r"\1", _WIKI_LINK.sub(r"\1", line))
        line = _ESCAPE.sub(r"\1", line.rstrip().removesuffix("\\"))
        line = re.sub(r"(?:^|(?<=\s))\\(?=\s|$)", "", line)  # a lone backslash: a pandoc line break or empty cell
        lines.append(line.rstrip())
    return "\n".join(lines)


def table_row(line: str, separator: str = "\t") -> str:
    cells = [clean_line(c) for c in line.split(separator)]
    return " | ".join(c for c in cells if c)


_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(\S.*)$")
_HEADING_STOPWORDS = frozenset("a an the if when where what who how this that these those it we you our your all any "
                               "each every no not".split())


def numbered_heading(line: str, stands_alone: bool, next_text: str) -> tuple[str, int] | None:
    """("1. Introduction", "1\\. Introduction" once unescaped, "2.3 Consent") -> (heading text, level).

    A short numbered line standing alone is a heading unless the next line is another numbered
    or bulleted line (then it is an item of a list). The level follows the depth of the number:
    "2" is a section, "2.3" a subsection.
    """
    match = _NUMBERED.match(line.strip())
    if not match or not stands_alone:
        return None
    number, text = match.groups()
    words = text.split()
    if len(words) > 8 or text.endswith(_SENTENCE_END) or not text[0].isupper():
        return None
    if _BULLET.match(next_text) or _NUMBERED.match(next_text):
        return None
    return f"{number}{'.' if '.' not in number else ''} {text}".strip(), 2 + number.count(".")


def run_in_heading(paragraph: str) -> tuple[str, int, str] | None:
    """"1. Introduction Working out a policy for your family…": a converter dropped the line break
    after a one-word numbered heading. The heading is a capitalised word of at least four letters
    (not a word like "The" or "If" that starts sentences) followed by a capitalised word that
    starts the body; the body must be a real paragraph."""
    match = _NUMBERED.match(paragraph)
    if not match:
        return None
    number, text = match.groups()
    words = text.split()
    if len(words) < 8:
        return None
    first, second = words[0], words[1]
    if not (first[:1].isupper() and first.isalpha() and len(first) >= 4 and second[:1].isupper()
            and first.lower() not in _HEADING_STOPWORDS and not first.isupper()):
        return None
    level = 2 + number.count(".")
    return f"{number}{'.' if '.' not in number else ''} {first}", level, " ".join(words[1:])


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


_GLYPH_CODES = re.compile(r"(?:/g\d+|\(cid:\d+\)|/uni[0-9A-Fa-f]{4})")
_TERMINAL = (".", "!", "?", ";")


def unreadable_text(text: str) -> bool:
    """Text that is mostly glyph codes ("/g3/g115…", "(cid:12)"): the font has no usable Unicode
    map, so the words cannot be recovered without OCR. Indexing it would put noise in answers."""
    visible = "".join(text.split())
    if not visible:
        return True
    coded = sum(len(m) for m in _GLYPH_CODES.findall(visible))
    return coded / len(visible) > 0.3


def _pdf_numbered_heading(line: str, following: str, after_item: bool) -> tuple[str, int] | None:
    """"6. Guidance for parents/carers", "2.3 Consent" on a line of their own in PDF text.

    PDF text has no blank lines to say a line stands alone, so the line must read as a title: at
    most twelve words, not ending like a sentence, followed by a line that starts a new sentence
    rather than another numbered or bulleted line (then it is a list item). Right after a list
    item it may be the list's last item ("4. Ask for references"), so there it must be mostly
    capitalised, as titles are. A numbered paragraph ("1. Skelton United Football Club
    acknowledges its…") wraps, so its first line is long.
    """
    match = _NUMBERED.match(line)
    if not match or not following or not following[0].isupper() or _BULLET.match(following):
        return None
    number, text = match.groups()
    words = [w for w in text.split() if w[0].isalnum()]
    if not words or len(words) > 12 or text.endswith((*_SENTENCE_END, ":")) or not text[0].isupper():
        return None
    capitalised = sum(w[0].isupper() or w[0].isdigit() for w in words)
    if after_item and capitalised < 0.6 * len(words):
        return None
    return f"{number}{'.' if '.' not in number else ''} {text}", 2 + number.count(".")


def blocks_from_pdf_text(text: str) -> list[Block]:
    """Paragraphs, list items and headings from PDF text, whose lines wrap mid-sentence.

    A line continues the paragraph or list item before it unless that one ended a sentence and
    this one starts a new one; a lead-in ending with ":" runs on into its definition ("Vulnerable
    Adult shall be defined as: A person aged 18…"). Tabs in PDF text are justification or bullet
    spacing, not table cells. A short line just before a list ("Do:", "Don't") heads that list,
    so the two sides of a do/don't list are never read as one.
    """
    lines = [clean_line(line.replace("\t", " ")) for line in text.replace("\r", "\n").split("\n")]
    blocks: list[Block] = []
    current: list[str] = []
    current_kind: BlockKind = "text"

    def flush() -> None:
        nonlocal current_kind
        if current:
            joined = current[0]
            for part in current[1:]:
                joined = joined + part if joined.endswith("-") and part[:1].islower() else f"{joined} {part}"
            blocks.append(Block(current_kind, joined))
            current.clear()
        current_kind = "text"

    def next_line(index: int) -> str:
        return next((line for line in lines[index + 1 :] if line), "")

    for index, line in enumerate(lines):
        if not line:
            if current and current[-1].endswith(_TERMINAL):
                flush()
            continue
        following = next_line(index)
        after_item = current_kind == "item" if current else bool(blocks) and blocks[-1].kind == "item"
        heading = _pdf_numbered_heading(line, following, after_item)
        if heading is not None and (not current or current[-1].endswith((*_TERMINAL, ":"))):
            flush()
            blocks.append(Block("heading", heading[0], level=heading[1]))
            continue
        if _BULLET.match(line):
            flush()
            current_kind = "item"
            current.append(_BULLET.sub("", line, count=1))
            continue
        words = line.split()
        if len(words) <= 4 and _BULLET.match(following) and line[0].isupper() and not line.endswith(_TERMINAL):
            flush()
            blocks.append(Block("heading", line.rstrip(":"), level=3))
            continue
        if current:
            previous = current[-1]
            ended = previous.endswith(_TERMINAL) or (previous.endswith(":") and current_kind == "item")
            if not ended or line[0].islower() or not line[0].isalnum() and line[0] not in "\"'‘“(":
                current.append(line)
                continue
            flush()
        if (len(words) <= 10 and not line.endswith((*_TERMINAL, ":", ",")) and line[0].isupper()
                and sum(w[0].isupper() for w in words if w[0].isalpha()) >= 0.6 * len(words)
                and (not following or following[0].isupper() or _BULLET.match(following))):
            blocks.append(Block("heading", line, level=2))
            continue
        current.append(line)
    flush()
    return [b for b in blocks if b.text]
