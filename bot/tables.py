"""Every mapped table, imported in one place so `Base.metadata` is the whole schema.

Only what needs the whole schema at once imports this: tests that build or compare
it, and a developer writing a migration (`alembic_config(connection,
target_metadata=bot.tables.Base.metadata)`, then `alembic.command.revision(config,
"message", autogenerate=True)`). It sits above every layer, outside them: the
database layer (`bot.db`) never imports it, so `bot.db` depends on nothing that
is stored in it. Upgrading a database runs the migrations, which need no model.
"""

from __future__ import annotations

from bot.channel_settings import models as _channel_settings  # noqa: F401
from bot.dashboard import models as _dashboard  # noqa: F401
from bot.db import infrastructure as _infrastructure  # noqa: F401
from bot.db.base import Base
from bot.discussion import models as _discussion  # noqa: F401
from bot.feedback import models as _feedback  # noqa: F401
from bot.gaps import models as _gaps  # noqa: F401
from bot.outbox import models as _outbox  # noqa: F401
from bot.people import models as _people  # noqa: F401
from bot.procedures import models as _procedures  # noqa: F401
from bot.qa import generations as _generations  # noqa: F401
from bot.referral import models as _referral  # noqa: F401
from bot.reports import models as _reports  # noqa: F401
from bot.retention import purge as _purge  # noqa: F401
from bot.reviews import models as _reviews  # noqa: F401
from bot.roles import models as _roles  # noqa: F401
from bot.sessions import models as _sessions  # noqa: F401

__all__ = ["Base"]
