"""A disclosure typed as a contribution to a case discussion in a Teams channel thread, over real
HTTP on loopback (the real app and Agents SDK adapter; only the Bot Connector is a stand-in): the
emergency route comes first, then the contribution is saved and is in the discussion's report.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.config import Settings
from bot.referral.queue import Actor
from tests.discussion.filing import file_accepted_review

from .conftest import build_app
from .harness import ConnectorStandIn, ServedApp, all_text, message_activity

THREAD = "19:case-reviews-urgent@thread.tacv2;messageid=1700000000300"
OFFICER = {"user_id": "29:officer", "aad_object_id": "aad-officer", "name": "Olu Officer"}
SCHOOL = {"user_id": "29:school", "aad_object_id": "aad-school", "name": "School Rep"}
DISCLOSURE = "She has just told me her stepfather hit her tonight and she is scared to go home"


@pytest.fixture(scope="module")
def connector_u():
    stand_in = ConnectorStandIn()
    yield stand_in
    stand_in.close()


@pytest.fixture(scope="module")
def urgent_settings(sample_settings: Settings, tmp_path_factory, connector_u) -> Settings:
    database = tmp_path_factory.mktemp("teams-discussion-urgent-db") / "teams.sqlite3"
    return sample_settings.model_copy(
        update={
            "database_url": f"sqlite:///{database}",
            "teams_anonymous": True,
            "teams_service_url": connector_u.url,
            "business_unit": ["aad-officer"],
        }
    )


@pytest.fixture(scope="module")
def served_u(urgent_settings, connector_u):
    served = ServedApp(build_app(urgent_settings))
    yield served
    served.close()


def test_a_disclosure_typed_as_a_discussion_contribution_gets_the_emergency_route_first_and_is_saved(
    served_u: ServedApp, connector_u: ConnectorStandIn, post, urgent_settings: Settings
) -> None:
    from bot.assistant import Assistant

    core = Assistant(urgent_settings)
    reference = file_accepted_review(core, "aad-officer", referrer="aad-referrer")

    def say(person: dict[str, Any], text: str, **options: Any) -> list[str]:
        before = len(connector_u.posted(THREAD))
        activity = message_activity(
            text, service_url=connector_u.url, conversation_id=THREAD, conversation_type="channel",
            **person, **options,
        )
        response = post(served_u, activity)
        assert response.status_code in (200, 202), response.text
        return [all_text(a) for a in connector_u.posted(THREAD)[before:]]

    assert "Stage 1 of 4" in "\n".join(say(OFFICER, f"discuss {reference} kolb", mention_bot=True))
    assert "Eastbrook Primary School" in "\n".join(say(OFFICER, "invite aad-school Eastbrook Primary School"))

    said = say(SCHOOL, DISCLOSURE)
    assert "999" in said[0] and "Saved" not in said[0]
    assert "Saved: Eastbrook Primary School" in "\n".join(said[1:])
    assert "scared to go home" in core.discussions.report(Actor("aad-officer"), reference).to_markdown()

    outsider = {"user_id": "29:nosy", "aad_object_id": "aad-nosy", "name": "Nosy Parker"}
    refused = say(outsider, DISCLOSURE)
    assert "999" in refused[0] and "not invited" in "\n".join(refused)
