"""The report's narrative sections: the template's headings (prompts/report.yaml), the text people wrote.

A section nobody has written yet shows the template's own guidance for it, as Salford's blank
template does. Only the business unit and admins may write.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from bot.config import Settings
from bot.db import Database, utcnow
from bot.prompts import load_yaml
from bot.referral.errors import NotAllowed
from bot.reports.models import ReportNarrative
from bot.reports.quarter import Quarter
from bot.roles import in_business_unit

MAX_TEXT = 20_000


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    guidance: str
    text: str | None  # what was written, if anything
    updated_by: str | None


def template() -> dict[str, dict[str, str]]:
    return dict(load_yaml("report.yaml")["narrative"])


class Narratives:
    def __init__(self, database: Database, settings: Settings) -> None:
        self.database = database
        self.settings = settings

    def sections(self, quarter: Quarter) -> dict[str, Section]:
        with self.database.sessions() as session:
            rows = {
                row.section: row
                for row in session.scalars(select(ReportNarrative).where(ReportNarrative.quarter == quarter.code))
            }
        result = {}
        for key, spec in template().items():
            row = rows.get(key)
            result[key] = Section(key, spec["title"], spec.get("guidance", ""), row.text if row else None,
                                  row.updated_by if row else None)
        return result

    def save(self, actor_id: str, quarter: Quarter, section: str, text: str, *, email: str | None = None) -> None:
        if not in_business_unit(self.settings, self.database, actor_id, email):
            raise NotAllowed("Only the safeguarding partnership business unit can write the report.")
        if section not in template():
            raise ValueError(f"The report has no section {section!r}: use one of {', '.join(template())}.")
        cleaned = (text or "").strip()[:MAX_TEXT]
        with self.database.transaction() as session:
            row = session.scalars(
                select(ReportNarrative).where(ReportNarrative.quarter == quarter.code,
                                              ReportNarrative.section == section)
            ).first()
            if row is None:
                session.add(ReportNarrative(quarter=quarter.code, section=section, text=cleaned, updated_by=actor_id,
                                            updated_at=utcnow()))
            else:
                row.text, row.updated_by, row.updated_at = cleaned, actor_id, utcnow()
