"""Dashboard page timings with a full queue: server time per page, p50/p95, on SQLite (and PostgreSQL).

Fills a fresh database with N submitted referrals (statuses, areas, assignees, review types and due dates
spread as in a busy partnership), action plans on the reviews, then requests each page through the real
ASGI app in-process (Starlette's TestClient: no network, so the time is the server's), signed in as a
business-unit officer.

    .venv/bin/python bench/dashboard.py                         # 10,000 referrals, SQLite
    .venv/bin/python bench/dashboard.py --referrals 10000 --postgres --json

Target: the queue list p95 <= 100 ms with 10,000 referrals.
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

AREAS = ["Northshire", "Eastbrook", "Westmoor", "Southdale"]
OFFICERS = ["officer.one", "officer.two", "officer.three"]
STATUSES = ["submitted", "more_info_requested", "accepted", "in_review", "completed", "closed", "not_accepted"]
REVIEWS = ["rapid_review", "lcspr", "good_outcome_review", "sar"]


def fill(database: Any, size: int) -> str:
    """`size` referrals and an action plan on every fifth; returns one reference to open."""
    from sqlalchemy import insert, select

    from bot.referral.models import Referral
    from bot.reviews.models import ActionItem

    rng = random.Random(12)
    now = datetime.now(UTC)
    today = date.today()
    rows = []
    for n in range(size):
        status = rng.choice(STATUSES)
        due = today + timedelta(days=rng.randint(-20, 120))
        decision = rng.choice(REVIEWS) if status in {"accepted", "in_review", "completed", "closed"} else None
        rows.append(
            {
                "reference": f"PR-2026-{n + 1:05d}",
                "checklist": "practice_review",
                "status": status,
                "user_id": f"practitioner.{n % 700}",
                "referrer_name": f"Referrer {n % 700}",
                "area": AREAS[n % len(AREAS)],
                "review_type": "serious_child" if n % 3 else "adult_sar",
                "decision": decision,
                "decision_reason": "bench" if decision else None,
                "assigned_to": OFFICERS[n % 4] if n % 4 < 3 else None,
                "submitted_at": now - timedelta(days=rng.randint(0, 360)),
                "created_at": now,
                "updated_at": now,
                "decision_due_on": due,
                "notification_due_on": due + timedelta(days=3),
                "report_due_on": due + timedelta(days=150) if decision == "lcspr" else None,
                "next_due_on": None if status == "closed" else due,
                "version": 1,
            }
        )
    with database.transaction() as session:
        for start in range(0, len(rows), 1000):
            session.execute(insert(Referral), rows[start : start + 1000])
        reviews = session.execute(select(Referral.id, Referral.reference).where(Referral.decision.is_not(None))).all()
        items = []
        for referral_id, _ in reviews[::5]:
            for k in range(3):
                items.append({
                    "referral_id": referral_id, "recommendation": "Share information before discharge",
                    "owner_agency": ["Police", "Health", "Children's Social Care"][k], "status": rng.choice(
                        ["open", "in_progress", "completed"]), "due_on": today + timedelta(days=rng.randint(-60, 120)),
                    "source": "bench", "created_by": "bench", "created_at": now, "updated_at": now, "version": 1,
                })
        if items:
            session.execute(insert(ActionItem), items)
        return str(reviews[0][1])


def measure(database_url: str | None, size: int, repeats: int) -> dict[str, Any]:
    from starlette.routing import Mount
    from starlette.testclient import TestClient

    from bot.config import Settings
    from bot.dashboard.app import COOKIE, build_dashboard
    from bot.dashboard.signin import SignIn
    from bot.db import open_database
    from bot.server import Component, create_app

    data_dir = Path(tempfile.mkdtemp(prefix="sgbot-bench-dashboard-"))
    settings = Settings(_env_file=None, SGBOT_DATA_DIR=data_dir, DATABASE_URL=database_url,  # type: ignore[call-arg]
                        SGBOT_BUSINESS_UNIT="officer.one")
    database = open_database(settings)
    reference = fill(database, size)
    session = SignIn(database, settings).start_session("officer.one", None, method="link")
    component = Component("dashboard", routes=[Mount("/dashboard", app=build_dashboard(settings, database=database))])
    pages = {
        "queue (first page)": "/dashboard/",
        "queue filtered (area + status)": "/dashboard/?area=Eastbrook&status=submitted",
        "queue page 20": "/dashboard/?page=20",
        "referral": f"/dashboard/referrals/{reference}",
        "action plans": "/dashboard/actions",
        "action plans page 10": "/dashboard/actions?page=10",
        "action plans overdue": "/dashboard/actions?overdue=yes",
        "themes": "/dashboard/themes",
        "reviews in progress": "/dashboard/reviews",
        "reviews page 20": "/dashboard/reviews?page=20",
        "report": "/dashboard/report",
    }
    result: dict[str, Any] = {"database": "postgresql" if database_url else "sqlite", "referrals": size,
                              "repeats": repeats, "pages": {}}
    with TestClient(create_app(settings, components=[component])) as client:
        client.cookies.set(COOKIE, session.session_token)
        for name, path in pages.items():
            assert client.get(path).status_code == 200, path  # warm
            times = []
            for _ in range(repeats if name != "report" else max(5, repeats // 5)):
                started = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
            times.sort()
            result["pages"][name] = {"p50_ms": round(statistics.median(times), 1),
                                     "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1)}
    database.dispose()
    return result


def _postgres_url() -> str | None:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            pass
    except OSError:
        return None
    from sqlalchemy import create_engine, text

    name = f"sgbot_bench_{uuid.uuid4().hex[:10]}"
    engine = create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--referrals", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--postgres", action="store_true", help="also run against PostgreSQL at 127.0.0.1:5432")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = [measure(None, args.referrals, args.repeats)]
    if args.postgres:
        url = _postgres_url()
        if url is None:
            print("PostgreSQL is not reachable at 127.0.0.1:5432: skipped", file=sys.stderr)
        else:
            results.append(measure(url, args.referrals, args.repeats))
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for result in results:
        print(f"{result['database']}, {result['referrals']:,} referrals (server time per page, ms):")
        for name, timing in result["pages"].items():
            print(f"  {name:32s} p50 {timing['p50_ms']:7.1f}   p95 {timing['p95_ms']:7.1f}")


if __name__ == "__main__":
    main()
