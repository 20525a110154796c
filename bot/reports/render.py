"""The report as HTML (a dashboard page, or one self-contained file) and as PDF.

The PDF is Chromium's own print of the self-contained HTML (Debian's `chromium`, driven by Playwright
with that executable: nothing is downloaded), so the PDF looks exactly like the page.
"""

from __future__ import annotations

import base64
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, select_autoescape

from bot.config import Settings
from bot.db import Database
from bot.errors import UnavailableError
from bot.prompts import load_yaml
from bot.reports import charts
from bot.reports.figures import Figures, compute
from bot.reports.narrative import Narratives
from bot.reports.quarter import Quarter

HERE = Path(__file__).resolve().parent
GOVUK_CSS = HERE.parent / "dashboard" / "static" / "govuk" / "govuk-frontend.min.css"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


class ReportUnavailable(UnavailableError, RuntimeError):
    """The PDF cannot be made here; the message says what to install."""


def _environment() -> Environment:
    return Environment(loader=FileSystemLoader([HERE / "templates"]), autoescape=select_autoescape(default=True))


def report_context(database: Database, settings: Settings, quarter: Quarter) -> dict[str, Any]:
    figures: Figures = compute(database, settings, quarter)
    text = load_yaml("report.yaml")

    def encoded(svg: str) -> str:
        return base64.b64encode(svg.encode()).decode()

    return {
        "figures": figures,
        "sections": Narratives(database, settings).sections(quarter),
        "priorities": settings.review_themes,
        "purpose": text["purpose"],
        "produced": datetime.now(ZoneInfo(settings.timezone)).strftime("%d %B %Y"),
        "charts": {
            "months": encoded(charts.referrals_by_month(figures)),
            "timeliness": encoded(charts.timeliness(figures)),
            "actions": encoded(charts.actions_by_status(figures)),
        },
    }


def report_html(database: Database, settings: Settings, quarter: Quarter) -> str:
    """One self-contained HTML file: the GOV.UK styles inlined, the charts embedded."""
    context = report_context(database, settings, quarter)
    context.update(css=GOVUK_CSS.read_text(encoding="utf-8"), editable=False)
    return _environment().get_template("report_standalone.html").render(**context)


def report_pdf(html: str, chromium: Path) -> bytes:
    if not chromium.exists():
        raise ReportUnavailable(
            f"Making a PDF needs Chromium at {chromium}: install it with `apt-get install chromium` "
            "(or set SGBOT_CHROMIUM to its path), or use --format html."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_content(html, wait_until="load")
            return page.pdf(format="A4", print_background=True,
                            margin={"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"})
        finally:
            browser.close()
