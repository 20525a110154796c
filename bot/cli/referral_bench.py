"""`sgbot bench-referrals`: the referral benchmark (bench/referrals.py) from the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from bot.cli import app


@app.command("bench-referrals")
def bench_referrals(
    referrers: int = typer.Option(
        20, help="Simulated referrers completing the checklist at once (full: 200)."
    ),
    workers: int = typer.Option(2, help="Worker processes the referrers are spread over."),
    kill_fraction: float = typer.Option(0.5, help="Share of worker processes killed half-way and restarted."),
    queue_size: int = typer.Option(1000, help="Referrals in the queue for the listing timing (full: 10000)."),
    think_ms: int = typer.Option(0, help="Mean pause before each message (0: as fast as possible)."),
    databases: str = typer.Option("sqlite,postgresql", help="Comma-separated: sqlite, postgresql."),
) -> None:
    """Concurrent referrers (some killed, restarted): lost answers, duplicates, p95 per turn and listing."""
    root = Path(__file__).resolve().parents[2]
    bench_dir = root / "bench"
    if not (bench_dir / "referrals.py").exists():
        typer.echo(f"bench/referrals.py not found under {root}: run from a source checkout.", err=True)
        raise typer.Exit(2)
    sys.path.insert(0, str(root))
    from bench.referrals import run_referral_bench

    report = run_referral_bench(
        referrers=referrers,
        workers=workers,
        kill_fraction=kill_fraction,
        queue_size=queue_size,
        think_ms=think_ms,
        databases=tuple(d.strip() for d in databases.split(",") if d.strip()),
    )
    typer.echo(json.dumps(report, indent=2))
