"""Which line of the retrieved passages states the fact: how much each thing known about a line counts.

`select_sentences` (bot/qa/answer.py) knows a few things about every quotable line of the best
passages (its `FEATURES`: the question's weighted words in it, those only in its heading or label,
the question's words side by side, whether it carries the kind of fact asked for, its closeness in
meaning to the question and its passage's, the passage's rank, its length, its kind). A line's
score is their weighted sum; the best line leads the answer.

The weights are learned, not set by hand: for every question of the labelled files whose expected
phrase is in a line of the passages read, the lines that would quote the phrase are the right ones
and the others the wrong ones, and the weights are those under which the right lines are most
likely to come first (a softmax over each question's lines, L2-regularised, fitted with numpy).
The weights the bot uses are in bot/qa/data/selection_weights.json, which says whether they were
learned (and from which files) or are the hand-set `PRIOR`; learned weights are written by

    sgbot selection examples FILE... --out EXAMPLES.jsonl   (once per ingested corpus)
    sgbot selection train EXAMPLES.jsonl...

(`make selection-weights` runs both over the tune parts of the development sets). Learned weights
replace the hand-set ones only when they state the fact in more answers of the check parts.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from bot.errors import SgbotError
from bot.index.units import Unit

if TYPE_CHECKING:
    from bot.qa.retrieval import Hit
    from bot.qa.service import Answerer

DATA_DIR = Path(__file__).parent / "data"
WEIGHTS_FILE = DATA_DIR / "selection_weights.json"

FEATURES: tuple[str, ...] = (
    "words",  # weighted share of the question's words in the line (or its continuation, or the fact asked for)
    "around",  # share found only in the line's heading, label, lead-in or document name
    "phrase",  # share of the question's word pairs found side by side in the line
    "fit",  # the line carries the kind of fact asked for (bot.qa.intent.fit)
    "meaning",  # cosine of the line (or the list it introduces) to the question
    "passage",  # cosine of the line's passage to the question
    "rank",  # the passage's rank among those read (0 first)
    "length",  # tens of words beyond thirty
    "short",  # fewer than SHORT_WORDS words
    "item",  # a list item
    "row",  # a table row or cell
    "lead_in",  # a line ending in ":" that brings its list
    "fact",  # a number, an address or "Label: value"
    "before",  # share found, not in the line, but in the line before it
    "names_only",  # the line only names its document or its part: a title, version, contents entry or heading
)


class SelectionModelError(SgbotError, ValueError):
    pass


@dataclass(frozen=True)
class Candidate:
    """A line that may be quoted, with what is known about it."""

    hit_index: int
    unit: Unit
    features: dict[str, float]


@dataclass(frozen=True)
class SelectionModel:
    weights: dict[str, float]
    # Besides the best line, a line is quoted when its score is within `margin` of the best one's
    # (in a softmax, at least e^-margin times as likely to be the line that states the fact); a
    # list question quotes the best list instead when its best line is within `list_margin`.
    margin: float
    list_margin: float
    meta: dict[str, Any] = field(default_factory=dict)
    # Hand-set weights (`PRIOR`) were set with a share rather than a margin: a line is quoted beside
    # the best when its score is positive and at least `share` of the best's.
    share: float | None = None

    def score(self, features: dict[str, float]) -> float:
        return sum(self.weights.get(name, 0.0) * value for name, value in features.items())

    def close_to(self, score: float, top: float, *, listing: bool = False) -> bool:
        """Does a line scoring `score` come close enough to the best line's `top` to be quoted too
        (or, `listing`, for its list to be quoted instead)?"""
        if self.share is not None:
            return score > 0 and score >= self.share * top
        return score >= top - (self.list_margin if listing else self.margin)

    def save(self, path: Path) -> None:
        data: dict[str, Any] = {"features": list(FEATURES),
                                "weights": {f: round(self.weights.get(f, 0.0), 6) for f in FEATURES},
                                "margin": round(self.margin, 6), "list_margin": round(self.list_margin, 6)}
        if self.share is not None:
            data["share"] = self.share
        data["meta"] = self.meta
        path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> SelectionModel:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            weights = {str(k): float(v) for k, v in data["weights"].items()}
            share = data.get("share")
            model = cls(weights, float(data["margin"]), float(data["list_margin"]), dict(data.get("meta", {})),
                        None if share is None else float(share))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise SelectionModelError(f"the sentence-selection weights at {path} cannot be read ({exc}): "
                                      "retrain them with `make selection-weights`") from exc
        unknown = set(weights) - set(FEATURES)
        if unknown:
            raise SelectionModelError(f"the sentence-selection weights at {path} name features this code does not "
                                      f"compute ({', '.join(sorted(unknown))}): retrain them")
        return model


@lru_cache(maxsize=1)
def selection_model() -> SelectionModel:
    return SelectionModel.load(WEIGHTS_FILE)


# --- learning the weights -------------------------------------------------------------------------

@dataclass(frozen=True)
class Example:
    """One question's candidate lines: their features, which of them quote the expected phrase, and
    their length in words (the answer's word budget decides how many can be quoted)."""

    id: str
    features: list[list[float]]
    positive: list[bool]
    words: list[int]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "features": list(FEATURES), "x": [[round(v, 6) for v in row] for row in self.features],
                "positive": self.positive, "words": self.words}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Example:
        names = list(data["features"])
        index = [names.index(f) if f in names else None for f in FEATURES]
        rows = [[float(row[i]) if i is not None else 0.0 for i in index] for row in data["x"]]
        return cls(str(data["id"]), rows, [bool(p) for p in data["positive"]], [int(w) for w in data["words"]])


def _normalise(text: str) -> str:
    return " ".join(text.casefold().replace("*", " ").replace("`", " ").split())


def examples(answerer: Answerer, items: Sequence[dict[str, Any]], *, mode: str = "hybrid",
             prefix: str = "") -> list[Example]:
    """The lines `answerer` would choose from for each answerable item, labelled by whether quoting
    the line (with what it is always quoted with: its lead-in, the sentence it finishes, the list it
    introduces) would quote the item's expected phrase. Items whose phrase is in no such line (a
    retrieval miss, or a phrase across lines) teach nothing and are left out."""
    from bot.qa.answer import _continued, _introduced, _lead_in

    found: list[Example] = []
    for item in items:
        if item.get("type") != "answerable":
            continue
        phrases = [_normalise(item["fact"])] if item.get("fact") else [
            _normalise(e["contains"]) for e in item.get("expected", [])]
        seen: list[tuple[list[Candidate], list[list[Unit]], list[Hit]]] = []

        def keep(candidates: list[Candidate], units: list[list[Unit]], hits: list[Hit],
                 seen: list[tuple[list[Candidate], list[list[Unit]], list[Hit]]] = seen) -> None:
            seen.append((candidates, units, hits))

        answerer.answer(item["question"], mode=mode, observe=keep)  # type: ignore[arg-type]
        if not seen:
            continue  # abstained, or small talk: no line was chosen
        candidates, units_by_hit, hits = seen[0]
        rows: list[list[float]] = []
        positive: list[bool] = []
        words: list[int] = []
        for candidate in candidates:
            units = units_by_hit[candidate.hit_index]
            number = units.index(candidate.unit)
            text = hits[candidate.hit_index].chunk.text
            together = [u for u in (_lead_in(units, number), _continued(units, number, text)) if u is not None]
            together += [candidate.unit, *_introduced(units, number)]
            quoted = _normalise(" ".join(f"{u.text} {u.shown}" for u in together))
            rows.append([candidate.features.get(f, 0.0) for f in FEATURES])
            positive.append(any(p in quoted for p in phrases))
            words.append(sum(len(u.shown.split()) for u in together))
        if any(positive) and not all(positive):
            found.append(Example(f"{prefix}{item.get('id', len(found))}", rows, positive, words))
    return found


def _padded(data: Sequence[Example]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    longest = max(len(e.features) for e in data)
    x = np.zeros((len(data), longest, len(FEATURES)))
    real = np.zeros((len(data), longest), dtype=bool)
    right = np.zeros((len(data), longest), dtype=bool)
    for i, example in enumerate(data):
        n = len(example.features)
        x[i, :n] = example.features
        real[i, :n] = True
        right[i, :n] = example.positive
    return x, real, right


def _fit(x: np.ndarray, real: np.ndarray, right: np.ndarray, l2: float, prior: np.ndarray,
         steps: int = 1500) -> np.ndarray:
    """Weights (on standardised features) maximising, over questions, the log of the softmax
    probability of the right lines, less `l2` times their squared distance from `prior`. Adam, full batch."""
    w = prior.copy()
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    rate, beta1, beta2 = 0.1, 0.9, 0.999
    for step in range(1, steps + 1):
        s = np.where(real, x @ w, -np.inf)
        p_all = np.exp(s - s.max(axis=1, keepdims=True))
        p_all /= p_all.sum(axis=1, keepdims=True)
        s_right = np.where(right, s, -np.inf)
        p_right = np.exp(s_right - s_right.max(axis=1, keepdims=True))
        p_right /= p_right.sum(axis=1, keepdims=True)
        # gradient of -mean log P(right) + l2 |w|^2
        grad = -np.einsum("qn,qnf->f", p_right - p_all, x) / len(x) + 2 * l2 * (w - prior)
        m = beta1 * m + (1 - beta1) * grad
        v = beta2 * v + (1 - beta2) * grad * grad
        w -= rate * (m / (1 - beta1**step)) / (np.sqrt(v / (1 - beta2**step)) + 1e-8)
    return w


def _log_likelihood(x: np.ndarray, real: np.ndarray, right: np.ndarray, w: np.ndarray) -> float:
    s = np.where(real, x @ w, -np.inf)
    top = s.max(axis=1, keepdims=True)
    every = np.log(np.exp(s - top).sum(axis=1))
    chosen = np.log(np.where(right, np.exp(s - top), 0.0).sum(axis=1))
    return float((chosen - every).mean())


def _chosen_right(scores: np.ndarray, example: Example, margin: float, limit: int, budget: int) -> bool:
    """Would the lines chosen under `scores` (the best, then up to `limit` within `margin` that fit
    in the word budget, best first) quote the expected phrase?"""
    order = np.argsort(-scores)
    top = scores[order[0]]
    words = 0
    for rank, i in enumerate(order[:limit]):
        if rank and scores[i] < top - margin:
            break
        if rank and words + example.words[i] > budget:
            continue
        words += example.words[i]
        if example.positive[i]:
            return True
    return False


def evaluate(weights: dict[str, float], data: Sequence[Example], margin: float, *, limit: int = 3,
             budget: int = 60) -> tuple[float, float]:
    """(share of questions whose best line is a right one, share whose chosen lines include one)."""
    vector = np.array([weights.get(f, 0.0) for f in FEATURES])
    first = chosen = 0
    for example in data:
        scores = np.array(example.features) @ vector
        first += example.positive[int(np.argmax(scores))]
        chosen += _chosen_right(scores, example, margin, limit, budget)
    return first / len(data), chosen / len(data)


MARGINS = (0.5, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0)
L2_GRID = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
PRIOR_SCALES = (1.0, 2.0, 4.0, 6.0, 8.0, 12.0, 16.0)
# The weights set by hand before any were learned (overlap 1, heading 0.5, words side by side 0.5,
# kind of fact 1, meaning 0.35, passage 0.5, 0.03 a rank, 0.004 a word beyond 30): what learning
# starts from and is drawn back to, so that a few questions cannot pull a weight far on their own.
PRIOR = {"words": 1.0, "around": 0.5, "phrase": 0.5, "fit": 1.0, "meaning": 0.35, "passage": 0.5, "rank": -0.03,
         "length": -0.04, "names_only": -0.5}


def _group(example: Example) -> str:
    """The corpus an example's question was asked of (ids are "corpus/file:id")."""
    return example.id.split("/", 1)[0]


def train(data: Sequence[Example], *, l2: float | None = None, sources: Sequence[str] = ()) -> SelectionModel:
    """Weights learned from `data`, starting from and drawn back to the hand-set `PRIOR`. How strongly
    is chosen by leaving one corpus out at a time (learned on the others, judged on it), then the
    weights are refitted on all;
    the margin is the one under which the chosen lines most often quote the phrase on all."""
    if len(data) < 10:
        raise SelectionModelError(f"learning needs at least 10 labelled questions, not {len(data)}")
    x, real, right = _padded(data)
    mean = x[real].mean(axis=0)
    std = x[real].std(axis=0)
    std[std == 0] = 1.0

    # The hand-set weights were set on their own scale: the prior is them at the scale under which
    # they make the right lines most likely.
    hand = np.array([PRIOR.get(f, 0.0) for f in FEATURES])
    scaled_all = np.where(real[..., None], (x - mean) / std, 0.0)
    prior = max((scale * hand * std for scale in PRIOR_SCALES),
                key=lambda w: _log_likelihood(scaled_all, real, right, w))

    def fit_raw(subset: Sequence[Example], strength: float) -> dict[str, float]:
        sx, sreal, sright = _padded(subset)
        scaled = np.where(sreal[..., None], (sx - mean) / std, 0.0)
        w = _fit(scaled, sreal, sright, strength, prior) / std
        return dict(zip(FEATURES, w.tolist(), strict=True))

    groups = sorted({_group(e) for e in data})
    cross: dict[float, float] = {}
    if l2 is None and len(groups) > 1:
        for strength in L2_GRID:
            right_first = 0.0
            for group in groups:
                held = [e for e in data if _group(e) == group]
                rest = [e for e in data if _group(e) != group]
                right_first += evaluate(fit_raw(rest, strength), held, math.log(2))[0] * len(held)
            cross[strength] = right_first / len(data)
        l2 = max(L2_GRID, key=lambda s: (round(cross[s], 6), s))
    strength = l2 if l2 is not None else 0.1
    weights = fit_raw(data, strength)
    margin = max(MARGINS, key=lambda m: (evaluate(weights, data, m)[1], -m))
    first, chosen = evaluate(weights, data, margin)
    meta = {"questions": len(data), "lines": int(real.sum()), "l2": strength,
            "cross_validated_first": {str(k): round(v, 4) for k, v in cross.items()},
            "first_right": round(first, 4), "chosen_right": round(chosen, 4), "trained_on": list(sources)}
    return SelectionModel(weights, margin, margin, meta)


def load_examples(path: Path) -> list[Example]:
    try:
        return [Example.from_json(json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines()
                if line.strip()]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SelectionModelError(f"{path} is not a file of selection examples ({exc})") from exc
