"""The report's charts, drawn with matplotlib (Agg, no display) as SVG text to embed in the page.

Each chart has a table of the same figures beside it in the report, so nobody depends on the picture.
Drawing is most of the report page's time (about half a second for the three), and a chart depends
only on the figures it shows: each is kept, keyed by exactly those figures (which name the quarter's
months), so the page is drawn again only when its quarter's data has changed.
"""

from __future__ import annotations

import io
import threading
from functools import lru_cache

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


# Charts kept: three per quarter looked at, and a few versions of each as the data changes.
CACHED_CHARTS = 48


def referrals_by_month(figures: Figures) -> str:
    return _referrals_by_month(tuple((m["month"], m["received"], m["decided"]) for m in figures.by_month))


@lru_cache(maxsize=CACHED_CHARTS)
def _referrals_by_month(by_month: tuple[tuple[str, int, int], ...]) -> str:
    with _lock:
        plt = _pyplot()
        fig, axes = plt.subplots(figsize=(6, 3))
        months = [month.split()[0] for month, _, _ in by_month]
        positions = range(len(months))
        axes.bar([p - 0.2 for p in positions], [received for _, received, _ in by_month], 0.4, label="Received",
                 color=BLUE)
        axes.bar([p + 0.2 for p in positions], [decided for _, _, decided in by_month], 0.4, label="Decided",
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
    return _timeliness(tuple((t.title, t.on_time, t.late) for t in figures.timeliness))


@lru_cache(maxsize=CACHED_CHARTS)
def _timeliness(clocks: tuple[tuple[str, int, int], ...]) -> str:
    with _lock:
        plt = _pyplot()
        fig, axes = plt.subplots(figsize=(6, 3))
        titles = [title for title, _, _ in clocks]
        on_time = [done for _, done, _ in clocks]
        late = [overdue for _, _, overdue in clocks]
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
    return _actions_by_status(tuple(figures.actions_by_status.items()))


@lru_cache(maxsize=CACHED_CHARTS)
def _actions_by_status(counts: tuple[tuple[str, int], ...]) -> str:
    with _lock:
        plt = _pyplot()
        fig, axes = plt.subplots(figsize=(6, 2.5))
        statuses = [status for status, _ in counts]
        colours = {"open": GREY, "in_progress": BLUE, "completed": GREEN, "cancelled": "#b1b4b6"}
        axes.bar([action_status_label(s) for s in statuses], [count for _, count in counts],
                 color=[colours.get(s, GREY) for s in statuses])
        axes.set_ylabel("Actions")
        axes.yaxis.get_major_locator().set_params(integer=True)
        axes.spines[["top", "right"]].set_visible(False)
        svg = _svg(fig)
        plt.close(fig)
        return svg
