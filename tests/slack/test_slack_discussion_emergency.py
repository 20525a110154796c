"""A disclosure typed as a contribution to a case discussion in a Slack channel thread, over real
HTTP on loopback: the emergency route is posted first, then the contribution is saved (and is in the
discussion's report). Typed in the thread by someone who is not invited, the route still comes first.
"""

from __future__ import annotations

import time

from conftest import OFFICER, ServedSlack, unique
from slack_stand_in import SlackStandIn
from test_slack_referrals import in_thread, settle

from bot.referral.queue import Actor
from tests.discussion.filing import file_accepted_review

DISCLOSURE = "She has just told me her stepfather hit her tonight and she is scared to go home"


def test_a_disclosure_typed_as_a_discussion_contribution_gets_the_emergency_route_first_and_is_saved(
    served: ServedSlack, stand_in: SlackStandIn
) -> None:
    assistant = served.channel.assistant
    reference = file_accepted_review(assistant, OFFICER, referrer=unique("UREF"))
    channel = unique("CDISC")
    school = unique("USCHOOL")
    thread = f"{time.time():.6f}"
    served.event(
        {"type": "app_mention", "channel": channel, "user": OFFICER,
         "text": f"<@UBOT0001> discuss {reference} kolb", "ts": thread}
    )
    stand_in.wait_for("chat.postMessage", count=2, thread_ts=thread)
    settle(served)

    def post(user: str, text: str) -> list[str]:
        before = len(in_thread(stand_in, thread))
        served.event(
            {"type": "message", "channel": channel, "channel_type": "channel", "user": user, "text": text,
             "ts": f"{time.time():.6f}", "thread_ts": thread}
        )
        stand_in.wait_for("chat.postMessage", count=before + 1, thread_ts=thread)
        settle(served)
        # Every reply to this message has come once the thread stays quiet: on a loaded machine a reply can
        # arrive after the work counted in flight is done, and must not be read as the next message's.
        count = -1
        while (now := len(in_thread(stand_in, thread))) != count:
            count = now
            time.sleep(1.0)
        return [stand_in.posted_text(c) for c in in_thread(stand_in, thread)[before:]]

    assert "Eastbrook Primary School" in "\n".join(post(OFFICER, f"invite <@{school}> Eastbrook Primary School"))

    said = post(school, DISCLOSURE)
    assert "999" in said[0] and "Saved" not in said[0]  # the emergency route, first and on its own
    assert any("Saved: Eastbrook Primary School" in text for text in said[1:])
    report = assistant.discussions.report(Actor(OFFICER), reference).to_markdown()
    assert "scared to go home" in report  # stored where it was meant to go

    outsider = post(unique("UOUT"), DISCLOSURE)
    assert "999" in outsider[0] and "not invited" in "\n".join(outsider)
    ordinary = post(school, "Attendance has been better since the breakfast club started")
    assert not any("999" in text for text in ordinary)
