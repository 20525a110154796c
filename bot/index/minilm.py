"""all-MiniLM-L6-v2 under ONNX Runtime: the same vectors as sentence-transformers, without PyTorch.

PyTorch is ~1 GB on disk and ~300 MB of memory in every replica, and sentence-
transformers' imports alone take seconds. Serving and ingest run the network from
an ONNX graph instead (`bot.index.onnx_export` writes it from the model package's own
weights at setup time) with `onnxruntime`, tokenized by `tokenizers` from the
package's `tokenizer.json` exactly as sentence-transformers tokenizes (truncation at
`max_seq_length`, padding to the longest text of a batch). A test checks the vectors
equal sentence-transformers' within 1e-4, and that the serving path never imports torch.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

log = logging.getLogger(__name__)

ONNX_NAME = "all-MiniLM-L6-v2.onnx"
DIMENSIONS = 384


def default_onnx_path() -> Path:
    """Where `sgbot embeddings export` writes the graph: inside the Python environment, beside the
    model package it was made from (the virtualenv in a checkout, /opt/sgbot in the image)."""
    return Path(sys.prefix) / "share" / "sgbot" / ONNX_NAME


class MiniLM:
    def __init__(self, model_dir: Path, onnx_path: Path | None = None, max_length: int | None = None) -> None:
        import onnxruntime as ort

        config = json.loads((model_dir / "config.json").read_text())
        st_config_path = model_dir / "sentence_bert_config.json"
        st_config = json.loads(st_config_path.read_text()) if st_config_path.exists() else {}
        self.max_length = max_length or int(st_config.get("max_seq_length", 256))
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(self.max_length)
        self.tokenizer.enable_padding(pad_id=int(config.get("pad_token_id", 0)), pad_token="[PAD]")

        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.inter_op_num_threads = 1  # one graph at a time (callers hold a lock); its ops use every core
        path = onnx_path or default_onnx_path()
        source: str | bytes
        if path.exists():
            source = str(path)
        else:
            # Made from the installed weights in ~2 s (no network): slower to start, never wrong.
            log.warning("embeddings.onnx_missing", extra={"path": str(path), "fix": "sgbot embeddings export"})
            from bot.index.onnx_export import build_model

            source = build_model(model_dir).SerializeToString()
        self.session = ort.InferenceSession(source, options, providers=["CPUExecutionProvider"])

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Unit-length float32 vectors, one row per text, in the order given."""
        # Batches of similar length waste little on padding (sentence-transformers sorts the same way).
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            chosen = order[start:start + batch_size]
            encodings = self.tokenizer.encode_batch([texts[i] for i in chosen])
            feed = {
                "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            }
            (out,) = self.session.run(["embeddings"], feed)
            vectors[chosen] = out
        return vectors

