"""Ingest under attack: a 50 MB text file is refused by name (size, limit, how to split it) while the
rest of the folder ingests, and file names are printed as text, never as Rich markup."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from bot.config import Settings
from ingest.pipeline import ingest_paths, prepare
from tests.conftest import make_settings
from tests.deploy.processes import SGBOT, base_environment
from tests.knowledge import documents

# `[bold]x[/].md` cannot be a file name on POSIX (the slash): the name carries the opening tag, and a
# front-matter key the closing `[/]` that crashed Rich; both are reported in the summary's notes.
MARKUP_NAME = "[bold red]x.md"
MARKUP_DOCUMENT = ("---\ntitle: Markup in a name\n'[/]oops': 1\n---\n"
                   "# Markup in a name\n\nA short procedure about names.\n")


def _sgbot_ingest(folder: Path, data: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    environment = base_environment(SGBOT_DATA_DIR=str(data), COLUMNS="200", TERM="dumb")
    return subprocess.run([SGBOT, "ingest", str(folder), *extra], cwd=data.parent, env=environment,
                          capture_output=True, text=True, timeout=600)


def test_a_50_mb_text_file_is_refused_by_name_and_the_rest_of_the_folder_ingests(tmp_path: Path) -> None:
    folder = tmp_path / "library"
    folder.mkdir()
    documents.write_markdown(folder)
    big = folder / "whole-manual.txt"
    line = "Practitioners must record every concern the same day and share it with the designated lead.\n"
    with big.open("w", encoding="utf-8") as handle:
        for _ in range(50_000_000 // len(line) + 1):
            handle.write(line)
    (folder / MARKUP_NAME).write_text(MARKUP_DOCUMENT, encoding="utf-8")
    size_mb = f"{big.stat().st_size / 1_000_000:.1f} MB"

    result = _sgbot_ingest(folder, tmp_path / "data", "--json")
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    reason = dict((item["file"], item["reason"]) for item in summary["failed"])["whole-manual.txt"]

    assert result.returncode == 1  # something failed: the operator is told so
    assert sorted(summary["added"]) == sorted(["school-attendance.md", MARKUP_NAME])
    assert "whole-manual.txt" in reason and size_mb in reason and "5.0 MB" in reason
    assert "SGBOT_INGEST_MAX_BYTES" in reason and "split it into 11 or more files" in reason
    assert summary["chunks_indexed"] < 20  # the big file was never read into the index


def test_file_names_and_reasons_are_printed_as_text_not_rich_markup(tmp_path: Path) -> None:
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / MARKUP_NAME).write_text(MARKUP_DOCUMENT, encoding="utf-8")
    (folder / "[red]empty.md").write_text("", encoding="utf-8")

    result = _sgbot_ingest(folder, tmp_path / "data")

    assert result.returncode == 1, result.stderr[-2000:]
    assert "MarkupError" not in result.stderr and "Traceback" not in result.stderr
    assert f"{MARKUP_NAME}: front matter ignored: [/]oops" in result.stdout  # named as it is, markup shown
    assert "[red]empty.md: " in result.stdout  # the failure too


def test_a_pdf_or_docx_is_measured_by_the_text_it_holds(tmp_path: Path) -> None:
    folder = tmp_path / "library"
    folder.mkdir()
    documents.write_docx(folder)
    (folder / "tiny.md").write_text("# Tiny\n\nShort text.\n", encoding="utf-8")
    settings: Settings = make_settings(tmp_path / "data", ingest_max_bytes=100)

    report = ingest_paths([folder], settings)

    reason = dict(report.failed)["case-supervision.docx"]
    assert reason.startswith("case-supervision.docx holds text of ")
    assert "over the ingest limit of 100 bytes" in reason
    assert report.added == ["tiny.md"]


def test_the_folder_and_file_name_are_indexed_with_every_passage_but_never_quoted(tmp_path: Path) -> None:
    from ingest.pipeline import document_context

    folder = tmp_path / "newstead-pre-school"
    folder.mkdir()
    path = folder / "missing_child.md"
    path.write_text("---\ntitle: Missing child\nkind: procedure\nareas: [Lewisham]\n---\n# Missing child\n\n"
                    "The setting leader calls the police.\n", encoding="utf-8")
    assert document_context(path) == "newstead pre school missing child"
    prepared = prepare(path, "sha", None, None, is_new=True)
    chunk = prepared.chunks[0]
    assert {"newstead", "school"} <= set(chunk.tokens)
    assert "newstead" not in chunk.text.lower()
    # a file named by a digest adds no made-up words
    assert document_context(tmp_path / "seeds" / "000_823d1b026e5366b1.txt") == "seeds"
