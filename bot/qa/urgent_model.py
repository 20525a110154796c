"""The meaning half of urgent detection: a linear classifier over MiniLM sentence embeddings.

Word rules miss the ways people say danger without its words ("wants to go to
sleep and not wake up", "his dad will batter him"). This detector reads the
message's sentence embedding — the same all-MiniLM-L6-v2 vector the assistant
computes for retrieval, in process, so nothing a user types leaves it — and a
logistic regression trained on labelled chat messages turns it into a
probability of danger now.

The weights are a small JSON file in the repository (`bot/qa/data/urgent_model.json`),
written by `sgbot urgent train FILE` from a labelled file in the evaluation
format (`{"type": "urgent" | "not_urgent", "question": …}` per line). Training
also picks the decision threshold from out-of-fold probabilities (each message
scored by models that never saw it): the highest threshold at which the model
alone still catches `RECALL_TARGET` of the urgent messages.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from bot.qa.urgent_rules import normalise

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
WEIGHTS_FILE = DATA_DIR / "urgent_model.json"
TRAIN_FILE = DATA_DIR / "urgent_train.jsonl"
CHECK_FILE = DATA_DIR / "urgent_check.jsonl"
FORMAT = 1
ENCODER = "all-MiniLM-L6-v2"

Encode = Callable[[str], np.ndarray]
EncodeMany = Callable[[list[str]], np.ndarray]


class LabelledFileError(ValueError):
    pass


class WeightsError(ValueError):
    pass


@dataclass(frozen=True)
class Labelled:
    text: str
    urgent: bool
    id: str = ""


def load_labelled(path: Path) -> list[Labelled]:
    """Urgent and not-urgent lines of an evaluation-format file; answerable and out-of-scope lines are
    not urgent (an emergency banner on an ordinary question is a false alarm)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise LabelledFileError(f"cannot read {path}: {exc.strerror}") from exc
    items = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LabelledFileError(f"{path.name} line {number} is not valid JSON: {exc.msg}") from exc
        text = item.get("question") or item.get("text") if isinstance(item, dict) else None
        kind = item.get("type") if isinstance(item, dict) else None
        if not isinstance(text, str) or not text.strip():
            raise LabelledFileError(f"{path.name} line {number}: missing \"question\" (the message text)")
        if kind not in ("urgent", "not_urgent", "answerable", "out_of_scope"):
            raise LabelledFileError(f"{path.name} line {number}: \"type\" must be urgent or not_urgent "
                                    "(answerable and out_of_scope count as not urgent)")
        items.append(Labelled(text, kind == "urgent", str(item.get("id", number))))
    return items


@dataclass(frozen=True)
class UrgencyModel:
    coef: np.ndarray  # one weight per embedding dimension
    intercept: float
    threshold: float  # probability at or above which a message is urgent
    meta: dict[str, object] = field(default_factory=dict)

    def probability(self, vector: np.ndarray) -> float:
        score = float(np.dot(self.coef, vector)) + self.intercept
        return float(1.0 / (1.0 + np.exp(-score)))

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(vectors @ self.coef + self.intercept)))

    def save(self, path: Path = WEIGHTS_FILE) -> None:
        data = {"format": FORMAT, "encoder": ENCODER, "dimensions": int(self.coef.shape[0]),
                "threshold": round(self.threshold, 6), "intercept": round(self.intercept, 6),
                "coef": [round(float(x), 6) for x in self.coef], **self.meta}
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path = WEIGHTS_FILE) -> UrgencyModel:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise WeightsError(f"no urgent-detector weights at {path}: train them with "
                               "`sgbot urgent train bot/qa/data/urgent_train.jsonl`") from exc
        except (OSError, json.JSONDecodeError) as exc:
            raise WeightsError(f"the urgent-detector weights at {path} cannot be read ({exc}): retrain them with "
                               "`sgbot urgent train bot/qa/data/urgent_train.jsonl`") from exc
        if data.get("format") != FORMAT or data.get("encoder") != ENCODER:
            raise WeightsError(f"{path} was written for another format or encoder: retrain it with "
                               "`sgbot urgent train bot/qa/data/urgent_train.jsonl`")
        coef = np.asarray(data["coef"], dtype=np.float32)
        if coef.shape != (int(data["dimensions"]),):
            raise WeightsError(f"{path} is damaged: {coef.shape[0]} weights for {data['dimensions']} dimensions")
        meta = {k: v for k, v in data.items()
                if k not in ("format", "encoder", "dimensions", "threshold", "intercept", "coef")}
        return cls(coef, float(data["intercept"]), float(data["threshold"]), meta)


# Inverse regularisation strength: chosen by cross-validation on the training file (AUC and
# recall at a fixed threshold were flat between 3 and 100; 10 is the middle).
C = 10.0
FOLDS = 5
REPEATS = 5


def _fit(vectors: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=C, class_weight="balanced", max_iter=5000)
    model.fit(vectors, labels)
    return model.coef_[0].astype(np.float32), float(model.intercept_[0])


def out_of_fold(vectors: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Each example's probability from models that did not see it, averaged over repeated folds."""
    from sklearn.model_selection import StratifiedKFold

    folds = min(FOLDS, int(labels.sum()), int((~labels).sum()))
    totals = np.zeros(len(labels))
    for seed in range(REPEATS):
        for fit_on, held in StratifiedKFold(folds, shuffle=True, random_state=seed).split(vectors, labels):
            coef, intercept = _fit(vectors[fit_on], labels[fit_on])
            totals[held] += 1.0 / (1.0 + np.exp(-(vectors[held] @ coef + intercept)))
    return totals / REPEATS


# Share of urgent messages the meaning detector must catch on its own, out of fold. The rules catch
# most of what it misses (they are OR'ed), and a lower target floods the route with false alarms:
# the embedding reads topic as much as danger.
RECALL_TARGET = 0.95


def pick_threshold(probabilities: np.ndarray, labels: np.ndarray, recall: float = RECALL_TARGET) -> float:
    """The highest threshold at which the out-of-fold recall still reaches `recall` (never above 0.5)."""
    urgent = np.sort(probabilities[labels])
    allowed_misses = int(np.floor((1.0 - recall) * len(urgent) + 1e-9))
    return float(min(0.5, urgent[allowed_misses]))


def train(items: Sequence[Labelled], encode_many: EncodeMany, source: Path | None = None) -> UrgencyModel:
    """Fit on every item; `encode_many` must give the vectors the bot's query encoder gives (batched for speed)."""
    labels = np.array([item.urgent for item in items], dtype=bool)
    if labels.sum() < 2 or (~labels).sum() < 2:
        raise LabelledFileError("training needs at least two urgent and two not-urgent messages")
    vectors = np.asarray(encode_many([normalise(item.text) for item in items]), dtype=np.float32)
    threshold = pick_threshold(out_of_fold(vectors, labels), labels)
    coef, intercept = _fit(vectors, labels)
    meta: dict[str, object] = {"examples": len(items), "urgent": int(labels.sum()), "C": C,
                               "recall_target": RECALL_TARGET}
    if source is not None:
        meta["trained_on"] = source.name
        meta["sha256"] = hashlib.sha256(source.read_bytes()).hexdigest()
    return UrgencyModel(coef, intercept, threshold, meta)
