"""What changed: every ingest that finds a document changed records a version and a section-level difference.

Behaviour practitioners and the business unit rely on: `sgbot changes` lists what
changed (newest first, by date and area), down to the sentences; removed documents
are listed too; an answer quoting a section changed in the last 30 days says when.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.config import Settings
from bot.db import get_database
from bot.procedures.diff import Section, diff_sections
from bot.procedures.versions import list_changes
from ingest.pipeline import ingest_paths

NORTHSHIRE = Path("northshire") / "making-a-referral-to-childrens-social-care.md"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_restructured_section_is_one_changed_section_not_a_removal_and_an_addition() -> None:
    old = [Section("Doc › Who to call", "Phone the MASH on 01632 960120. Then write within 24 hours.")]
    new = [Section("Doc › Contacts", "Phone the MASH on 01632 960120. Then write within 48 hours."),
           Section("Doc › Consent", "Ask the family first.")]
    diff = diff_sections(old, new)
    assert diff.added == ["Consent"] and diff.removed == []
    [change] = diff.changed
    assert (change.section, change.previous_section) == ("Contacts", "Who to call")
    assert change.removed_sentences == ["Then write within 24 hours."]
    assert change.added_sentences == ["Then write within 48 hours."]


def test_reingesting_an_edited_procedure_records_the_sections_and_sentences_that_changed(
    procedures_settings: Settings, library: Path
) -> None:
    first = ingest_paths([library], procedures_settings)
    assert first.ok and len(first.changes) == 2  # two new documents
    procedure = library / NORTHSHIRE
    edit(procedure, "**Follow up in writing within 24 hours**", "**Follow up in writing within 48 hours**")
    edit(procedure, "## Consent\n", "## Information sharing and consent\n")
    edit(procedure, "## What to include\n", "## Before you phone\n\nHave the child's school and GP to hand.\n\n"
                                            "## What to include\n")
    second = ingest_paths([library], procedures_settings)
    assert second.updated == [NORTHSHIRE.name] and len(second.changes) == 1

    [latest, *older] = list_changes(get_database(procedures_settings))
    assert latest.change == "updated" and (latest.previous_version, latest.version) == (1, 2)
    assert latest.areas == ["Northshire"] and len(older) == 2
    changed = {c.section: c for c in latest.diff.changed}
    how = changed["How to refer in Northshire"]
    assert any("within 24 hours" in s for s in how.removed_sentences)
    assert any("within 48 hours" in s for s in how.added_sentences)
    assert changed["Information sharing and consent"].previous_section == "Consent"
    assert latest.diff.added == ["Before you phone"] and latest.diff.removed == []

    third = ingest_paths([library], procedures_settings)  # nothing changed: nothing recorded
    assert third.changes == [] and third.skipped


def test_a_removed_document_is_recorded_with_the_sections_it_had(
    procedures_settings: Settings, library: Path
) -> None:
    ingest_paths([library], procedures_settings)
    (library / NORTHSHIRE).unlink()
    report = ingest_paths([library], procedures_settings)
    assert report.removed == [NORTHSHIRE.name]
    [latest, *_] = list_changes(get_database(procedures_settings))
    assert latest.change == "removed" and latest.version is None and latest.previous_version == 1
    assert "Consent" in latest.diff.removed


def test_sgbot_changes_lists_newest_first_and_filters_by_date_and_area(
    sqlite_settings: Settings, library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    procedures_settings = sqlite_settings
    from bot.cli import app

    ingest_paths([library], procedures_settings)
    edit(library / NORTHSHIRE, "on 01632 960120", "on 01632 960999")
    ingest_paths([library], procedures_settings)
    monkeypatch.setenv("SGBOT_DATA_DIR", str(procedures_settings.data_dir))
    if procedures_settings.database_url:
        monkeypatch.setenv("DATABASE_URL", procedures_settings.database_url)
    from bot.config import get_settings

    get_settings.cache_clear()  # type: ignore[attr-defined]
    runner = CliRunner()
    listed = runner.invoke(app, ["changes"])
    assert listed.exit_code == 0, listed.output
    lines = listed.output.splitlines()
    assert "UPDATED" in lines[0] and "Northshire" in lines[0]
    assert any("was:" in line and "01632 960120" in line for line in lines)
    assert any("now:" in line and "01632 960999" in line for line in lines)

    eastbrook = runner.invoke(app, ["changes", "--area", "Eastbrook", "--json"])
    rows = [json.loads(line) for line in eastbrook.output.splitlines()]
    assert [r["change"] for r in rows] == ["added"] and rows[0]["areas"] == ["Eastbrook"]
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    assert "No changes recorded" in runner.invoke(app, ["changes", "--since", tomorrow]).output
    bad = runner.invoke(app, ["changes", "--since", "last week"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output
    get_settings.cache_clear()  # type: ignore[attr-defined]


def test_an_answer_quoting_a_recently_changed_section_says_when_it_was_updated(
    sqlite_settings: Settings, library: Path
) -> None:
    procedures_settings = sqlite_settings
    from bot.qa.answer import format_citation
    from bot.qa.service import Answerer

    ingest_paths([library], procedures_settings)
    edit(library / NORTHSHIRE, "Outside these hours, phone the", "Outside office hours, always phone the")
    ingest_paths([library], procedures_settings)
    answer = Answerer.from_settings(procedures_settings).answer(
        "Who do I phone out of hours in Northshire?", area="Northshire")
    assert answer.citations
    today = dt.date.today().isoformat()
    changed = [c for c in answer.citations if c.source == NORTHSHIRE.name and "MASH opening hours" in c.section]
    assert changed and all(c.updated_on == today for c in changed)
    assert f"updated on {today}" in format_citation(changed[0])
    untouched = [c for c in answer.citations if "MASH opening hours" not in c.section]
    assert all(c.updated_on is None for c in untouched)
