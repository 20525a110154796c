"""The compliance result as HTML, CSV or JSON; every format carries the method's limits."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from bot.compliance.check import ComplianceResult
from bot.prompts import prompts_dir, say_from

FORMATS = ("html", "csv", "json")


def say(name: str, **fields: object) -> str:
    return say_from("compliance.yaml", name, **fields)


def as_dict(result: ComplianceResult) -> dict[str, Any]:
    return {
        "document": result.document, "checklist": result.checklist.key, "checklist_name": result.checklist.name,
        "found": result.found, "total": len(result.items), "limits": say("limits"),
        "set_aside": result.set_aside,
        "items": [
            {"id": r.item.id, "requirement": r.item.requirement, "found": r.found, "confidence": r.confidence,
             "sections": r.sections,
             "passages": [{"section": e.section, "score": round(e.score, 3), "excerpt": e.excerpt}
                          for e in r.evidence]}
            for r in result.items
        ],
    }


def render(result: ComplianceResult, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(as_dict(result), ensure_ascii=False, indent=2)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["item", "requirement", "confidence", "sections", "excerpt"])
        for r in result.items:
            writer.writerow([r.item.id, r.item.requirement, r.confidence,
                             "; ".join(r.sections) or say("not_found"),
                             r.evidence[0].excerpt if r.evidence else ""])
        writer.writerow([])
        writer.writerow(["limits", say("limits")])
        return "\n".join(_no_formula(line) for line in out.getvalue().splitlines()) + "\n"
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(prompts_dir() / "reports"), autoescape=select_autoescape(["j2"]))
    total = len(result.items)
    return env.get_template("compliance.html.j2").render(
        result=result, title=say("title", document=result.document, checklist=result.checklist.name),
        summary=say("summary", found=result.found, total=total, missing=total - result.found),
        limits=say("limits"), not_found=say("not_found"),
        set_aside=say("set_aside", sections="; ".join(result.set_aside)) if result.set_aside else "",
    )


def _no_formula(line: str) -> str:
    """A line a spreadsheet would run as a formula starts with an apostrophe instead."""
    return "'" + line if line[:1] in ("=", "+", "-", "@") else line
