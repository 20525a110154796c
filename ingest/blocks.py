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


_NUMBER_MARKER = re.compile(r"^\s*\d{1,3}[.)]\s+")


_CONTINUES = re.compile(r"^(?:[a-z]|\d{1,4},?\s+[a-z])")


def join_broken_paragraphs(blocks: list[Block]) -> list[Block]:
    """"…compliant with Appendix 5 of Working Together to Safeguard Children" + blank line +
    "2010 and the Fostering Services National Minimum Standards…": a converter broke one sentence
    into two paragraphs. A paragraph that does not end like a sentence, followed by one that starts
    in lower case (or with a number and then lower case), is one paragraph; read apart, each half
    is quoted as a fragment."""
    joined: list[Block] = []
    for block in blocks:
        previous = joined[-1] if joined else None
        if (previous is not None and previous.kind == "text" and block.kind == "text"
                and len(previous.text.split()) >= 6 and not previous.text.endswith((*_SENTENCE_END, ":"))
                and _CONTINUES.match(block.text)):
            joined[-1] = Block("text", f"{previous.text} {block.text}")
        else:
            joined.append(block)
    return joined


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


PAGE_BREAK = "\f"  # between the pages of a PDF's text: a line may run on across it, a paragraph may not end at it
_PAGE_NUMBER = re.compile(r"^(?:(?:version|v)\s*[\d.]+\s+)?(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$",
                          re.IGNORECASE)
_STRAY_BULLET = re.compile(r"^[.·]\s+(?=[A-Z])")  # ". Develop a role profile": a bullet glyph extracted as a dot
_BARE_NUMBER = re.compile(r"^(\d{1,2})\s+(?=[A-Z])")  # "2 Running a website": an item of a list numbered 1, 2, 3…
_TRAILING_JOINER = frozenset("a an and as at by for from in of on or the to with".split())
_EDGE_LINES = 3


def page_furniture(pages: list[list[str]]) -> list[set[int]]:
    """Per page, the lines at its top or bottom that are page numbers ("Version 3.0 Page 4",
    "Page 3 of 10", "12"). Left in, they are read into the sentence they fall in the middle of
    ("…the reset process Version 3.0 Page 4 FREQUENTLY ASKED QUESTIONS What is a FAN?").
    (Lines repeated at the top or bottom of several pages, running titles and straplines, were
    left out too in a trial: the FA's guidance then lost its page-2 passage boundary and one
    check question of the real corpus its fact, so they are kept.)"""
    furniture: list[set[int]] = []
    for lines in pages:
        filled = [number for number, line in enumerate(lines) if line]
        edge = set(filled[:_EDGE_LINES] + filled[-_EDGE_LINES:])
        furniture.append({n for n in edge if _PAGE_NUMBER.match(lines[n])})
    return furniture


def _double_spaced(lines: list[str]) -> bool:
    """A page whose every line is followed by a blank line: there, a blank line says nothing."""
    filled = [number for number, line in enumerate(lines) if line]
    followed = sum(1 for number in filled if number + 1 < len(lines) and not lines[number + 1])
    return len(filled) >= 4 and followed > 0.6 * len(filled)


@dataclass
class _PdfLines:
    lines: list[str]
    page_breaks: set[int]  # blank lines that stand for a page break
    indented: set[int]  # lines whose text starts after white space (a wrapped item's continuation)


def _pdf_lines(text: str) -> _PdfLines:
    """The lines of a PDF's text without page furniture. A page's leading and trailing blank
    lines are dropped, and so are all its blank lines if it is double spaced."""
    raw_pages = [page.replace("\r", "\n").split("\n") for page in text.split(PAGE_BREAK)]
    pages = [[clean_line(line.replace("\t", " ")) for line in page] for page in raw_pages]
    result = _PdfLines([], set(), set())
    for raw, page, furniture in zip(raw_pages, pages, page_furniture(pages), strict=True):
        kept = [(line, raw_line[:1].isspace()) for number, (line, raw_line) in enumerate(zip(page, raw, strict=True))
                if number not in furniture]
        while kept and not kept[0][0]:
            kept.pop(0)
        while kept and not kept[-1][0]:
            kept.pop()
        if not kept:
            continue
        if result.lines:
            result.page_breaks.add(len(result.lines))
            result.lines.append("")
        spaced = _double_spaced([line for line, _ in kept])
        for line, indented in kept:
            if not line and (spaced or not result.lines[-1]):
                continue
            if indented:
                result.indented.add(len(result.lines))
            result.lines.append(line)
    return result


def _bare_numbered(lines: list[str]) -> set[int]:
    """Lines that are items of a list numbered without stops ("1 Social networking…", "2 Running a
    website…"): a line starting with 1 followed, within a few lines, by one starting with 2, and so on."""
    items: set[int] = set()
    index = 0
    while index < len(lines):
        match = _BARE_NUMBER.match(lines[index])
        if not match or match.group(1) != "1":
            index += 1
            continue
        run, expected, at = [index], 2, index + 1
        while at < len(lines) and at - run[-1] <= 3:
            following = _BARE_NUMBER.match(lines[at])
            if following and following.group(1) == str(expected):
                run.append(at)
                expected += 1
            at += 1
        if len(run) >= 3:
            items.update(run)
        index = run[-1] + 1
    return items


def _all_capitals(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and line.isupper() and len(line.split()) <= 10


def blocks_from_pdf_text(text: str) -> list[Block]:
    """Paragraphs, list items and headings from PDF text, whose lines wrap mid-sentence.

    A line continues the paragraph or list item before it unless that one ended a sentence and
    this one starts a new one; a lead-in ending with ":" runs on into its definition ("Vulnerable
    Adult shall be defined as: A person aged 18…"). A blank line inside a page ends a lead-in
    ("…defined as follows:" is not run into the definition under it), and ends a list item
    before a paragraph ("…email help@nspcc.org.uk" is not run into "NB – The FA's Safeguarding
    Children Policy and…"); a blank line or page break ends anything after a full stop or before
    a line in capitals. Tabs in PDF text are justification or bullet
    spacing, not table cells. A short line just before a list ("Do:", "Don't") heads that list,
    so the two sides of a do/don't list are never read as one. Page numbers are left out.
    """
    pdf = _pdf_lines(text)
    lines = pdf.lines
    bare_items = _bare_numbered(lines)
    blocks: list[Block] = []
    current: list[str] = []
    current_kind: BlockKind = "text"
    numbered = False  # the open item has a number ("6."), not a bullet
    bare = False  # the open item is one of a list numbered 1, 2, 3 without stops

    def flush() -> None:
        nonlocal current_kind, numbered, bare
        if current:
            joined = current[0]
            for part in current[1:]:
                joined = joined + part if joined.endswith("-") and part[:1].islower() else f"{joined} {part}"
            blocks.append(Block(current_kind, joined))
            current.clear()
        current_kind, numbered, bare = "text", False, False

    def next_line(index: int) -> str:
        return next((line for line in lines[index + 1 :] if line), "")

    for index, line in enumerate(lines):
        if not line:
            following = next_line(index)
            in_page = index not in pdf.page_breaks
            if current and (current[-1].endswith(_TERMINAL) or _all_capitals(following) or in_page and (
                    current[-1].endswith(":")
                    or current_kind == "item" and len(following.split()) >= 6 and following[0].isupper())):
                flush()
            continue
        following = next_line(index)
        after_item = current_kind == "item" if current else bool(blocks) and blocks[-1].kind == "item"
        heading = _pdf_numbered_heading(line, following, after_item)
        if heading is not None and (not current or current[-1].endswith((*_TERMINAL, ":"))) \
                and index not in bare_items:
            flush()
            blocks.append(Block("heading", heading[0], level=heading[1]))
            continue
        bullet = _BULLET.match(line) or _STRAY_BULLET.match(line) or (
            _BARE_NUMBER.match(line) if index in bare_items else None)
        if bullet:
            flush()
            current_kind = "item"
            numbered = bool(_NUMBER_MARKER.match(line))
            bare = index in bare_items
            current.append(line[bullet.end():])
            continue
        if bare and current and index not in pdf.indented and not line[0].islower():
            flush()  # "Acknowledgements" after "7 Guidance for U18s using: … Email and Texts"
        elif current_kind == "item" and current and line[0].isupper() and line.endswith(":") \
                and (_BULLET.match(following) or index + 1 in bare_items):
            flush()  # "Further FA guidance is available on the following areas:" leads the next list
        words = line.split()
        if len(words) <= 4 and _BULLET.match(following) and line[0].isupper() and not line.endswith(_TERMINAL):
            flush()
            blocks.append(Block("heading", line.rstrip(":"), level=3))
            continue
        if current:
            previous = current[-1]
            # A bulleted lead-in ("…will either:") ends before what it introduces; a numbered
            # paragraph's sentence runs on ("…write to The FA Case Manager at: The Football Association,").
            ended = previous.endswith(_TERMINAL) or (previous.endswith(":") and current_kind == "item"
                                                      and not numbered)
            if not ended or line[0].islower() or not line[0].isalnum() and line[0] not in "\"'‘“(":
                current.append(line)
                continue
            flush()
        if (len(words) <= 10 and not line.endswith((*_TERMINAL, ":", ",")) and line[0].isupper()
                and words[-1].casefold() not in _TRAILING_JOINER
                and sum(w[0].isupper() for w in words if w[0].isalpha()) >= 0.6 * len(words)
                and (not following or following[0].isupper() or _BULLET.match(following))):
            blocks.append(Block("heading", line, level=2))
            continue
        current.append(line)
    flush()
    return [b for b in blocks if b.text]
