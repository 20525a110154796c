"""The knowledge index and what builds it: shared by ingest (which writes it) and bot.qa (which reads it).

- `store`: the catalog, the keyword index (BM25) and the dense index (Chroma), as one `KnowledgeIndex`.
- `tokens`: the tokenizer and sentence splitter both sides must agree on.
- `units`: the quotable units of a passage, one meaning vector each.
- `embeddings`, `minilm`, `onnx_export`: the sentence encoder, run under ONNX Runtime.

It sits below the question-answering domain: it never imports `bot.qa`, so ingest can use it
without depending on answering (an import-linter contract in pyproject.toml keeps it so).
"""
