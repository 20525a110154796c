"""Operators' commands: `sgbot purge` (retention, bot/retention/purge.py) and `sgbot reindex`
(rebuild the knowledge index from the documents, e.g. after losing the Chroma server's volume)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Annotated

import typer

from bot.cli import app


@app.command()
def purge(
    dry_run: bool = typer.Option(False, "--dry-run", help="Count what would be purged; change nothing."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array."),
) -> None:
    """Forget abandoned drafts, closed referrals' content, old event ids and delivered notifications."""
    from bot.config import get_settings
    from bot.db import get_database
    from bot.retention.purge import purge as run_purge

    settings = get_settings()
    results = run_purge(get_database(settings), settings, dry_run=dry_run)
    if as_json:
        print(json.dumps([result.as_dict() for result in results]))
        return
    verb = "would purge" if dry_run else "purged"
    for result in results:
        typer.echo(f"{result.what.replace('_', ' ')}: {verb} {result.rows} (older than "
                   f"{result.older_than:%Y-%m-%d})")


@app.command()
def reindex(
    paths: Annotated[list[Path], typer.Argument(help="Every folder or file of documents the index holds.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Rebuild the whole knowledge index from the documents: every passage re-embedded into Chroma.

    For a Chroma server whose data was lost or is suspect. With SGBOT_INDEX_STORE=database the result is
    published as a new generation, which every replica switches to.
    """
    from bot.config import get_settings
    from bot.qa.generations import after_ingest, check_store, uses_database
    from ingest.pipeline import ingest_paths

    settings = get_settings()
    check_store(settings)
    # Start from nothing: no catalog, so no file counts as already ingested. (Embedded Chroma, too.)
    shutil.rmtree(settings.index_dir, ignore_errors=True)
    database = None
    if uses_database(settings):
        from bot.db import get_database

        database = get_database(settings)
    report = ingest_paths(paths, settings)
    published = after_ingest(settings, database, changed=True)
    summary = {**report.as_dict(), "published_generation": published.id if published else None}
    if as_json:
        print(json.dumps(summary))
    else:
        typer.echo(f"re-indexed {report.chunks_indexed} passages from {len(report.added)} files"
                   + (f"; published generation {published.id}" if published else ""))
        for name, reason in report.failed:
            typer.echo(f"failed: {name}: {reason}", err=True)
    if not report.ok:
        raise typer.Exit(1)


embeddings_app = typer.Typer(help="The embedding model's ONNX graph (made once, at setup or image build).",
                             no_args_is_help=True)
app.add_typer(embeddings_app, name="embeddings")


@embeddings_app.command("export")
def export_embeddings(
    to: Annotated[Path | None, typer.Option("--to", help="Where to write it (default: where serving looks).")] = None,
) -> None:
    """Write all-MiniLM-L6-v2 as ONNX, from the installed model package's weights (no download, no PyTorch).

    `make setup` and the image build run this; serving and ingest then load the file with ONNX Runtime.
    """
    from bot.index.embeddings import model_path
    from bot.index.minilm import default_onnx_path
    from bot.index.onnx_export import export

    target = export(model_path(), to or default_onnx_path())
    typer.echo(f"wrote {target} ({target.stat().st_size // (1024 * 1024)} MiB)")
