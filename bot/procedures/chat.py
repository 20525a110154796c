"""What a chat message can ask of procedures: subscribe a channel to changes, or how aligned two areas are.

Channel-neutral: the channel kind and thread id say where a subscription's notices go
(a Slack channel, a Teams conversation, or the terminal user at their next message).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.messages import Message, Reply
from bot.procedures.render import say

if TYPE_CHECKING:
    from bot.config import Settings

_SUBSCRIBE = re.compile(r"^\s*subscribe\s+(?:to\s+)?(?:document\s+)?changes\b[\s:]*(?P<rest>.*)$", re.IGNORECASE)
_UNSUBSCRIBE = re.compile(r"^\s*(?:unsubscribe|stop)\s+(?:from\s+)?(?:document\s+)?changes\b", re.IGNORECASE)
_ALIGNED = re.compile(r"\bhow\s+(?:well\s+|closely\s+)?aligned\b|\balignment\s+report\b", re.IGNORECASE)


def subscription_place(message: Message) -> tuple[str, str]:
    """(channel kind, target) a subscription made from this message delivers to."""
    if message.channel == "slack" and message.thread_id:
        return "slack", message.thread_id.split(":", 1)[0]  # the Slack channel id
    if message.channel == "teams" and message.thread_id:
        return "teams", message.thread_id  # the Teams conversation id
    return "terminal", message.user_id


def handle(settings: Settings, message: Message) -> Reply | None:
    """A reply if the message is a procedures command, else None (someone else's message)."""
    text = message.text or ""
    if message.action is not None or not text:
        return None
    if _UNSUBSCRIBE.match(text):
        return _unsubscribe(settings, message)
    found = _SUBSCRIBE.match(text)
    if found:
        return _subscribe(settings, message, found.group("rest"))
    if _ALIGNED.search(text):
        return _aligned(settings, message, text)
    return None


def _place_word(message: Message) -> str:
    return say("place_channel") if message.channel in ("slack", "teams") else say("place_chat")


def parse_subscription(rest: str) -> tuple[list[str], list[str], str | None]:
    """(areas, kinds, unknown kind) from "Northshire, Eastbrook procedure threshold"."""
    from ingest.metadata import KINDS

    areas: list[str] = []
    kinds: list[str] = []
    for piece in re.split(r"[,;]|\band\b", rest):
        words = []
        for word in piece.split():
            bare = word.strip(".!?").lower()
            singular = bare[:-1] if bare.endswith("s") and bare[:-1] in KINDS else bare
            if singular in KINDS:
                kinds.append(singular)
            elif bare in ("kinds", "kind", "areas", "area", "for", "in", "only", "all"):
                continue
            else:
                words.append(word.strip(".!?"))
        if words:
            areas.append(" ".join(words))
    return list(dict.fromkeys(areas)), list(dict.fromkeys(kinds)), None


def _subscribe(settings: Settings, message: Message, rest: str) -> Reply:
    from bot.db import get_database
    from bot.procedures.subscriptions import subscribe

    areas, kinds, _ = parse_subscription(rest)
    channel, target = subscription_place(message)
    subscribe(get_database(settings), channel, target, areas, kinds, message.user_id)
    if not areas and not kinds:
        what = say("subscribe_all")
    else:
        area_text = say("subscribe_areas", areas=", ".join(areas)) if areas else ""
        kind_text = say("subscribe_kinds", separator="; " if areas else "", kinds=", ".join(kinds)) if kinds else ""
        what = say("subscribe_what", areas=area_text, kinds=kind_text)
    return Reply(text=say("subscribe_done", place=_place_word(message), what=what))


def _unsubscribe(settings: Settings, message: Message) -> Reply:
    from bot.db import get_database
    from bot.procedures.subscriptions import unsubscribe

    channel, target = subscription_place(message)
    done = unsubscribe(get_database(settings), channel, target)
    return Reply(text=say("unsubscribe_done" if done else "unsubscribe_none", place=_place_word(message)))


def _aligned(settings: Settings, message: Message, text: str) -> Reply:
    import datetime as dt

    from bot.db import get_database
    from bot.procedures.alignment.documents import recorded_procedures
    from bot.procedures.alignment.render import chat_summary, to_html
    from bot.procedures.alignment.report import build_report, local_areas
    from bot.procedures.alignment.report import text as alignment_text
    from bot.roles import in_business_unit

    database = get_database(settings)
    if not in_business_unit(settings, database, message.user_id, message.email):
        return Reply(text=alignment_text("chat_not_allowed"))
    documents = recorded_procedures(database)
    known = local_areas(documents, settings.regional_areas + settings.national_areas)
    lowered = text.lower()
    named = sorted((a for a in known if re.search(rf"\b{re.escape(a.lower())}\b", lowered)), key=lowered.find)
    if not documents:
        return Reply(text=alignment_text("chat_nothing", areas=" and ".join(named) or "these areas"))
    if len(named) < 2:
        return Reply(text=alignment_text("chat_need_two", known=", ".join(known)))
    from bot.index.embeddings import shared_embedder

    report = build_report(documents, named, shared_embedder().encode)
    folder = settings.data_dir / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    slug = "-".join(re.sub(r"[^a-z0-9]+", "-", a.lower()).strip("-") for a in named)
    path = folder / f"alignment-{slug}-{dt.date.today().isoformat()}.html"
    path.write_text(to_html(report), encoding="utf-8")
    return Reply(text=chat_summary(report, str(path)))
