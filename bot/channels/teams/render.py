"""A channel-neutral `Reply` as Teams activities: markdown text and Adaptive Cards.

Teams rejects a message over roughly 28 KB (text, cards and metadata together),
so long text is split at paragraph, line, sentence or word boundaries into
several messages, never truncated; the card with sources and buttons goes with
the last part. Button values round-trip unchanged in `Action.Submit` data.

Text is drawn as Teams markdown (messages and Adaptive Card TextBlocks), which
makes links, images and HTML from `[…](…)`, `![…](…)` and `<a href>`. Text
comes from people and documents, so only the core's own dialect (bold, italic,
lists) is kept and everything else is escaped (`markdown_literal`); names,
titles and answers are escaped entirely (`markdown_escape`). The only link is
a source's http(s) address, shown as itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from microsoft_agents.activity import Activity, ActivityTypes, Attachment

from bot.channels.teams.text import say
from bot.messages import Button, Citation, Expectation, Reply
from bot.procedures.recent import updated_on_note
from bot.safety.text import markdown_escape, markdown_literal, safe_url, visible

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
CARD_VERSION = "1.4"
# Characters of text per message. Far below Teams' ~28 KB so that the card,
# markdown expansion and multi-byte characters always fit alongside.
TEXT_LIMIT = 4000
# The serialised size one activity may reach before its card is sent on its own.
ACTIVITY_BYTES_LIMIT = 24_000
MAX_SOURCES_SHOWN = 10

# Keys of the `Action.Submit` data that Teams posts back in `activity.value`.
ACTION_KEY = "sgbot_action"
REASON_KEY = "sgbot_reason"
TEXT_KEY = "sgbot_text"
TEXT_SUBMIT_KEY = "sgbot_submit_text"
CHOICES_KEY = "sgbot_choices"
CHOICES_SUBMIT_KEY = "sgbot_submit_choices"

# Expectation types answered with free text (typed into an input on the card).
_FREE_TEXT_TYPES = {"text", "free_text", "long_text", "date", "reason", "number"}
_MULTI_TYPES = {"multi", "multi_select", "multiselect"}


@dataclass(frozen=True)
class RenderOptions:
    """Where the reply goes: in a channel the bot only hears @mentions, so
    free-text answers get an input box on the card instead."""

    in_channel: bool = False


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Split at the latest paragraph, line, sentence or word break before `limit`."""
    text = text.strip()
    parts: list[str] = []
    while len(text) > limit:
        window = text[:limit]
        cut = -1
        for separator in ("\n\n", "\n", ". ", " "):
            position = window.rfind(separator)
            if position > limit // 3:
                cut = position + len(separator)
                break
        if cut <= 0:
            cut = limit  # one unbroken run of characters: cut it hard
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        parts.append(text)
    return parts


def _text_block(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **extra}


def _submit(button: Button) -> dict[str, Any]:
    action: dict[str, Any] = {
        "type": "Action.Submit",
        "title": visible(button.label),
        "data": {ACTION_KEY: button.value},
    }
    if button.style == "primary":
        action["style"] = "positive"
    elif button.style == "danger":
        action["style"] = "destructive"
    return action


def button_actions(buttons: list[Button]) -> list[dict[str, Any]]:
    return [_submit(b) for b in buttons]


def _source_blocks(citations: list[Citation]) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [
        _text_block(say("sources_heading"), weight="Bolder", separator=True, spacing="Medium")
    ]
    for citation in citations[:MAX_SOURCES_SHOWN]:
        line = say(
            "source_line",
            number=citation.number,
            title=markdown_escape(citation.title),
            section=f" — {markdown_escape(citation.section)}"
            if citation.section and citation.section != citation.title
            else "",
            area=markdown_escape(citation.area),
            date=say("source_date", effective=markdown_escape(citation.effective)) if citation.effective else "",
        ) + updated_on_note(citation, " · ")
        url = safe_url(citation.source_url)
        if url:
            target = url.replace("(", "%28").replace(")", "%29")
            line += "  \n" + say("source_link", url=target, label=markdown_escape(url))
        blocks.append(_text_block(line, spacing="Small"))
        if citation.out_of_date:
            blocks.append(
                _text_block(
                    say("out_of_date", review_by=markdown_escape(citation.review_by or "?")),
                    color="Warning",
                    size="Small",
                    spacing="None",
                )
            )
    return blocks


def _humanise(key: str) -> str:
    return key.replace("_", " ").strip().capitalize()


def _fact_value(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list | tuple):
        return ", ".join(_fact_value(v) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{_humanise(str(k))}: {_fact_value(v)}" for k, v in value.items())
    return str(value)


def structured_blocks(card: dict[str, Any]) -> list[dict[str, Any]]:
    """A structured card's display fields (`title`, `fields`/`facts`, `text`) as blocks.

    Cards that only describe the reply for channels (`kind`, `reference`, …,
    whose content the reply's text already says) add nothing visible.
    """
    raw = card.get("fields", card.get("facts"))
    if raw is None:
        return []
    blocks: list[dict[str, Any]] = []
    title = card.get("title")
    if title:
        blocks.append(_text_block(markdown_escape(str(title)), weight="Bolder", size="Medium", separator=True))
    facts: list[tuple[str, str]] = []
    if isinstance(raw, dict):
        facts.extend((_humanise(str(k)), _fact_value(v)) for k, v in raw.items())
    elif isinstance(raw, list):
        for item in raw:
            if isinstance(item, dict):
                label = item.get("label") or item.get("title") or item.get("name") or ""
                facts.append((str(label), _fact_value(item.get("value", item.get("answer")))))
            elif isinstance(item, list | tuple) and len(item) == 2:
                facts.append((str(item[0]), _fact_value(item[1])))
    for label, value in facts:
        # Label and value in separate blocks: long answers wrap fully, unlike a FactSet.
        blocks.append(_text_block(f"**{markdown_escape(label)}**", spacing="Small"))
        blocks.extend(
            _text_block(markdown_escape(piece), spacing="None") for piece in split_text(value) or ["—"]
        )
    if card.get("text"):
        blocks.extend(_text_block(markdown_literal(piece)) for piece in split_text(str(card["text"])))
    return blocks


def _expectation_parts(
    expects: Expectation | None, buttons: list[Button], options: RenderOptions
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Inputs and actions for what the assistant expects next, when buttons don't cover it."""
    if expects is None:
        return [], []
    if expects.type in _MULTI_TYPES and expects.options:
        choices = [{"title": o, "value": o} for o in expects.options]
        inputs = [
            {
                "type": "Input.ChoiceSet",
                "id": CHOICES_KEY,
                "isMultiSelect": True,
                "style": "expanded",
                "label": say("choose_one"),
                "choices": choices,
                "isRequired": True,
            }
        ]
        actions = [
            {"type": "Action.Submit", "title": say("send"), "data": {CHOICES_SUBMIT_KEY: expects.step}}
        ]
        return inputs, actions
    if expects.options and not buttons:
        return [], [_submit(Button(label=o, value=o)) for o in expects.options]
    # In a channel the bot hears only @mentions, so typed answers need a box on
    # the card; a reason for a decision gets one everywhere (Teams' modal).
    wants_box = options.in_channel or expects.type == "reason"
    if expects.type in _FREE_TEXT_TYPES and wants_box and not buttons:
        inputs = [
            {
                "type": "Input.Text",
                "id": TEXT_KEY,
                "isMultiline": True,
                "isRequired": True,
                "label": say("reason_label" if expects.type == "reason" else "answer_label"),
                "placeholder": say("answer_placeholder"),
                "maxLength": 10000,
            }
        ]
        actions = [{"type": "Action.Submit", "title": say("send"), "data": {TEXT_SUBMIT_KEY: expects.step}}]
        return inputs, actions
    return [], []


def adaptive_card(body: list[dict[str, Any]], actions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    card: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "body": body,
        "msteams": {"width": "Full"},
    }
    if actions:
        card["actions"] = actions
    return card


def _card_activity(card: dict[str, Any], summary: str) -> Activity:
    return Activity(
        type=ActivityTypes.message,
        summary=visible(summary)[:200],
        attachments=[Attachment(content_type=ADAPTIVE_CARD, content=card)],
    )


def _text_activity(text: str) -> Activity:
    return Activity(type=ActivityTypes.message, text=text, text_format="markdown")


def activity_size(activity: Activity) -> int:
    payload = activity.model_dump(mode="json", by_alias=True, exclude_none=True)
    return len(json.dumps(payload, ensure_ascii=False).encode("utf-8"))


def render_reply(
    reply: Reply,
    options: RenderOptions | None = None,
    *,
    extra_actions: list[dict[str, Any]] | None = None,
) -> list[Activity]:
    """One reply as one or more Teams messages, in reading order.

    `extra_actions` are the channel's own card actions (feedback on an answer).
    """
    options = options or RenderOptions()
    # Escaped before splitting: a part never ends inside an escape.
    parts = split_text(markdown_literal(reply.text)) if reply.text else []
    inputs, expect_actions = _expectation_parts(reply.expects, reply.buttons, options)
    actions = button_actions(reply.buttons) + expect_actions + list(extra_actions or [])
    card_body: list[dict[str, Any]] = []
    if reply.card:
        card_body.extend(structured_blocks(reply.card))
    if reply.citations:
        card_body.extend(_source_blocks(reply.citations))
    card_body.extend(inputs)
    needs_card = bool(card_body or actions or reply.urgent)

    activities: list[Activity] = []
    if not needs_card:
        return [_text_activity(part) for part in parts]

    # Urgent: the emergency route (the start of the text) goes first, highlighted.
    leading = parts[:-1] if parts else []
    last = parts[-1] if parts else ""
    for index, part in enumerate(leading):
        if index == 0 and reply.urgent:
            activities.append(
                _card_activity(
                    adaptive_card(
                        [{"type": "Container", "style": "attention", "items": [_text_block(part)]}]
                    ),
                    part,
                )
            )
        else:
            activities.append(_text_activity(part))
    head: list[dict[str, Any]] = []
    if last:
        block = _text_block(last)
        if reply.urgent and not leading:
            head.append({"type": "Container", "style": "attention", "items": [block]})
        else:
            head.append(block)
    summary = last or reply.text or ""
    for card in pack_cards(head + card_body, actions):
        activities.append(_card_activity(card, summary))
    return activities


def _card_bytes(card: dict[str, Any]) -> int:
    return len(json.dumps(card, ensure_ascii=False).encode("utf-8"))


def pack_cards(body: list[dict[str, Any]], actions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """As many cards as the blocks need, each within Teams' size limit; actions on the last.

    A summary of long checklist answers can exceed one message, so blocks are
    spread over several cards rather than cut.
    """
    cards: list[dict[str, Any]] = []
    current: list[dict[str, Any]] = []
    for block in body:
        if current and _card_bytes(adaptive_card([*current, block])) > ACTIVITY_BYTES_LIMIT:
            cards.append(adaptive_card(current))
            current = []
        current.append(block)
    if current and _card_bytes(adaptive_card(current, actions)) > ACTIVITY_BYTES_LIMIT:
        cards.append(adaptive_card(current))
        current = []
    if current or actions or not cards:
        cards.append(adaptive_card(current or [_text_block("…")], actions))
    return cards
