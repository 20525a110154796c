"""Counters for /metrics, kept by prometheus-client: counts, gauges and timings, never message text.

Every channel counts the same way; only the metric names' prefix differs
(`sgbot_slack_…`, `sgbot_teams_…`), so one class serves them all. Each instance
has its own registry (a test may build several channels in one process) and
renders it with prometheus-client's exposition; the names are those the
hand-written text had: `<prefix>_<name>_total{kind="…"}` counters,
`<prefix>_<name>` gauges, `<prefix>_<name>_seconds` summaries.

Labels are ids and codes only (an event kind, an HTTP status, a Slack error
code), never anything a person wrote. `sgbot serve` is one process per replica
(uvicorn without workers), so each replica is scraped on its own and
prometheus-client's multi-process mode is not used; running several worker
processes behind one port would need it (`PROMETHEUS_MULTIPROC_DIR`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from prometheus_client import CollectorRegistry, Counter, Gauge, Summary, disable_created_metrics, generate_latest

# `_created` timestamps double the series and read as values to anyone summing by prefix.
disable_created_metrics()

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class Metrics:
    """Process-local metrics in a registry of their own; each replica reports its own."""

    def __init__(self, prefix: str, gauges: Iterable[str] = ()) -> None:
        self.prefix = prefix
        self.registry = CollectorRegistry(auto_describe=True)
        self._lock = threading.Lock()
        self._counters: dict[str, Counter] = {}
        self._labelled: set[str] = set()  # counters with a `kind` label
        self._summaries: dict[str, Summary] = {}
        # Declared up front so a gauge reads 0 in /metrics before anything has moved it.
        self._gauges: dict[str, Gauge] = {}
        for name in gauges:
            self._gauge(name)

    def count(self, name: str, kind: str = "", amount: int = 1) -> None:
        counter = self._counter(name, labelled=bool(kind))
        if name in self._labelled:
            counter.labels(kind=kind).inc(amount)
        else:
            counter.inc(amount)

    def observe(self, name: str, seconds: float) -> None:
        """A running sum and count (a Prometheus summary without quantiles)."""
        with self._lock:
            summary = self._summaries.get(name)
            if summary is None:
                summary = Summary(f"{self.prefix}_{name}_seconds", name, registry=self.registry)
                self._summaries[name] = summary
        summary.observe(seconds)

    def value(self, name: str, kind: str = "") -> int:
        counter = self._counters.get(name)
        if counter is None:
            return 0
        sample = f"{self.prefix}_{name}_total"
        labels = {"kind": kind} if name in self._labelled else {}
        found = self.registry.get_sample_value(sample, labels)
        return int(found or 0)

    def adjust(self, gauge: str, amount: int) -> None:
        """Move a gauge up or down (e.g. +1 when work starts, -1 when it ends)."""
        self._gauge(gauge).inc(amount)

    def gauge(self, name: str) -> int:
        found = self.registry.get_sample_value(f"{self.prefix}_{name}")
        return int(found or 0)

    def render(self) -> str:
        return generate_latest(self.registry).decode("utf-8")

    def _counter(self, name: str, *, labelled: bool) -> Counter:
        with self._lock:
            counter = self._counters.get(name)
            if counter is None:
                # A name is counted with a kind everywhere or nowhere (the first use decides).
                counter = Counter(
                    f"{self.prefix}_{name}", name, ["kind"] if labelled else [], registry=self.registry
                )
                self._counters[name] = counter
                if labelled:
                    self._labelled.add(name)
            return counter

    def _gauge(self, name: str) -> Gauge:
        with self._lock:
            gauge = self._gauges.get(name)
            if gauge is None:
                gauge = Gauge(f"{self.prefix}_{name}", name, registry=self.registry)
                self._gauges[name] = gauge
            return gauge
