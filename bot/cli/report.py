"""`sgbot report`: the quarterly "How are we doing?" report, as HTML or PDF, from the database."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli import app


@app.command()
def report(
    quarter: Annotated[str, typer.Option("--quarter", help="Financial-year quarter, e.g. 2026Q3 (Oct-Dec 2026).")],
    format: Annotated[str, typer.Option("--format", help="html or pdf.")] = "html",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write.")] = None,
) -> None:
    """The "How are we doing?" safeguarding effectiveness report for a quarter, with figures and charts."""
    from sqlalchemy.exc import OperationalError

    from bot.config import get_settings
    from bot.db import get_database
    from bot.reports.quarter import BadQuarter, Quarter
    from bot.reports.render import ReportUnavailable, report_html, report_pdf

    if format not in {"html", "pdf"}:
        typer.echo(f"Unknown format {format!r}: use --format html or --format pdf.", err=True)
        raise typer.Exit(2)
    try:
        period = Quarter.parse(quarter)
    except BadQuarter as problem:
        typer.echo(str(problem), err=True)
        raise typer.Exit(2) from None
    settings = get_settings()
    target = output or Path(f"how-are-we-doing-{period.code}.{format}")
    try:
        html = report_html(get_database(settings), settings, period)
    except OperationalError:
        typer.echo("The database could not be reached: check DATABASE_URL and that the server is running.", err=True)
        raise typer.Exit(1) from None
    if format == "html":
        target.write_text(html, encoding="utf-8")
    else:
        try:
            target.write_bytes(report_pdf(html, settings.chromium))
        except ReportUnavailable as problem:
            typer.echo(str(problem), err=True)
            raise typer.Exit(1) from None
    typer.echo(f"Wrote {target} ({period.title}).")
