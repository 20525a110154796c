"""Counters for /metrics (Prometheus text format): counts and timings, never message text."""

from __future__ import annotations

import threading
from collections import Counter


class TeamsMetrics:
    """Process-local counters; each replica reports its own."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[tuple[str, str]] = Counter()
        self._seconds: dict[str, list[float]] = {}

    def count(self, name: str, kind: str = "", amount: int = 1) -> None:
        with self._lock:
            self._counts[(name, kind)] += amount

    def observe(self, name: str, seconds: float) -> None:
        with self._lock:
            total = self._seconds.setdefault(name, [0.0, 0.0])
            total[0] += seconds
            total[1] += 1

    def value(self, name: str, kind: str = "") -> int:
        with self._lock:
            return self._counts[(name, kind)]

    def render(self) -> str:
        lines: list[str] = []
        with self._lock:
            for name in sorted({name for name, _ in self._counts}):
                lines.append(f"# TYPE sgbot_teams_{name}_total counter")
                for (counted, kind), amount in sorted(self._counts.items()):
                    if counted == name:
                        label = f'{{kind="{kind}"}}' if kind else ""
                        lines.append(f"sgbot_teams_{name}_total{label} {amount}")
            for name, (total, count) in sorted(self._seconds.items()):
                lines.append(f"# TYPE sgbot_teams_{name}_seconds summary")
                lines.append(f"sgbot_teams_{name}_seconds_sum {total:.6f}")
                lines.append(f"sgbot_teams_{name}_seconds_count {int(count)}")
        return "\n".join(lines) + "\n" if lines else ""
