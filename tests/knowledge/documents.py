"""Builders for real documents of every supported format, written to a folder for a test."""

from __future__ import annotations

from pathlib import Path


def write_markdown(folder: Path, name: str = "school-attendance.md") -> Path:
    path = folder / name
    path.write_text(
        """---
title: Children missing education
kind: procedure
areas: [Northshire]
topic: missing-education
effective: 2025-01-01
review_by: 2027-01-01
---
# Children missing education

## When to tell the education welfare service

A pupil absent for ten consecutive school days without explanation must be reported to the
education welfare service by the school's attendance officer. The marigold form is used for this.

Before reporting, the school must:
- phone every contact on the pupil's record;
- check with siblings' schools;
- consider a home visit.

## Contacts

| Service | Number |
|---|---|
| Education welfare service | 01632 960700 |
| Attendance advice line | 01632 960701 |
""",
        encoding="utf-8",
    )
    return path


def write_text_with_sidecar(folder: Path, name: str = "harbour-notes.txt") -> Path:
    path = folder / name
    path.write_text(
        "Harbour safeguarding notes\n\nLone children at the harbour\n\n"
        "Harbour staff who find a lone child at the ferry terminal must call the port liaison team "
        "on the cobalt line before the next sailing.\n",
        encoding="utf-8",
    )
    (folder / "harbour-notes.meta.yaml").write_text(
        "title: Harbour safeguarding notes\nkind: guidance\nareas: [Eastbrook]\neffective: 2025-05-01\n",
        encoding="utf-8",
    )
    return path


def write_pdf(folder: Path, name: str = "sleep-safety.pdf") -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 8, "Safe sleep advice for babies")
    pdf.ln(4)
    pdf.multi_cell(0, 8, "Health visitors give the lavender leaflet on safe sleep at the new birth visit. "
                         "Babies should sleep on their backs in a cot in the parents' room.")
    pdf.set_title("Safe sleep advice for babies")
    path = folder / name
    pdf.output(str(path))
    return path


def write_docx(folder: Path, name: str = "case-supervision.docx") -> Path:
    import docx

    document = docx.Document()
    document.add_heading("Case supervision standards", level=0)
    document.add_heading("Frequency", level=1)
    document.add_paragraph("Social workers receive reflective supervision every four weeks, recorded on the "
                           "saffron template within five working days.")
    document.add_paragraph("Bring your case list", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Role"
    table.cell(0, 1).text = "Supervision"
    table.cell(1, 0).text = "Newly qualified social worker"
    table.cell(1, 1).text = "Fortnightly"
    path = folder / name
    document.save(str(path))
    return path


def write_html(folder: Path, name: str = "online-safety.html") -> Path:
    path = folder / name
    path.write_text(
        """<!doctype html><html><head><title>Online safety for schools</title>
<script>var tracking = "ignore me";</script></head>
<body><nav>Home | About</nav>
<h1>Online safety for schools</h1>
<h2>Reporting nude image sharing</h2>
<p>Staff must not view or forward the images; tell the designated safeguarding lead, who follows the
turquoise protocol the same day.</p>
<ul><li>Do not delete the images.</li><li>Do not ask the pupil to send them.</li></ul>
</body></html>""",
        encoding="utf-8",
    )
    return path


def write_corrupt_pdf(folder: Path, name: str = "broken.pdf") -> Path:
    path = folder / name
    path.write_bytes(b"%PDF-1.7\n1 0 obj <</Type /Catalog /Pages 2 0 R>> garbage \x00\xff\xfe not a pdf at all")
    return path


def write_all(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return {
        "md": write_markdown(folder),
        "txt": write_text_with_sidecar(folder),
        "pdf": write_pdf(folder),
        "docx": write_docx(folder),
        "html": write_html(folder),
    }
