"""Slack mrkdwn: escaping, converting the core's markdown-ish text, and splitting.

Slack treats `<…>` as links and mentions (`<@U123>`, `<!channel>`), so every
`&`, `<` and `>` in text we did not write ourselves is escaped, and control and
bidi-override characters are shown as symbols. Blocks are sent with
`verbatim: true` as well, so Slack does not turn `@here` or `#channel` in a
user's text into a mention. The core writes a small markdown dialect
(`**bold**`, `- ` bullets, `# headings`); Slack's mrkdwn spells those
differently. A `[label](url)` in text is never made a link: text comes from
people and documents, and a disguised link ("[Robin - click to verify](…)")
must show where it goes. The only links are those the product builds
(`link`, for an http(s) source).
"""

from __future__ import annotations

import re

from bot.safety.text import safe_url, visible

_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_BARE_URL = re.compile(r"(?<![<|(])\bhttps?://[^\s<>|)]+")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
_BULLET = re.compile(r"^(\s*)[-*]\s+", re.MULTILINE)


def escape(text: str) -> str:
    """Text shown as typed: no mentions, no links, no `&` entities misread, no hidden controls."""
    return "".join(_ESCAPES.get(char, char) for char in visible(text))


def plain(text: str, limit: int | None = None) -> str:
    """Text for `plain_text` objects (no escaping needed), cut to `limit` characters."""
    text = visible(text.replace("**", ""))
    return truncate(text, limit) if limit is not None else text


def link(url: str, label: str | None = None) -> str:
    """A mrkdwn link; `|`, `<` and `>` in the label would break it."""
    encoded = url.replace(">", "%3E").replace("<", "%3C").replace("|", "%7C").replace(" ", "%20")
    if not label:
        return f"<{encoded}>"
    return f"<{encoded}|{escape(label).replace('|', '¦')}>"


def to_mrkdwn(text: str) -> str:
    """The core's markdown-ish text as Slack mrkdwn, with everything else escaped."""
    # Pull bare URLs out before escaping so that their angle brackets survive.
    links: list[str] = []

    def _keep_bare(match: re.Match[str]) -> str:
        url = match.group(0).rstrip(".,;:")
        tail = match.group(0)[len(url) :]
        if safe_url(url) is None:  # controls or odd characters: shown as text, escaped below
            return match.group(0)
        links.append(link(url))
        return f"\ue000{len(links) - 1}\ue000{tail}"

    text = text.replace("\ue000", "")
    text = _BARE_URL.sub(_keep_bare, text)
    text = escape(text)
    text = _HEADING.sub(lambda m: f"*{m.group(1)}*", text)
    text = _BOLD.sub(lambda m: f"*{m.group(1)}*", text)
    text = _BULLET.sub(lambda m: f"{m.group(1)}• ", text)
    return re.sub(r"\ue000(\d+)\ue000", lambda m: links[int(m.group(1))], text)


def truncate(text: str, limit: int) -> str:
    """At most `limit` characters, marked with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + "…"


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters, cut at paragraph, line, then word boundaries.

    Long answers are split, never rejected; a piece never ends inside a
    `<link|label>` or an `&amp;` entity, which Slack would show broken.
    """
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = -1
        for separator in ("\n\n", "\n", " "):
            cut = window.rfind(separator)
            if cut > limit // 3:
                break
        if cut <= limit // 3:
            cut = limit
        cut = _not_inside_token(rest, cut)
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def _not_inside_token(text: str, cut: int) -> int:
    """Move `cut` back to before an unfinished `<…>` link or `&…;` entity."""
    opening = text.rfind("<", 0, cut)
    if opening > text.rfind(">", 0, cut) and opening > 0:
        return opening
    ampersand = text.rfind("&", max(cut - 6, 0), cut)
    if ampersand != -1 and ";" not in text[ampersand:cut] and ampersand > 0:
        return ampersand
    return cut
