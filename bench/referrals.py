"""Referral benchmark: many referrers completing the checklist at once, some processes killed half-way.

What it measures, against SQLite and PostgreSQL:

- referrers completing the pre-referral checklist concurrently (threads in several worker processes,
  each process one `Assistant`, as `sgbot converse` or a Slack worker would be);
- some worker processes are killed with SIGKILL half-way and restarted; their referrers say
  `continue` and carry on from wherever the database says they were;
- completed referrals, lost answers (every submitted answer is checked against what the referrer
  typed; must be 0), duplicates (more than one referral per referrer; must be 0), p50/p95 time per turn;
- the queue listing (first page, what is due first) with N referrals in the database: p50/p95.

    .venv/bin/python bench/referrals.py                              # small: 20 referrers, 1,000 referrals
    .venv/bin/python bench/referrals.py --referrers 200 --queue-size 10000   # the full run
    .venv/bin/sgbot bench-referrals --referrers 200 --queue-size 10000       # the same, via the CLI

Referral content never leaves the database here either: workers report ids and timings only.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PG_MAINTENANCE = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
BENCH_USER_PREFIX = "bench.referrer."


def answers_for(index: int) -> dict[str, str]:
    """What referrer `index` types at each step: distinct per referrer so a lost answer shows."""
    return {
        "review_type": "1",
        "safe_now": "yes",
        "abuse_or_neglect": "yes",
        "died_or_seriously_harmed": "yes",
        "discussed_with_manager": "yes",
        "senior_lead_agrees": "yes",
        "senior_lead": f"Senior lead number {index}",
        "family_consulted": "not appropriate",
        "family_why_not": f"Police investigation {index} is under way; contact could prejudice it.",
        "initials": "AB",
        "age": str(index % 17),
        "case_reference": f"BENCH-{index:05d}",
        "about": f"Child {index} loves football and drawing, lives with mum and two brothers, and says "
        "school is the best part of the week.",
        "incident_date": "02/03/2026",
        "what_happened": f"Incident {index}: admitted to hospital with an injury that was not explained.",
        "agencies": "1, 3, 5",
        "learning": f"Learning {index}: information was not shared between health and police in time.",
        "referrer_name": f"Referrer {index}",
        "referrer_role": "Health visitor, Northshire Community Health",
        "referrer_contact": f"referrer{index}@example.org",
    }


# --- worker process -----------------------------------------------------------------------


def worker(
    database_url: str | None, data_dir: str, indexes: list[int], resume: bool, out: str, think_ms: int = 0
) -> None:
    """Drive the given referrers to submission in threads; append one JSON line per finished turn."""
    os.environ["SGBOT_DATA_DIR"] = data_dir
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    from bot.assistant import Assistant
    from bot.config import Settings
    from bot.messages import Message

    assistant = Assistant(Settings())
    assistant.referrals  # noqa: B018 - open the database before the clock starts, as a server would
    lock = threading.Lock()
    sink = open(out, "a", encoding="utf-8")  # noqa: SIM115 - closed at exit; a kill must not lose lines

    def record(index: int, seconds: float, done: bool) -> None:
        with lock:
            sink.write(json.dumps({"i": index, "t": round(seconds, 6), "done": done}) + "\n")
            sink.flush()

    def run(index: int) -> None:
        user = f"{BENCH_USER_PREFIX}{index}"
        script = answers_for(index)

        pause = random.Random(index)

        def send(text: str | None = None, action: str | None = None) -> Any:
            if think_ms:  # a person reading the question and typing: 0 to 2x the mean
                time.sleep(pause.uniform(0, 2 * think_ms) / 1000)
            started = time.perf_counter()
            outcome = assistant.handle(Message(user_id=user, text=text, action=action, channel="test"))
            finished = any("PR-" in r.text for r in outcome.replies) and outcome.expects is None
            record(index, time.perf_counter() - started, finished)
            return outcome

        outcome = send("continue" if resume else "refer")
        for _ in range(200):
            expects = outcome.expects
            if expects is None:
                # No checklist in progress: either never started, or it was submitted just before
                # the kill. Pressing Submit again is the retried click: it files nothing new.
                text = "\n".join(r.text for r in outcome.replies)
                if "PR-" in text:
                    return
                if "don't have a referral in progress" in text:
                    outcome = send(action="submit")
                    if "PR-" in "\n".join(r.text for r in outcome.replies):
                        return
                outcome = send("refer")
                continue
            if expects.step == "summary":
                outcome = send(action="submit")
                continue
            outcome = send(script[expects.step])
        raise RuntimeError(f"referrer {index} did not finish")

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in indexes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sink.close()


# --- the parent: start, kill, restart, check ----------------------------------------------


def _spawn(
    database_url: str | None, data_dir: str, indexes: list[int], resume: bool, out: Path, think_ms: int
) -> Any:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "worker",
        "--data-dir",
        data_dir,
        "--indexes",
        ",".join(map(str, indexes)),
        "--out",
        str(out),
    ]
    if database_url:
        command += ["--database-url", database_url]
    if resume:
        command.append("--resume")
    command += ["--think-ms", str(think_ms)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL)


def _turns(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip().endswith("}")]


def run_checklists(
    database_url: str | None,
    data_dir: str,
    referrers: int,
    workers: int,
    kill_fraction: float,
    think_ms: int = 0,
) -> dict[str, Any]:
    groups = [list(range(w, referrers, workers)) for w in range(workers)]
    killable = set(range(max(1, round(workers * kill_fraction)) if kill_fraction > 0 else 0))
    steps_per_referrer = len(answers_for(0)) + 2
    outputs = [Path(data_dir) / f"turns-{w}.jsonl" for w in range(workers)]
    started = time.perf_counter()
    processes = {
        w: _spawn(database_url, data_dir, groups[w], False, outputs[w], think_ms) for w in range(workers)
    }
    killed = 0
    pending_kill = set(killable)
    while pending_kill:
        for w in list(pending_kill):
            if processes[w].poll() is not None:
                pending_kill.discard(w)  # finished before it could be killed
                continue
            turns = len(_turns(outputs[w]))
            if turns >= len(groups[w]) * steps_per_referrer // 2:
                processes[w].send_signal(signal.SIGKILL)
                processes[w].wait()
                killed += 1
                pending_kill.discard(w)
                processes[w] = _spawn(database_url, data_dir, groups[w], True, outputs[w], think_ms)
        time.sleep(0.05)
    failures = [w for w, p in processes.items() if p.wait() != 0]
    elapsed = time.perf_counter() - started
    times = sorted(t["t"] for out in outputs for t in _turns(out))
    return {
        "elapsed_s": round(elapsed, 2),
        "workers": workers,
        "workers_killed_and_restarted": killed,
        "worker_failures": failures,
        "turns": len(times),
        "turns_per_s": round(len(times) / elapsed, 1) if elapsed else None,
        "think_ms_mean": think_ms,
        "turn_p50_ms": round(statistics.median(times) * 1000, 1) if times else None,
        "turn_p95_ms": round(times[int(len(times) * 0.95) - 1] * 1000, 1) if times else None,
        "turn_max_ms": round(times[-1] * 1000, 1) if times else None,
    }


def check_referrals(database_url: str | None, data_dir: str, referrers: int) -> dict[str, Any]:
    """Completed, duplicates and lost answers, read back from the database."""
    from sqlalchemy import select

    from bot.config import Settings
    from bot.db import open_database
    from bot.referral.definition import load_checklist
    from bot.referral.models import Referral

    settings = Settings(SGBOT_DATA_DIR=Path(data_dir), DATABASE_URL=database_url)
    database = open_database(settings)
    definition = load_checklist()
    completed = duplicates = lost = drafts_left = 0
    try:
        with database.sessions() as session:
            rows = session.scalars(
                select(Referral).where(Referral.user_id.startswith(BENCH_USER_PREFIX))
            ).all()
            by_user: dict[str, list[Referral]] = {}
            for referral in rows:
                by_user.setdefault(referral.user_id, []).append(referral)
            for index in range(referrers):
                mine = by_user.get(f"{BENCH_USER_PREFIX}{index}", [])
                filed = [r for r in mine if r.status != "draft"]
                drafts_left += len(mine) - len(filed)
                if not filed:
                    continue
                completed += 1
                duplicates += len(filed) - 1
                stored = {a.step_id: a for a in filed[0].answers}
                for step_id, typed in answers_for(index).items():
                    answer = stored.get(step_id)
                    step = definition.step(step_id)
                    if answer is None or step is None or step.type == "text" and answer.value != typed:
                        lost += 1
    finally:
        database.dispose()
    return {
        "referrers": referrers,
        "completed": completed,
        "lost_answers": lost,
        "duplicates": duplicates,
        "drafts_left": drafts_left,
    }


def queue_listing(database_url: str | None, data_dir: str, size: int, repeats: int = 60) -> dict[str, Any]:
    """Fill the queue with `size` submitted referrals, then time the first page (what is due first)."""
    from sqlalchemy import insert, select

    from bot.config import Settings
    from bot.db import open_database
    from bot.referral.models import Referral
    from bot.referral.queue import Actor, ReviewQueue

    settings = Settings(
        SGBOT_DATA_DIR=Path(data_dir), DATABASE_URL=database_url, SGBOT_BUSINESS_UNIT=["bench.officer"]
    )
    database = open_database(settings)
    rng = random.Random(7)
    statuses = ["submitted", "more_info_requested", "accepted", "in_review", "completed", "closed"]
    now = datetime.now(UTC)
    with database.transaction() as session:
        existing = session.scalar(select(Referral.id).order_by(Referral.id.desc()).limit(1)) or 0
        rows = []
        for n in range(size):
            due = date.today() + timedelta(days=rng.randint(-20, 60))
            status = rng.choice(statuses)
            rows.append(
                {
                    "reference": f"PR-1999-{existing + n + 1:06d}",
                    "checklist": "practice_review",
                    "status": status,
                    "user_id": f"bench.queue.{n % 500}",
                    "review_type": "serious_child",
                    "submitted_at": now - timedelta(days=rng.randint(0, 90)),
                    "created_at": now,
                    "updated_at": now,
                    "decision_due_on": due,
                    "notification_due_on": due,
                    "next_due_on": None if status == "closed" else due,
                    "version": 1,
                }
            )
        for start in range(0, len(rows), 1000):
            session.execute(insert(Referral), rows[start : start + 1000])
    queue = ReviewQueue(database, settings)
    officer, practitioner = Actor("bench.officer"), Actor("bench.queue.7")
    timings: dict[str, list[float]] = {"business_unit_first_page": [], "practitioner_own": []}
    queue.listing(officer)  # warm the connection pool and caches
    for _ in range(repeats):
        for name, actor in (("business_unit_first_page", officer), ("practitioner_own", practitioner)):
            started = time.perf_counter()
            queue.listing(actor)
            timings[name].append(time.perf_counter() - started)
    database.dispose()
    result: dict[str, Any] = {"referrals_in_queue": size}
    for name, values in timings.items():
        values.sort()
        result[f"{name}_p50_ms"] = round(statistics.median(values) * 1000, 2)
        result[f"{name}_p95_ms"] = round(values[int(len(values) * 0.95) - 1] * 1000, 2)
    return result


def _postgres_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            return True
    except OSError:
        return False


def run_referral_bench(
    *,
    referrers: int = 20,
    workers: int = 2,
    kill_fraction: float = 0.5,
    queue_size: int = 1000,
    think_ms: int = 0,
    databases: tuple[str, ...] = ("sqlite", "postgresql"),
    postgres_maintenance_url: str = PG_MAINTENANCE,
) -> dict[str, Any]:
    """Run the benchmark on each database; returns the figures (JSON-serialisable)."""
    from sqlalchemy import create_engine, text

    report: dict[str, Any] = {
        "referrers": referrers,
        "workers": workers,
        "kill_fraction": kill_fraction,
        "queue_size": queue_size,
        "results": {},
    }
    for kind in databases:
        with tempfile.TemporaryDirectory(prefix=f"sgbot-bench-{kind}-") as data_dir:
            database_url: str | None = None
            maintenance = None
            name = f"sgbot_bench_{uuid.uuid4().hex[:10]}"
            if kind == "postgresql":
                if not _postgres_reachable():
                    report["results"][kind] = {"skipped": "PostgreSQL not reachable at 127.0.0.1:5432"}
                    continue
                maintenance = create_engine(postgres_maintenance_url, isolation_level="AUTOCOMMIT")
                with maintenance.connect() as connection:
                    connection.execute(text(f'CREATE DATABASE "{name}"'))
                database_url = postgres_maintenance_url.rsplit("/", 1)[0] + f"/{name}"
            try:
                from bot.config import Settings
                from bot.db import open_database

                open_database(Settings(SGBOT_DATA_DIR=Path(data_dir), DATABASE_URL=database_url)).dispose()
                figures = run_checklists(database_url, data_dir, referrers, workers, kill_fraction, think_ms)
                figures.update(check_referrals(database_url, data_dir, referrers))
                figures["queue_listing"] = queue_listing(database_url, data_dir, queue_size)
                report["results"][kind] = figures
            finally:
                if maintenance is not None:
                    with maintenance.connect() as connection:
                        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                    maintenance.dispose()
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command")
    run_parser = sub.add_parser("run", help="run the benchmark (the default)")
    for target in (parser, run_parser):
        target.add_argument("--referrers", type=int, default=20)
        target.add_argument("--workers", type=int, default=2)
        target.add_argument("--kill-fraction", type=float, default=0.5)
        target.add_argument("--queue-size", type=int, default=1000)
        target.add_argument("--think-ms", type=int, default=0, help="mean pause before each message")
        target.add_argument("--databases", default="sqlite,postgresql")
    worker_parser = sub.add_parser("worker", help="(internal) one worker process")
    worker_parser.add_argument("--database-url")
    worker_parser.add_argument("--data-dir", required=True)
    worker_parser.add_argument("--indexes", required=True)
    worker_parser.add_argument("--out", required=True)
    worker_parser.add_argument("--resume", action="store_true")
    worker_parser.add_argument("--think-ms", type=int, default=0)
    args = parser.parse_args(argv)
    if args.command == "worker":
        worker(
            args.database_url,
            args.data_dir,
            [int(i) for i in args.indexes.split(",") if i],
            args.resume,
            args.out,
            args.think_ms,
        )
        return 0
    report = run_referral_bench(
        referrers=args.referrers,
        workers=args.workers,
        kill_fraction=args.kill_fraction,
        queue_size=args.queue_size,
        think_ms=args.think_ms,
        databases=tuple(d.strip() for d in args.databases.split(",") if d.strip()),
    )
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
