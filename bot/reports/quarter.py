"""Reporting quarters: `2026Q3` is the third quarter of the 2026/27 financial year (October–December 2026).

Partnership boards report by financial year (April to March), as Salford's template does ("October to
December 2018 (Quarter 3)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.errors import SgbotError

_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*Q([1-4])\s*$", re.IGNORECASE)
_FIRST_MONTH = {1: 4, 2: 7, 3: 10, 4: 1}


class BadQuarter(SgbotError, ValueError):
    pass


@dataclass(frozen=True)
class Quarter:
    year: int  # the financial year it belongs to starts in April of this year
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = _QUARTER.match(text or "")
        if not match:
            raise BadQuarter(
                f"{text!r} is not a quarter: write the financial year and quarter, for example 2026Q3 "
                "(October to December 2026)."
            )
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: date) -> Quarter:
        year = day.year if day.month >= 4 else day.year - 1
        number = {4: 1, 5: 1, 6: 1, 7: 2, 8: 2, 9: 2, 10: 3, 11: 3, 12: 3, 1: 4, 2: 4, 3: 4}[day.month]
        return cls(year, number)

    @property
    def start(self) -> date:
        month = _FIRST_MONTH[self.number]
        return date(self.year + (1 if self.number == 4 else 0), month, 1)

    @property
    def end(self) -> date:
        """The last day of the quarter."""
        start = self.start
        month, year = start.month + 3, start.year
        if month > 12:
            month, year = month - 12, year + 1
        return date(year, month, 1) - timedelta(days=1)

    @property
    def months(self) -> list[date]:
        first = self.start
        return [date(first.year + (first.month + i - 1) // 12, (first.month + i - 1) % 12 + 1, 1) for i in range(3)]

    @property
    def code(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def title(self) -> str:
        first, last = self.months[0], self.months[-1]
        return (
            f"{first.strftime('%B')} to {last.strftime('%B %Y')} "
            f"(Quarter {self.number}, {self.year}/{str(self.year + 1)[-2:]})"
        )
