"""Procedures across areas: `sgbot changes` (what changed), `sgbot align`, `sgbot comply`."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

import typer

from bot.cli import app


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(code)


def _database() -> Any:
    """The configured database, or one clear line (never a traceback) if it cannot be reached."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.config import get_settings
    from bot.db import get_database

    settings = get_settings()
    try:
        return get_database(settings)
    except (SQLAlchemyError, OSError) as exc:
        raise _fail(f"cannot reach the database ({exc.__class__.__name__}): start it, or check DATABASE_URL.") \
            from exc


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _fail(f"{option} {value!r} is not a date: use YYYY-MM-DD, e.g. 2026-01-31.") from None


@app.command()
def changes(
    since: Annotated[str | None, typer.Option(help="Only changes on or after this date (YYYY-MM-DD).")] = None,
    area: Annotated[str | None, typer.Option(help="Only documents for this area.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines, one change per line.")] = False,
) -> None:
    """What changed in the knowledge documents at each ingest, newest first."""
    from bot.procedures.render import change_lines
    from bot.procedures.versions import list_changes

    start = _date(since, "--since")
    found = list_changes(_database(), since=start, area=area)
    if as_json:
        for change in found:
            print(json.dumps(change.as_json(), ensure_ascii=False))
        return
    if not found:
        typer.echo("No changes recorded" + (f" since {start}" if start else "") + (f" for {area}" if area else "")
                   + ".")
        return
    for change in found:
        typer.echo("\n".join(change_lines(change, detail=True)))
        typer.echo("")


def _write(content: str, output: Any) -> None:
    if output is None:
        print(content)
        return
    from pathlib import Path

    target = Path(output)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    except OSError as exc:
        raise _fail(f"cannot write {target} ({exc.strerror or exc}): choose another --output path.") from exc
    typer.echo(f"Report written to {target}", err=True)


def _encoder() -> Any:
    from bot.index.embeddings import ModelMissingError, shared_embedder

    try:
        return shared_embedder().encode
    except ModelMissingError as exc:
        raise _fail(str(exc)) from exc


@app.command()
def align(
    areas: Annotated[str | None, typer.Option(help="Areas to compare, comma-separated (default: every area "
                                                   "with procedures of its own).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="html | csv | json")] = "html",
    output: Annotated[str | None, typer.Option(help="Write the report to this file (default: print it).")] = None,
    evaluate: Annotated[str | None, typer.Option(help="Instead: code a labelled set of pairs (YAML) and report "
                                                      "accuracy and Cohen's kappa.")] = None,
) -> None:
    """Compare procedures across areas and code each topic 1-4 with the recommended action (Solihull approach)."""
    from bot.procedures.alignment.render import FORMATS, render

    if fmt not in FORMATS:
        raise _fail(f"--format {fmt!r} is not one of {', '.join(FORMATS)}")
    if evaluate:
        _evaluate_alignment(evaluate, as_json=fmt == "json")
        return
    from bot.config import get_settings
    from bot.procedures.alignment.documents import recorded_procedures
    from bot.procedures.alignment.report import build_report, local_areas

    settings = get_settings()
    documents = recorded_procedures(_database())
    known = local_areas(documents, settings.regional_areas + settings.national_areas)
    wanted = [a.strip() for a in areas.split(",") if a.strip()] if areas else known
    unknown = [a for a in wanted if a.lower() not in {k.lower() for k in known}]
    if not documents:
        raise _fail("no procedures are recorded yet: run `sgbot ingest knowledge/` (or your documents) first.")
    if unknown:
        raise _fail(f"no procedures for {', '.join(unknown)}: areas with procedures are {', '.join(known)}.")
    if len(wanted) < 2:
        raise _fail(f"name at least two areas to compare (areas with procedures: {', '.join(known)}).")
    report = build_report(documents, wanted, _encoder())
    _write(render(report, fmt), output)


def _evaluate_alignment(pairs: str, *, as_json: bool) -> None:
    from pathlib import Path

    from bot.procedures.alignment.evaluation import evaluate_pairs

    path = Path(pairs)
    if not path.is_file():
        raise _fail(f"no such file {path}: give the labelled pairs YAML, e.g. tests/procedures/alignment/pairs.yaml")
    result = evaluate_pairs(path, _encoder())
    if as_json:
        print(json.dumps({"pairs": len(result.results), "accuracy": round(result.accuracy, 4),
                          "kappa": round(result.kappa, 4), "confusion": result.confusion(),
                          "results": [vars(r) for r in result.results]}, indent=2))
        return
    for r in result.results:
        mark = "✓" if r.label == r.level else "✗"
        typer.echo(f"{mark} label {r.label} coded {r.level}  meaning {r.meaning:.2f} wording {r.wording:.2f} "
                   f"topic {r.topic:.2f}  {Path(r.a).name} ~ {Path(r.b).name}")
    typer.echo(f"pairs {len(result.results)}  accuracy {result.accuracy:.3f}  Cohen's kappa {result.kappa:.3f}")


@app.command()
def comply(
    document: Annotated[str, typer.Argument(help="The published arrangements document (.md .txt .pdf .docx .html).")],
    checklist: Annotated[str, typer.Option(help="Required-items list in prompts/arrangements/: wt2018 | wt2023.")]
    = "wt2018",
    fmt: Annotated[str, typer.Option("--format", help="html | csv | json")] = "html",
    output: Annotated[str | None, typer.Option(help="Write the report to this file (default: print it).")] = None,
) -> None:
    """Check published safeguarding arrangements against the required items, citing the sections that cover each."""
    from pathlib import Path

    from bot.compliance.check import check, passages_of
    from bot.compliance.checklist import ChecklistError, load_checklist
    from bot.compliance.render import FORMATS, render
    from ingest.loaders import LoadError, supported

    if fmt not in FORMATS:
        raise _fail(f"--format {fmt!r} is not one of {', '.join(FORMATS)}")
    try:
        items = load_checklist(checklist)
    except ChecklistError as exc:
        raise _fail(str(exc)) from exc
    path = Path(document)
    if not path.is_file():
        raise _fail(f"no such file {path}: give the path of the arrangements document.")
    if not supported(path):
        raise _fail(f"unsupported format {path.suffix or '(none)'}: use .md, .txt, .pdf, .docx or .html")
    try:
        passages = passages_of(path)
    except LoadError as exc:
        raise _fail(f"{path.name}: {exc}") from exc
    if not passages:
        raise _fail(f"{path.name}: no text found in it: check that it is not empty or scanned.")
    result = check(passages, items, _encoder(), path.name)
    _write(render(result, fmt), output)
