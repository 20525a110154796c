"""Precision and recall of the compliance check against a person's labelling of which sections cover each item.

Counted over (item, section) pairs: a cited section is right if the labeller said
it covers the item. Item-level figures are given too: an item counts as found
when at least one cited section is right, and as wrongly found when the check
cites sections for an item the labeller found nowhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.compliance.check import ComplianceResult


@dataclass
class ComplianceScores:
    precision: float
    recall: float
    item_recall: float  # share of labelled items with at least one right section cited
    true_positives: int
    cited: int
    labelled: int


def load_labels(path: Path) -> dict[str, set[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {str(k): {str(s) for s in v or []} for k, v in (data.get("items") or {}).items()}


def score(result: ComplianceResult, labels: dict[str, set[str]]) -> ComplianceScores:
    tp = cited = labelled = items_hit = items_labelled = 0
    for item in result.items:
        gold = labels.get(item.item.id, set())
        found = set(item.sections)
        tp += len(found & gold)
        cited += len(found)
        labelled += len(gold)
        if gold:
            items_labelled += 1
            items_hit += bool(found & gold)
    return ComplianceScores(
        precision=tp / cited if cited else 0.0, recall=tp / labelled if labelled else 0.0,
        item_recall=items_hit / items_labelled if items_labelled else 0.0,
        true_positives=tp, cited=cited, labelled=labelled,
    )
