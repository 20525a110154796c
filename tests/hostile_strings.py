"""Hostile strings that every channel's tests run through its output encoding.

Each came from the attack run of issue 9: a person or a document supplying
markup, links, mentions, terminal escape sequences or spreadsheet formulas
where the product expects plain text.
"""

from __future__ import annotations

import re

MARKER = "Qx7-REFERRAL-MARKER"  # also scanned for in every log record (tests/log_privacy.py)

DISGUISED_LINK = "[Robin - click to verify](https://evil.example/verify)"
CHANNEL_PING = "https://x.example|open> <!channel> <https://evil.example/phish"
FORMULA = '=HYPERLINK("https://evil.example/x","Click me")'
CLIPBOARD = "\x1b]52;c;ZXZpbA==\x07copied"
CLEAR_SCREEN = "\x1b[2Jcleared"
TERMINAL_LINK = "\x1b]8;;https://evil.example\x1b\\innocent\x1b]8;;\x1b\\"
RICH_MARKUP = "Guidance [/] on [bold red]markup[/bold red]"
RLO = "invoice\u202egpj.exe"

HOSTILE: tuple[str, ...] = (
    DISGUISED_LINK,
    "![tracking pixel](https://evil.example/pixel.png)",
    '<a href="https://evil.example/a">Robin</a>',
    "<!channel> <!here> <@U0ADMIN1> <#C0SECRET>",
    CHANNEL_PING,
    "[javascript](javascript:alert(document.cookie))",
    "&lt;!channel&gt; &amp; <script>alert(1)</script>",
    RICH_MARKUP,
    CLIPBOARD,
    CLEAR_SCREEN,
    TERMINAL_LINK,
    "NUL\x00byte and BEL\x07 and DEL\x7f",
    RLO,
    FORMULA,
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1)",
    "*bold* _italic_ ~strike~ `code` ```block```",
    f"{MARKER} plain text that must arrive whole",
)

CONTROL_OR_BIDI = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def strings_in(value: object) -> list[str]:
    """Every string inside a JSON-like value (a Slack payload, an Adaptive Card)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in strings_in(item)]
    if isinstance(value, list | tuple):
        return [s for item in value for s in strings_in(item)]
    return []
