"""The alignment report (Solihull approach): procedures across areas coded 1-4, with what to do about each.

The coding must agree with people's: a labelled set of procedure pairs (identical
content restructured, small local differences, substantial differences, different
topics), from knowledge/ and variants written for it under tests/, is coded and
compared with the labels. The floor below is what the method must keep; the set
is visible, so it is a floor, not a target.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.config import Settings
from bot.procedures.alignment.evaluation import cohen_kappa
from ingest.pipeline import ingest_paths
from tests.conftest import KNOWLEDGE_DIR

PAIRS = Path(__file__).parent / "alignment" / "pairs.yaml"
VARIANTS = PAIRS.parent / "variants"


def test_cohens_kappa_is_agreement_beyond_chance() -> None:
    assert cohen_kappa([1, 2, 3, 4], [1, 2, 3, 4]) == 1.0
    assert cohen_kappa([1, 1, 2, 2], [1, 2, 1, 2]) == 0.0
    assert round(cohen_kappa([1, 1, 1, 2, 2, 2], [1, 1, 2, 2, 2, 2]), 3) == 0.667


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_the_coding_agrees_with_peoples_on_the_labelled_pairs() -> None:
    from bot.index.embeddings import shared_embedder
    from bot.procedures.alignment.evaluation import evaluate_pairs

    result = evaluate_pairs(PAIRS, shared_embedder().encode)
    levels = {r.label for r in result.results}
    assert levels == {1, 2, 3, 4} and len(result.results) >= 20
    assert result.accuracy >= 0.85, result.confusion()
    assert result.kappa >= 0.80, result.confusion()
    # Identical content, only restructured, is never coded as anything but the same procedure.
    assert all(r.level == 1 for r in result.results if r.label == 1)


def _sgbot(settings: Settings, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str]:
    from bot.cli import app
    from bot.config import get_settings

    monkeypatch.setenv("SGBOT_DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()  # type: ignore[attr-defined]
    try:
        result = CliRunner().invoke(app, list(args))
    finally:
        get_settings.cache_clear()  # type: ignore[attr-defined]
    return result.exit_code, result.output


@pytest.fixture
def areas_library(tmp_path: Path) -> Path:
    """The sample knowledge base plus a third area, Westvale, with three procedures (one without a topic)."""
    import shutil

    folder = tmp_path / "kb"
    shutil.copytree(KNOWLEDGE_DIR, folder)
    westvale = folder / "westvale"
    westvale.mkdir()
    shutil.copy(VARIANTS / "westvale-bruising-restructured.md", westvale)
    shutil.copy(VARIANTS / "westvale-referral-different.md", westvale)
    untopiced = (VARIANTS / "westvale-children-from-abroad-local.md").read_text(encoding="utf-8")
    assert "topic: children-from-abroad\n" in untopiced
    (westvale / "new-arrivals.md").write_text(untopiced.replace("topic: children-from-abroad\n", ""),
                                              encoding="utf-8")
    return folder


def test_sgbot_align_codes_each_topic_and_says_what_to_do(
    sqlite_settings: Settings, areas_library: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert ingest_paths([areas_library], sqlite_settings).ok
    code, output = _sgbot(sqlite_settings, monkeypatch, "align", "--format", "json")
    assert code == 0, output
    report = json.loads(output)
    assert report["areas"] == ["Eastbrook", "Northshire", "Westvale"] and "MiniLM" in report["method"]
    topics = {t["topic"]: t for t in report["topics"]}

    bruising = topics["bruising-non-mobile-babies"]  # Westvale's is Northshire's, restructured
    assert bruising["level"] == 1 and bruising["recommendation"].startswith("Share one procedure")
    assert {o["area"] for o in bruising["out_of_date"]} == {"Northshire", "Westvale"}  # both past review_by
    assert all("rewrite them together" in o["action"] for o in bruising["out_of_date"])

    referral = topics["making-a-referral"]  # three areas: the least similar pair decides
    assert referral["level"] == 3
    northshire_eastbrook = next(c for c in referral["comparisons"]
                                if {c["a"], c["b"]} == {"making-a-referral-to-childrens-social-care.md"})
    assert northshire_eastbrook["level"] == 2
    kinds = {d["kind"] for d in northshire_eastbrook["different_sentences"]}
    assert {"contact", "timescale"} <= kinds  # different numbers and hours, side by side

    # Westvale's procedure for new arrivals has no topic: matched by meaning, and the report says so.
    abroad = topics["children-from-abroad"]
    assert abroad["areas"] == ["Eastbrook", "Westvale"] and abroad["level"] == 2
    assert list(abroad["inferred"]) == ["new-arrivals.md"] and "inferred" in abroad["inferred"]["new-arrivals.md"]

    code, output = _sgbot(sqlite_settings, monkeypatch, "align", "--areas", "Northshire,Eastbrook",
                          "--format", "json")
    two = {t["topic"]: t for t in json.loads(output)["topics"]}
    assert two["children-from-abroad"]["level"] is None
    assert two["children-from-abroad"]["recommendation"].startswith("Only Eastbrook has this procedure")

    page = tmp_path / "alignment.html"
    code, output = _sgbot(sqlite_settings, monkeypatch, "align", "--areas", "Northshire,Eastbrook",
                          "--output", str(page))
    assert code == 0 and page.exists()
    html = page.read_text(encoding="utf-8")
    assert "Level 2" in html and "01632 960120" in html and "Out of date" in html

    code, output = _sgbot(sqlite_settings, monkeypatch, "align", "--areas", "Northshire,Narnia")
    assert code == 2 and "Narnia" in output and "Northshire" in output
