"""`sgbot bench` runs end to end on a tiny corpus and reports every documented figure (no timing asserted)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner


def test_the_benchmark_reports_every_figure_and_keeps_its_index(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.cli import app
    from bot.config import get_settings

    monkeypatch.setenv("SGBOT_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["bench", "--chunks", "300", "--sample", "20", "--queries", "5", "--json"])
    finally:
        get_settings.cache_clear()

    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    for key in ("chunks", "encode_rate", "ingest_rate", "ask_p50_ms", "ask_p95_ms", "ask_area_p95_ms",
                "cold_start_s", "peak_rss_mb"):
        assert figures[key] > 0, key
    assert figures["chunks"] == 300
    assert figures["synthesized_vectors"] == 280  # all but the 20 embedded passages
    from ingest.chunking import CHUNKER_VERSION

    # Kept for the next run, under the stored format's version (an older format is built again).
    assert (tmp_path / "bench" / f"index-300-v{CHUNKER_VERSION}" / "complete.json").exists()
