"""The terminal's output encoding, written once for `sgbot chat`, `converse`, `ask`, `queue` and `ingest`.

A terminal obeys escape sequences: `ESC]52` writes the clipboard, `ESC[2J`
clears the screen, `ESC]8;;` makes a hidden link, a right-to-left override
reverses what follows. Rich reads `[…]` as markup (a title with `[/]` crashes
it) and Markdown makes links. So text that came from a person or a document is
drawn only through these: controls shown as symbols, no markup, no links.
"""

from __future__ import annotations

from rich.markdown import Markdown
from rich.text import Text

from bot.safety.text import markdown_literal, visible


def markdown(text: str) -> Markdown:
    """The core's dialect (bold, italic, lists) drawn; links, images, HTML and controls shown as text."""
    return Markdown(markdown_literal(text), hyperlinks=False)


def plain(text: str, style: str = "") -> Text:
    """Text exactly as written (never Rich markup), controls made visible."""
    return Text(visible(text), style=style)
