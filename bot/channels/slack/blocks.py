"""Block Kit rendering of the core's `Reply`: text, citations, cards and buttons.

Slack rejects a message whose section text is over 3,000 characters or that
has more than 50 blocks; a long answer is therefore split into several
sections and, if need be, several messages, never refused.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.channels.slack.mrkdwn import escape, plain, split_text, to_mrkdwn, truncate
from bot.channels.slack.mrkdwn import link as link_to
from bot.channels.slack.text import slack_text
from bot.messages import Button, Citation, Reply, feedback_form
from bot.procedures.recent import updated_on_note
from bot.prompts import say
from bot.safety.text import safe_url

SECTION_TEXT_LIMIT = 3000
FIELD_TEXT_LIMIT = 2000
FIELDS_PER_SECTION = 10
MESSAGE_BLOCK_LIMIT = 50
VIEW_BLOCK_LIMIT = 100
BUTTON_TEXT_LIMIT = 75
BUTTON_VALUE_LIMIT = 2000
BUTTONS_PER_ACTIONS_BLOCK = 25
HEADER_TEXT_LIMIT = 150
FALLBACK_TEXT_LIMIT = 300

# action_ids: the listeners in app.py match on these.
BUTTON_ACTION_PREFIX = "sgbot.button."
FEEDBACK_UP = "sgbot.feedback.up"
FEEDBACK_DOWN = "sgbot.feedback.down"
HANDOFF = "sgbot.handoff"
FEEDBACK_BLOCK_ID = "sgbot.feedback"
CHOICE_BLOCK_PREFIX = "sgbot.choices."


@dataclass(frozen=True)
class SlackMessage:
    """One chat.postMessage worth: fallback text for notifications, and blocks."""

    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)


def section(mrkdwn_text: str, block_id: str | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "section",
        # verbatim: Slack must not turn "@here" or "#name" in quoted text into mentions or links.
        "text": {"type": "mrkdwn", "text": mrkdwn_text, "verbatim": True},
    }
    if block_id:
        block["block_id"] = block_id
    return block


def sections(mrkdwn_text: str) -> list[dict[str, Any]]:
    """As many sections as the text needs, each within Slack's limit."""
    return [section(piece) for piece in split_text(mrkdwn_text, SECTION_TEXT_LIMIT)]


def context(mrkdwn_text: str) -> dict[str, Any]:
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": truncate(mrkdwn_text, SECTION_TEXT_LIMIT), "verbatim": True}],
    }


def button(label: str, action_id: str, value: str, style: str = "default") -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": plain(label, BUTTON_TEXT_LIMIT), "emoji": True},
        "value": value[:BUTTON_VALUE_LIMIT],
    }
    if style in ("primary", "danger"):
        element["style"] = style
    return element


def actions(elements: Sequence[dict[str, Any]], block_id: str | None = None) -> list[dict[str, Any]]:
    """Actions blocks of at most 25 buttons each."""
    blocks = []
    for start in range(0, len(elements), BUTTONS_PER_ACTIONS_BLOCK):
        block: dict[str, Any] = {
            "type": "actions",
            "elements": list(elements[start : start + BUTTONS_PER_ACTIONS_BLOCK]),
        }
        if block_id:
            block["block_id"] = f"{block_id}{start // BUTTONS_PER_ACTIONS_BLOCK}"
        blocks.append(block)
    return blocks


def reply_buttons(buttons: Iterable[Button]) -> list[dict[str, Any]]:
    """The core's buttons; the pressed button's value comes back as `Message(action=value)`.

    Slack cuts button labels at 75 characters; choices with longer labels (the
    checklist's are sentences) become one section each, the full label beside a
    short button, rather than losing words.
    """
    usable = [item for item in buttons if len(item.value) <= BUTTON_VALUE_LIMIT]  # must round-trip intact
    if any(len(item.label) > BUTTON_TEXT_LIMIT for item in usable) and len(usable) < MESSAGE_BLOCK_LIMIT // 2:
        blocks = []
        for index, item in enumerate(usable):
            block = section(escape(item.label), block_id=f"{CHOICE_BLOCK_PREFIX}{index}")
            block["accessory"] = button(
                slack_text("choose"), f"{BUTTON_ACTION_PREFIX}{index}", item.value, item.style
            )
            blocks.append(block)
        return blocks
    elements = [
        button(item.label, f"{BUTTON_ACTION_PREFIX}{index}", item.value, item.style)
        for index, item in enumerate(usable)
    ]
    return actions(elements, block_id=CHOICE_BLOCK_PREFIX)


def citation_lines(citations: Sequence[Citation], contact: str) -> list[str]:
    lines = []
    for citation in citations:
        section_part = f" — {escape(citation.section)}" if citation.section else ""
        effective = f" · {escape(citation.effective)}" if citation.effective else ""
        # Only an http(s) source is a link, shown as itself: a document cannot hide where it goes.
        url = safe_url(citation.source_url)
        link = f" · {link_to(url)}" if url else ""
        line = slack_text(
            "citation_line",
            number=citation.number,
            title=f"*{escape(citation.title)}*",
            section=section_part,
            area=escape(citation.area),
            effective=effective,
            link=link,
        ) + escape(updated_on_note(citation, " · "))
        if citation.out_of_date:
            line += "\n" + to_mrkdwn(
                say("out_of_date", title=citation.title, review_by=citation.review_by or "?", contact=contact)
            )
        lines.append(line)
    return lines


def card_blocks(card: dict[str, Any] | None) -> list[dict[str, Any]]:
    """A structured summary (referral, checklist summary) as section fields.

    Accepts ``{"title": …, "fields": [{"label": …, "value": …}, …]}``, a list of
    ``[label, value]`` pairs, or a plain mapping of labels to values.
    """
    if not card:
        return []
    blocks: list[dict[str, Any]] = []
    title = card.get("title")
    if title:
        blocks.append(
            {"type": "header", "text": {"type": "plain_text", "text": plain(str(title), HEADER_TEXT_LIMIT)}}
        )
    raw_fields = card.get("fields")
    pairs: list[tuple[str, str]] = []
    if isinstance(raw_fields, dict):
        pairs = [(str(k), _value_text(v)) for k, v in raw_fields.items()]
    elif isinstance(raw_fields, list):
        for item in raw_fields:
            if isinstance(item, dict) and "label" in item:
                pairs.append((str(item["label"]), _value_text(item.get("value"))))
            elif isinstance(item, (list, tuple)) and len(item) == 2:
                pairs.append((str(item[0]), _value_text(item[1])))
    elif raw_fields is None:
        pairs = [(str(k), _value_text(v)) for k, v in card.items() if k != "title" and _is_scalar(v)]
    long_pairs = [(label, value) for label, value in pairs if len(value) > FIELD_TEXT_LIMIT - 200]
    short_pairs = [(label, value) for label, value in pairs if len(value) <= FIELD_TEXT_LIMIT - 200]
    for start in range(0, len(short_pairs), FIELDS_PER_SECTION):
        chunk = short_pairs[start : start + FIELDS_PER_SECTION]
        blocks.append(
            {
                "type": "section",
                "fields": [
                    {"type": "mrkdwn", "text": f"*{escape(label)}*\n{escape(value) or '—'}", "verbatim": True}
                    for label, value in chunk
                ],
            }
        )
    for label, value in long_pairs:  # a long free-text answer: full width, split if need be
        blocks.extend(sections(f"*{escape(label)}*\n{escape(value)}"))
    return blocks


def _is_scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool)) or value is None


def _value_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def _packed(sources: list[str], question: str | None) -> str:
    """A button value within Slack's limit: the longest start of the question that fits (JSON escapes can
    make it longer than it looks), once the cited documents that do not fit even without it are dropped."""

    def value(kept: list[str], text: str | None) -> str:
        data: dict[str, Any] = {"s": kept}
        if text is not None:
            data["q"] = text
        return json.dumps(data, separators=(",", ":"))

    kept = list(sources)
    while kept and len(value(kept, "" if question is not None else None)) > BUTTON_VALUE_LIMIT:
        kept.pop()
    if question is None:
        return value(kept, None)
    shortest, longest = 0, len(question)
    while shortest < longest:  # the longest prefix that fits
        middle = (shortest + longest + 1) // 2
        if len(value(kept, question[:middle])) <= BUTTON_VALUE_LIMIT:
            shortest = middle
        else:
            longest = middle - 1
    return value(kept, question[:shortest])


def feedback_value(reply: Reply, question: str | None) -> dict[str, str]:
    """Button values for feedback: ids of the cited documents, and the question for 👎 and a hand-off.

    The question travels in the button so that "Ask the business unit" can show it
    in the modal without a history scope; it is already in this Slack thread. 👎 carries it too, for
    the knowledge gaps (kept redacted, and only when switched on).
    """
    sources = sorted({citation.source for citation in reply.citations})
    asked = (question or "")[:1500]
    return {
        "rating": _packed(sources, None),
        "down": _packed(sources, asked),
        "handoff": json.dumps({"q": json.loads(_packed([], asked))["q"]}, separators=(",", ":")),  # no "s"
    }


def feedback_blocks(reply: Reply, question: str | None) -> list[dict[str, Any]]:
    values = feedback_value(reply, question)
    form = feedback_form()
    elements = [
        button(form.up, FEEDBACK_UP, values["rating"]),
        button(form.down, FEEDBACK_DOWN, values["down"]),
        button(form.handoff_button, HANDOFF, values["handoff"]),
    ]
    return actions(elements, block_id=FEEDBACK_BLOCK_ID)


def fallback_text(reply: Reply) -> str:
    """The notification / screen-reader text of a message (Slack shows blocks, not this).

    Slack reads `<!channel>` and `<url|label>` here too: escaped like any text.
    """
    text = escape(plain(reply.text.replace("\n", " "), FALLBACK_TEXT_LIMIT))
    if reply.urgent:
        text = f"{slack_text('urgent_banner')} {text}"
    return truncate(text, FALLBACK_TEXT_LIMIT)


def render_reply(
    reply: Reply,
    *,
    contact: str,
    feedback: bool = False,
    question: str | None = None,
    extra: list[dict[str, Any]] | None = None,
) -> list[SlackMessage]:
    """The blocks of one `Reply`, as one message or several if Block Kit's limits demand.

    Buttons (and feedback buttons) stay on the last message, under the text they belong to.
    """
    body: list[dict[str, Any]] = []
    if reply.text.strip():
        body.extend(sections(to_mrkdwn(reply.text)))
    body.extend(card_blocks(reply.card))
    if reply.citations:
        lines = citation_lines(reply.citations, contact)
        body.extend(sections(slack_text("sources_heading") + "\n" + "\n".join(lines)))
    tail: list[dict[str, Any]] = []
    buttons = list(reply.buttons)
    if not buttons and reply.expects is not None and reply.expects.options:
        buttons = [Button(label=option, value=option) for option in reply.expects.options]
    tail.extend(reply_buttons(buttons))
    tail.extend(extra or [])
    if feedback:
        tail.extend(feedback_blocks(reply, question))
    return pack(body, tail, fallback=fallback_text(reply))


def pack(
    body: list[dict[str, Any]],
    tail: list[dict[str, Any]],
    *,
    fallback: str,
    limit: int = MESSAGE_BLOCK_LIMIT,
) -> list[SlackMessage]:
    """Split blocks into messages of at most `limit` blocks, keeping `tail` together at the end."""
    blocks = body + tail
    if not blocks:
        return [SlackMessage(text=fallback or "…")]
    messages: list[list[dict[str, Any]]] = []
    while len(blocks) > limit:
        cut = limit
        # Do not leave the tail (buttons) without the text just above it.
        if len(blocks) - limit < len(tail) + 1:
            cut = max(len(blocks) - len(tail) - 1, 1)
        messages.append(blocks[:cut])
        blocks = blocks[cut:]
    messages.append(blocks)
    continued = slack_text("continued")
    return [
        SlackMessage(text=fallback if index == 0 else f"{continued} {fallback}", blocks=chunk)
        for index, chunk in enumerate(messages)
    ]


def choice_made(user_id: str, label: str) -> dict[str, Any]:
    """What replaces a row of buttons once someone pressed one (no second press)."""
    return context(slack_text("chose", user=user_id, label=escape(label)))


def replace_choices(blocks: list[dict[str, Any]], replacement: dict[str, Any]) -> list[dict[str, Any]]:
    """The message's blocks with its row(s) of choices replaced by what was chosen."""
    result: list[dict[str, Any]] = []
    replaced = False
    for block in blocks:
        if str(block.get("block_id", "")).startswith(CHOICE_BLOCK_PREFIX):
            if not replaced:
                result.append(replacement)
                replaced = True
        else:
            result.append(block)
    return result


def replace_block(
    blocks: list[dict[str, Any]], block_id: str, replacement: dict[str, Any] | None
) -> list[dict[str, Any]]:
    """The message's blocks with one block swapped (or removed), for chat.update."""
    result = []
    for block in blocks:
        if block.get("block_id") == block_id:
            if replacement is not None:
                result.append(replacement)
        else:
            result.append(block)
    return result
