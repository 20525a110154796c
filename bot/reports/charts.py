"""The report's charts, drawn with matplotlib (Agg, no display) as SVG text to embed in the page.

Each chart has a table of the same figures beside it in the report, so nobody depends on the picture.
"""

from __future__ import annotations

import io
import threading

from bot.reports.figures import Figures
from bot.reviews.text import action_status_label

# pyplot keeps global state: one chart at a time per process.
_lock = threading.Lock()
BLUE, GREEN, RED, GREY = "#1d70b8", "#00703c", "#d4351c", "#505a5f"


def _svg(figure: object) -> str:
    out = io.StringIO()
    figure.savefig(out, format="svg", bbox_inches="tight")  # type: ignore[attr-defined]
    text = out.getvalue()
    return text[text.index("<svg") :]  # drop the XML prolog and doctype: inlined in HTML


def _pyplot():  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.family": "sans-serif", "font.size": 10, "svg.fonttype": "none"})
    return plt


def referrals_by_month(figures: Figures) -> str:
    with _lock:
        plt = _pyplot()
        fig, axes = plt.subplots(figsize=(6, 3))
        months = [m["month"].split()[0] for m in figures.by_month]
        positions = range(len(months))
        axes.bar([p - 0.2 for p in positions], [m["received"] for m in figures.by_month], 0.4, label="Received",
                 color=BLUE)
        axes.bar([p + 0.2 for p in positions], [m["decided"] for m in figures.by_month], 0.4, label="Decided",
                 color=GREEN)
        axes.set_xticks(list(positions), months)
        axes.set_ylabel("Referrals")
        axes.yaxis.get_major_locator().set_params(integer=True)
        axes.legend(frameon=False)
        axes.spines[["top", "right"]].set_visible(False)
        svg = _svg(fig)
        plt.close(fig)
        return svg


def timeliness(figures: Figures) -> str:
    with _lock:
        plt = _pyplot()
        fig, axes = plt.subplots(figsize=(6, 3))
        titles = [t.title for t in figures.timeliness]
        on_time = [t.on_time for t in figures.timeliness]
        late = [t.late for t in figures.timeliness]
        axes.barh(titles, on_time, color=GREEN, label="On time")
        axes.barh(titles, late, left=on_time, color=RED, label="Late")
        axes.invert_yaxis()
        axes.set_xlabel("Number in the quarter")
        axes.xaxis.get_major_locator().set_params(integer=True)
        axes.legend(frameon=False, loc="lower right")
        axes.spines[["top", "right"]].set_visible(False)
        svg = _svg(fig)
        plt.close(fig)
        return svg


def actions_by_status(figures: Figures) -> str:
    with _lock:
        plt = _pyplot()
        fig, axes = plt.subplots(figsize=(6, 2.5))
        statuses = list(figures.actions_by_status)
        colours = {"open": GREY, "in_progress": BLUE, "completed": GREEN, "cancelled": "#b1b4b6"}
        axes.bar([action_status_label(s) for s in statuses], [figures.actions_by_status[s] for s in statuses],
                 color=[colours.get(s, GREY) for s in statuses])
        axes.set_ylabel("Actions")
        axes.yaxis.get_major_locator().set_params(integer=True)
        axes.spines[["top", "right"]].set_visible(False)
        svg = _svg(fig)
        plt.close(fig)
        return svg
