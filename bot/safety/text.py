"""Text from a user or a document, made safe for the surface it is drawn on.

Every channel escapes for its own surface (bot/channels/*); these are the
pieces they share:

- `visible`: control characters (ESC, NUL, …) and bidirectional overrides can
  rewrite a terminal, hide or reverse text; they are shown as symbols instead.
- `markdown_literal`: the core writes a small markdown dialect (**bold**,
  _italic_, bullets, headings); in CommonMark surfaces (Teams, the terminal)
  everything else is escaped so that no link, image or HTML can be formed from
  what someone typed or a document said.
- `safe_url`: the only links the product shows are http(s) sources.
- `csv_cell`: spreadsheet formulas are never started by a cell's text.
- `html_text`: text for HTML (the dashboard).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from markupsafe import Markup, escape

# C0 controls but tab and newline, DEL, C1 controls, and the Unicode bidirectional controls.
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_INVISIBLE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
_ASCII_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)} | {0x7F: "\u2421"}


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return _ASCII_PICTURES.get(code) or f"<U+{code:04X}>"


def visible(text: str) -> str:
    """`text` with every control and bidi-override character shown as a symbol (ESC as ␛)."""
    return _INVISIBLE.sub(_picture, text.replace("\r\n", "\n"))


# CommonMark punctuation that can start markup other than emphasis: links, images, HTML,
# entities, code spans, autolinks, tables.
_MARKDOWN_ACTIVE = re.compile(r"([\\`\[\]()!<>&#|~{}])")
_CITATION_MARK = re.compile(r"\\\[(\d{1,3})\\\](?![\\:])")
_LINE_START = re.compile(r"^(\s*)(?:([-*•+])\s+|(\d{1,3})\.\s+|(#{1,6})\s+)?(.*)$")


def markdown_literal(text: str) -> str:
    """The core's dialect kept (**bold**, _italic_, `- ` bullets, `1. ` lists, `# ` headings);
    every other markdown or HTML character escaped, control characters made visible."""
    lines = []
    for line in visible(text).split("\n"):
        match = _LINE_START.match(line)
        assert match is not None  # the pattern matches any line
        indent, bullet, number, heading, rest = match.groups()
        prefix = ""
        if bullet:
            prefix = "- "
        elif number:
            prefix = f"{number}. "
        elif heading:
            prefix = f"{heading} "
        escaped = _MARKDOWN_ACTIVE.sub(r"\\\1", rest)
        # A citation mark "[2]" stays as written: with "(", "[" and ":" escaped it can form no link.
        lines.append(indent + prefix + _CITATION_MARK.sub(r"[\1]", escaped))
    return "\n".join(lines)


def markdown_escape(text: str) -> str:
    """Text with no markdown meaning at all (emphasis included): names, titles, answers in a card."""
    escaped = _MARKDOWN_ACTIVE.sub(r"\\\1", visible(text))
    escaped = re.sub(r"([*_])", r"\\\1", escaped)
    return re.sub(r"^(\s*)([-+]|\d+\.)(\s)", r"\1\\\2\3", escaped, flags=re.MULTILINE)


def safe_url(url: object) -> str | None:
    """`url` if it is an absolute http(s) URL with a host and no spaces or controls; else None."""
    if not isinstance(url, str):
        return None
    candidate = url.strip()
    if not candidate or len(candidate) > 2000 or re.search(r"[\s<>|\"'`\\]", candidate):
        return None
    if _INVISIBLE.search(candidate):
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return candidate


# A cell starting with one of these is read as a formula by Excel, LibreOffice and Sheets.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_cell(value: object) -> object:
    """A CSV cell that a spreadsheet shows as text: formulas are quoted with a leading apostrophe."""
    if not isinstance(value, str):
        return value
    text = visible(value)
    if text.lstrip(" ").startswith(_FORMULA_START):
        return "'" + text
    return text


def html_text(text: str) -> Markup:
    """Text for an HTML page: escaped, with control characters visible."""
    return escape(visible(text))
