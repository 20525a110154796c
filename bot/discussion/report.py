"""The report of a case discussion: the method's stages, each agency's contributions, learning and actions.

Built from the database rows into plain data (`DiscussionReport`), then written
as Markdown (chat, terminal), HTML (the dashboard) or a Word document the
business unit can edit (python-docx). The wording is in prompts/discussion.yaml.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.discussion import models
from bot.discussion.method import DiscussionMethod
from bot.discussion.models import Discussion, DiscussionContribution
from bot.discussion.text import say, words
from bot.referral.models import Referral


@dataclass(frozen=True)
class Item:
    name: str
    agency: str
    text: str
    at: str
    rating: int | None = None


@dataclass(frozen=True)
class AgencyContributions:
    agency: str
    items: list[Item]


@dataclass(frozen=True)
class StageReport:
    number: int
    id: str
    title: str
    explanation: str
    agencies: list[AgencyContributions]
    scale_maximum: int | None = None


@dataclass(frozen=True)
class ActionItem:
    text: str
    owner_agency: str
    due: str
    agreed_by: str
    agency: str
    action_plan_item: str | None = None


@dataclass(frozen=True)
class Participant:
    name: str
    agency: str
    role: str


@dataclass
class DiscussionReport:
    reference: str
    method: str
    method_title: str
    facilitator: str
    started: str
    closed: str | None
    participants: list[Participant]
    stages: list[StageReport]
    learning: list[Item] = field(default_factory=list)
    actions: list[ActionItem] = field(default_factory=list)

    @property
    def agencies(self) -> list[str]:
        seen: list[str] = []
        for stage in self.stages:
            for group in stage.agencies:
                if group.agency not in seen:
                    seen.append(group.agency)
        return seen

    @property
    def contribution_count(self) -> int:
        return sum(len(group.items) for stage in self.stages for group in stage.agencies)

    # --- Markdown ----------------------------------------------------------------------

    def to_markdown(self) -> str:
        lines = [
            f"# {say('report_title', reference=self.reference)}",
            "",
            say("report_method", title=self.method_title),
        ]
        lines += ["", self._facilitated(), "", f"## {say('report_participants')}"]
        lines += [f"- {p.name} ({p.agency})" for p in self.participants]
        for stage in self.stages:
            lines += ["", f"## {stage.number}. {stage.title}", "", f"_{stage.explanation}_"]
            if not stage.agencies:
                lines += ["", say("report_no_contributions")]
            for group in stage.agencies:
                lines += ["", f"### {group.agency}"]
                lines += [f"- {self._item_text(item, stage)}" for item in group.items]
        lines += ["", f"## {say('report_learning')}"]
        lines += [f"- {item.text} ({item.agency})" for item in self.learning] or [say("report_no_learning")]
        lines += ["", f"## {say('report_actions')}"]
        if self.actions:
            headings = words("report_action_columns")
            lines += ["", "| " + " | ".join(headings) + " |", "|" + "---|" * len(headings)]
            for action in self.actions:
                cells = [action.text, action.owner_agency, action.due, f"{action.agreed_by} ({action.agency})"]
                lines.append("| " + " | ".join(cell.replace("|", "\\|").replace("\n", " ") for cell in cells) + " |")
        else:
            lines.append(say("report_no_actions"))
        lines += ["", f"_{say('report_privacy')}_"]
        return "\n".join(lines)

    # --- HTML --------------------------------------------------------------------------

    def to_html(self) -> str:
        e = html.escape
        parts = [
            f'<article class="discussion-report"><h1>{e(say("report_title", reference=self.reference))}</h1>',
            f"<p>{e(say('report_method', title=self.method_title))}</p><p>{e(self._facilitated())}</p>",
            f"<h2>{e(say('report_participants'))}</h2><ul>",
            *(f"<li>{e(p.name)} ({e(p.agency)})</li>" for p in self.participants),
            "</ul>",
        ]
        for stage in self.stages:
            parts.append(f"<section><h2>{stage.number}. {e(stage.title)}</h2><p><em>{e(stage.explanation)}</em></p>")
            if not stage.agencies:
                parts.append(f"<p>{e(say('report_no_contributions'))}</p>")
            for group in stage.agencies:
                parts.append(f"<h3>{e(group.agency)}</h3><ul>")
                parts += [f"<li>{e(self._item_text(item, stage))}</li>" for item in group.items]
                parts.append("</ul>")
            parts.append("</section>")
        parts.append(f"<h2>{e(say('report_learning'))}</h2>")
        if self.learning:
            parts += ["<ul>", *(f"<li>{e(i.text)} ({e(i.agency)})</li>" for i in self.learning), "</ul>"]
        else:
            parts.append(f"<p>{e(say('report_no_learning'))}</p>")
        parts.append(f"<h2>{e(say('report_actions'))}</h2>")
        if self.actions:
            head = "".join(f'<th scope="col">{e(h)}</th>' for h in words("report_action_columns"))
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>")
            for action in self.actions:
                cells = [action.text, action.owner_agency, action.due, f"{action.agreed_by} ({action.agency})"]
                parts.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in cells) + "</tr>")
            parts.append("</tbody></table>")
        else:
            parts.append(f"<p>{e(say('report_no_actions'))}</p>")
        parts.append(f"<p><small>{e(say('report_privacy'))}</small></p></article>")
        return "\n".join(parts)

    # --- Word --------------------------------------------------------------------------

    def to_docx(self) -> bytes:
        """An editable Word document: real headings (so the navigation pane works), lists and a table."""
        from docx import Document

        document = Document()
        document.core_properties.title = say("report_title", reference=self.reference)
        document.add_heading(say("report_title", reference=self.reference), level=0)
        document.add_paragraph(say("report_method", title=self.method_title))
        document.add_paragraph(self._facilitated())
        document.add_heading(say("report_participants"), level=1)
        for participant in self.participants:
            document.add_paragraph(f"{participant.name} ({participant.agency})", style="List Bullet")
        for stage in self.stages:
            document.add_heading(f"{stage.number}. {stage.title}", level=1)
            document.add_paragraph(stage.explanation).runs[0].italic = True
            if not stage.agencies:
                document.add_paragraph(say("report_no_contributions"))
            for group in stage.agencies:
                document.add_heading(group.agency, level=2)
                for item in group.items:
                    document.add_paragraph(self._item_text(item, stage), style="List Bullet")
        document.add_heading(say("report_learning"), level=1)
        for item in self.learning:
            document.add_paragraph(f"{item.text} ({item.agency})", style="List Bullet")
        if not self.learning:
            document.add_paragraph(say("report_no_learning"))
        document.add_heading(say("report_actions"), level=1)
        if self.actions:
            headings = words("report_action_columns")
            table = document.add_table(rows=1, cols=len(headings))
            table.style = "Table Grid"
            for cell, heading in zip(table.rows[0].cells, headings, strict=True):
                cell.text = heading
                cell.paragraphs[0].runs[0].bold = True
            for action in self.actions:
                row = table.add_row().cells
                values = [action.text, action.owner_agency, action.due, f"{action.agreed_by} ({action.agency})"]
                for cell, value in zip(row, values, strict=True):
                    cell.text = value
        else:
            document.add_paragraph(say("report_no_actions"))
        document.add_paragraph(say("report_privacy")).runs[0].italic = True
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()

    # --- pieces ------------------------------------------------------------------------

    def _facilitated(self) -> str:
        closed = say("report_closed_on", when=self.closed) if self.closed else say("report_still_open")
        return say("report_facilitator", facilitator=self.facilitator, started=self.started, closed=closed)

    @staticmethod
    def _item_text(item: Item, stage: StageReport) -> str:
        text = f"{item.text} — {item.name}"
        if item.rating is not None and stage.scale_maximum is not None:
            return f"{say('report_rating', rating=item.rating, maximum=stage.scale_maximum)}: {text}"
        return text


def build_report(discussion: Discussion, method: DiscussionMethod, referral: Referral) -> DiscussionReport:
    """The report from the discussion's rows: every contribution in the stage it was made at."""
    names = {p.identity: p.name or p.identity for p in discussion.participants}
    order = [p.agency for p in discussion.participants]

    def name_of(row: DiscussionContribution) -> str:
        return row.author_name or names.get(row.author.lower(), row.author)

    def item(row: DiscussionContribution) -> Item:
        return Item(name=name_of(row), agency=row.agency, text=row.text, at=_when(row.created_at), rating=row.rating)

    rows = list(discussion.contributions)
    stages = []
    for number, stage in enumerate(method.stages, start=1):
        here = [r for r in rows if r.stage == stage.id and r.kind == models.CONTRIBUTION]
        agencies = sorted({r.agency for r in here}, key=lambda a: (order.index(a) if a in order else len(order), a))
        stages.append(
            StageReport(
                number=number,
                id=stage.id,
                title=stage.title,
                explanation=stage.explanation,
                agencies=[AgencyContributions(a, [item(r) for r in here if r.agency == a]) for a in agencies],
                scale_maximum=stage.scale.maximum if stage.scale else None,
            )
        )
    facilitator = next((p for p in discussion.participants if p.role == models.FACILITATOR), None)
    return DiscussionReport(
        reference=referral.reference or "",
        method=method.id,
        method_title=method.title,
        facilitator=(facilitator.name or facilitator.identity) if facilitator else discussion.facilitator,
        started=_when(discussion.created_at),
        closed=_when(discussion.closed_at) if discussion.closed_at else None,
        participants=[Participant(p.name or p.identity, p.agency, p.role) for p in discussion.participants],
        stages=stages,
        learning=[item(r) for r in rows if r.kind == models.LEARNING],
        actions=[
            ActionItem(
                text=r.text,
                owner_agency=r.owner_agency or r.agency,
                due=_day(r.due_on),
                agreed_by=name_of(r),
                agency=r.agency,
                action_plan_item=r.action_plan_item,
            )
            for r in rows
            if r.kind == models.ACTION
        ],
    )


def _when(value: datetime | None) -> str:
    return value.strftime("%d %B %Y %H:%M").lstrip("0") if value else ""


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""
