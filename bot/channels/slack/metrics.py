"""Counters for /metrics (Prometheus text format): counts and timings, never message text."""

from __future__ import annotations

import threading
from collections import Counter


class SlackMetrics:
    """Process-local counters; each replica reports its own."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[tuple[str, str]] = Counter()
        self._seconds: dict[str, list[float]] = {}
        self.in_flight = 0

    def count(self, name: str, kind: str = "", amount: int = 1) -> None:
        with self._lock:
            self._counts[(name, kind)] += amount

    def observe(self, name: str, seconds: float) -> None:
        """Keep a running sum and count (a Prometheus summary without quantiles)."""
        with self._lock:
            total = self._seconds.setdefault(name, [0.0, 0.0])
            total[0] += seconds
            total[1] += 1

    def value(self, name: str, kind: str = "") -> int:
        with self._lock:
            return self._counts[(name, kind)]

    def render(self) -> str:
        lines = [
            "# TYPE sgbot_slack_in_flight gauge",
            f"sgbot_slack_in_flight {self.in_flight}",
        ]
        with self._lock:
            names = sorted({name for name, _ in self._counts})
            for name in names:
                lines.append(f"# TYPE sgbot_slack_{name}_total counter")
                for (counted, kind), amount in sorted(self._counts.items()):
                    if counted != name:
                        continue
                    label = f'{{kind="{kind}"}}' if kind else ""
                    lines.append(f"sgbot_slack_{name}_total{label} {amount}")
            for name, (total, count) in sorted(self._seconds.items()):
                lines.append(f"# TYPE sgbot_slack_{name}_seconds summary")
                lines.append(f"sgbot_slack_{name}_seconds_sum {total:.6f}")
                lines.append(f"sgbot_slack_{name}_seconds_count {int(count)}")
        return "\n".join(lines) + "\n"
