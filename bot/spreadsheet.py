"""Cells safe to open in a spreadsheet.

A CSV cell starting with =, +, -, @, a tab or a carriage return is run as a formula by Excel and
LibreOffice (CSV/formula injection, OWASP). Such a value gets a leading apostrophe, which spreadsheets
show as text and never evaluate.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
