"""Is someone in danger now? Detect it before anything else, erring towards yes.

Two detectors, OR'ed:

1. **Word rules** (`bot.qa.urgent_rules`): a danger signal (suicidal intent, an
   injury, a threat, a child alone, someone missing, cutting or marriage abroad,
   exploitation, a weapon) with nothing marking it past ("ten years ago", "is now
   settled") or general (training, policy, "what do I do if a child…").
   Predictable and explainable, and they need no model.
2. **Meaning** (`bot.qa.urgent_model`): a logistic regression over the message's
   MiniLM sentence embedding, trained from labelled chat messages, for the many
   ways people say danger without its words. It runs in process: nothing a user
   types leaves it.

A message is urgent when the rules say so, or when the meaning detector's
probability reaches its threshold. When the rules found a danger signal but
recognised it as past or general, the meaning detector needs to be much surer
(`OVERRULE_VETO`) to overrule them: the explicit cue is evidence, the embedding
reads mostly topic. A question with no danger word and nothing present ("can she
refuse help?", "am I allowed to restrain him?") has a threshold of its own,
calibrated in training on such questions (`UrgencyModel.procedure_threshold`):
asking what to do lowers only the model's vote, never the rules'. When such a
question is about a particular person ("12yo at the bus stop says her mum's new man
told her not to come back, can I take her home?") it is where an emergency told in
words no rule knows would land, and it is read at a lower threshold
(`UrgencyModel.situated_threshold`), calibrated so that the model alone catches
nearly every urgent question about someone in training.

`check_urgency(text)` and `is_urgent(text)` are the stable entry points: every
free-text path calls them, with or without an `Answerer`. The encoder and the
weights load once per process, on the first message the rules do not settle;
if either is unavailable the rules decide alone, and that is logged once.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.qa.urgent_model import WEIGHTS_FILE, Encode, EncodeMany, UrgencyModel, WeightsError
from bot.qa.urgent_rules import RuleVerdict, normalise, rule_verdict

log = logging.getLogger(__name__)

# Probability the meaning detector needs to overrule a rule that saw danger words but read them as past or general.
OVERRULE_VETO = 0.9


@dataclass(frozen=True)
class UrgencyCheck:
    urgent: bool
    reason: str  # which detector decided and why; never the user's text
    probability: float | None = None  # the meaning detector's, when it was consulted


class UrgencyDetector:
    """The rules, OR'ed with the meaning model when there is one."""

    def __init__(self, model: UrgencyModel | None = None, encode: Encode | None = None,
                 encode_many: EncodeMany | None = None) -> None:
        if (model is None) != (encode is None):
            raise ValueError("the meaning detector needs both its weights and an encoder")
        self.model = model
        self.encode = encode
        self.encode_many = encode_many  # for scoring files: batched, the same vectors as `encode`

    @classmethod
    def load(cls, weights: Path = WEIGHTS_FILE) -> UrgencyDetector:
        """The full detector; the rules alone (logged) when the weights or the embedding model are missing."""
        try:
            model = UrgencyModel.load(weights)
            from bot.index.embeddings import shared_query_encoder

            encode = shared_query_encoder().encode_query
        except (WeightsError, ImportError, RuntimeError, OSError) as exc:
            log.warning("urgent detection: meaning detector unavailable (%s: %s); using the word rules alone",
                        type(exc).__name__, exc)
            return cls()
        return cls(model, encode, _batch_encode)

    @property
    def reads_meaning(self) -> bool:
        return self.model is not None

    def check(self, text: str) -> UrgencyCheck:
        return self.check_many([text])[0]

    def check_many(self, texts: list[str]) -> list[UrgencyCheck]:
        """`check` for each text, encoding together the ones the rules do not settle."""
        messages = [normalise(text or "") for text in texts]
        verdicts = [rule_verdict(message) for message in messages]
        pending = [i for i, (m, v) in enumerate(zip(messages, verdicts, strict=True)) if m and not v.urgent]
        probabilities: dict[int, float] = {}
        if pending and self.model is not None and self.encode is not None:
            if len(pending) > 1 and self.encode_many is not None:
                vectors = self.encode_many([messages[i] for i in pending])
            else:
                vectors = np.stack([self.encode(messages[i]) for i in pending])
            scored = self.model.probabilities(vectors, [messages[i] for i in pending])
            probabilities = dict(zip(pending, (float(p) for p in scored), strict=True))
        return [self.decide(message, verdict, probabilities.get(i))
                for i, (message, verdict) in enumerate(zip(messages, verdicts, strict=True))]

    def decide(self, message: str, verdict: RuleVerdict, probability: float | None) -> UrgencyCheck:
        """The rules' verdict OR'ed with the model's probability (None: the model was not consulted)."""
        if not message:
            return UrgencyCheck(False, "empty")
        if verdict.urgent:
            return UrgencyCheck(True, f"rules: {verdict.reason}")
        if self.model is None or probability is None:
            return UrgencyCheck(False, f"rules: {verdict.reason}")
        if verdict.vetoed:
            threshold = OVERRULE_VETO
        elif verdict.procedure_question and verdict.situated:
            threshold = self.model.situated_threshold
        elif verdict.procedure_question:
            threshold = self.model.procedure_threshold
        else:
            threshold = self.model.threshold
        if probability >= threshold:
            overruled = f" (overruling: {verdict.reason})" if verdict.vetoed else ""
            return UrgencyCheck(True, f"meaning: reads as danger now, p={probability:.2f}{overruled}", probability)
        return UrgencyCheck(False, f"rules: {verdict.reason}; meaning: p={probability:.2f}", probability)


def _batch_encode(texts: list[str]) -> np.ndarray:
    from bot.index.embeddings import shared_embedder

    return shared_embedder().encode(texts)


_default: UrgencyDetector | None = None
_default_lock = threading.Lock()


def default_detector() -> UrgencyDetector:
    """One detector per process, loaded on first use."""
    global _default
    with _default_lock:
        if _default is None:
            _default = UrgencyDetector.load()
        return _default


def check_urgency(text: str, *, vector: np.ndarray | None = None) -> UrgencyCheck:
    """Does this message describe someone in danger now? Cheap after the first call.

    `vector`, when the caller has already encoded exactly this text with the query encoder,
    saves encoding it twice."""
    message = normalise(text or "")
    if not message:
        return UrgencyCheck(False, "empty")
    verdict = rule_verdict(message)
    if verdict.urgent:  # settled without loading the model
        return UrgencyCheck(True, f"rules: {verdict.reason}")
    detector = default_detector()
    if vector is not None and detector.model is not None:
        return detector.decide(message, verdict, detector.model.probability(vector, message))
    return detector.check(message)


def is_urgent(text: str) -> bool:
    return check_urgency(text).urgent
