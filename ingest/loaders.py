"""Loaders: one function per format, each turning a file into blocks and metadata.

A loader raises `LoadError` with a reason a person can act on; the pipeline
reports it against the file name and carries on with the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.errors import SgbotError
from ingest.blocks import (
    PAGE_BREAK,
    Block,
    blocks_from_pdf_text,
    blocks_from_plain_text,
    clean_line,
    join_broken_paragraphs,
    numbered_heading,
    run_in_heading,
    strip_conversion_debris,
    table_row,
    unreadable_text,
)
from ingest.metadata import MetadataError, split_front_matter


class LoadError(SgbotError):
    """A file that cannot be read; the message says why and what to do."""


@dataclass
class LoadedDocument:
    blocks: list[Block]
    front_matter: dict[str, Any] = field(default_factory=dict)
    title: str | None = None  # a title found in the document itself (first heading, <title>, …)
    notes: list[str] = field(default_factory=list)  # what could not be used, e.g. unreadable pages


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise LoadError("it looks like a binary file, not text: save it as UTF-8 text or use a supported format")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Windows exports are common in partnerships; cp1252 covers them.
        return data.decode("cp1252", errors="replace")


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_BULLET = re.compile(r"^\s*(?:[-*+•\uf0b7\uf0a7]|\d{1,3}[.)])\s+")
# "## - Scope": a converter kept the list marker of a heading that was a list item in the original.
_HEADING_MARKER = re.compile(r"^(?:[-*+•]\s+)+")
_MD_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MD_INLINE = re.compile(r"(\*\*|__|`)")
_MD_EMPHASIS = re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])")
_MD_LINK = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")


def _link(match: re.Match[str]) -> str:
    label, target = match.group(1), match.group(2).strip()
    # A link to another page of the same site ("/staff/eve.html") means nothing outside it.
    return f"{label} ({target})" if target.startswith(("http", "mailto:")) else label


def _md_inline(text: str) -> str:
    return clean_line(_MD_EMPHASIS.sub(r"\2", _MD_INLINE.sub("", _MD_LINK.sub(_link, text))))


def load_markdown(path: Path) -> LoadedDocument:
    try:
        front, body = split_front_matter(_read_text(path))
    except MetadataError as exc:
        raise LoadError(str(exc)) from exc
    body = strip_conversion_debris(body)
    blocks: list[Block] = []
    paragraph: list[str] = []
    item: list[str] = []  # a list item and its wrapped continuation lines
    in_code = False

    in_list = False  # the open item follows another item directly (no blank line between)

    def flush(*, another_item_follows: bool = False) -> None:
        nonlocal in_list
        if paragraph:
            blocks.append(Block("text", _md_inline(" ".join(paragraph))))
            paragraph.clear()
        if item:
            raw = _md_inline(" ".join(item))
            # "1. Introduction Working out a policy…" standing alone is a heading that lost its line
            # break; "1. Norwich Rugby Football Club acknowledges…" between other items of its list is not.
            heading = None if in_list or another_item_follows else run_in_heading(raw)
            if heading:
                blocks.append(Block("heading", heading[0], level=heading[1]))
                blocks.append(Block("text", heading[2]))
            else:
                blocks.append(Block("item", _MD_BULLET.sub("", raw, count=1)))
            item.clear()
        in_list = False

    lines = body.splitlines()
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("```"):
            flush()
            in_code = not in_code
            continue
        if in_code:
            if stripped:
                blocks.append(Block("text", clean_line(stripped)))
            continue
        if not stripped:
            flush()
        elif heading := _MD_HEADING.match(stripped):
            flush()
            text = _md_inline(_HEADING_MARKER.sub("", heading.group(2)))
            blocks.append(Block("heading", text, level=len(heading.group(1))))
        elif stripped.startswith("|"):
            flush()
            if not _MD_TABLE_SEPARATOR.match(stripped):
                blocks.append(Block("row", table_row(_md_inline(stripped.strip("|")), "|")))
        elif numbered := numbered_heading(stripped, _stands_alone(lines, index), _next_text(lines, index)):
            flush()
            blocks.append(Block("heading", _md_inline(numbered[0]), level=numbered[1]))
        elif _MD_BULLET.match(line):
            follows_item = bool(item)
            flush(another_item_follows=follows_item)
            in_list = follows_item
            item.append(stripped)
        elif stripped.startswith(">"):
            (item or paragraph).append(stripped.lstrip("> "))
        else:
            (item or paragraph).append(stripped)  # a wrapped line continues the item it follows
    flush()
    title = next((b.text for b in blocks if b.kind == "heading" and b.level == 1), None)
    return LoadedDocument(join_broken_paragraphs([b for b in blocks if b.text]), front, title)


def _stands_alone(lines: list[str], index: int) -> bool:
    before = index == 0 or not lines[index - 1].strip()
    after = index + 1 >= len(lines) or not lines[index + 1].strip()
    return before and after


def _next_text(lines: list[str], index: int) -> str:
    return next((line.strip() for line in lines[index + 1 :] if line.strip()), "")


def load_text(path: Path) -> LoadedDocument:
    text = _read_text(path)
    blocks = blocks_from_plain_text(text)
    return LoadedDocument(blocks, {}, _first_line_title(blocks))


def _first_line_title(blocks: list[Block]) -> str | None:
    for block in blocks[:3]:
        if block.kind in ("heading", "text") and len(block.text.split()) <= 12:
            return block.text
    return None


def load_pdf(path: Path) -> LoadedDocument:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception as exc:  # pypdf raises several types here
                raise LoadError("the PDF is password-protected: save an unprotected copy") from exc
        pages = [page.extract_text() or "" for page in reader.pages]
    except LoadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise LoadError(f"the PDF is damaged or not a PDF ({exc.__class__.__name__}: {exc}): "
                        "re-export it from the original document") from exc
    readable: list[str] = []
    empty: list[int] = []
    coded: list[int] = []
    for number, page_text in enumerate(pages, start=1):
        if not page_text.strip():
            empty.append(number)
        elif unreadable_text(page_text):
            coded.append(number)
        else:
            readable.append(page_text)
    notes = []
    if coded:
        notes.append(f"{_pages(coded)} not indexed: the text extracts as glyph codes (/g3/g115…), not words; "
                     "run the PDF through OCR or supply a text version")
    if empty:
        notes.append(f"{_pages(empty)} not indexed: no text layer (scanned images?); run it through OCR")
    if not readable:
        if coded:
            raise LoadError(f"no page has readable text: {notes[0]}")
        raise LoadError("the PDF has no text layer (a scanned image?): run it through OCR or supply the text")
    blocks = blocks_from_pdf_text(PAGE_BREAK.join(readable))
    title = None
    metadata = getattr(reader, "metadata", None)
    if metadata is not None and metadata.title:
        title = str(metadata.title)
    return LoadedDocument(blocks, {}, title or _first_line_title(blocks), notes)


def _pages(numbers: list[int]) -> str:
    return f"page {numbers[0]}" if len(numbers) == 1 else f"pages {', '.join(map(str, numbers))}"


def load_docx(path: Path) -> LoadedDocument:
    import zipfile

    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise LoadError(f"the Word file is damaged or not a .docx ({exc.__class__.__name__}): "
                        "open it in Word and save it again as .docx") from exc
    blocks: list[Block] = []
    title: str | None = document.core_properties.title or None
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            text = clean_line(paragraph.text)
            if not text:
                continue
            style = (paragraph.style.name if paragraph.style is not None else "") or ""
            if style == "Title":
                title = title or text
                blocks.append(Block("heading", text, level=1))
            elif style.startswith("Heading"):
                level = int(style.split()[-1]) if style.split()[-1].isdigit() else 2
                blocks.append(Block("heading", text, level=min(level + 1, 6)))
            elif "List" in style:
                blocks.append(Block("item", text))
            else:
                blocks.append(Block("text", text))
        elif tag == "tbl":
            table = Table(child, document)
            for row in table.rows:
                cells: list[str] = []
                for cell in row.cells:
                    value = clean_line(cell.text)
                    if value and (not cells or cells[-1] != value):  # merged cells repeat
                        cells.append(value)
                if cells:
                    blocks.append(Block("row", " | ".join(cells)))
    if not blocks:
        raise LoadError("the Word file has no text")
    return LoadedDocument(blocks, {}, title)


def load_html(path: Path) -> LoadedDocument:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(_read_text(path), "html.parser")
    for tag in soup(["script", "style", "nav", "header", "footer", "noscript", "template"]):
        tag.decompose()
    blocks: list[Block] = []
    for element in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "tr", "pre", "dt", "dd"]):
        name = element.name
        if name == "tr":
            cells = [clean_line(c.get_text(" ")) for c in element.find_all(["td", "th"])]
            row = " | ".join(c for c in cells if c)
            if row:
                blocks.append(Block("row", row))
            continue
        if name in ("p", "li", "dd", "dt") and element.find_parent(["li", "td", "th"]) is not None:
            continue  # nested: the outer element already carries this text
        text = clean_line(element.get_text(" "))
        if not text:
            continue
        if name[0] == "h":
            blocks.append(Block("heading", text, level=int(name[1])))
        elif name == "li":
            blocks.append(Block("item", text))
        else:
            blocks.append(Block("text", text))
    if not blocks:
        body = soup.get_text("\n")
        blocks = blocks_from_plain_text(body)
    title_tag = soup.find("title")
    title = clean_line(title_tag.get_text()) if title_tag else None
    return LoadedDocument(blocks, {}, title or next((b.text for b in blocks if b.kind == "heading"), None))


LOADERS: dict[str, Callable[[Path], LoadedDocument]] = {
    ".md": load_markdown,
    ".markdown": load_markdown,
    ".txt": load_text,
    ".text": load_text,
    ".pdf": load_pdf,
    ".docx": load_docx,
    ".html": load_html,
    ".htm": load_html,
}


def supported(path: Path) -> bool:
    return path.suffix.lower() in LOADERS


def load(path: Path) -> LoadedDocument:
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        raise LoadError(f"unsupported format {path.suffix or '(none)'}: use one of {', '.join(sorted(LOADERS))}")
    try:
        return loader(path)
    except LoadError:
        raise
    except PermissionError as exc:
        raise LoadError("permission denied: make the file readable by this user") from exc
    except Exception as exc:  # a damaged file must never stop the rest of the ingest
        raise LoadError(f"could not be read ({exc.__class__.__name__}: {exc})") from exc
