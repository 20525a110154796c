"""Warm `ask` latency in a process of its own, so its peak memory is that of a serving process.

Run by `sgbot bench` as `python -m bot.bench.latency DATA_DIR QUERIES SEED`; prints one JSON object.
The process that built the benchmark index held every passage in memory while building: measuring
memory there would say nothing about what answering questions costs.
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np


def peak_rss_mb() -> float:
    """This process's own high-water mark. `getrusage` would not do: on Linux a child started
    from a large parent reports at least the parent's size at fork time, even after exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def measure(data_dir: Path, queries: int, seed: int) -> dict[str, float]:
    from bot.bench.knowledge import Vocabulary
    from bot.config import Settings
    from bot.qa.service import Answerer

    settings = Settings(_env_file=None, data_dir=data_dir)  # type: ignore[call-arg]
    answerer = Answerer.from_settings(settings)
    rng = np.random.default_rng(seed)
    vocabulary = Vocabulary()
    questions = [vocabulary.question(rng) for _ in range(queries)]
    for question in questions[:5]:
        answerer.answer(question)
        answerer.answer(question, area="Eastbrook")
    plain: list[float] = []
    with_area: list[float] = []
    for question in questions:
        started = time.perf_counter()
        answerer.answer(question)
        plain.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        answerer.answer(question, area="Eastbrook")
        with_area.append((time.perf_counter() - started) * 1000)
    return {
        "ask_p50_ms": round(statistics.median(plain), 2),
        "ask_p95_ms": round(float(np.percentile(plain, 95)), 2),
        "ask_area_p50_ms": round(statistics.median(with_area), 2),
        "ask_area_p95_ms": round(float(np.percentile(with_area, 95)), 2),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))))
