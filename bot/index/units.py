"""The quotable units of a passage: sentences, list items, table rows, and cells of do/don't tables.

Shared by answer extraction (which scores and quotes them) and ingest (which stores one
meaning vector per unit, so that no sentence is encoded while a question waits).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from bot.index.tokens import sentences


def is_row(unit: str) -> bool:
    return " | " in unit


def _is_item(unit: str) -> bool:
    return unit.startswith("- ")


@dataclass(frozen=True)
class Unit:
    """One quotable line of a passage: a sentence, a list item, a table row or one cell of a row."""

    position: tuple[int, int]  # (line in the passage, cell + 1 or 0): reading order
    text: str  # what is scored
    shown: str  # what is quoted
    kind: str  # sentence | item | row | cell
    group: int = -1  # the table (first row's position) or list a row, cell or item belongs to


def _negates(a: str, b: str) -> bool:
    """"Do"/"Don't", "Should"/"Should not", "Safe"/"Unsafe", "Yes"/"No": opposite sides of a table."""
    a, b = (" ".join(x.casefold().replace("’", "'").strip(" :").split()) for x in (a, b))
    if not a or not b:
        return False
    for x, y in ((a, b), (b, a)):
        if y in (f"{x}n't", f"{x}'t", f"{x} not", f"not {x}", f"no {x}", f"un{x}", f"in{x}", f"never {x}"):
            return True
    return {a, b} == {"yes", "no"}


def passage_units(text: str) -> list[Unit]:
    """The quotable units of a passage, with tables made safe to quote.

    A table row is quoted with its column headers ("Northshire MASH — Contact: 01632 960120"),
    never as cells glued together with bars. A table whose columns are opposite sides ("Do" /
    "Don't") is split into cells, each quoted with its own header: one side is never quoted
    as if it belonged to the other.
    """
    lines = sentences(text)
    units: list[Unit] = []
    header: list[str] = []
    parallel = False
    group = -1
    for position, line in enumerate(lines):
        if is_row(line):
            cells = [c.strip() for c in line.split(" | ")]
            if position == 0 or not is_row(lines[position - 1]):
                header, group = cells, position  # a table's header row says nothing on its own
                parallel = any(_negates(x, y) for i, x in enumerate(cells) for y in cells[i + 1 :])
                continue
            if parallel:
                for column, cell in enumerate(cells):
                    label = header[column] if column < len(header) else ""
                    units.append(Unit((position, column + 1), cell, f"{label}: {cell}" if label else cell,
                                      "cell", group * 100 + column))
            else:
                units.append(Unit((position, 0), line, line, "row", group))
            continue
        group = -1
        if _is_item(line):
            units.append(Unit((position, 0), line[2:], line[2:], "item", -2 - _list_start(lines, position)))
        else:
            units.append(Unit((position, 0), line, line, "sentence"))
    return units


def _list_start(lines: list[str], position: int) -> int:
    while position > 0 and _is_item(lines[position - 1]):
        position -= 1
    return position


def units_digest(units: list[Unit]) -> str:
    """Ties stored unit vectors to the units they were computed from: a passage whose units
    differ (a list joined with the next passage, a changed sentence splitter) is not matched."""
    return hashlib.sha1("\n".join(u.text for u in units).encode("utf-8")).hexdigest()[:16]


def embedding_text(unit: Unit, heading: str) -> str:
    """What the sentence model reads for a unit."""
    return unit.text
