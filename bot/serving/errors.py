"""The one line a person sees when the database is down, instead of a driver's traceback.

`sgbot queue list`, `sgbot chat` and every other command that needs the
database end with this line and exit status 1; nothing a user typed is lost
(their drafts are in the database, and they are told to try again).
"""

from __future__ import annotations

from sqlalchemy.exc import InterfaceError, OperationalError

from bot.config import Settings
from bot.prompts import say
from bot.serving.health import describe_url, first_line


def is_database_unavailable(exc: BaseException) -> bool:
    """A connection-level failure (server down, refused, timed out, wrong host), not a bug in a query."""
    return isinstance(exc, OperationalError | InterfaceError)


def database_unavailable_line(exc: BaseException, settings: Settings, *, in_chat: bool = False) -> str:
    template = "database_unavailable_in_chat" if in_chat else "database_unavailable"
    return say(template, where=describe_url(settings), reason=first_line(exc))
