"""/metrics text from prometheus-client: the names the hand-written text had, valid exposition."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from bot.metrics import Metrics


def test_counts_gauges_and_timings_keep_their_names_and_parse_as_prometheus_text() -> None:
    metrics = Metrics("sgbot_test", gauges=("in_flight",))
    assert "sgbot_test_in_flight 0.0" in metrics.render()  # declared gauges read 0 before any work
    metrics.count("events", "message")
    metrics.count("events", "message")
    metrics.count("events", "app_mention")
    metrics.count("posted")
    metrics.adjust("in_flight", 2)
    metrics.adjust("in_flight", -1)
    metrics.observe("assistant", 0.25)
    metrics.observe("assistant", 0.5)

    assert metrics.value("events", "message") == 2 and metrics.value("posted") == 1
    assert metrics.value("never_counted") == 0 and metrics.gauge("in_flight") == 1
    text = metrics.render()
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }
    assert samples == {
        ("sgbot_test_in_flight", ()): 1.0,
        ("sgbot_test_events_total", (("kind", "message"),)): 2.0,
        ("sgbot_test_events_total", (("kind", "app_mention"),)): 1.0,
        ("sgbot_test_posted_total", ()): 1.0,
        ("sgbot_test_assistant_seconds_count", ()): 2.0,
        ("sgbot_test_assistant_seconds_sum", ()): 0.75,
    }
    assert "_created" not in text  # timestamps would read as values to anyone summing by prefix
    # Two channels in one process keep separate registries (and so separate /metrics sections).
    assert "sgbot_test_posted_total" not in Metrics("sgbot_other").render()
