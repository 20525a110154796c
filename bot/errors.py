"""One root for every error sgbot raises on purpose, and what the command line exits with.

`str(error)` is fit to show the person who caused it: it names the problem and
the fix. The CLI prints it (never a traceback) and exits with `exit_code`.

    SgbotError                         exit 1: something given was wrong (a file, an answer, a triage)
    ├── ConfigurationError             exit 2: a setting is missing, unsafe or refused
    └── UnavailableError               exit 3: something needed is not there (an index, a model)
"""

from __future__ import annotations


class SgbotError(Exception):
    exit_code = 1


class ConfigurationError(SgbotError):
    exit_code = 2


class UnavailableError(SgbotError):
    exit_code = 3
