"""Alignment of procedures across areas (the Solihull approach), coded 1-4 with a recommendation per level.

- `documents`: procedures as documents with sections, from the recorded versions or from files.
- `compare`: two versions compared by meaning (MiniLM) and wording, insensitive to order and structure.
- `report`: topics, levels, recommendations, no-equivalent and out-of-date procedures.
- `render`: the report as JSON, CSV or HTML; a short chat summary.
"""
