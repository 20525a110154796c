"""Replicas benchmark: questions per second and p95 with one and with two `sgbot serve` replicas.

The deployed topology on loopback (as tests/deploy/test_topology.py builds it): one PostgreSQL
database, one `chroma run` server, the sample knowledge base ingested and published
(SGBOT_INDEX_STORE=database), two `sgbot serve` processes. `--askers` concurrent askers send
Teams activities with `deliveryMode: expectReplies`, so each HTTP response carries the answer and
its latency is the whole turn. The same run measures all askers against replica A alone, then
spread round robin over A and B, and prints the ratio.

    .venv/bin/python bench/replicas.py [--askers 20] [--questions 200] [--json]

Needs PostgreSQL at 127.0.0.1:5432 (trust auth, as the test suite uses) or --database-url.
On a machine with N cores, two replicas can at best use min(N, 2) cores' worth of answering.
`--cpus-per-replica K` pins each replica's threads to K cores of its own (replica A to the first K,
B to the next K), as nodes would give each pod its own CPU: one replica on K cores, then two on
K each. Unpinned, both replicas share all the machine's cores and the ratio cannot show scaling.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.deploy.processes import SGBOT, ChromaServer, ServeProcess, base_environment  # noqa: E402
from tests.teams.harness import message_activity  # noqa: E402

QUESTIONS = [
    "How should I respond when a child makes a disclosure?",
    "What level of need is a family that needs support from more than one agency?",
    "Who do I call out of hours?",
    "What are the levels of need?",
    "When should I refer to children's social care?",
    "What is a rapid review?",
    "How do I share information about a child at risk?",
    "What does early help mean?",
]


def _ask(url: str, n: int) -> float:
    activity = message_activity(QUESTIONS[n % len(QUESTIONS)], service_url="http://127.0.0.1:9/",
                                conversation_id=f"a:bench-{n}", user_id=f"29:bench-{n}",
                                aad_object_id=f"aad-bench-{n}", delivery_mode="expectReplies")
    started = time.perf_counter()
    response = httpx.post(url + "/api/messages", json=activity, timeout=120)
    elapsed = time.perf_counter() - started
    replies = [a for a in response.json().get("activities", []) if a.get("type") == "message"]
    if response.status_code != 200 or not replies:
        raise RuntimeError(f"no answer from {url}: {response.status_code} {response.text[:200]}")
    return elapsed


def _phase(urls: list[str], askers: int, questions: int) -> dict[str, float]:
    started = time.perf_counter()
    with ThreadPoolExecutor(askers) as pool:
        latencies = list(pool.map(lambda n: _ask(urls[n % len(urls)], n), range(questions)))
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "replicas": len(urls),
        "questions": questions,
        "questions_per_second": round(questions / wall, 2),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))] * 1000, 1),
    }


def _pin(process_id: int, cores: set[int]) -> None:
    """Every thread of the process (threads made later inherit their creator's set)."""
    for task in Path(f"/proc/{process_id}/task").iterdir():
        os.sched_setaffinity(int(task.name), cores)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--askers", type=int, default=20)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--database-url", help="a PostgreSQL maintenance database (a bench database is made beside it)",
                        default=os.environ.get("SGBOT_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--cpus-per-replica", type=int, default=0,
                        help="pin each replica to this many cores of its own (0: unpinned, all share every core)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    cores = sorted(os.sched_getaffinity(0))
    if args.cpus_per_replica and 2 * args.cpus_per_replica > len(cores):
        parser.error(f"--cpus-per-replica {args.cpus_per_replica}: two replicas need {2 * args.cpus_per_replica} "
                     f"cores and this machine has {len(cores)}")

    root = Path(tempfile.mkdtemp(prefix="sgbot-bench-replicas-"))
    name = f"sgbot_bench_{uuid.uuid4().hex[:10]}"
    maintenance = create_engine(args.database_url, isolation_level="AUTOCOMMIT")
    with maintenance.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    database_url = make_url(args.database_url).set(database=name).render_as_string(hide_password=False)
    chroma = ChromaServer(root / "chroma")
    replicas: list[ServeProcess] = []
    try:
        environment = base_environment(DATABASE_URL=database_url, CHROMA_HOST="127.0.0.1",
                                       CHROMA_PORT=str(chroma.port), SGBOT_INDEX_STORE="database",
                                       TEAMS_ANONYMOUS="true")
        documents = root / "documents"
        shutil.copytree(ROOT / "knowledge", documents, ignore=shutil.ignore_patterns("README.md"))
        subprocess.run([SGBOT, "ingest", str(documents), "--json"], cwd=root, check=True, capture_output=True,
                       env={**environment, "SGBOT_DATA_DIR": str(root / "ingest")}, timeout=1200)
        for replica in ("a", "b"):
            replicas.append(ServeProcess(root / replica, {**environment, "SGBOT_DATA_DIR": str(root / replica)},
                                         "--log-level", "warning", name=replica))
        for replica in replicas:
            replica.wait_ready(timeout=300)
        if args.cpus_per_replica:
            for position, replica in enumerate(replicas):
                first = position * args.cpus_per_replica
                _pin(replica.process.pid, set(cores[first:first + args.cpus_per_replica]))
        urls = [replica.url for replica in replicas]
        _phase(urls, 4, 16)  # warm both
        one = _phase(urls[:1], args.askers, args.questions)
        two = _phase(urls, args.askers, args.questions)
        result: dict[str, Any] = {
            "askers": args.askers, "cpu_count": os.cpu_count(), "cpus_per_replica": args.cpus_per_replica or None,
            "one_replica": one, "two_replicas": two,
            "throughput_ratio": round(two["questions_per_second"] / one["questions_per_second"], 2),
        }
    finally:
        for replica in replicas:
            replica.terminate()
        chroma.stop()
        with maintenance.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        shutil.rmtree(root, ignore_errors=True)
    if args.json:
        print(json.dumps(result))
        return
    for label in ("one_replica", "two_replicas"):
        phase = result[label]
        print(f"{phase['replicas']} replica(s), {args.askers} askers: {phase['questions_per_second']} questions/s, "
              f"p50 {phase['p50_ms']} ms, p95 {phase['p95_ms']} ms")
    pinned = f", {args.cpus_per_replica} core(s) per replica" if args.cpus_per_replica else ", unpinned"
    print(f"throughput two/one: {result['throughput_ratio']} (on {os.cpu_count()} cores{pinned})")


if __name__ == "__main__":
    main()
