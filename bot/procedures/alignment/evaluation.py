"""Agreement of the coding with people's: accuracy and Cohen's kappa over labelled procedure pairs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.procedures.alignment.compare import Encode, compare
from bot.procedures.alignment.documents import ProcedureDoc, read_procedure

LEVELS = (1, 2, 3, 4)


def cohen_kappa(truth: Sequence[int], predicted: Sequence[int]) -> float:
    """Unweighted Cohen's kappa: agreement beyond what the two label distributions give by chance."""
    n = len(truth)
    if n == 0:
        return 0.0
    observed = sum(t == p for t, p in zip(truth, predicted, strict=True)) / n
    a, b = Counter(truth), Counter(predicted)
    expected = sum(a[k] * b[k] for k in set(a) | set(b)) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


@dataclass
class PairResult:
    a: str
    b: str
    label: int
    level: int
    meaning: float
    wording: float
    topic: float


@dataclass
class AlignmentEvaluation:
    results: list[PairResult]

    @property
    def accuracy(self) -> float:
        return sum(r.label == r.level for r in self.results) / len(self.results) if self.results else 0.0

    @property
    def kappa(self) -> float:
        return cohen_kappa([r.label for r in self.results], [r.level for r in self.results])

    def confusion(self) -> dict[int, dict[int, int]]:
        table = {t: dict.fromkeys(LEVELS, 0) for t in LEVELS}
        for r in self.results:
            table[r.label][r.level] += 1
        return table


def evaluate_pairs(pairs_file: Path, encode: Encode, repo_root: Path | None = None) -> AlignmentEvaluation:
    """Code every labelled pair; paths starting with knowledge/ are from the repository, others from variants/."""
    data = yaml.safe_load(pairs_file.read_text(encoding="utf-8"))
    root = repo_root or pairs_file.resolve().parents[3]
    variants = pairs_file.parent / "variants"
    cache: dict[str, ProcedureDoc] = {}

    def doc(name: str) -> ProcedureDoc:
        if name not in cache:
            path = root / name if name.startswith("knowledge/") else variants / name
            cache[name] = read_procedure(path)
        return cache[name]

    from bot.procedures.alignment.report import CachedEncoder

    encode = CachedEncoder(encode)  # variants share most sentences with their originals: embed each once
    results = []
    for pair in data["pairs"]:
        found = compare(doc(pair["a"]), doc(pair["b"]), encode)
        results.append(PairResult(pair["a"], pair["b"], int(pair["level"]), found.level, found.meaning,
                                  found.wording, found.topic))
    return AlignmentEvaluation(results)
