"""A `Reply` as JSON and back, so that a held notification keeps its buttons, card and citations."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from bot.messages import Button, Citation, Expectation, Reply


def reply_to_json(reply: Reply) -> dict[str, Any]:
    return asdict(reply)


def reply_from_json(data: dict[str, Any]) -> Reply:
    expects = data.get("expects")
    return Reply(
        text=str(data["text"]),
        buttons=[Button(**button) for button in data.get("buttons") or []],
        citations=[Citation(**citation) for citation in data.get("citations") or []],
        urgent=bool(data.get("urgent", False)),
        card=data.get("card"),
        expects=Expectation(**expects) if expects else None,
    )
