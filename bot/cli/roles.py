"""`sgbot roles`: roles kept in the database, on top of SGBOT_BUSINESS_UNIT and SGBOT_ADMINS.

A role given to a user id or an email applies to the person known by it, in
every channel (a shared email links their Slack and Teams ids).
"""

from __future__ import annotations

import typer

from bot.cli import app
from bot.errors import SgbotError

roles_app = typer.Typer(help="Give, take away and list roles kept in the database.", no_args_is_help=True)
app.add_typer(roles_app, name="roles")


class UnknownRole(SgbotError):
    """A role the assistant does not have: say which ones it has."""


@roles_app.command("grant")
def grant(
    who: str = typer.Argument(..., help="A user id (Slack, Teams, terminal) or an email."),
    role: str = typer.Argument(..., help="business_unit or admin."),
    by: str = typer.Option(None, "--by", help="Who gives it (kept with the grant)."),
) -> None:
    """Give someone the business unit's or an admin's role."""
    from bot.config import get_settings
    from bot.db import get_database
    from bot.roles import GRANTABLE, Role, Roles

    if role not in {str(r) for r in GRANTABLE}:
        raise UnknownRole(f"unknown role {role!r}: use one of {', '.join(GRANTABLE)}")
    Roles(get_database(get_settings())).grant(who, Role(role), granted_by=by)
    typer.echo(f"{who.strip().lower()}: {role}")


@roles_app.command("revoke")
def revoke(who: str = typer.Argument(..., help="The user id or email the role was given to.")) -> None:
    """Take away a role given with `sgbot roles grant` (roles in the configuration stay)."""
    from bot.config import get_settings
    from bot.db import get_database
    from bot.roles import Roles

    done = Roles(get_database(get_settings())).revoke(who)
    typer.echo(f"{who.strip().lower()}: {'revoked' if done else 'had no role in the database'}")


@roles_app.command("list")
def list_roles() -> None:
    """Every role kept in the database."""
    from bot.config import get_settings
    from bot.db import get_database
    from bot.roles import Roles

    granted = Roles(get_database(get_settings())).granted()
    if not granted:
        typer.echo("No roles in the database (configuration: SGBOT_BUSINESS_UNIT, SGBOT_ADMINS).")
    for identity, role in granted:
        typer.echo(f"{identity}: {role}")
