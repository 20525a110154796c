"""Chunks keep their section path and read sensibly on their own."""

from __future__ import annotations

from pathlib import Path

from ingest.blocks import Block, blocks_from_plain_text
from ingest.chunking import chunk_blocks
from ingest.loaders import load
from tests.conftest import SEEDS_DIR
from tests.knowledge import documents


def test_markdown_chunks_carry_title_heading_and_subheading(tmp_path: Path) -> None:
    document = load(documents.write_markdown(tmp_path))
    chunks = chunk_blocks(document.blocks, "Children missing education")

    sections = [c.section for c in chunks]
    assert "Children missing education › When to tell the education welfare service" in sections
    assert "Children missing education › Contacts" in sections


def test_a_list_stays_with_the_sentence_that_introduces_it(tmp_path: Path) -> None:
    document = load(documents.write_markdown(tmp_path))
    chunk = next(c for c in chunk_blocks(document.blocks, "t") if "home visit" in c.text)

    assert "Before reporting, the school must:" in chunk.text
    assert "- phone every contact" in chunk.text


def test_tab_separated_tables_become_rows_and_long_tables_repeat_their_header() -> None:
    header = "Partner\tContribution\tShare"
    rows = "\n".join(f"Agency {i}\t£{i},000 from the training income of the partnership\t{i}%" for i in range(40))
    blocks = blocks_from_plain_text(f"Funding\n\n{header}\n{rows}\n")

    chunks = chunk_blocks(blocks, "Arrangements", target_words=60, max_words=90)

    assert all(c.section == "Arrangements › Funding" for c in chunks)
    assert len(chunks) > 2
    assert all("Partner | Contribution | Share" in c.text for c in chunks)


def test_plain_text_headings_bullets_and_paragraphs_are_recognised() -> None:
    text = "Approach\n\nWe met every partner. Then we wrote it down.\n\n- First point\n- Second point\n"
    kinds = [(b.kind, b.text) for b in blocks_from_plain_text(text)]

    assert kinds == [("heading", "Approach"), ("text", "We met every partner. Then we wrote it down."),
                     ("item", "First point"), ("item", "Second point")]


def test_no_sentence_is_cut_in_half() -> None:
    sentence = "The rapid review must be completed within fifteen working days of the notification."
    blocks = [Block("heading", "Clocks", 2)] + [Block("text", " ".join([sentence] * 6)) for _ in range(5)]

    for chunk in chunk_blocks(blocks, "Guide", target_words=40, max_words=60):
        body = chunk.text.split("\n", 1)[1]
        assert body.startswith("The rapid review") and body.endswith("notification.")


def test_the_seed_documents_chunk_into_sections_with_their_headings() -> None:
    document = load(SEEDS_DIR / "003_bec7f32aeb543781.txt")
    chunks = chunk_blocks(document.blocks, document.title or "Dudley")

    assert len(chunks) > 20
    assert any(c.section.endswith("Section 9: Funding") for c in chunks)
    assert all(len(c.text.split()) <= 260 for c in chunks)
