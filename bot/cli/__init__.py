"""`sgbot`: one command line for everything.

Each module below registers its commands on `app`. An error of the one root
(`bot.errors.SgbotError`) that a command does not handle itself is printed as
its message, never a traceback, and the command exits with the error's
`exit_code` (1: bad input, 2: configuration, 3: something unavailable). Heavy imports (torch, the
embedding model, Chroma, SQLAlchemy) happen inside the command functions so that
`sgbot --help` stays fast.
"""

from __future__ import annotations

from typing import Any

import typer
from typer._click.core import Context as ClickContext  # the click Typer vendors
from typer.core import TyperGroup

from bot.errors import SgbotError


class SgbotGroup(TyperGroup):
    """Every command's errors of the one root (`bot.errors.SgbotError`) become a message and an exit code."""

    def invoke(self, ctx: ClickContext) -> Any:
        try:
            return super().invoke(ctx)
        except SgbotError as error:
            typer.secho(str(error), fg=typer.colors.RED, err=True)
            raise typer.Exit(error.exit_code) from None


app = typer.Typer(
    name="sgbot",
    cls=SgbotGroup,
    help="Safeguarding practice assistant: cited answers, the pre-referral checklist and the review queue.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)

# Registration side effects: each module adds its commands to `app`.
from bot.cli import abstention as _abstention  # noqa: E402,F401
from bot.cli import conversation as _conversation  # noqa: E402,F401
from bot.cli import discussion as _discussion  # noqa: E402,F401
from bot.cli import knowledge as _knowledge  # noqa: E402,F401
from bot.cli import operations as _operations  # noqa: E402,F401
from bot.cli import procedures as _procedures  # noqa: E402,F401
from bot.cli import queue as _queue  # noqa: E402,F401
from bot.cli import referral_bench as _referral_bench  # noqa: E402,F401
from bot.cli import report as _report  # noqa: E402,F401
from bot.cli import roles as _roles  # noqa: E402,F401
from bot.cli import selection as _selection  # noqa: E402,F401
from bot.cli import serve as _serve  # noqa: E402,F401
from bot.cli import teams as _teams  # noqa: E402,F401
from bot.cli import urgent as _urgent  # noqa: E402,F401


def main() -> None:
    """The `sgbot` entry point: `app`, with a database that is down reported as one line, not a traceback."""
    try:
        app()
    except Exception as exc:
        from bot.serving.errors import database_unavailable_line, is_database_unavailable

        if not is_database_unavailable(exc):
            raise
        from bot.config import get_settings

        typer.secho(database_unavailable_line(exc, get_settings()), fg=typer.colors.RED, err=True)
        raise SystemExit(1) from None
