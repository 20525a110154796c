"""A disclosure typed by a referrer in a Teams personal chat, over real HTTP on loopback (the real app and
Agents SDK adapter; only the Bot Connector is a stand-in), where the text is stored for the business unit:
as the reply after `reply PR-…` and as a free-text checklist answer. The emergency route comes first, and
the reply or answer is still saved.
"""

from __future__ import annotations

import pytest

from bot.assistant import Assistant
from bot.config import Settings
from bot.referral.queue import Actor
from tests.discussion.filing import file_referral
from tests.referral.helpers import CHILD_REFERRAL, Chat

from .conftest import build_app
from .harness import ConnectorStandIn, ServedApp, all_text, message_activity

DISCLOSURE = "She has just told me her stepfather hit her tonight and she is scared to go home"
OFFICER = Actor("aad-officer")


@pytest.fixture(scope="module")
def connector_f():
    stand_in = ConnectorStandIn()
    yield stand_in
    stand_in.close()


@pytest.fixture(scope="module")
def free_text_settings(sample_settings: Settings, tmp_path_factory, connector_f) -> Settings:
    database = tmp_path_factory.mktemp("teams-free-text-db") / "teams.sqlite3"
    return sample_settings.model_copy(
        update={
            "database_url": f"sqlite:///{database}",
            "teams_anonymous": True,
            "teams_service_url": connector_f.url,
            "business_unit": ["aad-officer"],
        }
    )


@pytest.fixture(scope="module")
def served_f(free_text_settings, connector_f):
    served = ServedApp(build_app(free_text_settings))
    yield served
    served.close()


def _say(served_f: ServedApp, connector_f: ConnectorStandIn, post, who: str, text: str) -> list[str]:
    conversation = f"a:personal-{who}"
    before = len(connector_f.posted(conversation))
    activity = message_activity(text, service_url=connector_f.url, conversation_id=conversation,
                                user_id=f"29:{who}", aad_object_id=who)
    response = post(served_f, activity)
    assert response.status_code in (200, 202), response.text
    return [all_text(a) for a in connector_f.posted(conversation)[before:]]


def test_a_disclosure_typed_as_the_reply_after_reply_pr_gets_the_emergency_route_first_and_is_attached(
    served_f: ServedApp, connector_f: ConnectorStandIn, post, free_text_settings: Settings
) -> None:
    core = Assistant(free_text_settings)
    reference = file_referral(core, "aad-replier")
    core.referrals.queue.request_info(OFFICER, reference, "Which hospital was J admitted to?")

    assert "Type your reply" in "\n".join(_say(served_f, connector_f, post, "aad-replier", f"reply {reference}"))
    said = _say(served_f, connector_f, post, "aad-replier", DISCLOSURE)

    assert "999" in said[0] and "has been added" not in said[0]
    assert "has been added" in "\n".join(said[1:])
    assert core.referrals.queue.show(OFFICER, reference).events[-1].detail == {"reply": DISCLOSURE}


def test_a_disclosure_as_a_free_text_checklist_answer_gets_the_emergency_route_first_and_is_saved(
    served_f: ServedApp, connector_f: ConnectorStandIn, post, free_text_settings: Settings
) -> None:
    chat = Chat(Assistant(free_text_settings), "aad-answerer")
    chat.send("refer")
    steps = [step for step, _ in CHILD_REFERRAL]
    chat.answer_all(CHILD_REFERRAL[: steps.index("about")])

    said = _say(served_f, connector_f, post, "aad-answerer", DISCLOSURE)

    assert "999" in said[0]
    assert "When did the incident happen" in "\n".join(said[1:])  # saved, and the checklist moved on
    assert DISCLOSURE in "\n".join(_say(served_f, connector_f, post, "aad-answerer", "change about"))
