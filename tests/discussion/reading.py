"""Reading a discussion's Word report back, as the business unit would open it."""

from __future__ import annotations

import io
from collections import defaultdict

from docx import Document


def docx_sections(data: bytes) -> dict[str, dict[str, list[str]]]:
    """{level-1 heading: {level-2 heading (an agency) or "": [paragraph texts]}} in document order."""
    document = Document(io.BytesIO(data))
    sections: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    stage, agency = "", ""
    for paragraph in document.paragraphs:
        style = paragraph.style.name if paragraph.style is not None else ""
        if style == "Heading 1":
            stage, agency = paragraph.text, ""
            sections[stage]  # noqa: B018 - a stage with no contributions is still listed
        elif style == "Heading 2":
            agency = paragraph.text
        elif paragraph.text.strip():
            sections[stage][agency].append(paragraph.text)
    return {name: dict(groups) for name, groups in sections.items()}


def docx_tables(data: bytes) -> list[list[list[str]]]:
    document = Document(io.BytesIO(data))
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
