"""Block Kit rendering: Slack's limits are kept and user text can never mention or link anyone."""

from __future__ import annotations

from bot.channels.slack.blocks import MESSAGE_BLOCK_LIMIT, SECTION_TEXT_LIMIT, render_reply
from bot.channels.slack.mrkdwn import escape, split_text, to_mrkdwn
from bot.messages import Button, Citation, Reply


def citation(number: int, out_of_date: bool = False) -> Citation:
    return Citation(
        number,
        f"doc-{number}.md",
        "Bruising in non-mobile babies",
        "What to do",
        "Northshire",
        "procedure",
        "2024-01-01",
        "2025-01-01",
        "https://example.org/bruising?a=1&b=2",
        out_of_date,
        "text",
        1.0,
    )


def test_user_text_cannot_mention_people_or_make_links() -> None:
    typed = "ping <!channel> and <@U123> see <https://evil.example|here> & more"
    shown = to_mrkdwn(typed)
    assert "<!channel>" not in shown and "<@U123>" not in shown and "<https://evil" not in shown
    assert shown.startswith("ping &lt;!channel&gt; and &lt;@U123&gt;")
    assert escape("a & b") == "a &amp; b"


def test_the_cores_markdown_becomes_slack_mrkdwn() -> None:
    shown = to_mrkdwn("**Call 999** now.\n- Tell the MASH at https://example.org/mash today")
    assert shown == "*Call 999* now.\n• Tell the MASH at <https://example.org/mash> today"


def test_a_markdown_link_in_text_is_shown_as_typed_never_as_a_disguised_link() -> None:
    shown = to_mrkdwn("Tell the [MASH](https://evil.example/mash) today")
    assert shown == "Tell the [MASH](https://evil.example/mash) today"


def test_long_text_is_split_at_boundaries_within_the_limit() -> None:
    text = "\n\n".join(f"Paragraph {i}. " + "word " * 120 for i in range(40))
    pieces = split_text(text, SECTION_TEXT_LIMIT)
    assert all(len(piece) <= SECTION_TEXT_LIMIT for piece in pieces)
    assert " ".join(" ".join(pieces).split()) == " ".join(text.split())  # nothing lost


def test_a_very_long_answer_becomes_several_messages_with_the_buttons_last() -> None:
    reply = Reply(
        text="\n\n".join("x" * 2900 for _ in range(120)),
        citations=[citation(1, out_of_date=True)],
        buttons=[Button("Yes", "yes"), Button("No", "no")],
    )
    messages = render_reply(reply, contact="the duty team", feedback=True, question="q")
    assert len(messages) >= 3
    assert all(len(message.blocks) <= MESSAGE_BLOCK_LIMIT for message in messages)
    last = messages[-1].blocks
    assert [block["type"] for block in last[-2:]] == ["actions", "actions"]
    everything = "".join(block.get("text", {}).get("text", "") for m in messages for block in m.blocks)
    assert everything.count("x" * 2900) == 120
    assert "may be out of date" in everything
    assert "<https://example.org/bruising?a=1&b=2>" in everything  # the address itself, never a label


def test_choices_with_long_labels_keep_every_word() -> None:
    label = (
        "A child has died or been seriously harmed, and abuse or neglect is known or suspected (rapid review)"
    )
    (message,) = render_reply(
        Reply(text="Which review?", buttons=[Button(label, "serious_child")]), contact="x"
    )
    choice = message.blocks[-1]
    assert choice["text"]["text"] == label
    assert choice["accessory"]["value"] == "serious_child"


def test_the_thumbs_down_button_carries_the_question_within_slacks_value_limit() -> None:
    """👎 brings its question to the knowledge gaps; a long one (escaped in JSON it grows) is shortened so
    the button value stays within Slack's limit, and the cited documents are kept."""
    import json

    from bot.channels.slack.blocks import BUTTON_VALUE_LIMIT, feedback_value

    cited = [Citation(n, f"regional/doc-{n}.md", "Title", "Section", "Northshire", "procedure", None, None, None,
                      False, "text", 1.0) for n in range(1, 4)]
    reply = Reply("An answer.", citations=cited)
    short = json.loads(feedback_value(reply, "Who do I call out of hours?")["down"])
    assert short == {"s": [c.source for c in cited], "q": "Who do I call out of hours?"}
    long_question = "Ça “quoted” – " * 400  # non-ASCII: \\uXXXX escapes make it longer than it looks
    values = feedback_value(reply, long_question)
    assert all(len(value) <= BUTTON_VALUE_LIMIT for value in values.values())
    down = json.loads(values["down"])
    assert down["q"] and long_question.startswith(down["q"]) and down["s"] == [c.source for c in cited]
    assert "q" not in json.loads(values["rating"])  # 👍 carries no question
