"""The held-out evaluation sets (and the development sets written the same way) are well-formed, and every
expected phrase is in the document it names.

The held-out sets are written for the coordinator's evaluation only: these tests read no answer and run no
retrieval over them. They check that each line parses as `sgbot eval` reads it, that the counts are
as planned, and that each `contains` phrase is found, ignoring case and white space, inside one block
of the named document as the ingest loader reads it (a PDF is checked against its extracted text), and,
for a text format, in the file as written.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from bot.qa.evaluation import load_eval_file
from ingest.loaders import load
from tests.conftest import REAL_DIR, REPO, SEEDS_DIR

DATA = Path(__file__).parent / "data"
KNOWLEDGE_DIR = REPO / "knowledge"
URGENT_HOLDOUT = REPO / "bot" / "qa" / "data" / "urgent_holdout.jsonl"
# Written at the start of stop 21 with the blind2 answer sets, by someone who read no code and no other set:
# 30 dangers now and 30 lookalikes on the same topics. Scored, never tuned on: recall 1.000 / precision 0.968
# when first scored (`sgbot urgent score bot/qa/data/urgent_blind2.jsonl`).
URGENT_BLIND2 = URGENT_HOLDOUT.with_name("urgent_blind2.jsonl")
# The third blind urgent set, written the same way at the start of stop 22: 1.000 / 0.968 when first scored.
URGENT_BLIND3 = URGENT_HOLDOUT.with_name("urgent_blind3.jsonl")
# The fourth blind urgent set, written the same way at the start of stop 23: 1.000 / 0.857 when first scored.
URGENT_BLIND4 = URGENT_HOLDOUT.with_name("urgent_blind4.jsonl")
# The fifth blind urgent set, written the same way at the start of stop 24: 1.000 / 0.882 when first scored.
URGENT_BLIND5 = URGENT_HOLDOUT.with_name("urgent_blind5.jsonl")
# The sixth blind urgent set, written the same way at the start of stop 25.
URGENT_BLIND6 = URGENT_HOLDOUT.with_name("urgent_blind6.jsonl")
# The seventh blind urgent set, written the same way at the start of stop 26.
URGENT_BLIND7 = URGENT_HOLDOUT.with_name("urgent_blind7.jsonl")

# set file -> (corpus folder, answerable lines, out-of-scope lines)
SETS = {
    "holdout_knowledge.jsonl": (KNOWLEDGE_DIR, 25, 5),
    "holdout_seeds.jsonl": (SEEDS_DIR, 25, 5),
    "holdout_real.jsonl": (REAL_DIR, 25, 5),
    # Blind sets written at the start of stop 20 by someone who read no answer code; scored, never tuned on.
    "blind_knowledge.jsonl": (KNOWLEDGE_DIR, 25, 5),
    "blind_seeds.jsonl": (SEEDS_DIR, 25, 5),
    "blind_real.jsonl": (REAL_DIR, 25, 5),
    # Second blind sets, written at the start of stop 21 by someone who read no code and no other set; scored only.
    "blind2_knowledge.jsonl": (KNOWLEDGE_DIR, 24, 6),
    "blind2_seeds.jsonl": (SEEDS_DIR, 24, 6),
    "blind2_real.jsonl": (REAL_DIR, 24, 6),
    # Third blind sets, written at the start of stop 22 the same way; scored only.
    "blind3_knowledge.jsonl": (KNOWLEDGE_DIR, 24, 6),
    "blind3_seeds.jsonl": (SEEDS_DIR, 24, 6),
    "blind3_real.jsonl": (REAL_DIR, 24, 6),
    # Fourth blind sets, written at the start of stop 23 the same way (no code, no other set read); scored only.
    "blind4_knowledge.jsonl": (KNOWLEDGE_DIR, 24, 6),
    "blind4_seeds.jsonl": (SEEDS_DIR, 24, 6),
    "blind4_real.jsonl": (REAL_DIR, 24, 6),
    # Fifth blind sets, written at the start of stop 24 the same way (no code, no other set read); scored only.
    "blind5_knowledge.jsonl": (KNOWLEDGE_DIR, 24, 6),
    "blind5_seeds.jsonl": (SEEDS_DIR, 24, 6),
    "blind5_real.jsonl": (REAL_DIR, 24, 6),
    # Sixth blind sets, written at the start of stop 25 the same way (no code, no other set read); scored only.
    "blind6_knowledge.jsonl": (KNOWLEDGE_DIR, 24, 6),
    "blind6_seeds.jsonl": (SEEDS_DIR, 24, 6),
    "blind6_real.jsonl": (REAL_DIR, 24, 6),
    # Seventh blind sets, written at the start of stop 26 the same way (no code, no other set read); scored only.
    "blind7_knowledge.jsonl": (KNOWLEDGE_DIR, 24, 6),
    "blind7_seeds.jsonl": (SEEDS_DIR, 24, 6),
    "blind7_real.jsonl": (REAL_DIR, 24, 6),
    # Development sets for the answer's fact (issue 8), in practitioners' words: tuned on, so held to the same rules.
    "knowledge_facts.jsonl": (KNOWLEDGE_DIR, 17, 0),
    "seeds_facts.jsonl": (SEEDS_DIR, 16, 0),
    "real_facts.jsonl": (REAL_DIR, 16, 0),
    # Third scope sets (tuned part, written in stop 24): near misses in the documents' own words that the documents
    # do not answer (a number, time or name not given, a neighbouring policy), and answerable questions in the same
    # chat voice. Not in `sgbot abstention fit`'s parts yet: refitting with them lowered four unseen figures.
    "knowledge_scope3_tune.jsonl": (KNOWLEDGE_DIR, 20, 32),
    "seeds_scope3_tune.jsonl": (SEEDS_DIR, 20, 31),
    "real_scope3_tune.jsonl": (REAL_DIR, 20, 30),
}


def _normalise(text: str) -> str:
    return " ".join(text.casefold().split())


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _documents_by_name(corpus: Path) -> dict[str, list[tuple[str | None, list[str]]]]:
    """Each document's base name -> for every file of that name, its normalised text as written (None for
    a PDF) and its blocks' normalised text as the ingest loader reads them."""
    found: dict[str, list[tuple[str | None, list[str]]]] = {}
    for path in sorted(corpus.rglob("*")):
        if path.is_file() and path.suffix in (".md", ".txt", ".pdf") and path.name.lower() != "readme.md":
            raw = None if path.suffix == ".pdf" else _normalise(path.read_text(encoding="utf-8", errors="replace"))
            found.setdefault(path.name, []).append((raw, [_normalise(block.text) for block in load(path).blocks]))
    return found


def _states(document: tuple[str | None, list[str]], phrase: str) -> bool:
    """In the file as written (text formats) and inside one block as ingest reads it (what a chunk holds)."""
    raw, blocks = document
    return (raw is None or phrase in raw) and any(phrase in block for block in blocks)


def _corpus_or_skip(corpus: Path) -> Path:
    if not corpus.is_dir():
        pytest.skip(f"no corpus at {corpus} (../shared is beside the checkout, not in it)")
    return corpus


@pytest.mark.parametrize("name", sorted(SETS))
def test_holdout_set_is_well_formed_and_counted(name: str) -> None:
    path = DATA / name
    items = load_eval_file(path)  # the reader `sgbot eval` uses: every line parses and has a known type
    rows = _rows(path)
    assert len(items) == len(rows)
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)), "ids repeat"
    _, answerable, out_of_scope = SETS[name]
    expected_counts = Counter({"answerable": answerable, "out_of_scope": out_of_scope})
    assert Counter(row["type"] for row in rows) == +expected_counts
    for row in rows:
        assert row["question"].strip()
        if row["type"] == "answerable":
            assert row["expected"], row["id"]
            for expected in row["expected"]:
                assert set(expected) == {"source", "contains"}, row["id"]
                assert "/" not in expected["source"], f"{row['id']}: source is the base name, as the index stores it"
                words = expected["contains"].split()
                # a short fact: a few words, or one token that is a number or an address
                assert 2 <= len(words) <= 10 or (len(words) == 1 and any(c.isdigit() or c == "@" for c in words[0])), \
                    f"{row['id']}: the expected phrase should be a short fact"
        else:
            assert "expected" not in row or not row["expected"], row["id"]


@pytest.mark.parametrize("name", sorted(SETS))
def test_every_expected_phrase_is_in_its_source_document(name: str) -> None:
    corpus = _corpus_or_skip(SETS[name][0])
    documents = _documents_by_name(corpus)
    missing = []
    for row in _rows(DATA / name):
        for expected in row.get("expected", []):
            phrase = _normalise(expected["contains"])
            files = documents.get(expected["source"])
            if files is None:
                missing.append(f"{row['id']}: no document named {expected['source']!r}")
            elif not any(_states(document, phrase) for document in files):
                missing.append(f"{row['id']}: {expected['contains']!r} not in {expected['source']}")
    assert not missing, "\n".join(missing)


def test_urgent_holdout_is_well_formed() -> None:
    items = load_eval_file(URGENT_HOLDOUT)
    rows = _rows(URGENT_HOLDOUT)
    assert len(items) == len(rows) == 120
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)), "ids repeat"
    counts = Counter(row["type"] for row in rows)
    assert set(counts) == {"urgent", "not_urgent"}
    assert 45 <= counts["urgent"] <= 55 and counts["not_urgent"] == 120 - counts["urgent"]
    for row in rows:
        assert set(row) == {"id", "type", "topic", "question"}, row["id"]
        assert row["question"].strip() and row["topic"].strip(), row["id"]
    questions = [_normalise(row["question"]) for row in rows]
    assert len(questions) == len(set(questions)), "a message repeats"


@pytest.mark.parametrize(
    "blind",
    [URGENT_BLIND2, URGENT_BLIND3, URGENT_BLIND4, URGENT_BLIND5, URGENT_BLIND6, URGENT_BLIND7],
    ids=lambda p: p.name,
)
def test_blind_urgent_sets_are_well_formed(blind: Path) -> None:
    items = load_eval_file(blind)
    rows = _rows(blind)
    assert len(items) == len(rows) == 60
    assert len({row["id"] for row in rows}) == 60, "ids repeat"
    assert Counter(row["type"] for row in rows) == Counter({"urgent": 30, "not_urgent": 30})
    for row in rows:
        assert set(row) == {"id", "type", "question"} and row["question"].strip(), row["id"]
    assert len({_normalise(row["question"]) for row in rows}) == 60, "a message repeats"


@pytest.mark.parametrize(
    "held_out",
    [URGENT_HOLDOUT, URGENT_BLIND2, URGENT_BLIND3, URGENT_BLIND4, URGENT_BLIND5, URGENT_BLIND6, URGENT_BLIND7],
    ids=lambda p: p.name,
)
def test_held_out_urgent_sets_reuse_no_message_from_the_other_urgent_sets(held_out: Path) -> None:
    others = {
        _normalise(row["question"])
        for path in sorted(held_out.parent.glob("urgent_*.jsonl")) if path != held_out
        for row in _rows(path)
    }
    reused = [row["id"] for row in _rows(held_out) if _normalise(row["question"]) in others]
    assert not reused, reused
