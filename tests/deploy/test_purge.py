"""`sgbot purge`: abandoned drafts, closed referrals' content, old event ids, delivered and dead-lettered
notifications go; everything still in use stays; each purge is recorded; a second run changes nothing."""

from __future__ import annotations

import json
import subprocess
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from bot.db import open_database
from bot.db.base import utcnow
from bot.db.infrastructure import InboundEvent
from bot.outbox.models import HeldNotification
from bot.referral.models import Referral, ReferralAnswer, ReferralEvent
from bot.retention.purge import PurgeRecord, purge
from bot.sessions.models import ConversationSession
from tests.conftest import make_settings
from tests.deploy.processes import SGBOT, base_environment


def _referral(status: str, age_days: int, user: str, reference: str | None = None) -> Referral:
    then = utcnow() - timedelta(days=age_days)
    referral = Referral(reference=reference, checklist="practice_review", status=status, user_id=user,
                        referrer_name="Pat Practitioner", referrer_email="pat@example.org", created_at=then,
                        updated_at=then)
    referral.answers.append(ReferralAnswer(step_id="what_happened", position=1, value="details of the case",
                                           display="details of the case", answered_at=then))
    return referral


def test_purge_forgets_what_retention_allows_and_records_each_purge(db_url: str, tmp_path: Path) -> None:
    settings = make_settings(tmp_path, database_url=db_url)
    database = open_database(db_url)
    old, now = utcnow() - timedelta(days=40), utcnow()
    with database.transaction() as session:
        abandoned, recent = _referral("draft", 45, "u-abandoned"), _referral("draft", 2, "u-recent")
        closed_long_ago = _referral("closed", 7 * 365, "u-closed", "PR-2019-0001")
        closed_lately = _referral("closed", 100, "u-closed2", "PR-2026-0002")
        session.add_all([abandoned, recent, closed_long_ago, closed_lately])
        session.flush()
        session.add(ConversationSession(user_id="u-abandoned", referral_id=abandoned.id, step="what_happened",
                                        history=["kind"]))
        session.add_all([InboundEvent(platform="slack", event_id="Ev-old", received_at=old),
                         InboundEvent(platform="slack", event_id="Ev-new", received_at=now)])
        session.add_all([
            HeldNotification(user_id="u1", payload={}, created_at=old, delivered_at=old),
            HeldNotification(user_id="u2", payload={}, created_at=old, delivered_at=None),  # pending: kept
            # The outbox's delivery channels: delivered, or set aside after the last attempt.
            HeldNotification(user_id="u3", payload={}, channel="slack", created_at=old, delivered_at=old,
                             attempts=1),
            HeldNotification(user_id="u4", payload={}, channel="teams", created_at=old, attempts=5,
                             last_error="not_in_channel", dead_at=old),
            HeldNotification(user_id="u5", payload={}, channel="slack", created_at=old, attempts=5,
                             last_error="channel_not_found", dead_at=now),  # set aside lately: kept
            HeldNotification(user_id="u6", payload={}, channel="slack", created_at=old, attempts=2,
                             next_attempt_at=now),  # still being retried: kept
        ])
        ids = {"abandoned": abandoned.id, "recent": recent.id, "closed": closed_long_ago.id,
               "lately": closed_lately.id}

    preview = {r.what: r.rows for r in purge(database, settings, dry_run=True)}
    done = {r.what: r.rows for r in purge(database, settings)}
    again = {r.what: r.rows for r in purge(database, settings)}

    expected = {"abandoned_drafts": 1, "closed_referral_content": 1, "inbound_events": 1,
                "delivered_notifications": 2, "dead_letter_notifications": 1}
    assert preview == done == expected
    assert set(again.values()) == {0}
    with database.sessions() as session:
        assert session.get(Referral, ids["abandoned"]) is None
        assert session.get(Referral, ids["recent"]).answers
        closed = session.get(Referral, ids["closed"])
        assert closed.reference == "PR-2019-0001" and closed.status == "closed"
        assert not closed.answers and closed.referrer_name is None and closed.referrer_email is None
        assert [e.action for e in closed.events] == ["content_purged"]
        assert session.get(Referral, ids["lately"]).answers
        assert session.get(ConversationSession, "u-abandoned").step is None
        assert {e.event_id for e in session.scalars(select(InboundEvent))} == {"Ev-new"}
        assert sorted(n.user_id for n in session.scalars(select(HeldNotification))) == ["u2", "u5", "u6"]
        log = {(r.what, r.rows, r.actor) for r in session.scalars(select(PurgeRecord))}
        assert log == {(what, rows, "sgbot purge") for what, rows in expected.items()}
        assert session.scalar(select(func.count()).select_from(ReferralEvent)) == 1
    database.dispose()


def test_sgbot_purge_prints_what_it_did(tmp_path: Path) -> None:
    environment = base_environment(SGBOT_DATA_DIR=str(tmp_path / "data"), SGBOT_DRAFT_RETENTION_DAYS="10")
    result = subprocess.run([SGBOT, "purge", "--json"], cwd=tmp_path, env=environment, capture_output=True,
                            text=True, timeout=120)

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [item["what"] for item in report] == ["abandoned_drafts", "closed_referral_content", "inbound_events",
                                                 "delivered_notifications", "dead_letter_notifications"]
    assert all(item["rows"] == 0 for item in report)
