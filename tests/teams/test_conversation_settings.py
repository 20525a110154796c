"""Teams over HTTP: help, per-conversation settings, duplicate deliveries, mentions."""

from __future__ import annotations

import time

from bot import channel_settings
from bot.assistant import Assistant
from bot.channels.teams import conversations
from bot.db import get_database

from .harness import all_text, message_activity

CHANNEL_THREAD = "19:general@thread.tacv2;messageid=1700000000001"


def test_about_is_answered_in_the_same_chat(anonymous_settings, connector, serve, post):
    served = serve(anonymous_settings)
    response = post(served, message_activity("about", service_url=connector.url))
    assert response.status_code in (200, 202)
    [reply] = connector.posted("a:personal-pat")
    assert "Refer a case" in reply["text"] and "999" in reply["text"]
    assert reply["from"]["id"] == "28:bot-app" and reply["recipient"]["id"] == "29:pat"


def test_an_activity_delivered_twice_is_answered_once(anonymous_settings, connector, serve, post):
    served = serve(anonymous_settings)
    activity = message_activity("about", service_url=connector.url, activity_id="1700000000555")
    for _ in range(3):
        assert post(served, activity).status_code in (200, 202)
    assert len(connector.posted("a:personal-pat")) == 1


def test_the_same_activity_id_in_another_conversation_is_a_new_message(
    anonymous_settings, connector, serve, post
):
    served = serve(anonymous_settings)
    for conversation in ("a:personal-pat", "a:personal-sam"):
        activity = message_activity(
            "about", service_url=connector.url, conversation_id=conversation, activity_id="1700000000777"
        )
        post(served, activity)
    assert len(connector.posted("a:personal-pat")) == 1
    assert len(connector.posted("a:personal-sam")) == 1


def test_in_a_channel_the_bot_answers_only_when_mentioned(anonymous_settings, connector, serve, post):
    served = serve(anonymous_settings)
    common = {"service_url": connector.url, "conversation_id": CHANNEL_THREAD, "conversation_type": "channel"}
    post(served, message_activity("about", **common))
    assert connector.posted() == []
    post(served, message_activity("about", mention_bot=True, **common))
    [reply] = connector.posted()
    assert "Refer a case" in reply["text"]
    assert reply["replyToId"]  # threaded under the message that mentioned it


def test_an_admin_sets_the_areas_of_a_channel_and_they_survive_a_restart(
    anonymous_settings, connector, serve, post
):
    served = serve(anonymous_settings)
    common = {
        "service_url": connector.url,
        "conversation_id": CHANNEL_THREAD,
        "conversation_type": "channel",
        "mention_bot": True,
    }
    post(served, message_activity("area Northshire, Eastbrook", aad_object_id="aad-admin", **common))
    assert "Northshire, Eastbrook" in all_text(connector.posted()[-1])
    served.close()

    restarted = serve(anonymous_settings)
    other_thread = {**common, "conversation_id": "19:general@thread.tacv2;messageid=1700000000999"}
    post(restarted, message_activity("area", **other_thread))
    assert "Northshire, Eastbrook" in all_text(connector.posted()[-1])
    db = get_database(anonymous_settings)
    # Kept by the core for the channel itself (every thread in it), not per thread.
    assert channel_settings.load(db, "teams", "19:general@thread.tacv2").areas == ["Northshire", "Eastbrook"]


def test_only_admins_change_settings(anonymous_settings, connector, serve, post):
    served = serve(anonymous_settings)
    post(served, message_activity("mode all", service_url=connector.url))
    assert "Only the assistant's admins" in connector.posted()[-1]["text"]
    db = get_database(anonymous_settings)
    assert channel_settings.load(db, "teams", "a:personal-pat").mode == "mentions"


def test_conversation_references_are_kept_for_proactive_messages(anonymous_settings, connector, serve, post):
    served = serve(anonymous_settings)
    post(served, message_activity("about", service_url=connector.url))
    core = Assistant(anonymous_settings)  # the core keeps the references; the channel reads them through it
    reference = conversations.stored_reference(core, conversations.user_channel("aad-pat"))
    assert reference is not None
    assert reference.conversation.id == "a:personal-pat"
    assert reference.service_url == connector.url


def test_expect_replies_delivery_returns_the_replies_in_the_response(
    anonymous_settings, connector, serve, post
):
    served = serve(anonymous_settings)
    activity = message_activity("about", service_url=connector.url, delivery_mode="expectReplies")
    response = post(served, activity)
    assert response.status_code == 200
    messages = [a for a in response.json()["activities"] if a["type"] == "message"]
    assert len(messages) == 1 and "Refer a case" in messages[0]["text"]
    assert connector.posted() == []  # nothing went through the connector


def test_when_teams_refuses_a_reply_the_user_is_told(anonymous_settings, connector, serve, post):
    served = serve(anonymous_settings)
    connector.fail_next = 1
    response = post(served, message_activity("about", service_url=connector.url))
    assert response.status_code in (200, 202)
    [apology] = connector.posted("a:personal-pat")
    assert "something went wrong" in apology["text"] and "Nothing you typed is lost" in apology["text"]
    # The next message is answered normally.
    post(served, message_activity("about", service_url=connector.url))
    assert "Refer a case" in connector.posted("a:personal-pat")[-1]["text"]


def test_a_hand_off_the_business_unit_channel_refuses_at_first_is_posted_once_later(
    anonymous_settings, connector, serve, post
):
    settings = anonymous_settings.model_copy(
        update={"teams_service_url": connector.url, "outbox_retry_seconds": 0.05, "outbox_poll_seconds": 0.1}
    )
    served = serve(settings)
    question = {"sgbot_handoff": True, "sgbot_question": "Who chairs the rapid review meeting?"}
    connector.fail_next = 1  # the first post to the business unit's channel
    post(served, message_activity(None, service_url=connector.url, value=question))
    # The hand-off is kept with the question in the outbox, so the user can be told it is on its way.
    assert "Sent to the business unit" in connector.posted("a:personal-pat")[-1]["text"]
    deadline = time.monotonic() + 30
    while not connector.posted("19:business-unit@thread.tacv2") and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    [posted] = connector.posted("19:business-unit@thread.tacv2")
    assert "Who chairs the rapid review meeting?" in posted["text"]


def test_roles_given_by_email_are_recognised_through_the_teams_member_api(
    anonymous_settings, connector, serve, post
):
    settings = anonymous_settings.model_copy(update={"admins": ["chair@northshire.example.org"]})
    connector.members["29:chair"] = {
        "id": "29:chair",
        "name": "Chris Chair",
        "aadObjectId": "aad-chair",
        "email": "Chair@Northshire.example.org",
        "userPrincipalName": "chair@northshire.example.org",
    }
    served = serve(settings)
    common = {
        "service_url": connector.url,
        "conversation_id": CHANNEL_THREAD,
        "conversation_type": "channel",
        "mention_bot": True,
    }
    post(served, message_activity("mode all", user_id="29:chair", aad_object_id="aad-chair", **common))
    assert "every question" in connector.posted()[-1]["text"]
    post(served, message_activity("mode mentions", **common))  # Pat is not an admin
    assert "Only the assistant's admins" in connector.posted()[-1]["text"]


def test_installing_the_app_in_a_personal_chat_says_hello(anonymous_settings, connector, serve, post):
    served = serve(anonymous_settings)
    update = {
        "type": "conversationUpdate",
        "id": "f:install-1",
        "channelId": "msteams",
        "serviceUrl": connector.url,
        "from": {"id": "29:pat", "name": "Pat Practitioner", "aadObjectId": "aad-pat"},
        "conversation": {"id": "a:personal-pat", "conversationType": "personal", "tenantId": "t"},
        "recipient": {"id": "28:bot-app", "name": "Safeguarding assistant"},
        "membersAdded": [{"id": "28:bot-app"}],
        "channelData": {"tenant": {"id": "t"}},
    }
    assert post(served, update).status_code in (200, 202)
    [hello] = connector.posted("a:personal-pat")
    assert "Pat Practitioner" in hello["text"] and "refer" in hello["text"]


def test_an_admin_role_granted_by_email_with_sgbot_roles_changes_settings_from_teams_until_revoked(
    anonymous_settings, connector, serve, post
):
    from bot.roles import Role, Roles

    connector.members["29:dana"] = {
        "id": "29:dana",
        "name": "Dana Deputy",
        "aadObjectId": "aad-dana",
        "email": "Dana@Northshire.example.org",
        "userPrincipalName": "dana@northshire.example.org",
    }
    served = serve(anonymous_settings)
    common = {
        "service_url": connector.url,
        "conversation_id": CHANNEL_THREAD,
        "conversation_type": "channel",
        "mention_bot": True,
        "user_id": "29:dana",
        "aad_object_id": "aad-dana",
    }
    post(served, message_activity("mode all", **common))
    assert "Only the assistant's admins" in connector.posted()[-1]["text"]  # in no configuration

    roles = Roles(get_database(anonymous_settings))
    roles.grant("dana@northshire.example.org", Role.ADMIN, granted_by="aad-admin")  # as `sgbot roles grant` does
    post(served, message_activity("mode all", **common))
    assert "every question" in connector.posted()[-1]["text"]
    assert channel_settings.load(get_database(anonymous_settings), "teams", "19:general@thread.tacv2").mode == "all"

    assert roles.revoke("dana@northshire.example.org")
    post(served, message_activity("mode mentions", **common))
    assert "Only the assistant's admins" in connector.posted()[-1]["text"]


def test_a_sender_teams_names_no_name_is_known_by_the_member_apis_name_not_by_an_id(
    anonymous_settings, connector, serve, post
):
    from sqlalchemy import select

    from bot.people.models import Person

    connector.members["29:olu"] = {
        "id": "29:olu",
        "name": "Olu Officer",
        "aadObjectId": "aad-olu",
        "email": "olu@northshire.example.org",
        "userPrincipalName": "olu@northshire.example.org",
    }
    served = serve(anonymous_settings)
    activity = message_activity(
        "refer", service_url=connector.url, conversation_id="a:personal-olu", user_id="29:olu", aad_object_id="aad-olu"
    )
    del activity["from"]["name"]  # Teams sent no name with this activity
    assert post(served, activity).status_code in (200, 202)
    assert connector.posted("a:personal-olu")  # answered

    # The business unit's notices name people by their stored display name (else "an officer"):
    # the member API's name is stored, not nothing and not the id.
    with get_database(anonymous_settings).sessions() as session:
        people = list(session.scalars(select(Person)))
        [person] = [p for p in people if p.email == "olu@northshire.example.org"]
        assert person.display_name == "Olu Officer"
