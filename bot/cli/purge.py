"""`sgbot purge`: retention (see bot/retention/purge.py)."""

from __future__ import annotations

import json

import typer

from bot.cli import app


@app.command()
def purge(
    dry_run: bool = typer.Option(False, "--dry-run", help="Count what would be purged; change nothing."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array."),
) -> None:
    """Forget abandoned drafts, closed referrals' content, old event ids and delivered notifications."""
    from bot.config import get_settings
    from bot.db import get_database
    from bot.retention.purge import purge as run_purge

    settings = get_settings()
    results = run_purge(get_database(settings), settings, dry_run=dry_run)
    if as_json:
        print(json.dumps([result.as_dict() for result in results]))
        return
    verb = "would purge" if dry_run else "purged"
    for result in results:
        typer.echo(f"{result.what.replace('_', ' ')}: {verb} {result.rows} (older than "
                   f"{result.older_than:%Y-%m-%d})")
