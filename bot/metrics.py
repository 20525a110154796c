"""Counters for /metrics (Prometheus text format): counts, gauges and timings, never message text.

Every channel counts the same way; only the metric names' prefix differs
(`sgbot_slack_…`, `sgbot_teams_…`), so one class serves them all.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable


class Metrics:
    """Process-local counters; each replica reports its own."""

    def __init__(self, prefix: str, gauges: Iterable[str] = ()) -> None:
        self.prefix = prefix
        self._lock = threading.Lock()
        self._counts: Counter[tuple[str, str]] = Counter()
        self._seconds: dict[str, list[float]] = {}
        # Declared up front so a gauge reads 0 in /metrics before anything has moved it.
        self._gauges: dict[str, int] = {name: 0 for name in gauges}

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

    def adjust(self, gauge: str, amount: int) -> None:
        """Move a gauge up or down (e.g. +1 when work starts, -1 when it ends)."""
        with self._lock:
            self._gauges[gauge] = self._gauges.get(gauge, 0) + amount

    def gauge(self, name: str) -> int:
        with self._lock:
            return self._gauges.get(name, 0)

    def render(self) -> str:
        prefix = self.prefix
        lines: list[str] = []
        with self._lock:
            for name, level in self._gauges.items():
                lines.append(f"# TYPE {prefix}_{name} gauge")
                lines.append(f"{prefix}_{name} {level}")
            for name in sorted({name for name, _ in self._counts}):
                lines.append(f"# TYPE {prefix}_{name}_total counter")
                for (counted, kind), amount in sorted(self._counts.items()):
                    if counted == name:
                        label = f'{{kind="{kind}"}}' if kind else ""
                        lines.append(f"{prefix}_{name}_total{label} {amount}")
            for name, (total, count) in sorted(self._seconds.items()):
                lines.append(f"# TYPE {prefix}_{name}_seconds summary")
                lines.append(f"{prefix}_{name}_seconds_sum {total:.6f}")
                lines.append(f"{prefix}_{name}_seconds_count {int(count)}")
        return "\n".join(lines) + "\n" if lines else ""
