"""Nothing anyone typed reaches the logs through a library.

Our own log lines carry ids, never text. The platform libraries are less
careful: Slack Bolt logs the whole body of every request that fails the
signature check at INFO (a clock 5 minutes off would put every checklist
answer into the logs), slack_sdk logs what it posts at DEBUG, and the Agents
SDK logs request parameters. Their messages put such detail after the first
clause ("Invalid request signature detected (… body: …)"), so a record from
those libraries keeps only its first clause: what happened, never the data.
"""

from __future__ import annotations

import logging
import re

# Loggers whose records can carry request or message bodies.
LIBRARIES = ("slack_bolt", "slack_sdk", "slack", "microsoft_agents", "sgbot:")
# Where a library's message turns from what happened to what it was about.
_FIRST_CLAUSE = re.compile(r"[(:{\[\n=]")
_LIMIT = 160


class FirstClauseOnly(logging.Filter):
    """Rewrites a record to its first clause, with no arguments: bodies and payloads are dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_sgbot_clipped", False):
            return True
        try:
            message = record.getMessage()
        except Exception:  # a malformed library log call must not break the request
            message = str(record.msg)
        record.msg = first_clause(message)
        record.args = ()
        record._sgbot_clipped = True  # type: ignore[attr-defined]
        return True


FILTER = FirstClauseOnly()


def first_clause(message: str) -> str:
    clause = _FIRST_CLAUSE.split(message, maxsplit=1)[0].strip()
    return clause[:_LIMIT] or "(details withheld)"


def library_logger(name: str) -> logging.Logger:
    """A logger for a library that accepts one (Bolt's `logger=`), already filtered."""
    logger = logging.getLogger(name)
    if FILTER not in logger.filters:
        logger.addFilter(FILTER)
    return logger


def keep_content_out_of_library_logs() -> None:
    """Put the filter on every library logger that exists now (call after the libraries are imported).

    A filter on a logger applies only to records made by that very logger, not its
    children, hence one per logger.
    """
    for name in list(logging.root.manager.loggerDict):
        if name.startswith(LIBRARIES):
            library_logger(name)
