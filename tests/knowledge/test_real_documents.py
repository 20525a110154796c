"""Real documents, as their owners published them (../shared/corpus/real), ingest and read correctly.

Each test names the defect it guards against and uses the real file that showed it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.config import Settings
from bot.index.store import KnowledgeIndex
from bot.index.tokens import sentences
from ingest.loaders import load
from ingest.pipeline import ingest_paths, prepare
from tests.conftest import REAL_DIR

pytestmark = pytest.mark.skipif(not REAL_DIR.is_dir(), reason=f"no real-document corpus at {REAL_DIR}")

FOSTERING = REAL_DIR / "wholistic-fostering"
SKELTON_ADULTS = REAL_DIR / "skelton-united-fc" / "Skelton United FC Safeguarding Vulnerable Adults Policy.pdf"
FA_TEXTS = REAL_DIR / "the-fa" / "5 using-texts-and-emails-with-u18s-dos-and-donts (1).pdf"
FA_CRC = REAL_DIR / "the-fa" / "1 CRC (DBS) applicant guidance.pdf"
FA_PARENTS = REAL_DIR / "the-fa" / "6 guidance-for-parents-and-carers (3).pdf"
SKELTON_CHILDREN = REAL_DIR / "skelton-united-fc" / "Skelton United Football Club Safeguarding Children Policy.pdf"


def _texts(path: Path) -> list[str]:
    return [block.text for block in load(path).blocks]


def _copy(tmp_path: Path, source: Path, *, sidecar: bool = True) -> Path:
    target = tmp_path / source.name
    shutil.copy(source, target)
    side = source.with_name(source.stem + ".meta.yaml")
    if sidecar and side.exists():
        shutil.copy(side, target.with_name(side.name))
    return target


def test_jekyll_front_matter_keeps_known_fields_maps_dates_and_reports_the_rest(tmp_path: Path) -> None:
    path = _copy(tmp_path, REAL_DIR / "newstead-pre-school" / "missing_child.md", sidecar=False)
    prepared = prepare(path, "sha", None, None, is_new=True)
    meta = prepared.record.meta
    assert meta["title"] == "Missing Child Policy"
    assert meta["review_by"] == "2014-08-13"  # review_date -> review_by
    notes = " ".join(prepared.notes)
    assert "adpoted_date" in notes and "signed-by-name" in notes  # ignored, and said so
    assert "review_date -> review_by" in notes


def test_astro_front_matter_with_nested_keys_is_not_refused_and_the_sidecar_wins(tmp_path: Path) -> None:
    path = _copy(tmp_path, REAL_DIR / "together-assessments" / "safeguarding.md")
    prepared = prepare(path, "sha", None, None, is_new=True)
    assert prepared.record.meta["areas"] == ["North Lincolnshire"]  # from the sidecar
    assert prepared.record.meta["kind"] == "procedure"
    assert any("seo_settings" in note and "slug" in note for note in prepared.notes)


def test_a_sidecar_wins_over_the_documents_own_front_matter(tmp_path: Path) -> None:
    path = _copy(tmp_path, REAL_DIR / "newstead-pre-school" / "missing_child.md")
    meta = prepare(path, "sha", None, None, is_new=True).record.meta
    assert meta["title"] == "Missing child"  # the front matter says "Missing Child Policy"
    assert meta["areas"] == ["Lewisham"]


def test_a_file_indexed_with_default_metadata_says_which_fields_were_defaulted(tmp_path: Path) -> None:
    path = _copy(tmp_path, REAL_DIR / "norwich-rfc" / "report-an-incident.md", sidecar=False)
    prepared = prepare(path, "sha", None, None, is_new=True)
    defaulted = next(note for note in prepared.notes if note.startswith("metadata defaulted"))
    assert "kind=guidance" in defaulted and "areas=national" in defaulted
    assert "report-an-incident.meta.yaml" in defaulted


def test_wrapped_pdf_lines_are_joined_into_sentences() -> None:
    texts = _texts(SKELTON_ADULTS)
    assert not any(t == "Vulnerable Adult shall be defined as:" for t in texts)
    definition = next(t for t in texts if "A person aged 18 or over" in t)
    assert "unable to protect himself or herself against significant harm or exploitation" in definition
    assert any("Safeguard the welfare of Vulnerable Adults in football by making use of such vetting as is "
               "available to The Football Association when seeking to establish suitability for a new or "
               "pre-existing role" in t for t in texts)


def test_justified_pdf_text_is_not_taken_for_a_table() -> None:
    blocks = load(FA_TEXTS).blocks
    assert not [b for b in blocks if b.kind == "row"]
    assert any(b.text.startswith("get signed consent from parents/carers before using either of these methods")
               for b in blocks)


def test_the_do_and_dont_sides_of_a_pdf_list_stay_apart() -> None:
    blocks = load(FA_TEXTS).blocks
    headings = [b.text for b in blocks if b.kind == "heading"]
    assert "Do" in headings and "Don’t" in headings
    do_at, dont_at = headings.index("Do"), headings.index("Don’t")
    assert do_at < dont_at
    for unit in (u for b in blocks for u in sentences(b.text)):
        assert not ("get signed consent" in unit and "personal conversation" in unit)


def test_pages_that_extract_as_glyph_codes_are_reported_by_page_and_not_indexed() -> None:
    document = load(FA_CRC)
    assert document.notes and "pages 3, 4, 5" in document.notes[0] and "glyph codes" in document.notes[0]
    text = " ".join(b.text for b in document.blocks)
    assert "/g3" not in text
    assert "FAN stands for FA Number" in text  # the readable pages are still indexed


def test_pandoc_escapes_and_html_debris_do_not_reach_the_text() -> None:
    text = "\n".join(_texts(FOSTERING / "children-missing-from-care.md")
                     + _texts(FOSTERING / "safeguarding-and-safer-caring.md"))
    assert "\\'" not in text and "\\<" not in text and "<font" not in text and "</font" not in text
    # every converted file of the fostering handbook, not only the two that showed it first
    for path in sorted(FOSTERING.glob("*.md")):
        converted = "\n".join(_texts(path))
        for debris in ("\\'", "\\<", "\\>", "\\.", "<font", "</font", "#ffffff"):
            assert debris not in converted, f"{debris!r} left in {path.name}"
    assert "On the child's return, as soon as practicable, an independent person" in text
    assert "permanent Wholistic Fostering Supervising Social Worker" in text


def test_numbered_headings_are_recognised() -> None:
    headings = [b.text for b in load(FOSTERING / "safeguarding-and-safer-caring.md").blocks if b.kind == "heading"]
    assert "1. Introduction" in headings  # written "1\. Introduction Working out…" by pandoc
    assert "2.3 The bathroom" in headings
    items = [b.text for b in load(FOSTERING / "safeguarding-and-safer-caring.md").blocks if b.kind == "item"]
    # "1\. The Supervising Social Worker…" is an item of a numbered list, wrapped lines and all.
    assert any(i.startswith("The Supervising Social Worker who is maintaining contact and likely to assume the link "
                            "role") for i in items)


def test_numbered_headings_in_pdf_text_are_recognised_and_numbered_paragraphs_are_not() -> None:
    # "6. Guidance for parents/carers" is the first line of the FA's page, above its first paragraph:
    # it was read as a list item and run into that paragraph ("Guidance for parents/carers Whilst…").
    blocks = load(FA_PARENTS).blocks
    assert blocks[0].kind == "heading" and blocks[0].text == "6. Guidance for parents/carers"
    assert any(b.text.startswith("Whilst the internet brings many benefits") for b in blocks)
    headings = [b.text for b in load(FA_TEXTS).blocks if b.kind == "heading"]
    assert "5. Using Texts and Emails with U18s - Do’s and Don’ts" in headings
    # "1. Skelton United Football Club acknowledges its responsibility…" is a numbered paragraph.
    children = load(SKELTON_CHILDREN).blocks
    assert not [b for b in children if b.kind == "heading" and b.text.startswith(("1.", "2.", "3."))]
    assert any(b.text.startswith("Skelton United Football Club acknowledges its responsibility to safeguard the "
                                 "welfare of every child") for b in children)


def test_the_whole_real_corpus_ingests_and_names_the_pages_it_could_not_read(real_settings: Settings) -> None:
    # real_settings ingested the corpus and asserted that nothing failed; a second run reports every file.
    report = ingest_paths([REAL_DIR], real_settings)
    assert report.ok, report.failed
    files = KnowledgeIndex(real_settings).catalog.files()
    on_disk = [p for p in REAL_DIR.rglob("*") if p.suffix in (".md", ".pdf") and p.name != "README.md"]
    assert {Path(f).name for f in files} == {p.name for p in on_disk}


def test_ingest_reports_unreadable_pages_and_ignored_front_matter(tmp_path: Path, real_settings: Settings) -> None:
    from tests.conftest import make_settings

    settings = make_settings(tmp_path / "data")
    folder = tmp_path / "docs"
    folder.mkdir()
    _copy(folder, FA_CRC)
    _copy(folder, REAL_DIR / "newstead-pre-school" / "missing_child.md")
    report = ingest_paths([folder], settings)
    assert report.ok, report.failed
    assert any("pages 3, 4, 5" in note for name, note in report.notes if name == FA_CRC.name)
    assert "adpoted_date" in " ".join(n for f, n in report.notes if f == "missing_child.md")


def test_a_page_with_no_text_layer_is_reported_by_its_number_and_the_rest_is_indexed(tmp_path: Path) -> None:
    # A scanned page inside an otherwise readable policy: Skelton's adults policy with a blank
    # (image-only, textless) page put in as page 2.
    from pypdf import PdfReader, PdfWriter

    source = PdfReader(str(SKELTON_ADULTS))
    writer = PdfWriter()
    writer.add_page(source.pages[0])
    box = source.pages[0].mediabox
    writer.add_blank_page(width=float(box.width), height=float(box.height))
    for page in source.pages[1:]:
        writer.add_page(page)
    path = tmp_path / SKELTON_ADULTS.name
    with path.open("wb") as handle:
        writer.write(handle)

    document = load(path)
    assert any(note.startswith("page 2 not indexed") and "no text layer" in note for note in document.notes)
    text = " ".join(b.text for b in document.blocks)
    assert "A person aged 18 or over" in text  # the readable pages are still there


def test_a_numbered_sub_heading_in_a_pdf_is_a_heading(tmp_path: Path) -> None:
    # The fostering agency's safer-caring section 2.3, as the PDF the same policy would be when printed
    # (Chromium, as sgbot report prints): "2.3 The bathroom" heads its paragraph, it is not run into it.
    from bot.reports.render import report_pdf

    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("Chromium is needed to print the PDF (apt-get install chromium)")
    markdown = (FOSTERING / "safeguarding-and-safer-caring.md").read_text(encoding="utf-8")
    section = markdown.split("### 2.3 The bathroom", 1)[1].split("###", 1)[0]
    paragraphs = "".join(f"<p>{p}</p>" for p in section.split("\n\n") if p.strip())
    path = tmp_path / "safer-caring.pdf"
    path.write_bytes(report_pdf(f"<html><body><h3>2.3 The bathroom</h3>{paragraphs}</body></html>", chromium))

    blocks = load(path).blocks
    assert blocks[0].kind == "heading" and blocks[0].text == "2.3 The bathroom"
    assert blocks[1].text.startswith("All children who are old enough and able to bath and wash themselves")


# What a practitioner would be quoted: the sentences, items and rows that ingest stores for each passage.
NORWICH = REAL_DIR / "norwich-rfc" / "nrfc-safeguarding-policy.md"
ALLEGATIONS = FOSTERING / "managing-allegations-against-staff-and-foster-parents.md"


def _quoted(path: Path) -> list[str]:
    """Every quotable unit of every passage of `path`, as ingest stores them."""
    from bot.index.units import passage_units
    from ingest.chunking import chunk_blocks

    document = load(path)
    return [unit.text for chunk in chunk_blocks(document.blocks, document.title or path.stem)
            for unit in passage_units(chunk.text)]


def test_pdf_definitions_are_not_run_into_the_sentence_that_announces_them() -> None:
    # "…they will be defined as follows:", a blank line, then "Vulnerable Adult shall be defined as:
    # A person aged 18…": read as one 80-word sentence, it was quoted whole for "what is a vulnerable adult?".
    quoted = _quoted(SKELTON_ADULTS)
    assert any(u.endswith("for the purpose of this Vulnerable Adult Policy they will be defined as follows:")
               for u in quoted)
    assert any(u.startswith("Vulnerable Adult shall be defined as: A person aged 18 or over") for u in quoted)
    assert not [u for u in quoted if "defined as follows" in u and "A person aged 18" in u]
    # …and the passage that announces them also holds them: a lead-in never ends a passage.
    from ingest.chunking import chunk_blocks

    document = load(SKELTON_ADULTS)
    announcing = next(c.text for c in chunk_blocks(document.blocks, "Skelton") if "defined as follows:" in c.text)
    assert "Vulnerable Adult shall be defined as: A person aged 18 or over" in announcing


def test_a_numbered_pdf_paragraph_runs_on_past_a_colon_and_a_dot_bullet_is_a_bullet() -> None:
    # "5. … by writing to The FA Case Manager at:" / "The Football Association," / "Wembley Stadium,": the
    # address is where to write, not a new paragraph.
    quoted = _quoted(SKELTON_CHILDREN)
    assert any("by writing to The FA Case Manager at: The Football Association, Wembley Stadium" in u for u in quoted)
    items = [b.text for b in load(SKELTON_CHILDREN).blocks if b.kind == "item"]
    assert "The child’s welfare is, and must always be, the paramount consideration." in items
    assert "Develop a role profile" in items  # its bullet extracts as ". Develop a role profile"
    assert not [i for i in items if i.endswith(". Develop a role profile")]


def test_a_blank_line_in_a_pdf_ends_a_list_item_before_a_paragraph() -> None:
    # The last bullet of a list ran on into the note under it ("…email help@nspcc.org.uk NB – The FA's…").
    blocks = load(SKELTON_CHILDREN).blocks
    items = [b.text for b in blocks if b.kind == "item"]
    assert "call the NSPCC 24hour Helpline for advice on 0808 800 5000 or text 88858 or email help@nspcc.org.uk" \
        in items
    assert any(b.kind == "text" and b.text.startswith("NB – The FA’s Safeguarding Children Policy and Procedures "
                                                      "are available") for b in blocks)


def test_page_numbers_are_left_out_of_pdf_text() -> None:
    crc = load(FA_CRC).blocks
    text = "\n".join(b.text for b in crc)
    assert "Version 3.0" not in text and "Page 4" not in text
    assert "FREQUENTLY ASKED QUESTIONS" in [b.text for b in crc if b.kind == "heading"]
    assert any(b.text == "You will receive an email from info@thefa.com which will take you through the reset "
               "process" for b in crc)


def test_a_pdf_list_numbered_without_stops_is_a_list_with_its_own_lead_in() -> None:
    # "1 Social networking… 2 Running a website… 7 Guidance for U18s… Acknowledgements The FA would like…"
    # was one 120-word sentence; its lead-in ran on from the last "Don't".
    blocks = load(FA_TEXTS).blocks
    items = [b.text for b in blocks if b.kind == "item"]
    assert "Running a website - Do’s and Don’ts" in items
    assert "Guidance for U18s using: Club WebPages, Social Networks, Email and Texts" in items
    assert "Acknowledgements" in [b.text for b in blocks if b.kind == "heading"]
    assert any(b.kind == "text" and b.text == "Further FA guidance is available on the following areas:"
               for b in blocks)
    assert any(i.endswith("abusive or sexualised in tone") for i in items)


def test_a_section_number_is_not_quoted_as_a_sentence() -> None:
    quoted = _quoted(FA_TEXTS)
    assert "5." not in quoted
    assert "5. Using Texts and Emails with U18s - Do’s and Don’ts" in quoted


def test_markdown_list_items_that_start_with_a_name_are_not_headings() -> None:
    # "1. Norwich Rugby Football Club acknowledges…", item after item of an ordered list, was taken for a
    # heading "1. Norwich" that had lost its line break: every passage was filed under "1. Norwich" and
    # quoted "Rugby Football Club acknowledges…", "RFC confirms that…".
    blocks = load(NORWICH).blocks
    assert not [b for b in blocks if b.kind == "heading" and b.text.startswith("1.")]
    assert any(b.text.startswith("Norwich Rugby Football Club acknowledges its responsibility") for b in blocks)
    assert not [u for u in _quoted(NORWICH) if u.startswith(("RFC ", "Rugby Football Club acknowledges"))]


def test_a_markdown_heading_keeps_no_list_marker() -> None:
    # "## - Scope": the heading was "- Scope", quoted as a list item and shown in every section path.
    headings = [b.text for b in load(ALLEGATIONS).blocks if b.kind == "heading"]
    assert "Scope" in headings and "Initial Action" in headings
    assert not [h for h in headings if h.startswith("-")]


def test_a_markdown_sentence_broken_by_a_blank_line_is_one_paragraph() -> None:
    # "…compliant with Appendix 5 of Working Together to Safeguard Children" / blank line / "2010 and the
    # Fostering Services National Minimum Standards…": two fragments, each quoted on its own.
    texts = _texts(ALLEGATIONS)
    assert any("Working Together to Safeguard Children 2010 and the Fostering Services National Minimum Standards"
               in t for t in texts)
    assert not [t for t in texts if t.startswith("2010 and the Fostering")]
