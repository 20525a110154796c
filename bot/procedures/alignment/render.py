"""The alignment report as JSON, CSV (one row per compared pair or lone procedure) or HTML; a chat summary."""

from __future__ import annotations

import csv
import io
import json

from bot.procedures.alignment.report import AlignmentReport, level_name, text
from bot.prompts import prompts_dir

FORMATS = ("html", "csv", "json")
CSV_COLUMNS = ["topic", "title", "level", "recommendation", "area_a", "document_a", "area_b", "document_b",
               "meaning", "wording", "sections_only_in_a", "sections_only_in_b", "different_sentences",
               "inferred", "out_of_date"]


def to_json(report: AlignmentReport) -> str:
    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2)


def to_csv(report: AlignmentReport) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for topic in report.topics:
        by_path = {d.path: a for a, d in topic.versions.items()}
        common = {
            "topic": topic.key, "title": topic.title, "level": topic.level or "",
            "recommendation": topic.recommendation,
            "inferred": "; ".join(f"{k}: {v}" for k, v in topic.inferred.items()),
            "out_of_date": "; ".join(f"{o.area}: {o.reason}. {o.action}" for o in topic.out_of_date),
        }
        if not topic.comparisons:
            area, doc = next(iter(topic.versions.items()))
            writer.writerow({**common, "area_a": ", ".join(topic.areas), "document_a": doc.name})
            continue
        for c in topic.comparisons:
            writer.writerow({
                **common, "area_a": by_path.get(c.a.path, ""), "document_a": c.a.name,
                "area_b": by_path.get(c.b.path, ""), "document_b": c.b.name,
                "meaning": f"{c.meaning:.2f}", "wording": f"{c.wording:.2f}",
                "sections_only_in_a": "; ".join(c.only_a), "sections_only_in_b": "; ".join(c.only_b),
                "different_sentences": " || ".join(f"[{p.kind}] {p.text_a} <> {p.text_b}" for p in c.different),
            })
    return _safe_csv(out.getvalue())


def _safe_csv(value: str) -> str:
    """Cells a spreadsheet would run as a formula are quoted with a leading apostrophe."""
    rows = list(csv.reader(io.StringIO(value)))
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(["'" + cell if cell[:1] in ("=", "+", "-", "@") else cell for cell in row])
    return out.getvalue()


def to_html(report: AlignmentReport) -> str:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(prompts_dir() / "reports"), autoescape=select_autoescape(["j2"]))
    template = env.get_template("alignment.html.j2")
    return template.render(report=report, title=text("title", areas=", ".join(report.areas)),
                           method=text("method"), level_name=level_name)


def render(report: AlignmentReport, fmt: str) -> str:
    if fmt == "json":
        return to_json(report)
    if fmt == "csv":
        return to_csv(report)
    return to_html(report)


def chat_summary(report: AlignmentReport, path: str) -> str:
    lines = []
    for level in (1, 2, 3, 4):
        topics = [t.title for t in report.compared if t.level == level]
        if topics:
            lines.append(text("chat_line_level", level=level, name=level_name(level).split("— ", 1)[-1],
                              topics="; ".join(topics)))
    if report.no_equivalent:
        lines.append(text("chat_line_no_equivalent",
                          topics="; ".join(f"{t.title} ({t.areas[0]})" for t in report.no_equivalent)))
    if report.out_of_date:
        lines.append(text("chat_line_out_of_date",
                          items="; ".join(f"{o.document.title} ({o.area}) {o.reason}" for o in report.out_of_date)))
    return text("chat_summary", areas=" and ".join(report.areas), count=len(report.topics),
                lines="\n".join(lines), path=path)
