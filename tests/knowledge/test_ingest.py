"""Ingest: every format, metadata, incremental re-runs, deletions and damaged files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.config import Settings
from bot.index.store import KnowledgeIndex
from bot.qa.service import Answerer
from ingest.pipeline import ingest_paths
from tests.conftest import make_settings
from tests.knowledge import documents


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "library"
    documents.write_all(folder)
    return folder


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "data")


def sources_for(settings: Settings, question: str, area: str | None = None) -> list[str]:
    answer = Answerer.from_settings(settings).answer(question, area=area)
    return [c.source for c in answer.citations]


def test_every_format_is_ingested_with_its_metadata(library: Path, settings: Settings) -> None:
    report = ingest_paths([library], settings)

    assert report.ok, report.failed
    assert sorted(report.added) == sorted(
        ["school-attendance.md", "harbour-notes.txt", "sleep-safety.pdf", "case-supervision.docx",
         "online-safety.html"]
    )
    files = {Path(p).name: record for p, record in KnowledgeIndex(settings).catalog.files().items()}
    assert files["school-attendance.md"].meta["areas"] == ["Northshire"]
    assert files["school-attendance.md"].meta["review_by"] == "2027-01-01"
    assert files["harbour-notes.txt"].meta["areas"] == ["Eastbrook"]  # from the sidecar
    assert files["harbour-notes.txt"].meta["title"] == "Harbour safeguarding notes"
    assert files["case-supervision.docx"].meta["title"] == "Case supervision standards"
    assert files["online-safety.html"].meta["title"] == "Online safety for schools"
    assert "harbour-notes.meta.yaml" not in files


@pytest.mark.parametrize(
    ("question", "source", "phrase"),
    [
        ("Which form is used to report a pupil absent for ten days?", "school-attendance.md", "marigold"),
        ("Who do harbour staff call about a lone child at the ferry terminal?", "harbour-notes.txt", "cobalt"),
        ("Which leaflet do health visitors give on safe sleep?", "sleep-safety.pdf", "lavender"),
        ("How often do social workers receive reflective supervision?", "case-supervision.docx", "saffron"),
        ("What protocol does the designated safeguarding lead follow for nude image sharing?",
         "online-safety.html", "turquoise"),
    ],
)
def test_each_format_answers_questions_with_a_citation(
    library: Path, settings: Settings, question: str, source: str, phrase: str
) -> None:
    ingest_paths([library], settings)
    answer = Answerer.from_settings(settings).answer(question)

    assert answer.answered
    assert answer.citations[0].source == source
    assert phrase in answer.text.lower()


def test_html_scripts_and_navigation_are_not_indexed(library: Path, settings: Settings) -> None:
    ingest_paths([library], settings)
    texts = [c.text for c in KnowledgeIndex(settings).catalog.chunks(
        [i for p in KnowledgeIndex(settings).catalog.files() for i in KnowledgeIndex(settings).catalog.chunk_ids(p)]
    ).values()]
    assert not any("tracking" in t or "Home | About" in t for t in texts)


def test_rerunning_ingest_on_the_same_input_changes_nothing(library: Path, settings: Settings) -> None:
    first = ingest_paths([library], settings)
    index = KnowledgeIndex(settings)
    generation = index.catalog.generation()
    dense_count = index.dense.count()

    second = ingest_paths([library], settings)

    assert len(first.added) == 5
    assert second.added == second.updated == second.removed == second.failed == []
    assert len(second.skipped) == 5
    assert second.chunks_indexed == 0
    assert index.catalog.generation() == generation
    assert index.dense.count() == dense_count


def test_a_changed_file_is_reindexed_and_its_old_text_is_gone(library: Path, settings: Settings) -> None:
    ingest_paths([library], settings)
    html = library / "online-safety.html"
    html.write_text(html.read_text().replace("turquoise", "vermilion"), encoding="utf-8")

    report = ingest_paths([library], settings)

    assert report.updated == ["online-safety.html"]
    assert len(report.skipped) == 4
    answer = Answerer.from_settings(settings).answer("Which protocol for nude image sharing?")
    assert "vermilion" in answer.text
    index = KnowledgeIndex(settings)
    assert not index.keyword.search(["turquois"], 5)
    assert index.dense.count() == index.catalog.count()


def test_a_changed_sidecar_reindexes_its_document(library: Path, settings: Settings) -> None:
    ingest_paths([library], settings)
    (library / "harbour-notes.meta.yaml").write_text("title: Harbour notes\nkind: guidance\nareas: [Northshire]\n")

    report = ingest_paths([library], settings)

    assert report.updated == ["harbour-notes.txt"]
    files = {Path(p).name: r for p, r in KnowledgeIndex(settings).catalog.files().items()}
    assert files["harbour-notes.txt"].meta["areas"] == ["Northshire"]


def test_a_deleted_file_is_removed_from_every_index(library: Path, settings: Settings) -> None:
    ingest_paths([library], settings)
    (library / "sleep-safety.pdf").unlink()

    report = ingest_paths([library], settings)

    assert report.removed == ["sleep-safety.pdf"]
    index = KnowledgeIndex(settings)
    assert "sleep-safety.pdf" not in {r.source for r in index.catalog.files().values()}
    assert index.dense.count() == index.catalog.count()
    assert not index.keyword.search(["lavend"], 5)
    assert "sleep-safety.pdf" not in sources_for(settings, "Which leaflet do health visitors give on safe sleep?")


def test_a_deleted_folder_removes_its_documents(library: Path, settings: Settings) -> None:
    ingest_paths([library], settings)
    shutil.rmtree(library)

    report = ingest_paths([library], settings)

    assert len(report.removed) == 5
    assert KnowledgeIndex(settings).is_empty()


def test_a_corrupt_pdf_is_reported_by_name_and_the_rest_still_ingest(library: Path, settings: Settings) -> None:
    documents.write_corrupt_pdf(library)

    report = ingest_paths([library], settings)

    assert len(report.added) == 5
    assert [name for name, _ in report.failed] == ["broken.pdf"]
    reason = report.failed[0][1]
    assert "PDF" in reason and "re-export" in reason
    assert not report.ok


def test_a_scanned_pdf_without_text_is_explained(tmp_path: Path, settings: Settings) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 50, 50)  # a drawing, no text layer
    pdf.output(str(tmp_path / "scan.pdf"))

    report = ingest_paths([tmp_path / "scan.pdf"], settings)

    assert report.failed == [("scan.pdf", report.failed[0][1])]
    assert "OCR" in report.failed[0][1]


def test_bad_front_matter_names_the_problem(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / "bad.md").write_text("---\ntitle: x\nkind: rumour\n---\n# x\n\nText here.\n")
    (tmp_path / "good.md").write_text("---\ntitle: Good\n---\n# Good\n\nThe good document.\n")

    report = ingest_paths([tmp_path], settings)

    assert report.added == ["good.md"]
    assert report.failed[0][0] == "bad.md"
    assert "rumour" in report.failed[0][1] and "procedure" in report.failed[0][1]


def test_flags_give_metadata_to_files_without_any(tmp_path: Path, settings: Settings) -> None:
    path = documents.write_pdf(tmp_path)

    ingest_paths([path], settings, area="Eastbrook", kind="procedure")

    record = next(iter(KnowledgeIndex(settings).catalog.files().values()))
    assert record.meta["areas"] == ["Eastbrook"]
    assert record.meta["kind"] == "procedure"


def test_unsupported_and_missing_paths_are_reported(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / "minutes.xlsx").write_bytes(b"PK\x03\x04")

    report = ingest_paths([tmp_path / "minutes.xlsx", tmp_path / "nowhere"], settings)

    reasons = dict(report.failed)
    assert "unsupported format .xlsx" in reasons["minutes.xlsx"]
    assert "no such file or folder" in reasons["nowhere"]


def test_the_cli_prints_a_summary_and_fails_when_a_file_failed(library: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.cli import app
    from bot.config import get_settings

    documents.write_corrupt_pdf(library)
    monkeypatch.setenv("SGBOT_DATA_DIR", str(tmp_path / "cli-data"))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["ingest", str(library), "--json"])
    finally:
        get_settings.cache_clear()

    assert result.exit_code == 1
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert len(summary["added"]) == 5
    assert summary["failed"][0]["file"] == "broken.pdf"
