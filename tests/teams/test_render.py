"""How a `Reply` looks in Teams: text, Adaptive Cards, sources, buttons, and Teams' size limits."""

from __future__ import annotations

from bot.channels.teams.render import (
    ACTION_KEY,
    ACTIVITY_BYTES_LIMIT,
    TEXT_KEY,
    TEXT_LIMIT,
    RenderOptions,
    activity_size,
    render_reply,
    split_text,
)
from bot.messages import Button, Citation, Expectation, Reply

from .harness import card_of, card_texts


def citation(number: int, **changes: object) -> Citation:
    values: dict[str, object] = {
        "number": number,
        "source": f"doc-{number}",
        "title": f"Procedure {number}",
        "section": "What to do",
        "area": "Northshire",
        "kind": "procedure",
        "effective": "2025-04-01",
        "review_by": "2027-04-01",
        "source_url": None,
        "out_of_date": False,
        "text": "passage",
        "score": 0.9,
    }
    values.update(changes)
    return Citation(**values)  # type: ignore[arg-type]


def payload(activity) -> dict:
    return activity.model_dump(mode="json", by_alias=True, exclude_none=True)


def test_plain_text_is_a_plain_markdown_message():
    [activity] = render_reply(Reply(text="Hello **there**"))
    assert payload(activity)["text"] == "Hello **there**"
    assert not activity.attachments


def test_an_answer_shows_numbered_sources_with_date_link_and_staleness():
    reply = Reply(
        text="Call the MASH [1].",
        citations=[
            citation(1, source_url="https://example.org/p1"),
            citation(2, out_of_date=True, review_by="2024-01-01"),
        ],
    )
    [activity] = render_reply(reply)
    texts = card_texts(card_of(payload(activity)))
    assert texts[0] == "Call the MASH [1]."
    assert "Sources" in texts
    first = next(t for t in texts if "[1]" in t and "Procedure 1" in t)
    assert "What to do" in first and "Northshire" in first and "2025-04-01" in first
    assert "(https://example.org/p1)" in first
    assert any("2024-01-01" in t and "out of date" in t for t in texts)


def test_buttons_round_trip_their_values():
    reply = Reply(
        text="Submit?",
        buttons=[Button("Submit", "submit", "primary"), Button("Cancel", "cancel", "danger")],
    )
    card = card_of(payload(render_reply(reply)[0]))
    actions = card["actions"]
    assert [(a["title"], a["data"][ACTION_KEY]) for a in actions] == [
        ("Submit", "submit"),
        ("Cancel", "cancel"),
    ]
    assert actions[0]["style"] == "positive" and actions[1]["style"] == "destructive"


def test_choices_without_buttons_become_buttons():
    reply = Reply(text="Which review?", expects=Expectation("type", "choice", ["Rapid review", "SAR"]))
    card = card_of(payload(render_reply(reply)[0]))
    assert [a["data"][ACTION_KEY] for a in card["actions"]] == ["Rapid review", "SAR"]


def test_a_reason_is_asked_for_with_a_required_box():
    reply = Reply(text="Why was it not accepted?", expects=Expectation("reason", "reason"))
    card = card_of(payload(render_reply(reply)[0]))
    [box] = [item for item in card["body"] if item["type"] == "Input.Text"]
    assert box["id"] == TEXT_KEY and box["isRequired"] is True


def test_free_text_gets_a_box_only_in_channels():
    reply = Reply(text="What happened?", expects=Expectation("what", "long_text"))
    assert not render_reply(reply)[0].attachments
    card = card_of(payload(render_reply(reply, RenderOptions(in_channel=True))[0]))
    assert any(item["type"] == "Input.Text" for item in card["body"])


def test_urgent_text_comes_first_and_stands_out():
    reply = Reply(text="Call 999 now.\n\nThen read the procedure.", urgent=True, citations=[citation(1)])
    first = card_of(payload(render_reply(reply)[0]))
    assert first["body"][0]["type"] == "Container" and first["body"][0]["style"] == "attention"
    assert first["body"][0]["items"][0]["text"].startswith("Call 999 now.")


def test_long_text_is_split_not_truncated():
    paragraph = "Working Together says this. " * 40
    text = "\n\n".join(f"{n}. {paragraph}" for n in range(60))
    activities = render_reply(Reply(text=text, citations=[citation(1)], buttons=[Button("OK", "ok")]))
    assert len(activities) > 1
    read = "".join(
        payload(a).get("text") or "".join(card_texts(card_of(payload(a)) or {})) for a in activities
    )
    squeezed = read.replace("\n", "").replace(" ", "")
    assert squeezed.startswith(text.replace("\n", "").replace(" ", ""))
    assert squeezed.endswith("Northshire·2025-04-01")  # then the sources, once
    assert all(activity_size(a) <= ACTIVITY_BYTES_LIMIT + 2000 for a in activities)
    # Sources and buttons stay with the last part.
    assert card_of(payload(activities[-1]))["actions"][0]["data"][ACTION_KEY] == "ok"


def test_unbroken_text_is_cut_hard_within_the_limit():
    parts = split_text("x" * (TEXT_LIMIT * 2 + 5))
    assert [len(p) for p in parts] == [TEXT_LIMIT, TEXT_LIMIT, 5]


def test_a_huge_summary_is_spread_over_several_cards():
    answers = {f"step_{n}": "A long answer about the child's life. " * 150 for n in range(12)}
    reply = Reply(
        text="Please check your answers.",
        card={"title": "Summary", "fields": answers},
        buttons=[Button("Submit", "submit"), Button("Change", "change"), Button("Cancel", "cancel")],
    )
    activities = render_reply(reply)
    assert len(activities) > 1
    assert all(activity_size(a) <= ACTIVITY_BYTES_LIMIT + 2000 for a in activities)
    cards = [card_of(payload(a)) for a in activities]
    assert all("actions" not in card for card in cards[:-1])
    assert [a["title"] for a in cards[-1]["actions"]] == ["Submit", "Change", "Cancel"]
    everything = "\n".join(t for card in cards for t in card_texts(card))
    assert everything.count("A long answer") == 12 * 150
