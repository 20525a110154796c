"""A case discussion in a Teams channel thread, over real HTTP on loopback.

The real app and Agents SDK adapter under uvicorn, the real assistant and a
real SQLite database; only Microsoft's Bot Connector is a stand-in. The
business unit starts a Kolb discussion by mentioning the bot in a channel
thread; the agencies' representatives post in the thread; the facilitator
goes back a stage with the card's button and closes it.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.config import Settings
from bot.referral.queue import Actor
from bot.reviews.action_plans import ActionPlans
from tests.discussion.filing import file_accepted_review
from tests.discussion.reading import docx_sections, docx_tables
from tests.discussion.script import ACTION_TEXT, AGENCIES, POLICE, STEPS, check_report_sections

from .conftest import build_app
from .harness import ConnectorStandIn, ServedApp, all_text, card_of, find_action, message_activity

THREAD = "19:case-reviews@thread.tacv2;messageid=1700000000200"
OFFICER = {"user_id": "29:officer", "aad_object_id": "aad-officer", "name": "Olu Officer"}
PEOPLE = {
    key: {"user_id": f"29:{key}", "aad_object_id": f"aad-{key}", "name": f"{key.title()} Rep"} for key in AGENCIES
}


@pytest.fixture(scope="module")
def connector_d():
    stand_in = ConnectorStandIn()
    yield stand_in
    stand_in.close()


@pytest.fixture(scope="module")
def discussion_settings(sample_settings: Settings, tmp_path_factory, connector_d) -> Settings:
    database = tmp_path_factory.mktemp("teams-discussion-db") / "teams.sqlite3"
    return sample_settings.model_copy(
        update={
            "database_url": f"sqlite:///{database}",
            "teams_anonymous": True,
            "teams_service_url": connector_d.url,
            "business_unit": ["aad-officer"],
        }
    )


@pytest.fixture(scope="module")
def served_d(discussion_settings, connector_d):
    served = ServedApp(build_app(discussion_settings))
    yield served
    served.close()


def test_three_agencies_hold_a_kolb_discussion_in_a_channel_thread(
    served_d: ServedApp, connector_d: ConnectorStandIn, post, discussion_settings: Settings
) -> None:
    from bot.assistant import Assistant

    # The referral under review, filed as the checklist tests file one (same database).
    core = Assistant(discussion_settings)
    reference = file_accepted_review(core, "aad-officer", referrer="aad-referrer")

    def say(person: dict[str, Any], text: str | None, **options: Any) -> list[dict[str, Any]]:
        before = len(connector_d.posted(THREAD))
        activity = message_activity(
            text,
            service_url=connector_d.url,
            conversation_id=THREAD,
            conversation_type="channel",
            **person,
            **options,
        )
        response = post(served_d, activity)
        assert response.status_code in (200, 202), response.text
        return connector_d.posted(THREAD)[before:]

    def text_of(activities: list[dict[str, Any]]) -> str:
        return "\n".join(all_text(a) for a in activities)

    started = say(OFFICER, f"discuss {reference} kolb", mention_bot=True)
    assert "Stage 1 of 4: What happened" in text_of(started)
    for key, person in PEOPLE.items():
        assert AGENCIES[key] in text_of(say(OFFICER, f"invite {person['aad_object_id']} {AGENCIES[key]}"))
    outsider = {"user_id": "29:nosy", "aad_object_id": "aad-nosy", "name": "Nosy Parker"}
    assert "not invited" in text_of(say(outsider, "I know this family too: they moved here in March."))

    # In the discussion's thread, "Area …" is what someone wrote, not the channel's area setting.
    area_note = say(PEOPLE["police"], "Area teams were not told about the call-outs.")
    assert "Saved: Northshire Police" in text_of(area_note)

    stage_cards: list[dict[str, Any]] = []
    for who, text in STEPS:
        if who == "facilitator" and text == "back":
            # The facilitator presses "Back a stage" on the card of stage 2.
            back = find_action(stage_cards[-1], "Back a stage")
            replies = say(OFFICER, None, value=back["data"])
            assert "Stage 1 of 4" in text_of(replies)
            continue
        replies = say(OFFICER if who == "facilitator" else PEOPLE[who], text)
        stage_cards += [card_of(r) for r in replies if card_of(r) and "Stage 2 of 4" in all_text(r)]
        if who != "facilitator" and not text.startswith(("learning", "action")):
            assert f"Saved: {AGENCIES[who]}" in text_of(replies), text_of(replies)
    assert "is closed" in text_of(replies)

    report = core.discussions.report(Actor("aad-officer"), reference)
    document = report.to_docx()
    check_report_sections(docx_sections(document))
    assert docx_tables(document)[0][1][:2] == [ACTION_TEXT, AGENCIES[POLICE]]
    assert "Area teams were not told" in docx_sections(document)["1. What happened"][AGENCIES[POLICE]][0]
    assert "moved here in March" not in report.to_markdown()
    plan = ActionPlans(core.referrals.database, discussion_settings).for_review("aad-officer", reference)
    assert [(i.recommendation, i.owner_agency, i.due_on) for i in plan] == [
        (ACTION_TEXT, AGENCIES[POLICE], "2027-01-31")
    ]
