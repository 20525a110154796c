"""Every channel draws text from people and documents as text: the shared hostile corpus, per surface.

Slack mrkdwn and notification text, Teams markdown and Adaptive Cards, the
terminal (Rich), CSV cells and HTML each get every hostile string; none may
come out as a link, a mention, markup, a formula or a control sequence.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from hostile_strings import (
    CONTROL_OR_BIDI,
    DISGUISED_LINK,
    HOSTILE,
    MARKER,
    strings_in,
)
from rich.console import Console

from bot.channels.slack.blocks import render_reply as slack_render
from bot.channels.teams.render import render_reply as teams_render
from bot.channels.terminal import TerminalChannel
from bot.messages import Button, Citation, Outcome, Reply
from bot.safety.text import csv_cell, html_text, safe_url


def citation(title: str, url: str | None) -> Citation:
    return Citation(
        number=1, source="doc.md", title=title, section=title, area=title, kind="procedure",
        effective="2025-04-01", review_by="2020-01-01", source_url=url, out_of_date=True, text=title, score=1.0,
    )


def hostile_reply(value: str) -> Reply:
    return Reply(
        text=f"**Referrer**: {value}\n\n- {value}",
        buttons=[Button(label=value[:60] or "x", value="show PR-2026-0001")],
        citations=[citation(value, value)],
        card={"kind": "referral_summary", "title": value, "fields": [{"label": value, "value": value}]},
    )


# Slack: a `<…>` is a link or a mention; the only ones allowed are product-built plain links.
# Teams: a link or image is `[label](target)`; an escaped bracket is text.
TEAMS_LINK = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\(")
SLACK_LIVE = re.compile(r"<(?!https?://[^|>\s]+>)[^>]*>")


@pytest.mark.parametrize("value", HOSTILE)
def test_slack_draws_hostile_text_as_text(value: str) -> None:
    messages = slack_render(hostile_reply(value), contact="the business unit")
    # mrkdwn objects and the notification text are parsed by Slack; plain_text objects are not.
    parsed = [m.text for m in messages] + [s["text"] for m in messages for s in _objects(m.blocks, "mrkdwn")]
    for text in parsed:
        assert not SLACK_LIVE.search(text), text
        assert "evil.example/verify|" not in text and "|open>" not in text
    for text in [s for m in messages for s in [m.text, *strings_in(m.blocks)]]:
        assert not CONTROL_OR_BIDI.search(text), text


def _objects(value: object, kind: str) -> list[dict[str, str]]:
    if isinstance(value, dict):
        found = [value] if value.get("type") == kind else []
        return found + [o for item in value.values() for o in _objects(item, kind)]
    if isinstance(value, list):
        return [o for item in value for o in _objects(item, kind)]
    return []


@pytest.mark.parametrize("value", HOSTILE)
def test_teams_draws_hostile_text_as_text(value: str) -> None:
    activities = teams_render(hostile_reply(value))
    cards = [att.content for a in activities for att in a.attachments or []]
    # Message text and TextBlocks are markdown in Teams; button titles and summaries are plain.
    markdown = [a.text for a in activities if a.text] + [b["text"] for b in _objects(cards, "TextBlock")]
    for text in markdown:
        own_link = re.sub(r"Document: \[[^\]]*\]\(https?://[^)\s]+\)", "", text)
        assert not TEAMS_LINK.search(own_link), text
        assert not re.search(r"(?<!\\)<", own_link), text
    for text in [s for a in activities for s in [a.text or "", a.summary or "", *strings_in(cards)]]:
        assert not CONTROL_OR_BIDI.search(text), text


def test_teams_links_only_http_sources_and_shows_where_they_go() -> None:
    [activity] = teams_render(Reply(text="answer", citations=[citation("Doc", "javascript:alert(1)")]))
    assert "javascript" not in str(activity.attachments[0].content)
    [activity] = teams_render(Reply(text="answer", citations=[citation("Doc", "https://example.org/doc")]))
    assert "Document: [https://example.org/doc](https://example.org/doc)" in str(activity.attachments[0].content)


@pytest.mark.parametrize("value", HOSTILE)
def test_the_terminal_draws_hostile_text_without_markup_or_escape_sequences(value: str) -> None:
    console = Console(record=True, width=200, force_terminal=False, color_system=None)
    TerminalChannel(user_id="someone", console=console).render(Outcome(replies=[hostile_reply(value)]))
    shown = console.export_text()
    assert "\x1b" not in shown and not CONTROL_OR_BIDI.search(shown)
    if MARKER in value:
        assert value in shown


def test_the_terminal_shows_escape_sequences_as_symbols() -> None:
    console = Console(record=True, width=200, force_terminal=True)
    TerminalChannel(user_id="someone", console=console).render(
        Outcome(replies=[Reply(text="\x1b]52;c;ZXZpbA==\x07 \x1b[2J")])
    )
    raw = console.export_text(styles=False)
    assert "␛]52;c;ZXZpbA==␇" in raw and "␛[2J" in raw


@pytest.mark.parametrize("value", HOSTILE)
def test_csv_cells_are_never_formulas(value: str) -> None:
    out = io.StringIO()
    csv.writer(out).writerow([csv_cell(value)])
    [[cell]] = list(csv.reader(io.StringIO(out.getvalue())))
    assert not cell.lstrip(" ").startswith(("=", "+", "-", "@")), cell
    assert not CONTROL_OR_BIDI.search(cell)


@pytest.mark.parametrize("value", HOSTILE)
def test_html_text_is_escaped(value: str) -> None:
    drawn = str(html_text(value))
    assert "<" not in drawn and ">" not in drawn
    assert not CONTROL_OR_BIDI.search(drawn)


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "data:text/html,x", "https://x.example|open> <!channel>", "ftp://x.example/f",
     "https://", " https://a.example/\u202e", "//evil.example/x", "https://a.example/ x"],
)
def test_only_plain_http_addresses_are_links(url: str) -> None:
    assert safe_url(url) is None


def test_a_disguised_link_shows_where_it_goes_in_slack() -> None:
    [message] = slack_render(Reply(text=f"Referrer: {DISGUISED_LINK}"), contact="x")
    section = message.blocks[0]["text"]["text"]
    assert "|" not in section  # no label hides the address
    assert "[Robin - click to verify](https://evil.example/verify)" in section  # shown as typed
