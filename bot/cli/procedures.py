"""Procedures across areas: `sgbot changes` (what changed)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

import typer

from bot.cli import app


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(code)


def _database() -> Any:
    """The configured database, or one clear line (never a traceback) if it cannot be reached."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.config import get_settings
    from bot.db import get_database

    settings = get_settings()
    try:
        return get_database(settings)
    except (SQLAlchemyError, OSError) as exc:
        raise _fail(f"cannot reach the database ({exc.__class__.__name__}): start it, or check DATABASE_URL.") \
            from exc


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _fail(f"{option} {value!r} is not a date: use YYYY-MM-DD, e.g. 2026-01-31.") from None


@app.command()
def changes(
    since: Annotated[str | None, typer.Option(help="Only changes on or after this date (YYYY-MM-DD).")] = None,
    area: Annotated[str | None, typer.Option(help="Only documents for this area.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines, one change per line.")] = False,
) -> None:
    """What changed in the knowledge documents at each ingest, newest first."""
    from bot.procedures.render import change_lines
    from bot.procedures.versions import list_changes

    start = _date(since, "--since")
    found = list_changes(_database(), since=start, area=area)
    if as_json:
        for change in found:
            print(json.dumps(change.as_json(), ensure_ascii=False))
        return
    if not found:
        typer.echo("No changes recorded" + (f" since {start}" if start else "") + (f" for {area}" if area else "")
                   + ".")
        return
    for change in found:
        typer.echo("\n".join(change_lines(change, detail=True)))
        typer.echo("")

