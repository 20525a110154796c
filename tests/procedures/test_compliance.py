"""Published-arrangements compliance: each required item, the sections that cover it, or "not found".

Measured on the Dudley arrangements in the seed corpus against a person's
labelling of which sections cover each Working Together 2018 item
(tests/procedures/compliance/dudley_wt2018.yaml). The floors are what the
method must keep; the labelled document is visible, so they are floors, not targets.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.compliance.check import Passage, check, quotes_checklist
from bot.compliance.checklist import ChecklistError, load_checklist
from tests.conftest import SEEDS_DIR

DUDLEY = Path(os.environ.get("SGBOT_SEEDS_DIR") or SEEDS_DIR) / "003_bec7f32aeb543781.txt"
LABELS = Path(__file__).parent / "compliance" / "dudley_wt2018.yaml"


def test_both_required_items_lists_are_data_a_partnership_can_edit() -> None:
    wt2018, wt2023 = load_checklist("wt2018"), load_checklist("wt2023")
    assert len(wt2018.items) == 15 and any(i.id == "annual-report" for i in wt2018.items)
    assert any(i.id == "dispute-resolution" for i in wt2023.items)  # added by the 2023 revision
    with pytest.raises(ChecklistError, match="wt2018, wt2023"):
        load_checklist("wt2015")


def test_a_passage_that_restates_the_checklist_is_set_aside_not_counted_as_evidence() -> None:
    wt2018 = load_checklist("wt2018")
    copy = Passage("Appendix G", "\n".join(f"- {i.requirement}" for i in wt2018.items[:5]))
    real = Passage("Funding", "The three partners contribute equally to the partnership's budget each year.")
    assert quotes_checklist(copy, wt2018) and not quotes_checklist(real, wt2018)

    def encode(texts: list[str]):  # noqa: ANN202 - any encoder: the copy must not reach it
        import numpy as np

        assert not any("Appendix G" in t for t in texts)
        return np.ones((len(texts), 4), dtype=np.float32) / 2

    result = check([copy, real], wt2018, encode, "doc")
    assert result.set_aside == ["Appendix G"]


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_sgbot_comply_cites_the_dudley_sections_for_each_item_with_precision_and_recall_floors(
    tmp_path: Path,
) -> None:
    from bot.cli import app
    from bot.compliance.check import ComplianceResult
    from bot.compliance.evaluation import load_labels, score

    if not DUDLEY.is_file():
        pytest.skip(f"the seed corpus is not at {SEEDS_DIR} (it ships in ../shared beside the checkout)")
    out = tmp_path / "dudley.json"
    result = CliRunner().invoke(app, ["comply", str(DUDLEY), "--format", "json", "--output", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["total"] == 15 and "limits" in report and "not prove" in report["limits"]
    assert report["set_aside"] == ["Safeguarding Early Adopters Published arrangements – Compliance Checklist"]
    items = {i["id"]: i for i in report["items"]}
    assert items["funding"]["sections"][0] == "Section 9: Funding"
    assert "Section 8: Independent Scrutiny Arrangements" in items["independent-scrutiny"]["sections"]
    for item in report["items"]:
        assert item["confidence"] in ("high", "medium", "low", "not found")
        assert item["found"] == bool(item["sections"])

    # Precision and recall over (item, section) pairs, against the labelling.
    from bot.compliance.check import ItemResult
    from bot.compliance.checklist import load_checklist as checklist_of

    wt2018 = checklist_of("wt2018")
    rebuilt = ComplianceResult(DUDLEY.name, wt2018, [], report["set_aside"])
    for item in wt2018.items:
        found = ItemResult(item)
        from bot.compliance.check import Evidence

        found.evidence = [Evidence(s, 0.0, "") for s in items[item.id]["sections"]]
        rebuilt.items.append(found)
    scores = score(rebuilt, load_labels(LABELS))
    assert scores.precision >= 0.45, scores
    assert scores.recall >= 0.35, scores
    assert scores.item_recall >= 0.75, scores

    small = tmp_path / "arrangements.md"
    small.write_text("# Our arrangements\n\n## Funding\n\nThe three partners fund the partnership equally.\n",
                     encoding="utf-8")
    page = CliRunner().invoke(app, ["comply", str(small), "--checklist", "wt2023"])
    assert page.exit_code == 0 and "<html" in page.output
    assert "Funding" in page.output and "not found" in page.output  # most items are missing from it

def test_sgbot_comply_names_the_problem_and_the_fix(tmp_path: Path) -> None:
    from bot.cli import app

    runner = CliRunner()
    missing = runner.invoke(app, ["comply", str(tmp_path / "nope.pdf")])
    assert missing.exit_code == 2 and "no such file" in missing.output
    wrong = runner.invoke(app, ["comply", str(LABELS), "--checklist", "wt1999"])
    assert wrong.exit_code == 2 and "wt2018, wt2023" in wrong.output
    fmt = runner.invoke(app, ["comply", str(LABELS), "--format", "pdf"])
    assert fmt.exit_code == 2 and "html, csv, json" in fmt.output
