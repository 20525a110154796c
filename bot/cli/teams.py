"""`sgbot teams-package`: the Teams app package (manifest + icons) as a zip to upload."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli import app


@app.command("teams-package")
def teams_package(
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the zip.")] = Path(
        "dist/sgbot-teams.zip"
    ),
    app_id: Annotated[
        str | None,
        typer.Option(
            help="Application (client) ID of the bot's Entra ID app registration [default: TEAMS_APP_ID]."
        ),
    ] = None,
    developer_name: Annotated[
        str, typer.Option(help="Shown to users as the publisher.")
    ] = "Safeguarding Partnership",
    website_url: Annotated[
        str, typer.Option(help="Your partnership's website (https).")
    ] = "https://www.example.org/",
    privacy_url: Annotated[
        str, typer.Option(help="Privacy notice (https).")
    ] = "https://www.example.org/privacy",
    terms_url: Annotated[str, typer.Option(help="Terms of use (https).")] = "https://www.example.org/terms",
    version: Annotated[str, typer.Option(help="App version; raise it for every new upload.")] = "1.0.0",
) -> None:
    """Build the Teams app package to upload in Teams (Apps → Manage your apps → Upload an app)."""
    from bot.channels.teams.package import PackageDetails, PackageError, build_package
    from bot.config import get_settings

    details = PackageDetails(
        app_id=app_id or get_settings().teams_app_id or "",
        developer_name=developer_name,
        website_url=website_url,
        privacy_url=privacy_url,
        terms_url=terms_url,
        version=version,
    )
    try:
        path = build_package(details, output)
    except PackageError as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"Wrote {path}: upload it in Teams (Apps → Manage your apps → Upload an app).")
